"""Pools created by the aws backend do not outlive the run: after a failing scenario, after an interrupt in a
step or in provisioning, and after Ctrl-C of a real pytest process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.backends.aws import AwsBackend
from harness.emulator.server import EmulatorServer
from harness.engine.library import discover
from harness.engine.results import Status
from harness.engine.runner import run_scenario
from harness.scenario.model import Library, Scenario
from tests.backends.conftest import RecordingEmulator, tagged_pools

POOL = """\
name: plain
clients:
  - name: web
    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
"""

SCENARIO = """\
scenario: {title}
pools: [plain]
vars:
  username: ${{{{ unique("user") }}}}
steps:
  - call: AdminCreateUser
    params: {{Username: "${{{{ username }}}}", MessageAction: SUPPRESS}}
{extra}
"""


def _scenario(tmp_path: Path, title: str, extra: str) -> tuple[Scenario, Library]:
    (tmp_path / "pools").mkdir(exist_ok=True)
    (tmp_path / "pools" / "plain.yaml").write_text(POOL)
    (tmp_path / "s.yaml").write_text(SCENARIO.format(title=title, extra=textwrap.indent(extra, "  ")))
    library = discover(tmp_path / "s.yaml")
    assert library.ok, library.issues
    return library.scenarios[0], library


def test_the_pool_is_deleted_after_a_failing_scenario(
    tmp_path: Path, admin: Any, make_backend: Callable[..., AwsBackend]
) -> None:
    scenario, library = _scenario(tmp_path, "fails", "- call: AdminGetUser\n  params: {Username: nobody}\n")
    backend = make_backend()
    result = run_scenario(scenario, library.pools["plain"], backend, run_id="fail1234")
    assert result.status is Status.FAILED
    assert "UserNotFoundException" in result.message
    assert tagged_pools(admin) == {} and backend.alive_pools == {}


class InterruptingClient:
    """A fake in front of the backend's client: the named operation raises KeyboardInterrupt (Ctrl-C)."""

    def __init__(self, client: Any, operation: str) -> None:
        self._client = client
        self._operation = operation

    def __getattr__(self, name: str) -> Any:
        if name == self._operation:

            def interrupted(**_: Any) -> Any:
                raise KeyboardInterrupt

            return interrupted
        return getattr(self._client, name)


def test_an_interrupt_in_a_step_leaves_no_pool_once_the_backend_closes(
    tmp_path: Path, admin: Any, make_backend: Callable[..., AwsBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario, library = _scenario(tmp_path, "interrupted", "- call: AdminGetUser\n  params: {Username: x}\n")
    backend = make_backend()
    guarded = backend.cognito()
    monkeypatch.setattr(backend, "cognito", lambda: InterruptingClient(guarded, "admin_get_user"))
    # teardown is interrupted too (a second Ctrl-C while cleaning up): only close() is left to clean up
    monkeypatch.setattr(backend, "teardown", lambda pool: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        run_scenario(scenario, library.pools["plain"], backend, run_id="intr1234")
    assert len(tagged_pools(admin)) == 1  # the interrupted run's pool is still there...
    backend.close()
    assert tagged_pools(admin) == {}  # ...until close(), which pytest_unconfigure and the CLI always call
    assert backend.alive_pools == {}
    assert len(backend.cleanup_log) == 1 and backend.cleanup_log[0].startswith("deleted pool ")


def test_an_interrupt_during_provisioning_leaves_no_pool_once_the_backend_closes(
    library: Library, admin: Any, make_backend: Callable[..., AwsBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = make_backend()
    guarded = backend.cognito()
    # the pool exists, its clients are being created when Ctrl-C arrives: provision_pool cannot clean up
    monkeypatch.setattr(backend, "_client", InterruptingClient(guarded, "create_user_pool_client"))
    with pytest.raises(KeyboardInterrupt):
        backend.provision(library.pools["password-only"], run_id="prov5678")
    assert len(tagged_pools(admin)) == 1
    monkeypatch.setattr(backend, "_client", guarded)
    backend.close()
    assert tagged_pools(admin) == {}


def test_close_cleans_up_every_pool_even_when_one_deletion_fails(
    library: Library, admin: Any, make_backend: Callable[..., AwsBackend]
) -> None:
    backend = make_backend()
    first = backend.provision(library.pools["password-only"], run_id="many1234")
    backend.provision(library.pools["srp-only"], run_id="many1234")
    admin.delete_user_pool(UserPoolId=first.pool_id)  # gone behind the backend's back
    backend.close()
    assert tagged_pools(admin) == {} and backend.alive_pools == {}


SLOW = """\
scenario: Waits in real time
pools: [plain]
vars:
  username: ${{ unique("user") }}
steps:
  - call: AdminCreateUser
    params: {Username: "${{ username }}", MessageAction: SUPPRESS}
  - clock: {advance: 60s}
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_of_a_pytest_run_on_aws_leaves_no_pool(
    tmp_path: Path, server: EmulatorServer, emulator: RecordingEmulator
) -> None:
    """A real pytest process, a real SIGINT while a step waits in real time: teardown and close run."""
    (tmp_path / "scenarios" / "pools").mkdir(parents=True)
    (tmp_path / "scenarios" / "pools" / "plain.yaml").write_text(POOL)
    (tmp_path / "scenarios" / "slow.yaml").write_text(SLOW)
    env = {**os.environ, "AUTHFLOW_AWS_MAX_WAIT": "5m"}
    command = [sys.executable, "-m", "pytest", "scenarios", "-p", "no:cacheprovider", "-q", "--backend", "aws"]
    child = subprocess.Popen(
        [*command, "--endpoint-url", server.url, "--authflow-reports", str(tmp_path / "out")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not any(pool.users for pool in list(emulator.pools.values())):  # the step before the wait ran
            assert child.poll() is None, child.communicate()[0].decode()
            assert time.monotonic() < deadline, "the scenario never started"
            time.sleep(0.05)
        assert "DeleteUserPool" not in emulator.calls
        child.send_signal(signal.SIGINT)
        output = child.communicate(timeout=60)[0].decode()
    finally:
        if child.poll() is None:
            child.kill()
    # pytest exits with 2 (INTERRUPTED); on some Python versions its traceback printer itself trips over the
    # interrupted frame and it exits with 1. Either way it stopped because of the interrupt, and cleaned up.
    assert child.returncode in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.TESTS_FAILED), output
    assert "KeyboardInterrupt" in output
    assert emulator.pools == {}
    assert emulator.calls.count("CreateUserPool") == emulator.calls.count("DeleteUserPool") == 1
