"""More Lambda triggers through boto3: PreAuthentication, PostAuthentication, CustomMessage, PreTokenGeneration
V2_0 (and group overrides), UserMigration, and how a misbehaving trigger is reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from harness.emulator import Emulator
from harness.emulator.recipes import register_triggers
from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, make_client, sign_in

FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
]
Event = dict[str, Any]


def recording(events: list[Event], respond: Callable[[Event], dict[str, Any]] | None = None) -> Any:
    """A trigger that records its events and answers `respond(event)` (or nothing)."""

    def trigger(event: Event) -> Event:
        events.append(event)
        event["response"] = respond(event) if respond else {}
        return event

    return trigger


def pool_with(cognito: Any, emu: Emulator, lambda_config: dict[str, Any], **settings: Any) -> tuple[str, str]:
    settings.setdefault("AutoVerifiedAttributes", ["email"])
    pool_id = cognito.create_user_pool(PoolName="triggers", LambdaConfig=lambda_config, **settings)["UserPool"]["Id"]
    return pool_id, make_client(cognito, pool_id, ExplicitAuthFlows=FLOWS)["ClientId"]


def arn(emu: Emulator, name: str, trigger: Any) -> str:
    return emu.triggers.register(f"arn:aws:lambda:us-east-1:000000000000:function:{name}", trigger)


def claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


# --- PreAuthentication


def test_pre_authentication_sees_the_sign_in(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    pool_id, client_id = pool_with(cognito, emu, {"PreAuthentication": arn(emu, "pre", recording(events))})
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
        ClientMetadata={"app": "web"},
    )
    [event] = events
    assert event["triggerSource"] == "PreAuthentication_Authentication" and event["version"] == "1"
    assert event["request"]["validationData"] == {"app": "web"}
    assert event["request"]["userNotFound"] is False
    assert event["request"]["userAttributes"]["email"] == "ada@example.com"
    assert event["callerContext"]["clientId"] == client_id


def test_pre_authentication_refuses_every_password_flow(cognito: Any, emu: Emulator) -> None:
    triggers = register_triggers(emu, "t", {"PreAuthentication": {"recipe": "refuse", "message": "Sign-in paused"}})
    pool_id, client_id = pool_with(cognito, emu, triggers)
    confirmed_user(cognito, pool_id, "ada")
    expected = ("UserLambdaValidationException", "PreAuthentication failed with error Sign-in paused.")
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada")
    assert error_of(excinfo) == expected
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "ada", "SRP_A": "0a"}
        )
    assert error_of(excinfo) == expected


def test_pre_authentication_runs_before_the_password_is_checked(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    pool_id, client_id = pool_with(cognito, emu, {"PreAuthentication": arn(emu, "pre", recording(events))})
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada", "Wrong-Password-1!")
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    assert len(events) == 1


def test_pre_authentication_and_unknown_users(cognito: Any, emu: Emulator) -> None:
    """Not invoked for an unknown user unless existence errors are hidden; then userNotFound is true [DG]."""
    events: list[Event] = []
    pool_id, client_id = pool_with(cognito, emu, {"PreAuthentication": arn(emu, "pre", recording(events))})
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ghost")
    assert error_of(excinfo)[0] == "UserNotFoundException" and events == []
    hidden = make_client(cognito, pool_id, ExplicitAuthFlows=FLOWS, PreventUserExistenceErrors="ENABLED")
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, hidden["ClientId"], "ghost")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    [event] = events
    assert event["request"]["userNotFound"] is True and event["userName"] == "ghost"


def test_refreshing_does_not_run_the_sign_in_triggers(cognito: Any, emu: Emulator) -> None:
    pre: list[Event] = []
    post: list[Event] = []
    config = {
        "PreAuthentication": arn(emu, "pre", recording(pre)),
        "PostAuthentication": arn(emu, "post", recording(post)),
    }
    pool_id, client_id = pool_with(cognito, emu, config)
    confirmed_user(cognito, pool_id, "ada")
    refresh = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["RefreshToken"]
    cognito.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh})
    assert len(pre) == len(post) == 1


# --- PostAuthentication


def test_post_authentication_after_a_successful_sign_in(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    pool_id, client_id = pool_with(cognito, emu, {"PostAuthentication": arn(emu, "post", recording(events))})
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError):
        sign_in(cognito, client_id, "ada", "Wrong-Password-1!")
    assert events == []
    assert "AccessToken" in sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    [event] = events
    assert event["triggerSource"] == "PostAuthentication_Authentication"
    assert event["request"]["newDeviceUsed"] is False


def test_post_authentication_can_refuse(cognito: Any, emu: Emulator) -> None:
    triggers = register_triggers(emu, "t", {"PostAuthentication": {"recipe": "refuse", "message": "audit down"}})
    pool_id, client_id = pool_with(cognito, emu, triggers)
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada")
    assert error_of(excinfo) == ("UserLambdaValidationException", "PostAuthentication failed with error audit down.")
    assert emu.pools[pool_id].refresh_tokens == {}


# --- CustomMessage


def test_custom_message_writes_the_sign_up_email(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []

    def respond(event: Event) -> dict[str, Any]:
        code = event["request"]["codeParameter"]
        return {"emailSubject": "Welcome aboard", "emailMessage": f"Hi! Your code is {code}.", "smsMessage": None}

    _, client_id = pool_with(cognito, emu, {"CustomMessage": arn(emu, "msg", recording(events, respond))})
    cognito.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None and message.subject == "Welcome aboard"
    assert message.text == f"Hi! Your code is {message.code}."
    [event] = events
    assert event["triggerSource"] == "CustomMessage_SignUp"
    assert event["request"]["codeParameter"] == "{####}" and event["request"]["usernameParameter"] is None
    cognito.confirm_sign_up(ClientId=client_id, Username="ada", ConfirmationCode=message.code)  # the real code


def test_custom_message_sources(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    pool_id, client_id = pool_with(cognito, emu, {"CustomMessage": arn(emu, "msg", recording(events))})
    cognito.sign_up(
        ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": "a@x.io"}]
    )
    cognito.resend_confirmation_code(ClientId=client_id, Username="ada")
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="ada")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "email_verified", "Value": "true"}]
    )
    cognito.forgot_password(ClientId=client_id, Username="ada")
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "b@x.io"}],
    )
    sources = [e["triggerSource"] for e in events]
    assert sources == [
        "CustomMessage_SignUp",
        "CustomMessage_ResendCode",
        "CustomMessage_ForgotPassword",
        "CustomMessage_AdminCreateUser",
    ]
    assert events[-1]["request"]["usernameParameter"] == "{username}"
    invitation = emu.outbox.last(to="b@x.io")
    assert invitation is not None and "bob" in (invitation.text or "") and invitation.code in (invitation.text or "")
    reset = emu.outbox.last(to="a@x.io")  # the trigger left the text alone: the default reset text
    assert reset is not None and reset.text == f"Your password reset code is {reset.code}"


def test_custom_admin_invitation_fills_both_placeholders(cognito: Any, emu: Emulator) -> None:
    triggers = register_triggers(
        emu, "t", {"CustomMessage": {"recipe": "custom-text", "email": "User {username}, password {####}"}}
    )
    pool_id, _ = pool_with(cognito, emu, triggers)
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        TemporaryPassword="Temp-Pass-1!",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "b@x.io"}],
    )
    assert emu.outbox.last(to="b@x.io").text == "User bob, password Temp-Pass-1!"  # type: ignore[union-attr]


def test_a_custom_message_without_the_code_is_refused(cognito: Any, emu: Emulator) -> None:
    triggers = register_triggers(emu, "t", {"CustomMessage": {"recipe": "custom-text", "email": "Welcome!"}})
    pool_id, client_id = pool_with(cognito, emu, triggers)
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(
            ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": "a@x.io"}]
        )
    code, message = error_of(excinfo)
    assert code == "InvalidParameterException"
    assert message.startswith("1 validation error detected: Value 'Welcome!' at 'emailBody' failed to satisfy")
    assert emu.outbox.messages(pool_id=pool_id) == []


# --- PreTokenGeneration


def v2_config(emu: Emulator, trigger: Any, version: str = "V2_0") -> dict[str, Any]:
    function = arn(emu, "pretoken", trigger)
    return {"PreTokenGenerationConfig": {"LambdaVersion": version, "LambdaArn": function}}


def test_pre_token_generation_v2_event_and_response(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []

    def respond(event: Event) -> dict[str, Any]:
        return {
            "claimsAndScopeOverrideDetails": {
                "idTokenGeneration": {"claimsToAddOrOverride": {"tier": "gold"}, "claimsToSuppress": ["email"]},
                "accessTokenGeneration": {
                    "claimsToAddOrOverride": {"tenant": {"id": 7, "roles": ["a", "b"]}},
                    "scopesToAdd": ["orders/read"],
                    "scopesToSuppress": ["aws.cognito.signin.user.admin"],
                },
            }
        }

    pool_id, client_id = pool_with(cognito, emu, v2_config(emu, recording(events, respond)))
    confirmed_user(cognito, pool_id, "ada")
    result = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    id_claims, access_claims = claims(result["IdToken"]), claims(result["AccessToken"])
    assert id_claims["tier"] == "gold" and "email" not in id_claims
    assert access_claims["tenant"] == {"id": 7, "roles": ["a", "b"]}
    assert access_claims["scope"] == "orders/read"
    [event] = events
    assert event["version"] == "2" and event["triggerSource"] == "TokenGeneration_Authentication"
    assert event["request"]["scopes"] == ["aws.cognito.signin.user.admin"]
    assert event["request"]["groupConfiguration"] == {
        "groupsToOverride": [],
        "iamRolesToOverride": [],
        "preferredRole": None,
    }


def test_fixed_claims_cannot_be_changed(cognito: Any, emu: Emulator) -> None:
    def respond(event: Event) -> dict[str, Any]:
        changes = {"sub": "forged", "iss": "https://evil", "cognito:username": "root", "dev:x": "1", "ok": "yes"}
        return {
            "claimsAndScopeOverrideDetails": {
                "idTokenGeneration": {"claimsToAddOrOverride": changes, "claimsToSuppress": ["sub", "aud"]},
                "accessTokenGeneration": {"claimsToAddOrOverride": changes},
            }
        }

    pool_id, client_id = pool_with(cognito, emu, v2_config(emu, recording([], respond)))
    confirmed_user(cognito, pool_id, "ada")
    result = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    for token in (result["IdToken"], result["AccessToken"]):
        token_claims = claims(token)
        assert token_claims["sub"] != "forged" and token_claims["iss"] != "https://evil"
        assert token_claims["ok"] == "yes" and "dev:x" not in token_claims
    id_claims = claims(result["IdToken"])
    assert id_claims["cognito:username"] == "ada" and "sub" in id_claims and id_claims["aud"] == client_id


def test_group_override_replaces_groups_in_both_tokens(cognito: Any, emu: Emulator) -> None:
    def respond(event: Event) -> dict[str, Any]:
        assert event["request"]["groupConfiguration"]["groupsToOverride"] == ["staff"]
        override = {"groupsToOverride": ["vip"], "iamRolesToOverride": [], "preferredRole": None}
        return {"claimsOverrideDetails": {"groupOverrideDetails": override}}

    config = {"PreTokenGeneration": arn(emu, "v1", recording([], respond))}
    pool_id, client_id = pool_with(cognito, emu, config)
    confirmed_user(cognito, pool_id, "ada")
    cognito.create_group(UserPoolId=pool_id, GroupName="staff")
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="ada", GroupName="staff")
    result = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    assert claims(result["IdToken"])["cognito:groups"] == claims(result["AccessToken"])["cognito:groups"] == ["vip"]


def test_an_empty_group_override_suppresses_the_groups(cognito: Any, emu: Emulator) -> None:
    def respond(event: Event) -> dict[str, Any]:
        return {"claimsAndScopeOverrideDetails": {"groupOverrideDetails": None}}

    pool_id, client_id = pool_with(cognito, emu, v2_config(emu, recording([], respond)))
    confirmed_user(cognito, pool_id, "ada")
    cognito.create_group(UserPoolId=pool_id, GroupName="staff")
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="ada", GroupName="staff")
    result = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    assert "cognito:groups" not in claims(result["IdToken"]) and "cognito:groups" not in claims(result["AccessToken"])


def test_pre_token_generation_sources(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    pool_id, client_id = pool_with(cognito, emu, {"PreTokenGeneration": arn(emu, "v1", recording(events))})
    cognito.admin_create_user(
        UserPoolId=pool_id, Username="ada", TemporaryPassword="Temp-Pass-1!", MessageAction="SUPPRESS"
    )
    first = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": "Temp-Pass-1!"},
    )
    result = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    cognito.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]}
    )
    sign_in(cognito, client_id, "ada")
    assert [e["triggerSource"] for e in events] == [
        "TokenGeneration_NewPasswordChallenge",
        "TokenGeneration_RefreshTokens",
        "TokenGeneration_Authentication",
    ]
    assert all(e["version"] == "1" and "scopes" not in e["request"] for e in events)


def test_recipe_with_lambda_version(cognito: Any, emu: Emulator) -> None:
    spec = {"recipe": "add-claims", "lambda_version": "V2_0", "access_claims": {"plan": "pro"}, "scopes": ["a/b"]}
    lambda_config = register_triggers(emu, "t", {"PreTokenGeneration": spec})
    assert lambda_config["PreTokenGenerationConfig"]["LambdaVersion"] == "V2_0"
    pool_id, client_id = pool_with(cognito, emu, lambda_config)
    confirmed_user(cognito, pool_id, "ada")
    access_claims = claims(sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"])
    assert access_claims["plan"] == "pro" and access_claims["scope"] == "aws.cognito.signin.user.admin a/b"


# --- UserMigration

LEGACY = "Legacy-Pass-1!"


def migration_pool(cognito: Any, emu: Emulator, events: list[Event], **settings: Any) -> tuple[str, str]:
    migrate = register_triggers(emu, "t", {"UserMigration": {"recipe": "migrate-any", "password": LEGACY}})
    recipe = emu.triggers.resolve(migrate["UserMigration"])
    assert recipe is not None

    def watched(event: Event) -> Event:
        events.append({k: v for k, v in event.items() if k != "request"} | {"request": dict(event["request"])})
        return recipe(event)

    return pool_with(cognito, emu, {"UserMigration": arn(emu, "migrate", watched)}, **settings)


def test_password_sign_in_migrates_an_unknown_user(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    pool_id, client_id = migration_pool(cognito, emu, events)
    result = sign_in(cognito, client_id, "ada", LEGACY)["AuthenticationResult"]
    assert claims(result["IdToken"])["email"] == "ada@example.com"
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "CONFIRMED"
    [event] = events
    assert event["triggerSource"] == "UserMigration_Authentication" and event["userName"] == "ada"
    assert event["request"]["password"] == LEGACY
    sign_in(cognito, client_id, "ada", LEGACY)  # now a pool user: the trigger is not asked again
    assert len(events) == 1
    assert emu.outbox.messages(pool_id=pool_id) == []  # messageAction SUPPRESS


def test_admin_password_sign_in_migrates_too(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    pool_id, client_id = migration_pool(cognito, emu, events)
    result = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": LEGACY},
    )
    assert "AccessToken" in result["AuthenticationResult"] and len(events) == 1


def test_srp_sign_in_never_migrates(cognito: Any, emu: Emulator) -> None:
    """SRP does not send the password, so there is nothing to migrate with [DG]."""
    events: list[Event] = []
    _, client_id = migration_pool(cognito, emu, events)
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "ada", "SRP_A": "0a"}
        )
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")
    assert events == []


def test_a_refused_migration(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    pool_id, client_id = migration_pool(cognito, emu, events)
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada", "Not-The-Password-1")
    assert error_of(excinfo) == ("UserLambdaValidationException", "UserMigration failed with error Bad password.")
    assert emu.pools[pool_id].users == {}


def test_reset_required_after_migration(cognito: Any, emu: Emulator) -> None:
    def migrate(event: Event) -> Event:
        event["response"] = {"userAttributes": {"email": "ada@example.com", "email_verified": "true"}}
        return event

    pool_id, client_id = pool_with(cognito, emu, {"UserMigration": arn(emu, "m", migrate)})
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada", "weak")  # the policy is not applied to a migrated password [DG]
    assert error_of(excinfo) == ("PasswordResetRequiredException", "Password reset required for the user")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserStatus"] == "RESET_REQUIRED"
    welcome = emu.outbox.messages(pool_id=pool_id)
    assert welcome == []  # no phone number: the SMS welcome has nowhere to go


def test_forgot_password_migrates_and_sends_the_code(cognito: Any, emu: Emulator) -> None:
    events: list[Event] = []
    _, client_id = migration_pool(cognito, emu, events)
    delivery = cognito.forgot_password(ClientId=client_id, Username="ada", ClientMetadata={"from": "app"})
    assert delivery["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    [event] = events
    assert event["triggerSource"] == "UserMigration_ForgotPassword" and "password" not in event["request"]
    assert event["request"]["clientMetadata"] == {"from": "app"}
    code = emu.outbox.last(to="ada@example.com").code  # type: ignore[union-attr]
    cognito.confirm_forgot_password(ClientId=client_id, Username="ada", ConfirmationCode=code, Password=PASSWORD)
    assert "AccessToken" in sign_in(cognito, client_id, "ada")["AuthenticationResult"]


def test_a_migration_without_attributes(cognito: Any, emu: Emulator) -> None:
    pool_id, client_id = pool_with(cognito, emu, {"UserMigration": arn(emu, "m", recording([]))})
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada", LEGACY)
    assert error_of(excinfo) == ("UserNotFoundException", f"Exception migrating user in app client {client_id}")
    assert emu.pools[pool_id].users == {}


# --- triggers that misbehave


@pytest.mark.parametrize(
    ("behaviour", "expected"),
    [
        (
            "timeout",
            (
                "UnexpectedLambdaException",
                "PreAuthentication invocation failed due to error Socket timeout while invoking Lambda function.",
            ),
        ),
        ("none", ("InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON")),
        ("not-json", ("InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON")),
        ("no-response", ("InvalidLambdaResponseException", "Unrecognizable lambda output")),
        ("raise-with-period", ("UserLambdaValidationException", "PreAuthentication failed with error not allowed..")),
    ],
)
def test_misbehaving_triggers(cognito: Any, emu: Emulator, behaviour: str, expected: tuple[str, str]) -> None:
    def trigger(event: Event) -> Any:
        if behaviour == "timeout":
            raise TimeoutError
        if behaviour == "raise-with-period":
            raise ValueError("not allowed.")
        if behaviour == "none":
            return None
        if behaviour == "not-json":
            event["response"] = {"when": object()}
            return event
        return {"version": "1"}

    pool_id, client_id = pool_with(cognito, emu, {"PreAuthentication": arn(emu, "bad", trigger)})
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada")
    assert error_of(excinfo) == expected


def test_access_token_customization_needs_essentials(cognito: Any, emu: Emulator) -> None:
    config = v2_config(emu, recording([]))
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool(PoolName="p", UserPoolTier="LITE", LambdaConfig=config)
    code, message = error_of(excinfo)
    assert code == "FeatureUnavailableInTierException"
    assert message.startswith("The following features need to be disabled for the LITE pricing tier configured: ")
    v1 = {"PreTokenGenerationConfig": {**config["PreTokenGenerationConfig"], "LambdaVersion": "V1_0"}}
    cognito.create_user_pool(PoolName="p", UserPoolTier="LITE", LambdaConfig=v1)  # V1_0 is in every plan


def test_a_v2_group_override_sets_roles_and_the_preferred_role(cognito: Any, emu: Emulator) -> None:
    role = "arn:aws:iam::123456789012:role/auditor"

    def respond(event: Event) -> dict[str, Any]:
        override = {"groupsToOverride": ["auditors"], "iamRolesToOverride": [role], "preferredRole": role}
        return {"claimsAndScopeOverrideDetails": {"groupOverrideDetails": override}}

    pool_id, client_id = pool_with(cognito, emu, v2_config(emu, recording([], respond)))
    confirmed_user(cognito, pool_id, "ada")
    result = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    id_claims, access_claims = claims(result["IdToken"]), claims(result["AccessToken"])
    assert id_claims["cognito:groups"] == access_claims["cognito:groups"] == ["auditors"]
    assert id_claims["cognito:roles"] == [role] and id_claims["cognito:preferred_role"] == role
    assert "cognito:preferred_role" not in access_claims
