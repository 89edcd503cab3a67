"""User pools and app clients: lifecycle, defaults and the settings the auth rules read."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.emulator.conftest import error_of, make_client


def test_pool_lifecycle(cognito: Any) -> None:
    created = cognito.create_user_pool(PoolName="p1", UsernameAttributes=["email"])["UserPool"]
    assert created["Id"].startswith("us-east-1_")
    assert created["Name"] == "p1"
    assert created["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    assert created["UsernameAttributes"] == ["email"]
    assert created["Arn"].endswith(f"userpool/{created['Id']}")
    described = cognito.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
    assert described["Id"] == created["Id"]
    listed = cognito.list_user_pools(MaxResults=10)["UserPools"]
    assert [p["Id"] for p in listed] == [created["Id"]]
    cognito.update_user_pool(UserPoolId=created["Id"], MfaConfiguration="OFF", AutoVerifiedAttributes=["email"])
    assert cognito.describe_user_pool(UserPoolId=created["Id"])["UserPool"]["AutoVerifiedAttributes"] == ["email"]
    cognito.delete_user_pool(UserPoolId=created["Id"])
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_user_pool(UserPoolId=created["Id"])
    assert error_of(excinfo) == ("ResourceNotFoundException", f"User pool {created['Id']} does not exist.")


def test_list_user_pools_pages(cognito: Any) -> None:
    ids = [cognito.create_user_pool(PoolName=f"p{i}")["UserPool"]["Id"] for i in range(3)]
    first = cognito.list_user_pools(MaxResults=2)
    second = cognito.list_user_pools(MaxResults=2, NextToken=first["NextToken"])
    assert [p["Id"] for p in first["UserPools"] + second["UserPools"]] == ids
    assert "NextToken" not in second


def test_username_and_alias_attributes_exclude_each_other(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool(PoolName="p", UsernameAttributes=["email"], AliasAttributes=["email"])
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_client_defaults(cognito: Any, pool_id: str) -> None:
    client = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="plain")["UserPoolClient"]
    assert len(client["ClientId"]) == 26
    assert "ClientSecret" not in client
    assert sorted(client["ExplicitAuthFlows"]) == [
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
    ]
    assert client["AuthSessionValidity"] == 3
    assert client["PreventUserExistenceErrors"] == "LEGACY"
    assert (client["AccessTokenValidity"], client["TokenValidityUnits"]["AccessToken"]) == (1, "hours")
    assert (client["RefreshTokenValidity"], client["TokenValidityUnits"]["RefreshToken"]) == (30, "days")


def test_client_with_secret_and_settings(cognito: Any, pool_id: str) -> None:
    client = make_client(
        cognito, pool_id, GenerateSecret=True, AuthSessionValidity=5, PreventUserExistenceErrors="ENABLED"
    )
    assert len(client["ClientSecret"]) >= 40
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])["UserPoolClient"]
    assert described["ClientSecret"] == client["ClientSecret"]
    assert described["AuthSessionValidity"] == 5
    updated = cognito.update_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"], ClientName="renamed")
    assert updated["UserPoolClient"]["ClientName"] == "renamed"
    assert updated["UserPoolClient"]["AuthSessionValidity"] == 3  # left out: back to the default
    cognito.delete_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"User pool client {client['ClientId']} does not exist.",
    )


def test_token_validity_bounds(cognito: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        make_client(cognito, pool_id, AccessTokenValidity=2, TokenValidityUnits={"AccessToken": "minutes"})
    assert error_of(excinfo)[0] == "InvalidParameterException"
    client = make_client(cognito, pool_id, AccessTokenValidity=5, TokenValidityUnits={"AccessToken": "minutes"})
    assert client["AccessTokenValidity"] == 5


def test_legacy_and_allow_flows_cannot_mix(cognito: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        make_client(cognito, pool_id, ExplicitAuthFlows=["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"])
    assert error_of(excinfo)[0] == "InvalidParameterException"
