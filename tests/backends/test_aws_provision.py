"""The aws backend provisions every shipped pool configuration through a real boto3 client and HTTP endpoint
(the emulator's), with the name prefix and tags that teardown and sweep rely on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from harness.backends.aws import AwsBackend, AwsSetupError
from harness.emulator.recipes import register_triggers
from harness.engine.results import Status
from harness.engine.runner import run_scenario
from harness.scenario.model import Library, PoolConfig
from tests.backends.conftest import REPO, RecordingEmulator, tagged_pools

SHIPPED_POOLS = sorted(path.stem for path in (REPO / "scenarios" / "pools").glob("*.yaml"))


def _with_lambda_arns(config: PoolConfig, emulator: RecordingEmulator) -> PoolConfig:
    """What a user does on AWS: give the triggers as Lambda ARNs in pool.LambdaConfig (here, the emulator's)."""
    if not config.triggers:
        return config
    arns = register_triggers(emulator, config.name, config.triggers)
    return replace(config, pool_params={**config.pool_params, "LambdaConfig": arns})


@pytest.mark.parametrize("name", SHIPPED_POOLS)
def test_every_shipped_pool_configuration_is_provisioned_tagged_and_torn_down(
    name: str,
    library: Library,
    emulator: RecordingEmulator,
    admin: Any,
    make_backend: Callable[..., AwsBackend],
) -> None:
    config = _with_lambda_arns(library.pools[name], emulator)
    backend = make_backend()
    pool = backend.provision(config, run_id="prov1234")

    described = admin.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]
    assert described["Name"] == f"authflow-prov1234-{name}" == pool.pool_name
    assert tagged_pools(admin)[pool.pool_id] == {
        "managed-by": "authflow",
        "authflow:run-id": "prov1234",
        "authflow:configuration": name,
    }
    for key, value in config.pool_params.items():  # what the configuration asked for is what the pool has
        if key == "Policies":
            for policy, settings in value.items():
                assert described["Policies"][policy].items() >= settings.items(), policy
        elif key == "Schema":  # described as SchemaAttributes, a custom attribute as custom:<its Name>
            names = {attribute["Name"] for attribute in described["SchemaAttributes"]}
            assert {f"custom:{entry['Name']}" for entry in value} <= names, names
        else:
            assert described[key] == value, key
    assert list(pool.clients) == [client.name for client in config.clients]
    for client in config.clients:
        made = admin.describe_user_pool_client(UserPoolId=pool.pool_id, ClientId=pool.clients[client.name].client_id)
        made = made["UserPoolClient"]
        assert made["ClientName"] == client.name
        assert made.get("ExplicitAuthFlows") == client.params.get("ExplicitAuthFlows", made.get("ExplicitAuthFlows"))
        assert (pool.clients[client.name].secret is not None) == bool(client.params.get("GenerateSecret"))
    if config.mfa:
        mfa = admin.get_user_pool_mfa_config(UserPoolId=pool.pool_id)
        assert mfa["MfaConfiguration"] == config.mfa.get("MfaConfiguration", "OFF")
    sessions = admin.get_user_pool_session_configuration(UserPoolId=pool.pool_id)
    expected = config.sessions or {"UserSessionTracking": "DISABLED", "TokenSession": {"MaxPerUser": 20}}
    assert {key: sessions[key] for key in expected} == expected
    assert backend.alive_pools == {pool.pool_id: pool.pool_name}

    backend.teardown(pool)
    assert admin.list_user_pools(MaxResults=60)["UserPools"] == []
    assert backend.alive_pools == {}


def test_triggers_only_the_emulator_runs_need_lambda_arns_on_aws(
    library: Library, emulator: RecordingEmulator, make_backend: Callable[..., AwsBackend]
) -> None:
    backend = make_backend()
    recipes = {"DefineAuthChallenge": {"recipe": "custom-challenge"}, "PreSignUp": {"python": "x.y:z"}}
    config = replace(library.pools["custom-auth"], triggers=recipes)
    with pytest.raises(AwsSetupError, match=r"'custom-auth' has emulator triggers .*Lambda function ARNs"):
        backend.provision(config, run_id="trig1234")
    assert emulator.calls == []  # refused before anything was sent


def test_lambda_arns_pass_through_and_the_custom_auth_scenario_runs(
    library: Library, emulator: RecordingEmulator, admin: Any, make_backend: Callable[..., AwsBackend]
) -> None:
    [scenario] = [s for s in library.scenarios if s.id == "custom-auth-without-password"]
    config = _with_lambda_arns(library.pools["custom-auth"], emulator)
    result = run_scenario(scenario, config, make_backend(), run_id="lamb1234")
    assert result.status is Status.PASSED, result.message
    assert result.backend == "aws"
    assert "CreateUserPool" in emulator.calls and "DeleteUserPool" in emulator.calls
    assert tagged_pools(admin) == {}


def test_a_pool_with_deletion_protection_is_still_torn_down(
    library: Library, admin: Any, make_backend: Callable[..., AwsBackend]
) -> None:
    base = library.pools["password-only"]
    config = replace(base, pool_params={**base.pool_params, "DeletionProtection": "ACTIVE"})
    backend = make_backend()
    pool = backend.provision(config, run_id="prot1234")
    backend.teardown(pool)
    assert admin.list_user_pools(MaxResults=60)["UserPools"] == []


def test_jwks_and_issuer_come_from_the_endpoint(
    library: Library, admin: Any, make_backend: Callable[..., AwsBackend]
) -> None:
    backend = make_backend()
    pool = backend.provision(library.pools["password-only"], run_id="jwks1234")
    assert backend.issuer(pool.pool_id) == f"{backend.settings.endpoint_url}/{pool.pool_id}"
    assert backend.jwks(pool.pool_id)["keys"][0]["kty"] == "RSA"
    backend.teardown(pool)
