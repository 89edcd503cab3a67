"""Tokens: RS256 JWTs verified by PyJWT against the JWKS the HTTP server publishes; revocation and expiry."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from harness.emulator import Emulator
from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, http_client, make_client, sign_in


@pytest.fixture
def http_cognito(server: EmulatorServer) -> Any:
    return http_client(server)


def test_tokens_verify_against_the_served_jwks(server: EmulatorServer, http_cognito: Any) -> None:
    pool_id = http_cognito.create_user_pool(PoolName="jwt")["UserPool"]["Id"]
    client_id = make_client(http_cognito, pool_id)["ClientId"]
    confirmed_user(http_cognito, pool_id, "ada", email="ada@example.com")
    tokens = sign_in(http_cognito, client_id, "ada")["AuthenticationResult"]
    issuer = f"{server.url}/{pool_id}"
    jwks_client = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json")

    id_key = jwks_client.get_signing_key_from_jwt(tokens["IdToken"])
    id_claims = jwt.decode(tokens["IdToken"], id_key.key, algorithms=["RS256"], audience=client_id, issuer=issuer)
    assert id_claims["token_use"] == "id"
    assert id_claims["cognito:username"] == "ada"
    assert id_claims["email"] == "ada@example.com"
    assert id_claims["email_verified"] is True
    assert id_claims["exp"] - id_claims["iat"] == 3600
    for claim in ("sub", "auth_time", "jti", "origin_jti", "event_id"):
        assert claim in id_claims

    access_key = jwks_client.get_signing_key_from_jwt(tokens["AccessToken"])
    access = jwt.decode(tokens["AccessToken"], access_key.key, algorithms=["RS256"], issuer=issuer)
    assert access["token_use"] == "access"
    assert access["client_id"] == client_id
    assert access["username"] == "ada"
    assert access["scope"] == "aws.cognito.signin.user.admin"
    assert access["sub"] == id_claims["sub"]
    assert access["origin_jti"] == id_claims["origin_jti"]
    assert access["jti"] != id_claims["jti"]


def test_openid_configuration_points_at_the_jwks(server: EmulatorServer, http_cognito: Any) -> None:
    import json
    import urllib.request

    pool_id = http_cognito.create_user_pool(PoolName="oidc")["UserPool"]["Id"]
    with urllib.request.urlopen(f"{server.url}/{pool_id}/.well-known/openid-configuration") as response:
        config = json.load(response)
    assert config == {
        "issuer": f"{server.url}/{pool_id}",
        "jwks_uri": f"{server.url}/{pool_id}/.well-known/jwks.json",
    }


def test_pools_have_their_own_keys(cognito: Any, emu: Emulator) -> None:
    first = cognito.create_user_pool(PoolName="a")["UserPool"]["Id"]
    second = cognito.create_user_pool(PoolName="b")["UserPool"]["Id"]
    assert emu.jwks(first)["keys"][0]["n"] != emu.jwks(second)["keys"][0]["n"]
    assert emu.jwks(first)["keys"][0]["kid"] != emu.jwks(second)["keys"][0]["kid"]


def test_get_user_and_access_token_rules(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    user = cognito.get_user(AccessToken=tokens["AccessToken"])
    assert user["Username"] == "ada"
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken=tokens["IdToken"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Access Token")
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken="not-a-jwt")
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Access Token")
    emu.clock.advance(3600)
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Access Token has expired")


def test_a_forged_token_is_rejected(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    claims = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    other_pool = cognito.create_user_pool(PoolName="other")["UserPool"]["Id"]
    forged = emu.pools[other_pool].keys.sign(claims)  # right claims, wrong key
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken=forged)
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Access Token")


def test_global_sign_out_revokes_access_and_refresh_tokens(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    cognito.global_sign_out(AccessToken=tokens["AccessToken"])
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Access Token has been revoked")
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Refresh Token has been revoked")
    fresh = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    assert cognito.get_user(AccessToken=fresh["AccessToken"])["Username"] == "ada"


def test_revoke_token(cognito: Any, pool_id: str) -> None:
    client = make_client(cognito, pool_id, GenerateSecret=False)
    confirmed_user(cognito, pool_id, "ada")
    first = sign_in(cognito, client["ClientId"], "ada")["AuthenticationResult"]
    second = sign_in(cognito, client["ClientId"], "ada")["AuthenticationResult"]
    cognito.revoke_token(Token=first["RefreshToken"], ClientId=client["ClientId"])
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken=first["AccessToken"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Access Token has been revoked")
    assert cognito.get_user(AccessToken=second["AccessToken"])["Username"] == "ada"  # other sessions live on


def test_get_tokens_from_refresh_token(cognito: Any, pool_id: str) -> None:
    client = make_client(
        cognito,
        pool_id,
        GenerateSecret=True,
        RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0},
    )
    confirmed_user(cognito, pool_id, "ada")
    import base64
    import hashlib
    import hmac

    digest = hmac.new(client["ClientSecret"].encode(), ("ada" + client["ClientId"]).encode(), hashlib.sha256).digest()
    tokens = cognito.initiate_auth(
        ClientId=client["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": "ada",
            "PASSWORD": PASSWORD,
            "SECRET_HASH": base64.b64encode(digest).decode(),
        },
    )["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        cognito.get_tokens_from_refresh_token(
            RefreshToken=tokens["RefreshToken"], ClientId=client["ClientId"], ClientSecret="wrongsecret" * 4
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    rotated = cognito.get_tokens_from_refresh_token(
        RefreshToken=tokens["RefreshToken"], ClientId=client["ClientId"], ClientSecret=client["ClientSecret"]
    )["AuthenticationResult"]
    assert rotated["RefreshToken"] != tokens["RefreshToken"]
    with pytest.raises(ClientError) as excinfo:
        cognito.get_tokens_from_refresh_token(
            RefreshToken=tokens["RefreshToken"],
            ClientId=client["ClientId"],
            ClientSecret=client["ClientSecret"],
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Refresh Token has been revoked")


def test_a_deleted_pools_key_is_recycled_under_a_new_kid(cognito: Any, emu: Emulator) -> None:
    first = cognito.create_user_pool(PoolName="a")["UserPool"]["Id"]
    old = emu.jwks(first)["keys"][0]
    cognito.delete_user_pool(UserPoolId=first)
    second = cognito.create_user_pool(PoolName="b")["UserPool"]["Id"]
    new = emu.jwks(second)["keys"][0]
    assert new["kid"] != old["kid"]
    third = cognito.create_user_pool(PoolName="c")["UserPool"]["Id"]
    assert emu.jwks(third)["keys"][0]["n"] != new["n"]  # live pools never share a key
