"""The whole managed-login flow against `authflow emulator` itself (a separate process on a loopback port), driven
by Authlib: authorization code + PKCE, refresh, userInfo, revoke, and client_credentials with a custom scope."""

from __future__ import annotations

import re
import selectors
import subprocess
import sys
from collections.abc import Iterator

import boto3
import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from tests.emulator.conftest import PASSWORD
from tests.emulator.test_oauth_endpoints import CALLBACK, sign_in_through_managed_login


@pytest.fixture
def emulator_url() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout=30), "authflow emulator did not start"
        found = re.search(r"http://[\w.:\[\]-]+", process.stdout.readline())
        assert found, "authflow emulator did not say where it listens"
        yield found.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_oidc_client_completes_every_flow_against_authflow_emulator(emulator_url: str) -> None:
    cognito = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=emulator_url,
        aws_access_key_id="authflow",
        aws_secret_access_key="authflow",
    )
    pool_id = cognito.create_user_pool(PoolName="cli")["UserPool"]["Id"]
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain="cli-app")
    cognito.create_resource_server(
        UserPoolId=pool_id, Identifier="orders", Name="Orders", Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}]
    )
    web = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    m2m = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["orders/read"],
    )["UserPoolClient"]
    cognito.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)

    discovery = requests.get(f"{emulator_url}/{pool_id}/.well-known/openid-configuration").json()
    session = OAuth2Session(web["ClientId"], redirect_uri=CALLBACK, scope="openid email", code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = session.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier)
    location = sign_in_through_managed_login(url)
    token = session.fetch_token(discovery["token_endpoint"], authorization_response=location, code_verifier=verifier)
    assert {"access_token", "id_token", "refresh_token"} <= set(token)
    assert session.get(discovery["userinfo_endpoint"]).json()["username"] == "alice"
    assert "access_token" in session.refresh_token(discovery["token_endpoint"])
    assert session.revoke_token(discovery["revocation_endpoint"], token["refresh_token"]).status_code == 200
    with pytest.raises(OAuthError):
        session.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])

    machine = OAuth2Session(m2m["ClientId"], m2m["ClientSecret"], scope="orders/read")
    granted = machine.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    assert granted["token_type"] == "Bearer" and "id_token" not in granted
