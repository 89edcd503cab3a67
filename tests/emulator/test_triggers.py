"""Lambda triggers as Python callables: custom auth (Define/Create/Verify), PreSignUp, PostConfirmation,
PreTokenGeneration, recipes, and the errors for a failing or missing trigger."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from harness.emulator import Emulator
from harness.emulator.recipes import register_triggers
from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, make_client

CUSTOM = ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]
FIXED = {
    "DefineAuthChallenge": {"recipe": "custom-challenge", "attempts": 2},
    "CreateAuthChallenge": {"recipe": "fixed-answer", "answer": "4242"},
    "VerifyAuthChallengeResponse": {"recipe": "match-answer"},
}


def pool_with(cognito: Any, emu: Emulator, triggers: dict[str, Any], **settings: Any) -> tuple[str, str]:
    lambda_config = register_triggers(emu, "t", triggers)
    pool_id = cognito.create_user_pool(PoolName="triggers", LambdaConfig=lambda_config, **settings)["UserPool"]["Id"]
    return pool_id, make_client(cognito, pool_id, ExplicitAuthFlows=CUSTOM)["ClientId"]


def start_custom(cognito: Any, client_id: str, username: str = "ada") -> dict[str, Any]:
    return dict(
        cognito.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": username})
    )


def answer(cognito: Any, client_id: str, session: str, value: str, username: str = "ada") -> dict[str, Any]:
    return dict(
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=session,
            ChallengeResponses={"USERNAME": username, "ANSWER": value},
        )
    )


def test_custom_auth_without_a_password(cognito: Any, emu: Emulator) -> None:
    pool_id, client_id = pool_with(cognito, emu, FIXED)
    confirmed_user(cognito, pool_id, "ada")
    challenge = start_custom(cognito, client_id)
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert challenge["ChallengeParameters"] == {"hint": "the agreed answer", "USERNAME": "ada"}
    assert "AccessToken" in answer(cognito, client_id, challenge["Session"], "4242")["AuthenticationResult"]


def test_a_wrong_answer_gets_another_challenge_then_fails(cognito: Any, emu: Emulator) -> None:
    pool_id, client_id = pool_with(cognito, emu, FIXED)
    confirmed_user(cognito, pool_id, "ada")
    first = start_custom(cognito, client_id)
    second = answer(cognito, client_id, first["Session"], "nope")
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE" and second["Session"] != first["Session"]
    with pytest.raises(ClientError) as excinfo:
        answer(cognito, client_id, first["Session"], "4242")
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user.")
    with pytest.raises(ClientError) as excinfo:
        answer(cognito, client_id, second["Session"], "nope again")  # attempts: 2
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_emailed_code_recipe(cognito: Any, emu: Emulator) -> None:
    triggers = {**FIXED, "CreateAuthChallenge": {"recipe": "emailed-code"}}
    pool_id, client_id = pool_with(cognito, emu, triggers)
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    challenge = start_custom(cognito, client_id)
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None and message.purpose == "CUSTOM_CHALLENGE"
    assert "IdToken" in answer(cognito, client_id, challenge["Session"], message.code)["AuthenticationResult"]


def test_custom_auth_without_triggers(cognito: Any, pool_id: str) -> None:
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=CUSTOM)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        start_custom(cognito, client_id)
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Custom auth lambda trigger is not configured for the user pool.",
    )


def test_a_failing_trigger(cognito: Any, emu: Emulator) -> None:
    def boom(event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("database unavailable")

    lambda_config = {
        **register_triggers(emu, "t", FIXED),
        "DefineAuthChallenge": emu.triggers.register("arn:aws:lambda:us-east-1:000000000000:function:boom", boom),
    }
    pool_id = cognito.create_user_pool(PoolName="p", LambdaConfig=lambda_config)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=CUSTOM)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        start_custom(cognito, client_id)
    assert error_of(excinfo) == (
        "UserLambdaValidationException",
        "DefineAuthChallenge failed with error database unavailable.",
    )


def test_an_unregistered_trigger_arn(cognito: Any) -> None:
    arn = "arn:aws:lambda:us-east-1:000000000000:function:nowhere"
    pool_id = cognito.create_user_pool(PoolName="p", LambdaConfig={"DefineAuthChallenge": arn})["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=CUSTOM)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        start_custom(cognito, client_id)
    assert error_of(excinfo)[0] == "UnexpectedLambdaException"


def test_define_sees_the_real_event_shape(cognito: Any, emu: Emulator) -> None:
    events: list[dict[str, Any]] = []

    def define(event: dict[str, Any]) -> dict[str, Any]:
        events.append(event)
        event["response"] = {"issueTokens": True, "failAuthentication": False}
        return event

    lambda_config = {
        "DefineAuthChallenge": emu.triggers.register("arn:aws:lambda:us-east-1:000000000000:function:define", define)
    }
    pool_id = cognito.create_user_pool(PoolName="p", LambdaConfig=lambda_config)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=CUSTOM)["ClientId"]
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    assert "AccessToken" in start_custom(cognito, client_id)["AuthenticationResult"]
    [event] = events
    assert event["triggerSource"] == "DefineAuthChallenge_Authentication"
    assert event["userPoolId"] == pool_id and event["userName"] == "ada"
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"]["session"] == [] and event["request"]["userNotFound"] is False
    assert event["request"]["userAttributes"]["email"] == "ada@example.com"


def test_pre_sign_up_auto_confirm_and_post_confirmation(cognito: Any, emu: Emulator) -> None:
    confirmed: list[str] = []

    def post(event: dict[str, Any]) -> dict[str, Any]:
        confirmed.append(event["triggerSource"])
        event["response"] = {}
        return event

    lambda_config = {
        **register_triggers(emu, "t", {"PreSignUp": {"recipe": "auto-confirm"}}),
        "PostConfirmation": emu.triggers.register("arn:aws:lambda:us-east-1:000000000000:function:post", post),
    }
    pool_id = cognito.create_user_pool(PoolName="p", LambdaConfig=lambda_config, AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    result = cognito.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )
    assert result["UserConfirmed"] is True and "CodeDeliveryDetails" not in result
    assert emu.outbox.messages() == []
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    cognito.forgot_password(ClientId=client_id, Username="ada")
    cognito.confirm_forgot_password(
        ClientId=client_id, Username="ada", ConfirmationCode=emu.outbox.last().code, Password="Another-Horse-7?"
    )  # type: ignore[union-attr]
    assert confirmed == ["PostConfirmation_ConfirmForgotPassword"]


def test_pre_sign_up_can_refuse(cognito: Any, emu: Emulator) -> None:
    def refuse(event: dict[str, Any]) -> dict[str, Any]:
        raise ValueError("only example.org addresses may sign up")

    lambda_config = {
        "PreSignUp": emu.triggers.register("arn:aws:lambda:us-east-1:000000000000:function:refuse", refuse)
    }
    pool_id = cognito.create_user_pool(PoolName="p", LambdaConfig=lambda_config)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD)
    assert error_of(excinfo) == (
        "UserLambdaValidationException",
        "PreSignUp failed with error only example.org addresses may sign up.",
    )
    assert emu.pools[pool_id].users == {}  # nothing half-written
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    assert error_of(excinfo) == (
        "UserLambdaValidationException",
        "PreSignUp failed with error only example.org addresses may sign up.",
    )
    assert emu.pools[pool_id].users == {}


def test_pre_token_generation_adds_claims(cognito: Any, emu: Emulator) -> None:
    pool_id, client_id = pool_with(
        cognito, emu, {"PreTokenGeneration": {"recipe": "add-claims", "claims": {"tier": "gold"}}}
    )
    confirmed_user(cognito, pool_id, "ada")
    tokens = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD}
    )
    claims = jwt.decode(tokens["AuthenticationResult"]["IdToken"], options={"verify_signature": False})
    assert claims["tier"] == "gold"
