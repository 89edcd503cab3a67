"""The issuer form (issue 21): with issuer="aws" tokens carry Cognito's `https://cognito-idp.<region>.amazonaws.com/
<poolId>`, so a verifier that derives the issuer from the pool id accepts them when handed the emulator's keys."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import jwt
import pytest

from harness.cli.emulator import ISSUER_CHOICES
from harness.emulator import Emulator
from harness.emulator.emulator import ISSUERS
from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import confirmed_user, http_client, make_client, sign_in


def cognito_issuer(pool_id: str) -> str:
    """What aws-jwt-verify and most verifiers compute: the region is the pool id's prefix."""
    region = pool_id.split("_", 1)[0]
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


@pytest.fixture
def aws_server() -> Any:
    running = EmulatorServer(Emulator(region="eu-west-1", issuer="aws"), "127.0.0.1", 0)
    running.start_in_thread()
    yield running
    running.stop()


def test_pyjwt_verifies_an_aws_issuer_token_with_the_issuer_derived_from_the_pool_id(
    aws_server: EmulatorServer,
) -> None:
    cognito = http_client(aws_server)
    pool_id = cognito.create_user_pool(PoolName="aws-issuer")["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]

    # The keys come from the emulator (what aws-jwt-verify's cacheJwks is handed), the issuer from the pool id.
    with urllib.request.urlopen(f"{aws_server.url}/{pool_id}/.well-known/openid-configuration") as response:
        discovery = json.load(response)
    assert discovery == {
        "issuer": cognito_issuer(pool_id),
        "jwks_uri": f"{aws_server.url}/{pool_id}/.well-known/jwks.json",
    }
    signing_key = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(tokens["IdToken"])
    claims = jwt.decode(
        tokens["IdToken"], signing_key.key, algorithms=["RS256"], audience=client_id, issuer=cognito_issuer(pool_id)
    )
    assert claims["iss"] == "https://cognito-idp.eu-west-1.amazonaws.com/" + pool_id
    access = jwt.decode(tokens["AccessToken"], signing_key.key, algorithms=["RS256"], issuer=cognito_issuer(pool_id))
    assert access["client_id"] == client_id
    # and the emulator itself accepts its aws-issuer tokens
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ada"


def test_the_local_issuer_stays_the_default() -> None:
    emu = Emulator()
    cognito = emu.client()
    pool_id = cognito.create_user_pool(PoolName="local")["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    token = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["IdToken"]
    assert jwt.decode(token, options={"verify_signature": False})["iss"] == f"http://127.0.0.1:9229/{pool_id}"


def test_an_unknown_issuer_form_is_refused() -> None:
    with pytest.raises(ValueError, match="issuer must be one of local, aws, not 'google'"):
        Emulator(issuer="google")


def test_the_command_offers_exactly_the_emulator_s_issuer_forms() -> None:
    assert ISSUER_CHOICES == ISSUERS
