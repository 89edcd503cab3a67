"""The pool's own message templates through boto3: verification codes, invitations and SMS sign-in codes are
written with them, the placeholders filled in [BC CreateUserPool: VerificationMessageTemplate,
AdminCreateUserConfig.InviteMessageTemplate, SmsAuthenticationMessage]; without them the defaults stay."""

from __future__ import annotations

from typing import Any

from harness.emulator import Emulator
from harness.emulator.outbox import Message
from tests.emulator.conftest import PASSWORD, confirmed_user, make_client, sign_in

CODE_TEMPLATE = {"EmailMessage": "Welcome to Acme! Your code: {####}", "EmailSubject": "Acme sign-up"}


def sign_up(cognito: Any, emu: Emulator, **pool_settings: Any) -> Message:
    pool_id = cognito.create_user_pool(PoolName="templates", AutoVerifiedAttributes=["email"], **pool_settings)
    client_id = make_client(cognito, pool_id["UserPool"]["Id"])["ClientId"]
    cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD,
                    UserAttributes=[{"Name": "email", "Value": "ada@example.com"}])  # fmt: skip
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None
    return message


def test_a_verification_code_is_written_with_the_pools_template(cognito: Any, emu: Emulator) -> None:
    message = sign_up(cognito, emu, VerificationMessageTemplate=CODE_TEMPLATE)
    assert (message.text, message.subject) == (f"Welcome to Acme! Your code: {message.code}", "Acme sign-up")


def test_the_older_verification_members_are_read_too(cognito: Any, emu: Emulator) -> None:
    message = sign_up(cognito, emu, EmailVerificationMessage="Code {####} inside", EmailVerificationSubject="Hi")
    assert (message.text, message.subject) == (f"Code {message.code} inside", "Hi")


def test_without_templates_the_default_text_stays(cognito: Any, emu: Emulator) -> None:
    """(Confirmation by link, the other DefaultEmailOption: tests/emulator/test_link_verification.py.)"""
    default = sign_up(cognito, emu)
    assert (default.text, default.subject) == (f"Your verification code is {default.code}. ", "Your verification code")


def test_an_invitation_is_written_with_the_invite_template(cognito: Any, emu: Emulator) -> None:
    invite = {"EmailMessage": "Hello {username}, your temporary password is {####}", "EmailSubject": "Join Acme"}
    pool_id = cognito.create_user_pool(PoolName="invitations", AdminCreateUserConfig={"InviteMessageTemplate": invite})[
        "UserPool"
    ]["Id"]
    cognito.admin_create_user(
        UserPoolId=pool_id, Username="ada", DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )  # fmt: skip
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None and message.purpose == "Invitation"
    assert (message.text, message.subject) == (f"Hello ada, your temporary password is {message.code}", "Join Acme")


def test_an_sms_code_at_sign_in_is_written_with_the_sms_authentication_message(cognito: Any, emu: Emulator) -> None:
    pool_id = cognito.create_user_pool(PoolName="sms", SmsAuthenticationMessage="Acme code {####}")["UserPool"]["Id"]
    sms = {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns", "ExternalId": "x"}}
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON", SmsMfaConfiguration=sms)
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"},
                        {"Name": "phone_number_verified", "Value": "true"}],
    )  # fmt: skip
    assert sign_in(cognito, client_id, "ada")["ChallengeName"] == "SMS_MFA"
    message = emu.outbox.last(to="+15555550100")
    assert message is not None and message.text == f"Acme code {message.code}"


def test_an_email_code_at_sign_in_is_written_with_the_email_mfa_template(cognito: Any, emu: Emulator) -> None:
    """[BC EmailMfaConfigType]: Message and Subject are the template for email MFA and email OTP codes."""
    ses = {"EmailSendingAccount": "DEVELOPER", "SourceArn": "arn:aws:ses:us-east-1:000000000000:identity/example.com"}
    pool_id = cognito.create_user_pool(PoolName="email-mfa", EmailConfiguration=ses)["UserPool"]["Id"]
    template = {"Message": "Your Acme sign-in code is {####}", "Subject": "Acme sign-in"}
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON", EmailMfaConfiguration=template)
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    assert sign_in(cognito, client_id, "ada")["ChallengeName"] == "EMAIL_OTP"
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None and message.purpose == "EMAIL_OTP"
    assert (message.text, message.subject) == (f"Your Acme sign-in code is {message.code}", "Acme sign-in")
