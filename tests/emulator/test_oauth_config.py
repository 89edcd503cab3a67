"""Domains, resource servers and the OAuth members of app clients, as Cognito checks them (through boto3)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.emulator.conftest import error_of

API_SCOPES = [{"ScopeName": "read", "ScopeDescription": "Read"}, {"ScopeName": "write", "ScopeDescription": "Write"}]


@pytest.fixture
def api(cognito: Any, pool_id: str) -> str:
    cognito.create_resource_server(
        UserPoolId=pool_id, Identifier="https://api.example.com", Name="API", Scopes=API_SCOPES
    )
    return "https://api.example.com"


def test_resource_servers_round_trip(cognito: Any, pool_id: str, api: str) -> None:
    described = cognito.describe_resource_server(UserPoolId=pool_id, Identifier=api)["ResourceServer"]
    assert [s["ScopeName"] for s in described["Scopes"]] == ["read", "write"]
    with pytest.raises(ClientError) as excinfo:
        cognito.create_resource_server(UserPoolId=pool_id, Identifier=api, Name="again")
    assert error_of(excinfo)[0] == "InvalidParameterException"
    cognito.update_resource_server(UserPoolId=pool_id, Identifier=api, Name="API v2", Scopes=API_SCOPES[:1])
    listed = cognito.list_resource_servers(UserPoolId=pool_id, MaxResults=5)["ResourceServers"]
    assert [(s["Name"], len(s["Scopes"])) for s in listed] == [("API v2", 1)]
    cognito.delete_resource_server(UserPoolId=pool_id, Identifier=api)
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_resource_server(UserPoolId=pool_id, Identifier=api)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_a_domain_belongs_to_one_pool_and_blocks_its_deletion(cognito: Any, pool_id: str) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain="my-app-login")
    described = cognito.describe_user_pool_domain(Domain="my-app-login")["DomainDescription"]
    assert (described["UserPoolId"], described["Status"]) == (pool_id, "ACTIVE")
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Domain"] == "my-app-login"
    assert cognito.describe_user_pool_domain(Domain="nobody-has-this")["DomainDescription"] == {}
    other = cognito.create_user_pool(PoolName="other")["UserPool"]["Id"]
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool_domain(UserPoolId=other, Domain="my-app-login")
    assert error_of(excinfo) == ("InvalidParameterException", "Domain already exists.")
    with pytest.raises(ClientError) as excinfo:  # a second domain for the pool [C: aws/aws-cdk#10062]
        cognito.create_user_pool_domain(UserPoolId=pool_id, Domain="my-app-login-2")
    assert error_of(excinfo) == ("InvalidParameterException", "User pool already has a domain configured.")
    for word in ("aws", "cognito"):  # [C: aws-amplify/amplify-cli#1513, #3854]
        with pytest.raises(ClientError) as excinfo:
            cognito.create_user_pool_domain(UserPoolId=other, Domain=f"my-{word}-login")
        assert error_of(excinfo) == ("InvalidParameterException", f"Domain cannot contain reserved word: {word}")
    with pytest.raises(ClientError) as excinfo:
        cognito.delete_user_pool(UserPoolId=pool_id)
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "User pool cannot be deleted. It has a domain configured that should be deleted first.",
    )
    cognito.delete_user_pool_domain(UserPoolId=pool_id, Domain="my-app-login")
    cognito.delete_user_pool(UserPoolId=pool_id)


@pytest.mark.parametrize(
    ("settings", "secret", "expected"),
    [
        (
            {"AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthFlows": ["code"]},
            False,
            ("InvalidParameterException", "AllowedOAuthFlows and AllowedOAuthScopes are required"),
        ),
        (
            {"AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["https://api.example.com/read"]},
            False,
            ("InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have"),
        ),
        (
            {"AllowedOAuthFlows": ["client_credentials", "code"], "AllowedOAuthScopes": ["openid"]},
            True,
            ("InvalidOAuthFlowException", "client_credentials flow can not be selected along with code flow"),
        ),
        (
            {"AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["openid"]},
            True,
            ("InvalidOAuthFlowException", "openid is not supported with client_credentials flow"),
        ),
        (
            {"AllowedOAuthScopes": ["https://api.example.com/delete"]},
            False,
            ("ScopeDoesNotExistException", "Invalid scope requested: https://api.example.com/delete"),
        ),
        (
            {"SupportedIdentityProviders": ["Google"]},
            False,
            ("InvalidParameterException", "The provider Google does not exist for User Pool"),
        ),
        (
            {"CallbackURLs": ["http://example.com/callback"]},
            False,
            ("InvalidParameterException", "http://example.com/callback cannot use the HTTP protocol."),
        ),
        (
            {"LogoutURLs": ["http://localhost.com/"]},  # not localhost (amplify-cli#5419)
            False,
            ("InvalidParameterException", "http://localhost.com/ cannot use the HTTP protocol."),
        ),
        (
            {"CallbackURLs": ["https://example.com/callback#done"]},
            False,
            ("InvalidParameterException", "Invalid URL: https://example.com/callback#done"),
        ),
        (  # an empty fragment is a fragment, over HTTP too
            {"CallbackURLs": ["http://example.com/callback#"]},
            False,
            ("InvalidParameterException", "Invalid URL: http://example.com/callback#"),
        ),
        (  # a URL urllib cannot read is refused, not a crash
            {"LogoutURLs": ["http://[::1/signed-out"]},
            False,
            ("InvalidParameterException", "Invalid URL: http://[::1/signed-out"),
        ),
        (
            {"AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"]},
            False,
            ("InvalidOAuthFlowException", "CallbackUrls can not be empty when code flow or implicit flow is selected"),
        ),
    ],
)
def test_oauth_client_settings_cognito_refuses(
    cognito: Any, pool_id: str, api: str, settings: dict[str, Any], secret: bool, expected: tuple[str, str]
) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="c", GenerateSecret=secret, **settings)
    code, message = error_of(excinfo)
    assert (code, message[: len(expected[1])]) == expected


def test_an_update_is_checked_like_a_create(cognito: Any, pool_id: str, api: str) -> None:
    client = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]
    with pytest.raises(ClientError) as excinfo:
        cognito.update_user_pool_client(
            UserPoolId=pool_id,
            ClientId=client["ClientId"],
            AllowedOAuthFlows=["client_credentials"],
            AllowedOAuthScopes=[f"{api}/read"],
        )
    assert error_of(excinfo)[0] == "InvalidOAuthFlowException"
    updated = cognito.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=["http://localhost:3000/callback", "myapp://callback"],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    assert updated["AllowedOAuthFlows"] == ["code"]
