"""`authflow aws sweep` deletes leftover test pools older than an age (or named by id), and nothing else; an
endpoint that lacks an operation it needs is named, not a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from harness.backends.aws import AwsBackend
from harness.backends.sweep import SweepUnsupported, sweep
from harness.cli import main
from harness.cli import main as authflow_main
from harness.emulator import Reply
from harness.emulator.server import EmulatorServer
from harness.scenario.model import Library
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


def test_named_pools_are_swept_whatever_their_age_and_only_if_they_are_test_pools(
    leftovers: dict[str, str], admin: Any, server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--pool-id` is what the aws backend names for a pool it could not delete: exactly that pool goes."""
    assert (
        authflow_main(["aws", "sweep", "--pool-id", leftovers["run"], "--endpoint-url", server.url, "--dry-run"]) == 0
    )
    assert f"would delete {leftovers['run']} authflow-left1234-password-only" in capsys.readouterr().out
    assert authflow_main(["aws", "sweep", "--pool-id", leftovers["run"], "--endpoint-url", server.url]) == 0
    out = capsys.readouterr().out
    assert f"deleted {leftovers['run']} authflow-left1234-password-only (run left1234" in out
    assert "1 leftover test pools of 1 named" in out
    assert _pool_ids(admin) == set(leftovers.values()) - {leftovers["run"]}

    assert (
        authflow_main(["aws", "sweep", "--pool-id", leftovers["run"], "--endpoint-url", server.url]) == 0
    )  # gone already: fine
    assert "not found: already deleted" in capsys.readouterr().out
    for kind in ("hand-tagged", "untagged", "foreign-name"):  # named, but not a run's pool: refused, exit 1
        assert authflow_main(["aws", "sweep", "--pool-id", leftovers[kind], "--endpoint-url", server.url]) == 1
        assert "not an authflow test pool" in capsys.readouterr().out
    assert _pool_ids(admin) == set(leftovers.values()) - {leftovers["run"]}


class NoTagsEmulator(RecordingEmulator):
    """An endpoint without ListTagsForResource, answering as Cognito-compatible endpoints do for an unknown one."""

    def handle(self, target: str | None, body: bytes) -> Reply:
        if target and target.endswith(".ListTagsForResource"):
            message = "The authflow emulator does not implement ListTagsForResource."
            return self._reply(400, {"__type": "UnsupportedOperationException", "message": message},
                               error="UnsupportedOperationException")  # fmt: skip
        return super().handle(target, body)


def test_an_endpoint_without_list_tags_for_resource_is_named_and_nothing_is_deleted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    emulator = NoTagsEmulator()
    server = EmulatorServer(emulator, "127.0.0.1", 0)
    server.start_in_thread()
    try:
        emulator.call("CreateUserPool", {"PoolName": "authflow-left1234-x", "UserPoolTags": {"managed-by": "authflow"}})
        assert main(["aws", "sweep", "--older-than", "0s", "--endpoint-url", server.url]) == 3
    finally:
        server.stop()
    out = capsys.readouterr().out
    assert f"{server.url} does not support ListTagsForResource (UnsupportedOperationException: " in out
    assert "stopped there without deleting anything" in out
    assert "DeleteUserPool" not in emulator.calls and len(emulator.pools) == 1


def test_sweep_on_moto_says_what_moto_lacks(capsys: pytest.CaptureFixture[str]) -> None:
    """moto has no ListTagsForResource: sweep says so, with the endpoint, and exits non-zero - no traceback."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        moto = boto3.client("cognito-idp", region_name="us-east-1")
        tags = {"managed-by": "authflow", "authflow:run-id": "moto1234"}
        pool_id = moto.create_user_pool(PoolName="authflow-moto1234-x", UserPoolTags=tags)["UserPool"]["Id"]
        assert main(["aws", "sweep", "--older-than", "0s", "--aws-region", "us-east-1"]) == 3
        with pytest.raises(SweepUnsupported) as unsupported:
            sweep(moto, older_than_s=0)
        assert [p["Id"] for p in moto.list_user_pools(MaxResults=60)["UserPools"]] == [pool_id]
    out = capsys.readouterr().out
    assert "https://cognito-idp.us-east-1.amazonaws.com does not support ListTagsForResource" in out
    assert "has not been implemented" in out
    assert unsupported.value.operation == "ListTagsForResource" and unsupported.value.done == []
