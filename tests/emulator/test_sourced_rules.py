"""Rules the emulator follows since their sources were found (cognito-behaviour.md, "Sourced 2026-11-29"),
through boto3: usernames of email pools, feature-plan refusals, MFA against passwordless first factors, email
MFA and SES, single-use TOTP codes, and a wrong custom-challenge answer."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError

from harness.cognito.srp import SrpClient
from harness.emulator import Emulator, errors
from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, make_client, sign_in

SES = {"EmailSendingAccount": "DEVELOPER", "SourceArn": "arn:aws:ses:us-east-1:000000000000:identity/example.com"}
EMAIL_ADA = {"Name": "email", "Value": "ada@example.com"}
OTP_POLICY = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        (["email"], "Username should be an email."),
        (["email", "phone_number"], "Username should be either an email or a phone number."),
        (["phone_number"], "Username should be a phone number."),
    ],
)
def test_a_username_that_is_not_the_sign_in_attribute(cognito: Any, attributes: list[str], message: str) -> None:
    pool_id = cognito.create_user_pool(PoolName="p", UsernameAttributes=attributes)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD)
    assert error_of(excinfo) == ("InvalidParameterException", message)


def test_passwordless_sign_in_outside_the_lite_plan(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool(PoolName="p", UserPoolTier="LITE", Policies=OTP_POLICY)
    assert error_of(excinfo) == (
        "FeatureUnavailableInTierException",
        "The following features need to be disabled for the LITE pricing tier configured: Passwordless Sign-In",
    )


def test_required_mfa_refuses_otp_first_factors(cognito: Any) -> None:
    refusal = (
        "InvalidParameterException",
        "Only PASSWORD and WEB_AUTHN (if configured) can be enabled as an auth factor if MFA is enabled",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool(PoolName="p", Policies=OTP_POLICY, MfaConfiguration="ON")
    assert error_of(excinfo) == refusal
    pool_id = cognito.create_user_pool(PoolName="p", Policies=OTP_POLICY)["UserPool"]["Id"]
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
        )
    assert error_of(excinfo) == refusal
    assert cognito.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "OFF"
    cognito.set_user_pool_mfa_config(  # optional MFA is allowed (UNCONFIRMED choice)
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )


def test_required_mfa_refuses_single_factor_passkeys(cognito: Any) -> None:
    policy = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}
    pool_id = cognito.create_user_pool(PoolName="p", Policies=policy)["UserPool"]["Id"]
    web_authn = {"RelyingPartyId": "example.com", "FactorConfiguration": "SINGLE_FACTOR"}
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            MfaConfiguration="ON",
            SoftwareTokenMfaConfiguration={"Enabled": True},
            WebAuthnConfiguration=web_authn,
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Cannot set WebAuthn factor configuration to SINGLE_FACTOR if MFA is required and WebAuthn is an allowed "
        "first auth factor",
    )
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="ON",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        WebAuthnConfiguration={**web_authn, "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION"},
    )


def test_email_mfa_needs_ses_but_email_otp_does_not(cognito: Any, emu: Emulator) -> None:
    plain = cognito.create_user_pool(PoolName="p", Policies=OTP_POLICY)["UserPool"]["Id"]
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_pool_mfa_config(
            UserPoolId=plain, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={"Subject": "code"}
        )
    assert error_of(excinfo) == ("InvalidParameterException", errors.EMAIL_MFA_NEEDS_SES)
    client_id = make_client(cognito, plain, ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])[
        "ClientId"
    ]
    confirmed_user(cognito, plain, "ada", email="ada@example.com")
    otp = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "EMAIL_OTP"}
    )
    assert otp["ChallengeName"] == "EMAIL_OTP"  # the first factor sends with Cognito's own email
    with_ses = cognito.create_user_pool(PoolName="q", EmailConfiguration=SES)["UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(
        UserPoolId=with_ses, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={"Subject": "code"}
    )


TOTP_ON = {"Enabled": True}
METHODS = {
    "SoftwareTokenMfaConfiguration": TOTP_ON,
    "SmsMfaConfiguration": {"SmsAuthenticationMessage": "Your code is {####}"},
    "EmailMfaConfiguration": {"Subject": "code"},
}


@pytest.mark.parametrize("method", sorted(METHODS))
def test_mfa_off_with_a_method_is_refused(cognito: Any, method: str) -> None:
    """SetUserPoolMfaConfig refuses OFF together with an MFA method's configuration (errors.py has the sources);
    the pool keeps what it had."""
    pool_id = cognito.create_user_pool(PoolName="p", EmailConfiguration=SES)["UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration=TOTP_ON
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF", **{method: METHODS[method]})
    assert error_of(excinfo) == ("InvalidParameterException", errors.MFA_OFF_WITH_METHOD)
    assert cognito.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "OPTIONAL"
    assert cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF")["MfaConfiguration"] == "OFF"


@pytest.mark.parametrize("mode", ["ON", "OPTIONAL"])
def test_mfa_on_without_a_method_is_refused(cognito: Any, mode: str) -> None:
    """MFA turned on needs SMS, email or TOTP: a passkey configuration alone is no MFA method (errors.py)."""
    pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
    for passkeys in ({}, {"WebAuthnConfiguration": {"RelyingPartyId": "example.com"}}):
        with pytest.raises(ClientError) as excinfo:
            cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration=mode, **passkeys)
        assert error_of(excinfo) == ("InvalidParameterException", errors.MFA_METHOD_REQUIRED)
    assert cognito.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "OFF"


def test_sign_up_in_a_pool_where_only_administrators_create_users(cognito: Any) -> None:
    """AllowAdminCreateUserOnly: SignUp is refused (errors.py has the source), AdminCreateUser is not."""
    admin_only = {"AllowAdminCreateUserOnly": True}
    pool_id = cognito.create_user_pool(PoolName="p", AdminCreateUserConfig=admin_only)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD)
    assert error_of(excinfo) == ("NotAuthorizedException", "SignUp is not permitted for this user pool")
    assert cognito.list_users(UserPoolId=pool_id)["Users"] == []
    created = cognito.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    assert created["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    cognito.update_user_pool(UserPoolId=pool_id, AdminCreateUserConfig={"AllowAdminCreateUserOnly": False})
    assert cognito.sign_up(ClientId=client_id, Username="bob", Password=PASSWORD)["UserConfirmed"] is False


def test_an_unknown_user_of_a_sign_up_or_reset_call_is_not_a_username_and_client_id(
    cognito: Any, pool_id: str, client_id: str
) -> None:
    """With LEGACY existence errors, sign-in says "User does not exist." but ForgotPassword, ConfirmForgotPassword,
    ConfirmSignUp and ResendConfirmationCode say "Username/client id combination not found." (errors.py)."""
    unknown = ("UserNotFoundException", "Username/client id combination not found.")
    calls = {
        "ForgotPassword": lambda: cognito.forgot_password(ClientId=client_id, Username="nobody"),
        "ConfirmForgotPassword": lambda: cognito.confirm_forgot_password(
            ClientId=client_id, Username="nobody", ConfirmationCode="123456", Password=PASSWORD
        ),
        "ConfirmSignUp": lambda: cognito.confirm_sign_up(ClientId=client_id, Username="nobody", ConfirmationCode="1"),
        "ResendConfirmationCode": lambda: cognito.resend_confirmation_code(ClientId=client_id, Username="nobody"),
    }
    for name, call in calls.items():
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == unknown, name
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "nobody")
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")


def test_hidden_unknown_users_of_sign_up_confirmation(cognito: Any, emu: Emulator, pool_id: str) -> None:
    """With PreventUserExistenceErrors ENABLED, ResendConfirmationCode answers with a simulated delivery [BC
    UserPoolClientType] and sends nothing; ConfirmSignUp answers as for a wrong code (a documented choice)."""
    hiding = make_client(cognito, pool_id, PreventUserExistenceErrors="ENABLED")["ClientId"]
    delivery = cognito.resend_confirmation_code(ClientId=hiding, Username="nobody@example.com")["CodeDeliveryDetails"]
    assert delivery == {"Destination": "n***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    assert emu.outbox.messages(to="nobody@example.com") == []
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_sign_up(ClientId=hiding, Username="nobody", ConfirmationCode="123456")
    assert error_of(excinfo) == ("CodeMismatchException", errors.CODE_MISMATCH)
    cognito.sign_up(ClientId=hiding, Username="ada", Password=PASSWORD, UserAttributes=[EMAIL_ADA])
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None
    wrong = "000000" if message.code != "000000" else "111111"
    with pytest.raises(ClientError) as excinfo:  # a known user is answered as ever
        cognito.confirm_sign_up(ClientId=hiding, Username="ada", ConfirmationCode=wrong)
    assert error_of(excinfo) == ("CodeMismatchException", errors.CODE_MISMATCH)


def test_pool_and_client_settings_cognito_refuses(cognito: Any) -> None:
    """Deletion protection, token validity out of range and username attributes beside aliases, in the words of
    real answers (errors.py has the sources)."""
    protected = cognito.create_user_pool(PoolName="p", DeletionProtection="ACTIVE")["UserPool"]["Id"]
    with pytest.raises(ClientError) as excinfo:
        cognito.delete_user_pool(UserPoolId=protected)
    assert error_of(excinfo) == ("InvalidParameterException", errors.DELETION_PROTECTED)
    with pytest.raises(ClientError) as excinfo:
        make_client(cognito, protected, AccessTokenValidity=2, TokenValidityUnits={"AccessToken": "days"})
    assert error_of(excinfo) == ("InvalidParameterException", "Invalid range for token validity.")
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool(PoolName="q", UsernameAttributes=["email"], AliasAttributes=["preferred_username"])
    assert error_of(excinfo) == ("InvalidParameterException", errors.USERNAME_AND_ALIAS_ATTRIBUTES)


def test_resending_an_invitation_to_a_user_who_chose_a_password(cognito: Any, pool_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="RESEND")
    assert error_of(excinfo) == (
        "UnsupportedUserStateException",
        "Resend not possible. ada status is not FORCE_CHANGE_PASSWORD",
    )


def test_sms_mfa_for_a_user_without_a_number(cognito: Any, pool_id: str) -> None:
    """Worded as the sourced TOTP refusal (errors.py MFA_NOT_DELIVERABLE; UNCONFIRMED for SMS)."""
    sms = {"SmsAuthenticationMessage": "Your code is {####}"}
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SmsMfaConfiguration=sms)
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="ada", SMSMfaSettings={"Enabled": True})
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "User does not have delivery config set to turn on SMS_MFA",
    )


def test_a_password_verifier_with_a_malformed_timestamp(
    cognito: Any, emu: Emulator, pool_id: str, client_id: str
) -> None:
    """[C: amazon-cognito-identity-js#683] Cognito's answer names the format it reads."""
    confirmed_user(cognito, pool_id, "ada")
    srp = SrpClient(pool_id, "ada", PASSWORD)
    challenge = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "ada", "SRP_A": srp.srp_a_hex}
    )
    responses = {**srp.respond(challenge["ChallengeParameters"]), "TIMESTAMP": "2026-11-30T07:00:00Z"}
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", Session=challenge["Session"],
            ChallengeResponses=responses,
        )  # fmt: skip
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
    )


def test_a_totp_code_answers_one_sign_in(cognito: Any, emu: Emulator) -> None:
    pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    access = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=access)["SecretCode"]
    cognito.verify_software_token(AccessToken=access, UserCode=pyotp.TOTP(secret).at(int(emu.clock.now())))
    cognito.set_user_mfa_preference(
        AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    emu.clock.advance(30)
    code = pyotp.TOTP(secret).at(int(emu.clock.now()))

    def answer() -> dict[str, Any]:
        challenge = sign_in(cognito, client_id, "ada")
        return dict(
            cognito.respond_to_auth_challenge(
                ClientId=client_id,
                ChallengeName="SOFTWARE_TOKEN_MFA",
                Session=challenge["Session"],
                ChallengeResponses={"USERNAME": "ada", "SOFTWARE_TOKEN_MFA_CODE": code},
            )
        )

    assert "AccessToken" in answer()["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        answer()
    assert error_of(excinfo) == ("ExpiredCodeException", "Your software token has already been used once.")


def test_a_wrong_custom_answer_runs_define_again(cognito: Any, emu: Emulator) -> None:
    """No error: DefineAuthChallenge sees challengeResult false and a new challenge comes back [OBS amplify-js#5834]."""
    histories: list[list[dict[str, Any]]] = []

    def define(event: dict[str, Any]) -> dict[str, Any]:
        history = event["request"]["session"]
        histories.append(history)
        done = bool(history) and history[-1]["challengeResult"]
        event["response"] = {
            "issueTokens": done,
            "failAuthentication": len(history) >= 3,
            "challengeName": "CUSTOM_CHALLENGE",
        }
        return event

    def create(event: dict[str, Any]) -> dict[str, Any]:
        event["response"] = {"privateChallengeParameters": {"answer": "42"}, "challengeMetadata": "Q"}
        return event

    def verify(event: dict[str, Any]) -> dict[str, Any]:
        event["response"] = {"answerCorrect": event["request"]["challengeAnswer"] == "42"}
        return event

    config = {
        name: emu.triggers.register(f"arn:aws:lambda:us-east-1:000000000000:function:{name}", trigger)
        for name, trigger in (
            ("DefineAuthChallenge", define),
            ("CreateAuthChallenge", create),
            ("VerifyAuthChallengeResponse", verify),
        )
    }
    pool_id = cognito.create_user_pool(PoolName="p", LambdaConfig=config)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])[
        "ClientId"
    ]
    confirmed_user(cognito, pool_id, "ada")
    first = cognito.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "ada"})
    again = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": "41"},
    )
    assert again["ChallengeName"] == "CUSTOM_CHALLENGE" and again["Session"] != first["Session"]
    assert histories[-1] == [{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": False, "challengeMetadata": "Q"}]
    done = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=again["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": "42"},
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_a_weak_new_password_is_worded_differently(cognito: Any, pool_id: str, client_id: str) -> None:
    """NEW_PASSWORD_REQUIRED says "does not conform to policy" where SignUp says "did not conform with policy"."""
    cognito.admin_create_user(
        UserPoolId=pool_id, Username="ada", TemporaryPassword="Temp-Pass-1!", MessageAction="SUPPRESS"
    )
    challenge = sign_in(cognito, client_id, "ada", "Temp-Pass-1!")
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": "Short-1"},
        )
    assert error_of(excinfo) == (
        "InvalidPasswordException",
        "Password does not conform to policy: Password not long enough",
    )


def test_a_weak_password_in_place_of_an_old_one_reads_like_a_new_password(
    cognito: Any, emu: Emulator, pool_id: str, client_id: str
) -> None:
    """ConfirmForgotPassword and ChangePassword word a weak password as NEW_PASSWORD_REQUIRED does (errors.py),
    and nothing changes: the old password still signs in."""
    weak = ("InvalidPasswordException", "Password does not conform to policy: Password not long enough")
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    access = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    with pytest.raises(ClientError) as excinfo:
        cognito.change_password(AccessToken=access, PreviousPassword=PASSWORD, ProposedPassword="Short-1")
    assert error_of(excinfo) == weak
    cognito.forgot_password(ClientId=client_id, Username="ada")
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_forgot_password(
            ClientId=client_id, Username="ada", ConfirmationCode=message.code, Password="Short-1"
        )
    assert error_of(excinfo) == weak
    assert "AccessToken" in sign_in(cognito, client_id, "ada")["AuthenticationResult"]
