"""ClientMetadata through boto3: every trigger an action invokes receives the action's ClientMetadata as
clientMetadata, except InitiateAuth's, which reaches only PreSignUp, PreAuthentication and UserMigration
[BC ClientMetadata of each operation; InitiateAuth's lists the triggers that do not get it]."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.emulator import Emulator
from tests.emulator.conftest import PASSWORD, confirmed_user
from tests.emulator.test_triggers_more import Event, arn, pool_with, recording

APP = {"app": "web", "release": "7"}


def by_trigger(events: list[Event]) -> dict[str, dict[str, Any]]:
    """Each trigger source's clientMetadata (the last one seen)."""
    return {event["triggerSource"]: event["request"].get("clientMetadata") for event in events}


def custom_auth_answers(event: Event) -> dict[str, Any]:
    """Define: one CUSTOM_CHALLENGE, then tokens once it was answered right; Create: the answer is 42."""
    source = event["triggerSource"]
    if source.startswith("DefineAuthChallenge"):
        answered = any(step["challengeResult"] for step in event["request"]["session"])
        return {"issueTokens": answered, "failAuthentication": False, "challengeName": "CUSTOM_CHALLENGE"}
    if source.startswith("CreateAuthChallenge"):
        return {"publicChallengeParameters": {"q": "?"}, "privateChallengeParameters": {"a": "42"}}
    if source.startswith("VerifyAuthChallengeResponse"):
        return {"answerCorrect": event["request"]["challengeAnswer"] == "42"}
    return {}


def test_respond_to_auth_challenge_passes_its_metadata_to_every_trigger_it_invokes(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    trigger = recording(events, custom_auth_answers)
    names = ("DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse", "PostAuthentication")
    config = {name: arn(emu, name, trigger) for name in names}
    config["PreTokenGenerationConfig"] = {"LambdaVersion": "V2_0", "LambdaArn": arn(emu, "pre-token", trigger)}
    pool_id, client_id = pool_with(cognito, emu, config)
    confirmed_user(cognito, pool_id, "ada")
    started = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "ada"}, ClientMetadata={"at": "start"}
    )
    assert by_trigger(events) == {  # InitiateAuth's metadata reaches neither Define nor Create
        "DefineAuthChallenge_Authentication": {},
        "CreateAuthChallenge_Authentication": {},
    }
    events.clear()
    answered = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": "42"},
        ClientMetadata=APP,
    )
    assert "AccessToken" in answered["AuthenticationResult"]
    assert by_trigger(events) == {
        "VerifyAuthChallengeResponse_Authentication": APP,
        "DefineAuthChallenge_Authentication": APP,
        "PostAuthentication_Authentication": APP,
        "TokenGeneration_Authentication": APP,
    }


def test_initiate_auth_metadata_does_not_reach_post_authentication_or_pre_token_generation(
    cognito: Any, emu: Emulator
) -> None:
    events: list[Event] = []
    config: dict[str, Any] = {"PostAuthentication": arn(emu, "post", recording(events))}
    config["PreTokenGenerationConfig"] = {"LambdaVersion": "V2_0", "LambdaArn": arn(emu, "pt", recording(events))}
    pool_id, client_id = pool_with(cognito, emu, config)
    confirmed_user(cognito, pool_id, "ada")
    cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
        ClientMetadata=APP,
    )
    assert by_trigger(events) == {"PostAuthentication_Authentication": {}, "TokenGeneration_Authentication": {}}


def sign_up(cognito: Any, pool_id: str, client_id: str) -> None:
    cognito.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
        ClientMetadata=APP,
    )


def confirm_sign_up(emu: Emulator, cognito: Any, pool_id: str, client_id: str) -> None:
    sign_up(cognito, pool_id, client_id)
    code = emu.outbox.last(to="ada@example.com").code  # type: ignore[union-attr]
    cognito.confirm_sign_up(ClientId=client_id, Username="ada", ConfirmationCode=code, ClientMetadata=APP)


def admin_confirm_sign_up(emu: Emulator, cognito: Any, pool_id: str, client_id: str) -> None:
    cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD,
                    UserAttributes=[{"Name": "email", "Value": "ada@example.com"}])  # fmt: skip
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="ada", ClientMetadata=APP)


def forgot_password(emu: Emulator, cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    cognito.forgot_password(ClientId=client_id, Username="ada", ClientMetadata=APP)


def confirm_forgot_password(emu: Emulator, cognito: Any, pool_id: str, client_id: str) -> None:
    forgot_password(emu, cognito, pool_id, client_id)
    code = emu.outbox.last(to="ada@example.com").code  # type: ignore[union-attr]
    cognito.confirm_forgot_password(
        ClientId=client_id, Username="ada", ConfirmationCode=code, Password="Other-Horse-9!", ClientMetadata=APP
    )


def resend(emu: Emulator, cognito: Any, pool_id: str, client_id: str) -> None:
    cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD,
                    UserAttributes=[{"Name": "email", "Value": "ada@example.com"}])  # fmt: skip
    cognito.resend_confirmation_code(ClientId=client_id, Username="ada", ClientMetadata=APP)


def access_token(cognito: Any, pool_id: str, client_id: str) -> str:
    confirmed_user(cognito, pool_id, "ada")
    signed_in = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD}
    )
    return str(signed_in["AuthenticationResult"]["AccessToken"])


def update_attributes(emu: Emulator, cognito: Any, pool_id: str, client_id: str) -> None:
    token = access_token(cognito, pool_id, client_id)
    cognito.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": "new@example.com"}], ClientMetadata=APP
    )


def admin_update_attributes(emu: Emulator, cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "email", "Value": "new@example.com"}],
        ClientMetadata=APP,
    )  # fmt: skip


def verification_code(emu: Emulator, cognito: Any, pool_id: str, client_id: str) -> None:
    token = access_token(cognito, pool_id, client_id)
    cognito.get_user_attribute_verification_code(AccessToken=token, AttributeName="email", ClientMetadata=APP)


def admin_create_user(emu: Emulator, cognito: Any, pool_id: str, client_id: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
        DesiredDeliveryMediums=["EMAIL"], ClientMetadata=APP,
    )  # fmt: skip


def admin_reset(emu: Emulator, cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_reset_user_password(UserPoolId=pool_id, Username="ada", ClientMetadata=APP)


Action = Callable[[Emulator, Any, str, str], None]
CASES: list[tuple[Action, str, str]] = [
    (lambda emu, cognito, pool, client: sign_up(cognito, pool, client), "CustomMessage", "CustomMessage_SignUp"),
    (confirm_sign_up, "PostConfirmation", "PostConfirmation_ConfirmSignUp"),
    (admin_confirm_sign_up, "PostConfirmation", "PostConfirmation_ConfirmSignUp"),  # [DG "Post confirmation"]
    (resend, "CustomMessage", "CustomMessage_ResendCode"),
    (forgot_password, "CustomMessage", "CustomMessage_ForgotPassword"),
    (confirm_forgot_password, "PostConfirmation", "PostConfirmation_ConfirmForgotPassword"),
    (update_attributes, "CustomMessage", "CustomMessage_UpdateUserAttribute"),
    (admin_update_attributes, "CustomMessage", "CustomMessage_UpdateUserAttribute"),
    (verification_code, "CustomMessage", "CustomMessage_VerifyUserAttribute"),
    (admin_create_user, "CustomMessage", "CustomMessage_AdminCreateUser"),
    (admin_reset, "CustomMessage", "CustomMessage_ForgotPassword"),
]


def test_each_action_passes_its_metadata_to_the_trigger_it_invokes(cognito: Any, emu: Emulator) -> None:
    for action, trigger, source in CASES:
        events: list[Event] = []
        pool_id, client_id = pool_with(cognito, emu, {trigger: arn(emu, f"{trigger}-{source}", recording(events))})
        action(emu, cognito, pool_id, client_id)
        assert by_trigger(events).get(source) == APP, (source, by_trigger(events))


def test_a_code_sent_while_answering_a_challenge_carries_that_answers_metadata(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    custom_message = arn(emu, "otp-message", recording(events))
    pool_id, client_id = pool_with(
        cognito, emu, {"CustomMessage": custom_message}, UserPoolTier="ESSENTIALS",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
    )  # fmt: skip
    cognito.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client_id, ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    confirmed_user(cognito, pool_id, "ada")
    preferred = {"USERNAME": "ada", "PREFERRED_CHALLENGE": "EMAIL_OTP"}
    cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters=preferred, ClientMetadata=APP)
    assert by_trigger(events) == {"CustomMessage_Authentication": {}}  # not InitiateAuth's
    events.clear()
    select = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"})
    cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="SELECT_CHALLENGE", Session=select["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": "EMAIL_OTP"}, ClientMetadata=APP,
    )  # fmt: skip
    assert by_trigger(events) == {"CustomMessage_Authentication": APP}
