"""`authflow aws sweep` deletes leftover test pools older than an age, and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from harness.backends.aws import AwsBackend
from harness.backends.sweep import sweep
from harness.cli import main
from harness.emulator.server import EmulatorServer
from harness.spec.model import Library
from tests.backends.conftest import RecordingEmulator


@pytest.fixture
def leftovers(library: Library, admin: Any, make_backend: Callable[..., AwsBackend]) -> dict[str, str]:
    """A run's pools left behind (as after SIGKILL), and pools sweep must never touch."""
    backend = make_backend()
    run_pool = backend.provision(library.pools["password-only"], run_id="left1234")
    backend._alive.clear()  # forget it, as a killed process would: close() must not clean it up here
    hand_tagged = admin.create_user_pool(PoolName="authflow-shared-test-pool", UserPoolTags={"managed-by": "authflow"})
    untagged = admin.create_user_pool(PoolName="authflow-looks-like-ours")
    foreign = admin.create_user_pool(
        PoolName="production", UserPoolTags={"managed-by": "authflow", "authflow:run-id": "left1234"}
    )
    return {
        "run": run_pool.pool_id,
        "hand-tagged": hand_tagged["UserPool"]["Id"],
        "untagged": untagged["UserPool"]["Id"],
        "foreign-name": foreign["UserPool"]["Id"],
    }


def _pool_ids(admin: Any) -> set[str]:
    return {pool["Id"] for pool in admin.list_user_pools(MaxResults=60)["UserPools"]}


def test_only_old_tagged_pools_of_runs_are_deleted(
    leftovers: dict[str, str], admin: Any, emulator: RecordingEmulator
) -> None:
    now = emulator.clock.now()
    assert sweep(admin, older_than_s=7200, now=now) == []  # too young
    assert _pool_ids(admin) == set(leftovers.values())

    listed = sweep(admin, older_than_s=7200, now=now + 3 * 3600, dry_run=True)
    assert [(p.pool_id, p.run_id, p.deleted) for p in listed] == [(leftovers["run"], "left1234", False)]
    assert _pool_ids(admin) == set(leftovers.values())  # a dry run deletes nothing

    [swept] = sweep(admin, older_than_s=7200, now=now + 3 * 3600)
    assert swept.pool_id == leftovers["run"] and swept.deleted and swept.age_s >= 3 * 3600 - 5
    assert _pool_ids(admin) == set(leftovers.values()) - {leftovers["run"]}


def test_the_sweep_command(
    leftovers: dict[str, str], admin: Any, server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["aws", "sweep", "--older-than", "2h", "--endpoint-url", server.url]) == 0
    assert "0 leftover test pools older than 2h" in capsys.readouterr().out
    assert main(["aws", "sweep", "--older-than", "0s", "--endpoint-url", server.url, "--dry-run"]) == 0
    assert f"would delete {leftovers['run']} authflow-left1234-password-only (run left1234" in capsys.readouterr().out
    assert main(["aws", "sweep", "--older-than", "0s", "--endpoint-url", server.url]) == 0
    out = capsys.readouterr().out
    assert f"deleted {leftovers['run']}" in out and "1 leftover test pools older than 0s" in out
    assert leftovers["run"] not in _pool_ids(admin) and len(_pool_ids(admin)) == 3


def test_a_bad_age_is_a_usage_error(server: EmulatorServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["aws", "sweep", "--older-than", "two hours", "--endpoint-url", server.url]) == 2
    assert "not a duration" in capsys.readouterr().out
