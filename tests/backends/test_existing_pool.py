"""An existing pool: used as it is, never created, changed or deleted; only the run's users come and go; an
untagged pool is refused (before any call that changes anything) unless explicitly allowed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.backends import create_backend
from harness.backends.aws import AwsBackend
from harness.backends.aws_client import is_read_only
from harness.backends.aws_existing import ExistingPool, ExistingPools, UntaggedPoolError
from harness.emulator.server import EmulatorServer
from harness.engine.library import discover
from harness.engine.results import Status
from harness.engine.runner import run_scenario
from harness.scenario.model import Library
from tests.backends.conftest import RecordingEmulator

pytest_plugins = ["pytester"]

SCENARIO = """\
scenario: Sign in on an existing pool
pools: [password-only]
client: confidential
vars:
  username: ${{ unique("user") }}
  password: Correct-Horse-9!
steps:
  - call: AdminCreateUser
    params: {Username: "${{ username }}", MessageAction: SUPPRESS}
  - call: AdminSetUserPassword
    params: {Username: "${{ username }}", Password: "${{ password }}", Permanent: true}
  - call: InitiateAuth
    params:
      AuthFlow: USER_PASSWORD_AUTH
      AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}", SECRET_HASH: "${{ secret_hash(username) }}"}
    expect: {tokens: valid}
"""


@pytest.fixture
def existing(admin: Any) -> Iterator[dict[str, Any]]:
    """A team's pool with two clients and a user of its own; its tags are set by each test."""
    pool = admin.create_user_pool(PoolName="team-test-pool")["UserPool"]
    flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    web = admin.create_user_pool_client(UserPoolId=pool["Id"], ClientName="web", ExplicitAuthFlows=flows)
    secret = admin.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="confidential", ExplicitAuthFlows=flows, GenerateSecret=True
    )
    admin.admin_create_user(UserPoolId=pool["Id"], Username="alice", MessageAction="SUPPRESS")
    yield {
        "pool_id": pool["Id"],
        "arn": pool["Arn"],
        "web": web["UserPoolClient"]["ClientId"],
        "confidential": secret["UserPoolClient"],
    }


def _scenario(tmp_path: Path, library: Library) -> Any:
    (tmp_path / "s.yaml").write_text(SCENARIO)
    (tmp_path / "pools").mkdir()
    (tmp_path / "pools" / "password-only.yaml").write_text(library.pools["password-only"].path.read_text())
    found = discover(tmp_path / "s.yaml")
    assert found.ok, found.issues
    return found.scenarios[0], found.pools["password-only"]


def _usernames(admin: Any, pool_id: str) -> list[str]:
    return sorted(user["Username"] for user in admin.list_users(UserPoolId=pool_id)["Users"])


def test_an_untagged_pool_is_refused_without_changing_anything(
    tmp_path: Path,
    library: Library,
    existing: dict[str, Any],
    emulator: RecordingEmulator,
    admin: Any,
    make_backend: Callable[..., AwsBackend],
) -> None:
    scenario, config = _scenario(tmp_path, library)
    backend = make_backend(existing=ExistingPools(ExistingPool(existing["pool_id"], default_client_id=existing["web"])))
    emulator.calls.clear()
    result = run_scenario(scenario, config, backend, run_id="untg1234")
    assert result.status is Status.BROKEN
    assert f"UntaggedPoolError: pool {existing['pool_id']} is not tagged managed-by=authflow" in result.message
    assert "--allow-untagged-pool" in result.message
    assert emulator.calls and all(is_read_only(call) for call in emulator.calls), emulator.calls
    backend.close()
    assert all(is_read_only(call) for call in emulator.calls), emulator.calls
    assert _usernames(admin, existing["pool_id"]) == ["alice"]

    with pytest.raises(UntaggedPoolError):
        backend.provision(config, run_id="untg1234")  # and it stays refused


def test_a_tagged_pool_is_used_and_only_the_runs_users_are_deleted(
    tmp_path: Path,
    library: Library,
    existing: dict[str, Any],
    emulator: RecordingEmulator,
    admin: Any,
    make_backend: Callable[..., AwsBackend],
) -> None:
    admin.tag_resource(ResourceArn=existing["arn"], Tags={"managed-by": "authflow"})
    scenario, config = _scenario(tmp_path, library)
    backend = make_backend(existing=ExistingPools(ExistingPool(existing["pool_id"], default_client_id=existing["web"])))
    emulator.calls.clear()
    result = run_scenario(scenario, config, backend, run_id="tagd1234")
    assert result.status is Status.PASSED, result.message
    # the confidential client was found by its name, its secret read with DescribeUserPoolClient
    assert (result.steps[2].request or {}).get("ClientId") == existing["confidential"]["ClientId"]
    created = result.variables["username"]
    assert created.startswith("user-tagd1234-")
    assert {"CreateUserPool", "DeleteUserPool", "UpdateUserPool", "CreateUserPoolClient"}.isdisjoint(emulator.calls)
    assert emulator.calls.count("AdminDeleteUser") == 1
    assert _usernames(admin, existing["pool_id"]) == ["alice"]
    assert admin.describe_user_pool(UserPoolId=existing["pool_id"])["UserPool"]["Name"] == "team-test-pool"


def test_allow_untagged_pool_is_explicit(
    tmp_path: Path, library: Library, existing: dict[str, Any], admin: Any, make_backend: Callable[..., AwsBackend]
) -> None:
    scenario, config = _scenario(tmp_path, library)
    pools = ExistingPools(ExistingPool(existing["pool_id"], default_client_id=existing["web"]))
    backend = make_backend(existing=pools, allow_untagged_pool=True)
    result = run_scenario(scenario, config, backend, run_id="allw1234")
    assert result.status is Status.PASSED, result.message
    assert _usernames(admin, existing["pool_id"]) == ["alice"]


CHANGES_THE_POOL = """\
scenario: Tries to change the pool and a user it did not create
pools: [password-only]
steps:
  - call: {operation}
    params: {params}
"""


@pytest.mark.parametrize(
    ("operation", "params", "reason"),
    [
        (
            "UpdateUserPoolClient",
            "{ClientId: x, ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH]}",
            "would change an existing pool",
        ),
        ("AdminDeleteUser", "{Username: alice}", "only users named by unique()"),
        ("AdminCreateUser", "{Username: bob, MessageAction: SUPPRESS}", "only users named by unique()"),
    ],
)
def test_steps_that_would_touch_what_the_run_does_not_own_are_skipped(
    operation: str,
    params: str,
    reason: str,
    tmp_path: Path,
    library: Library,
    existing: dict[str, Any],
    admin: Any,
    make_backend: Callable[..., AwsBackend],
) -> None:
    admin.tag_resource(ResourceArn=existing["arn"], Tags={"managed-by": "authflow"})
    (tmp_path / "pools").mkdir()
    (tmp_path / "pools" / "password-only.yaml").write_text(library.pools["password-only"].path.read_text())
    (tmp_path / "s.yaml").write_text(CHANGES_THE_POOL.format(operation=operation, params=params))
    found = discover(tmp_path / "s.yaml")
    assert found.ok, found.issues
    backend = make_backend(existing=ExistingPools(ExistingPool(existing["pool_id"], default_client_id=existing["web"])))
    result = run_scenario(found.scenarios[0], found.pools["password-only"], backend, run_id="skip1234")
    assert result.status is Status.SKIPPED and reason in result.message
    assert _usernames(admin, existing["pool_id"]) == ["alice"]


def test_a_file_names_a_pool_per_configuration(
    tmp_path: Path, library: Library, existing: dict[str, Any], admin: Any, server: EmulatorServer
) -> None:
    admin.tag_resource(ResourceArn=existing["arn"], Tags={"managed-by": "authflow"})
    pools_file = tmp_path / "pools.yaml"
    pools_file.write_text(
        f"pools:\n  password-only:\n    pool_id: {existing['pool_id']}\n"
        f"    clients: {{web: {existing['web']}, confidential: {existing['confidential']['ClientId']}}}\n"
    )
    scenario, config = _scenario(tmp_path, library)
    backend = create_backend("aws", endpoint_url=server.url, pool_id=str(pools_file))
    try:
        assert run_scenario(scenario, config, backend, run_id="file1234").status is Status.PASSED
        result = run_scenario(scenario, library.pools["srp-only"], backend, run_id="file1234")
        assert (
            result.status is Status.BROKEN
            and "no existing pool is given for configuration 'srp-only'" in result.message
        )
    finally:
        backend.close()
    assert _usernames(admin, existing["pool_id"]) == ["alice"]


def test_the_pytest_options_reach_the_backend(
    pytester: pytest.Pytester, library: Library, existing: dict[str, Any], server: EmulatorServer, admin: Any
) -> None:
    scenarios = pytester.path / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "password-only.yaml").write_text(library.pools["password-only"].path.read_text())
    (scenarios / "existing.yaml").write_text(SCENARIO)
    common = ["scenarios", "--backend", "aws", "--endpoint-url", server.url, "--pool-id", existing["pool_id"]]
    refused = pytester.runpytest(*common, "--client-id", existing["web"])
    refused.assert_outcomes(failed=1)
    refused.stdout.fnmatch_lines(["*is not tagged managed-by=authflow*"])
    allowed = pytester.runpytest(*common, "--client-id", existing["web"], "--allow-untagged-pool")
    allowed.assert_outcomes(passed=1)
    assert _usernames(admin, existing["pool_id"]) == ["alice"]
