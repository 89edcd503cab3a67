"""When close() cannot delete what the run created - access denied, a dropped connection - it does not raise:
it names each pool (id, name, reason) through ``leftovers()`` with the exact command that removes it, and that
command does remove it."""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError

from harness.backends.aws import AwsBackend, AwsSettings, Leftover
from harness.backends.aws_existing import ExistingPool, ExistingPools
from harness.cli import main as authflow_main
from harness.emulator import Reply
from harness.emulator.server import EmulatorServer
from harness.scenario.model import Library
from tests.backends.conftest import RecordingEmulator, tagged_pools


class DenyingEmulator(RecordingEmulator):
    """Answers DeleteUserPool with AccessDeniedException while ``deny`` is set (an IAM policy without it)."""

    deny = True

    def handle(self, target: str | None, body: bytes) -> Reply:
        if self.deny and target and target.endswith(".DeleteUserPool"):
            message = "User is not authorized to perform: cognito-idp:DeleteUserPool"
            return self._reply(400, {"__type": "AccessDeniedException", "message": message},
                               error="AccessDeniedException")  # fmt: skip
        return super().handle(target, body)


@pytest.fixture
def denying() -> Iterator[tuple[DenyingEmulator, EmulatorServer]]:
    emulator = DenyingEmulator()
    server = EmulatorServer(emulator, "127.0.0.1", 0)
    server.start_in_thread()
    yield emulator, server
    server.stop()


class FailingClient:
    """A stub in front of the backend's client: the named operation raises ``error`` (a dropped network)."""

    def __init__(self, client: Any, operation: str, error: BaseException) -> None:
        self._client = client
        self._operation = operation
        self._error = error

    def __getattr__(self, name: str) -> Any:
        if name == self._operation:

            def failing(**_: Any) -> Any:
                raise self._error

            return failing
        return getattr(self._client, name)


@contextlib.contextmanager
def failing(backend: AwsBackend, operation: str, error: BaseException) -> Iterator[None]:
    """The backend's client fails ``operation`` with ``error`` inside the block (restored even if a test fails,
    so the fixture's own close() at the end still works)."""
    guarded = backend._client
    backend._client = FailingClient(guarded, operation, error)  # type: ignore[assignment]
    try:
        yield
    finally:
        backend._client = guarded


def _run(command: str) -> int:
    """Run a command the backend named, in this process (its program is ``authflow aws sweep``)."""
    words = shlex.split(command)
    assert words[:3] == ["authflow", "aws", "sweep"], command
    return authflow_main(words[1:])


def test_access_denied_on_delete_leaves_a_named_pool_and_the_command_that_removes_it(
    denying: tuple[DenyingEmulator, EmulatorServer], library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator, server = denying
    backend = AwsBackend(AwsSettings(endpoint_url=server.url))
    pool = backend.provision(library.pools["password-only"], run_id="deny1234")
    other = backend.provision(library.pools["srp-only"], run_id="deny1234")
    backend.close()  # does not raise

    assert [(left.kind, left.pool_id, left.name) for left in backend.leftovers()] == [
        ("pool", pool.pool_id, "authflow-deny1234-password-only"),
        ("pool", other.pool_id, "authflow-deny1234-srp-only"),
    ]
    left = backend.leftovers()[0]
    assert left.reason.startswith("AccessDeniedException: User is not authorized")
    assert left.command == (
        f"authflow aws sweep --pool-id {pool.pool_id} --endpoint-url {server.url} --aws-region us-east-1"
    )
    assert backend.sweep_command([pool.pool_id, other.pool_id]).count("--pool-id") == 2
    assert any(pool.pool_id in line and left.command in line for line in backend.cleanup_log)

    emulator.deny = False  # the permission is granted; the named command removes exactly that pool
    assert _run(left.command) == 0
    assert f"deleted {pool.pool_id} authflow-deny1234-password-only (run deny1234" in capsys.readouterr().out
    assert set(emulator.pools) == {other.pool_id}


def test_a_dropped_connection_on_delete_leaves_a_named_pool(
    make_backend: Callable[..., AwsBackend], library: Library, admin: Any
) -> None:
    backend = make_backend()
    pool = backend.provision(library.pools["password-only"], run_id="drop1234")
    error = EndpointConnectionError(endpoint_url="https://cognito-idp.eu-west-1.amazonaws.com/")
    with failing(backend, "delete_user_pool", error):
        backend.close()  # no traceback: the run ends, and names what it left

    [left] = backend.leftovers()
    assert left == Leftover(
        "pool",
        pool.pool_id,
        "authflow-drop1234-password-only",
        'EndpointConnectionError: Could not connect to the endpoint URL: "https://cognito-idp.eu-west-1.amazonaws.com/"',
        backend.sweep_command([pool.pool_id]),
    )
    assert list(tagged_pools(admin)) == [pool.pool_id]  # still there, and named
    backend.close()  # a later close (the network is back) deletes it, and there are no leftovers any more
    assert backend.leftovers() == [] and tagged_pools(admin) == {}


def test_the_runs_users_left_in_an_existing_pool_are_named(
    make_backend: Callable[..., AwsBackend], library: Library, admin: Any
) -> None:
    pool = admin.create_user_pool(PoolName="team-test-pool", UserPoolTags={"managed-by": "authflow"})["UserPool"]
    client = admin.create_user_pool_client(UserPoolId=pool["Id"], ClientName="web")["UserPoolClient"]
    given = ExistingPools(ExistingPool(pool["Id"], default_client_id=client["ClientId"]))
    backend = make_backend(existing=given)
    backend.provision(library.pools["password-only"], run_id="user1234")
    for name in ("user-user1234-a", "user-user1234-b"):
        backend.cognito().admin_create_user(UserPoolId=pool["Id"], Username=name, MessageAction="SUPPRESS")
    error = ConnectionClosedError(endpoint_url="https://cognito-idp.eu-west-1.amazonaws.com/")
    with failing(backend, "admin_delete_user", error):
        backend.close()

    [left] = backend.leftovers()
    assert (left.kind, left.pool_id, left.usernames) == ("users", pool["Id"], ("user-user1234-a", "user-user1234-b"))
    assert left.reason.startswith("ConnectionClosedError: Connection was closed")
    assert f"aws cognito-idp admin-delete-user --user-pool-id {pool['Id']} --username user-user1234-a" in left.command
    backend.close()
    assert backend.leftovers() == []
    assert [u["Username"] for u in admin.list_users(UserPoolId=pool["Id"])["Users"]] == []


def test_an_interrupt_during_close_still_names_what_is_left(
    make_backend: Callable[..., AwsBackend], library: Library
) -> None:
    backend = make_backend()
    first = backend.provision(library.pools["password-only"], run_id="intr5678")
    second = backend.provision(library.pools["srp-only"], run_id="intr5678")
    with failing(backend, "delete_user_pool", KeyboardInterrupt()), pytest.raises(KeyboardInterrupt):
        backend.close()
    assert {left.pool_id for left in backend.leftovers()} == {first.pool_id, second.pool_id}
    assert {left.reason for left in backend.leftovers()} == {"interrupted before it was deleted"}
