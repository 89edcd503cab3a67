"""USER_SRP_AUTH and PASSWORD_VERIFIER through boto3, with our SRP client and with pycognito's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from harness.cognito.srp import SrpClient
from harness.emulator import Emulator
from harness.emulator.recipes import register_triggers
from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, make_client


def srp_sign_in(
    cognito: Any,
    emu: Emulator,
    pool_id: str,
    client_id: str,
    username: str,
    password: str,
    flow: str = "USER_SRP_AUTH",
    **extra: str,
) -> dict[str, Any]:
    client = SrpClient(pool_id, username, password, clock=lambda: datetime.fromtimestamp(emu.clock.now(), UTC))
    challenge = cognito.initiate_auth(
        ClientId=client_id, AuthFlow=flow, AuthParameters={"USERNAME": username, "SRP_A": client.srp_a_hex, **extra}
    )
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    return dict(
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=challenge["Session"],
            ChallengeResponses=client.respond(challenge["ChallengeParameters"]),
        )
    )


def test_srp_sign_in(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    assert "AccessToken" in srp_sign_in(cognito, emu, pool_id, client_id, "ada", PASSWORD)["AuthenticationResult"]


def test_srp_wrong_password(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        srp_sign_in(cognito, emu, pool_id, client_id, "ada", "Wrong-Horse-9!")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    assert emu.pools[pool_id].users["ada"].failed_attempts == 1  # SRP failures count toward the lockout


def test_pycognito_signs_in_against_the_emulator(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    tokens = AWSSRP(
        username="ada", password=PASSWORD, pool_id=pool_id, client_id=client_id, client=cognito
    ).authenticate_user()
    assert "AccessToken" in tokens["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        AWSSRP(
            username="ada", password="Wrong-Horse-9!", pool_id=pool_id, client_id=client_id, client=cognito
        ).authenticate_user()
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("LEGACY", ("UserNotFoundException", "User does not exist.")),
        ("ENABLED", ("NotAuthorizedException", "Incorrect username or password.")),
    ],
)
def test_srp_for_an_unknown_user(
    cognito: Any, emu: Emulator, pool_id: str, setting: str, expected: tuple[str, str]
) -> None:
    client_id = make_client(cognito, pool_id, PreventUserExistenceErrors=setting)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        srp_sign_in(cognito, emu, pool_id, client_id, "ghost", PASSWORD)  # ENABLED: a fake B, failing at the verifier
    assert error_of(excinfo) == expected


def test_missing_srp_a(cognito: Any, client_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "ada"})
    assert error_of(excinfo) == ("InvalidParameterException", "Missing required parameter SRP_A")


def test_a_verifier_session_answers_once(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    client = SrpClient(pool_id, "ada", PASSWORD)
    challenge = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "ada", "SRP_A": client.srp_a_hex}
    )
    answer = {
        "ClientId": client_id,
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": challenge["Session"],
        "ChallengeResponses": client.respond(challenge["ChallengeParameters"]),
    }
    cognito.respond_to_auth_challenge(**answer)
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(**answer)
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_user_auth_with_password_srp(cognito: Any, emu: Emulator) -> None:
    policy = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
    pool_id = cognito.create_user_pool(PoolName="p", Policies=policy)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])[
        "ClientId"
    ]
    confirmed_user(cognito, pool_id, "ada")
    result = srp_sign_in(
        cognito, emu, pool_id, client_id, "ada", PASSWORD, flow="USER_AUTH", PREFERRED_CHALLENGE="PASSWORD_SRP"
    )
    assert "AccessToken" in result["AuthenticationResult"]


def test_custom_auth_with_srp(cognito: Any, emu: Emulator) -> None:
    triggers = {
        "DefineAuthChallenge": {"recipe": "custom-challenge"},
        "CreateAuthChallenge": {"recipe": "fixed-answer", "answer": "4242"},
        "VerifyAuthChallengeResponse": {"recipe": "match-answer"},
    }
    pool_id = cognito.create_user_pool(PoolName="p", LambdaConfig=register_triggers(emu, "p", triggers))["UserPool"][
        "Id"
    ]
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])[
        "ClientId"
    ]
    confirmed_user(cognito, pool_id, "ada")
    custom = srp_sign_in(cognito, emu, pool_id, client_id, "ada", PASSWORD, flow="CUSTOM_AUTH", CHALLENGE_NAME="SRP_A")
    assert custom["ChallengeName"] == "CUSTOM_CHALLENGE"
    result = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=custom["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": "4242"},
    )
    assert "AccessToken" in result["AuthenticationResult"]
