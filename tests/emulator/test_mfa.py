"""MFA: pool and user settings, TOTP setup during sign-in, SMS/TOTP/email challenges, selection, sessions."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError

from harness.emulator import Emulator
from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, make_client, refused, sign_in

NEW_PASSWORD = "Another-Horse-7?"
SMS = {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns", "ExternalId": "x"}}
# Email MFA needs the pool to send through SES [DG "Email MFA"].
SES = {"EmailSendingAccount": "DEVELOPER", "SourceArn": "arn:aws:ses:us-east-1:000000000000:identity/example.com"}


def mfa_pool(cognito: Any, mode: str, *, sms: bool = False, totp: bool = False, email: bool = False) -> str:
    pool_id = str(cognito.create_user_pool(PoolName="mfa", EmailConfiguration=SES)["UserPool"]["Id"])
    settings: dict[str, Any] = {"UserPoolId": pool_id, "MfaConfiguration": mode}
    if sms:
        settings["SmsMfaConfiguration"] = SMS
    if totp:
        settings["SoftwareTokenMfaConfiguration"] = {"Enabled": True}
    if email:
        settings["EmailMfaConfiguration"] = {"Subject": "Your code"}
    cognito.set_user_pool_mfa_config(**settings)
    return pool_id


def test_pool_mfa_config_round_trip(cognito: Any) -> None:
    pool_id = mfa_pool(cognito, "OPTIONAL", totp=True)
    config = cognito.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert config["MfaConfiguration"] == "OPTIONAL"
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": False}
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_totp_setup_during_sign_in_then_sign_in_with_totp(cognito: Any, emu: Emulator) -> None:
    pool_id = mfa_pool(cognito, "ON", totp=True)
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    setup = sign_in(cognito, client_id, "ada")
    assert setup["ChallengeName"] == "MFA_SETUP"
    assert setup["ChallengeParameters"]["MFAS_CAN_SETUP"] == '["SOFTWARE_TOKEN_MFA"]'
    associated = cognito.associate_software_token(Session=setup["Session"])
    secret = associated["SecretCode"]
    now = int(emu.clock.now())
    with pytest.raises(ClientError) as excinfo:
        cognito.verify_software_token(
            Session=associated["Session"], UserCode="000000" if pyotp.TOTP(secret).at(now) != "000000" else "111111"
        )
    assert error_of(excinfo) == ("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
    verified = cognito.verify_software_token(Session=associated["Session"], UserCode=pyotp.TOTP(secret).at(now))
    assert verified["Status"] == "SUCCESS"
    tokens = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": "ada"},
    )
    assert "AccessToken" in tokens["AuthenticationResult"]
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]

    challenge = sign_in(cognito, client_id, "ada")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    emu.clock.advance(30)  # the next time step: a fresh code
    result = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "SOFTWARE_TOKEN_MFA_CODE": pyotp.TOTP(secret).at(int(emu.clock.now()))},
    )
    assert "AccessToken" in result["AuthenticationResult"]


def test_a_wrong_totp_code_consumes_the_session(cognito: Any, emu: Emulator) -> None:
    pool_id = mfa_pool(cognito, "OPTIONAL", totp=True)
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    access = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]  # OPTIONAL: no MFA yet
    secret = cognito.associate_software_token(AccessToken=access)["SecretCode"]
    cognito.verify_software_token(AccessToken=access, UserCode=pyotp.TOTP(secret).at(int(emu.clock.now())))
    cognito.set_user_mfa_preference(
        AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    challenge = sign_in(cognito, client_id, "ada")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    answer = {"ClientId": client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": challenge["Session"]}
    good = pyotp.TOTP(secret).at(int(emu.clock.now()))
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            **answer,
            ChallengeResponses={
                "USERNAME": "ada",
                "SOFTWARE_TOKEN_MFA_CODE": "000000" if good != "000000" else "111111",
            },
        )
    assert error_of(excinfo) == ("CodeMismatchException", "Invalid code received for user")
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            **answer, ChallengeResponses={"USERNAME": "ada", "SOFTWARE_TOKEN_MFA_CODE": good}
        )
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_enabling_totp_needs_a_verified_token(cognito: Any) -> None:
    pool_id = mfa_pool(cognito, "OPTIONAL", totp=True)
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_set_user_mfa_preference(
            UserPoolId=pool_id, Username="ada", SoftwareTokenMfaSettings={"Enabled": True}
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA",
    )


def test_select_mfa_type_then_sms(cognito: Any, emu: Emulator) -> None:
    pool_id = mfa_pool(cognito, "OPTIONAL", sms=True, email=True)
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[
            {"Name": "phone_number", "Value": "+15555550100"},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SMSMfaSettings={"Enabled": True}, EmailMfaSettings={"Enabled": True}
    )
    select = sign_in(cognito, client_id, "ada")
    assert select["ChallengeName"] == "SELECT_MFA_TYPE"
    assert select["ChallengeParameters"]["MFAS_CAN_CHOOSE"] == '["SMS_MFA", "EMAIL_OTP"]'
    sms = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SELECT_MFA_TYPE",
        Session=select["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": "SMS_MFA"},
    )
    assert sms["ChallengeName"] == "SMS_MFA"
    assert sms["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "+*******0100"
    code = emu.outbox.last(to="+15555550100")
    assert code is not None and code.medium == "SMS" and code.purpose == "SMS_MFA"
    result = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SMS_MFA",
        Session=sms["Session"],
        ChallengeResponses={"USERNAME": "ada", "SMS_MFA_CODE": code.code},
    )
    assert "AccessToken" in result["AuthenticationResult"]


def _new_password_then_email_code(cognito: Any, emu: Emulator) -> tuple[str, dict[str, Any], dict[str, Any]]:
    pool_id = mfa_pool(cognito, "ON", email=True)
    client_id = make_client(cognito, pool_id)["ClientId"]
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        TemporaryPassword=PASSWORD,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    first = sign_in(cognito, client_id, "ada")
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    second = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD},
    )
    assert second["ChallengeName"] == "EMAIL_OTP"
    return client_id, first, second


def test_new_password_then_email_code_with_the_fresh_session(cognito: Any, emu: Emulator) -> None:
    client_id, _, second = _new_password_then_email_code(cognito, emu)
    code = emu.outbox.last(to="ada@example.com").code  # type: ignore[union-attr]
    result = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=second["Session"],
        ChallengeResponses={"USERNAME": "ada", "EMAIL_OTP_CODE": code},
    )
    assert "AccessToken" in result["AuthenticationResult"]


def test_new_password_then_email_code_with_the_stale_session(cognito: Any, emu: Emulator) -> None:
    client_id, first, _ = _new_password_then_email_code(cognito, emu)
    code = emu.outbox.last(to="ada@example.com").code  # type: ignore[union-attr]
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="EMAIL_OTP",
            Session=first["Session"],
            ChallengeResponses={"USERNAME": "ada", "EMAIL_OTP_CODE": code},
        )
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_passwordless_sign_in_skips_mfa(cognito: Any, emu: Emulator) -> None:
    policy = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
    pool_id = cognito.create_user_pool(PoolName="p", Policies=policy, EmailConfiguration=SES)["UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(  # required MFA is refused with an OTP first factor: optional it is
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={"Subject": "code"}
    )
    client_id = make_client(
        cognito, pool_id, ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["ClientId"]
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    cognito.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="ada", EmailMfaSettings={"Enabled": True})
    otp = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "EMAIL_OTP"}
    )
    code = emu.outbox.last(to="ada@example.com").code  # type: ignore[union-attr]
    result = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=otp["Session"],
        ChallengeResponses={"USERNAME": "ada", "EMAIL_OTP_CODE": code},
    )
    assert "AccessToken" in result["AuthenticationResult"]  # no second factor after a passwordless first one
    assert sign_in(cognito, client_id, "ada")["ChallengeName"] == "EMAIL_OTP"  # a password sign-in gets MFA


def _user_with_totp(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    """ada, with a verified TOTP token she prefers (set up during her first sign-in where MFA is required)."""
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    access = cognito.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )  # fmt: skip
    token = access.get("AuthenticationResult", {}).get("AccessToken")
    if token is None:  # MFA is ON: set the token up through MFA_SETUP
        associated = cognito.associate_software_token(Session=access["Session"])
        code = pyotp.TOTP(associated["SecretCode"]).at(int(emu.clock.now()))
        verified = cognito.verify_software_token(Session=associated["Session"], UserCode=code)
        cognito.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName="MFA_SETUP", Session=verified["Session"],
            ChallengeResponses={"USERNAME": "ada"},
        )  # fmt: skip
    else:
        secret = cognito.associate_software_token(AccessToken=token)["SecretCode"]
        cognito.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(secret).at(int(emu.clock.now())))
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    assert sign_in(cognito, client_id, "ada")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_deleting_a_lost_totp_token_asks_for_setup_when_mfa_is_required(cognito: Any, emu: Emulator) -> None:
    pool_id = mfa_pool(cognito, "ON", totp=True)
    client_id = make_client(
        cognito,
        pool_id,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["ClientId"]
    _user_with_totp(cognito, emu, pool_id, client_id)
    assert cognito.admin_delete_software_token(UserPoolId=pool_id, Username="ada")["ResponseMetadata"]
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert not user.get("UserMFASettingList") and "PreferredMfaSetting" not in user
    setup = sign_in(cognito, client_id, "ada")
    assert (setup["ChallengeName"], setup["ChallengeParameters"]["MFAS_CAN_SETUP"]) == (
        "MFA_SETUP",
        '["SOFTWARE_TOKEN_MFA"]',
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_delete_software_token(UserPoolId=pool_id, Username="ada")
    assert error_of(excinfo) == ("ResourceNotFoundException", "User does not have a software token registered.")


def test_deleting_the_totp_token_keeps_the_other_methods(cognito: Any, emu: Emulator) -> None:
    pool_id = mfa_pool(cognito, "ON", totp=True, sms=True)
    client_id = make_client(
        cognito,
        pool_id,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}, {"Name": "phone_number_verified", "Value": "true"}],
    )  # fmt: skip
    cognito.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="ada", SMSMfaSettings={"Enabled": True})
    sms = sign_in(cognito, client_id, "ada")
    assert sms["ChallengeName"] == "SMS_MFA"
    code = emu.outbox.last(to="+15555550100")
    assert code is not None
    access = cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="SMS_MFA", Session=sms["Session"],
        ChallengeResponses={"USERNAME": "ada", "SMS_MFA_CODE": code.code},
    )["AuthenticationResult"]["AccessToken"]  # fmt: skip
    secret = cognito.associate_software_token(AccessToken=access)["SecretCode"]
    cognito.verify_software_token(AccessToken=access, UserCode=pyotp.TOTP(secret).at(int(emu.clock.now())))
    cognito.set_user_mfa_preference(
        AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    assert sign_in(cognito, client_id, "ada")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    cognito.admin_delete_software_token(UserPoolId=pool_id, Username="ada")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserMFASettingList"] == ["SMS_MFA"]
    assert sign_in(cognito, client_id, "ada")["ChallengeName"] == "SMS_MFA"  # falls back to the method left


def test_deleting_a_totp_token_of_nobody_or_of_a_user_without_one(cognito: Any) -> None:
    pool_id = mfa_pool(cognito, "OPTIONAL", totp=True)
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_delete_software_token(UserPoolId=pool_id, Username="nobody")
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_delete_software_token(UserPoolId=pool_id, Username="ada")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_the_legacy_sms_setting_shows_as_mfa_options_and_asks_for_sms(cognito: Any, emu: Emulator) -> None:
    """amazon-cognito-identity-js enableMFA() / disableMFA() call SetUserSettings."""
    pool_id = mfa_pool(cognito, "OPTIONAL", sms=True)
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}]
    )
    access = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    assert "MFAOptions" not in cognito.get_user(AccessToken=access)
    sms = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    cognito.set_user_settings(AccessToken=access, MFAOptions=sms)
    user = cognito.get_user(AccessToken=access)
    assert user["MFAOptions"] == sms
    assert not user.get("UserMFASettingList") and "PreferredMfaSetting" not in user  # not the newer settings
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["MFAOptions"] == sms
    challenge = sign_in(cognito, client_id, "ada")
    assert challenge["ChallengeName"] == "SMS_MFA"
    code = emu.outbox.last(to="+15555550100")
    assert code is not None and code.purpose == "SMS_MFA"
    cognito.admin_set_user_settings(UserPoolId=pool_id, Username="ada", MFAOptions=[])
    assert "MFAOptions" not in cognito.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert "AuthenticationResult" in sign_in(cognito, client_id, "ada")


def test_the_legacy_setting_takes_sms_to_phone_number_only(cognito: Any) -> None:
    pool_id = mfa_pool(cognito, "OPTIONAL", sms=True)
    confirmed_user(cognito, pool_id, "ada")

    def set_options(username: str, *options: dict[str, str]) -> tuple[str, str]:
        return refused(cognito.admin_set_user_settings, UserPoolId=pool_id, Username=username, MFAOptions=list(options))

    assert set_options("ada", {"DeliveryMedium": "EMAIL", "AttributeName": "email"}) == (
        "InvalidParameterException",
        "Only phone_number attribute is currently supported as a MFA option.",
    )
    assert (
        set_options("ada", {"DeliveryMedium": "EMAIL", "AttributeName": "phone_number"})[0]
        == "InvalidParameterException"
    )
    assert set_options("nobody") == ("UserNotFoundException", "User does not exist.")
