"""Delivering a message with a code, through the CustomMessage trigger when the pool has one.

[DG "Custom message Lambda trigger"] Cognito invokes CustomMessage before it sends a verification message or an
MFA code. The request carries `codeParameter` ("{####}", a placeholder for the code) and, for admin-created
users only, `usernameParameter` ("{username}"); the response's `emailMessage`/`emailSubject` (email) or
`smsMessage` (SMS) replace the pool's own text, with the placeholders filled in. A response member left null keeps
the pool's text (DefinitelyTyped/DefinitelyTyped#62357, from captured events). A message without the code
placeholder is refused [OBS amazon-cognito-identity-js#99]. UNCONFIRMED: the refused operation keeps what it did
before the message (a SignUp keeps the new, unconfirmed user); no code is pending for it.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from harness.emulator import errors
from harness.emulator.errors import invalid_parameter
from harness.emulator.outbox import Message
from harness.emulator.state import User, UserPool
from harness.emulator.triggers import invoke

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

CODE_PARAMETER = "{####}"
USERNAME_PARAMETER = "{username}"
LINK_PARAMETER = "{##Click Here##}"
"""The event's `linkParameter` [Powertools' CustomMessage schema has the member; UNCONFIRMED: its value, and
that every CustomMessage event carries it]."""
LINK_TEXT = re.compile(r"\{##(.*?)##\}", re.DOTALL)
"""Link text in a CONFIRM_WITH_LINK email: `{##Click here##}` [BC VerificationMessageTemplateType
DefaultEmailOption: "For link, your template body must contain link text in the format {##Click here##}"]."""

# Which trigger source a delivery's purpose stands for [DG "Custom message Lambda trigger", trigger sources].
SOURCE_OF_PURPOSE = {
    "SignUp": "CustomMessage_SignUp",
    "ResendCode": "CustomMessage_ResendCode",
    "ForgotPassword": "CustomMessage_ForgotPassword",
    "Invitation": "CustomMessage_AdminCreateUser",
    "UpdateUserAttribute": "CustomMessage_UpdateUserAttribute",
    "VerifyUserAttribute": "CustomMessage_VerifyUserAttribute",
    "SMS_MFA": "CustomMessage_Authentication",
    "EMAIL_OTP": "CustomMessage_Authentication",
    "SMS_OTP": "CustomMessage_Authentication",
}

# The texts when neither the pool's templates (`pool_template`) nor a trigger gives one. UNCONFIRMED: the
# console's default texts, as remembered.
DEFAULT_TEXT = {
    "CustomMessage_AdminCreateUser": (
        f"Your username is {USERNAME_PARAMETER} and temporary password is {CODE_PARAMETER}. "
    ),
    "CustomMessage_Authentication": f"Your authentication code is {CODE_PARAMETER}. ",
    # [C: WikiWatershed/monitor-my-watershed#636, Cognito's default password-reset email quoted: subject "Your
    # verification code", body "Your password reset code is 039126"]
    "CustomMessage_ForgotPassword": f"Your password reset code is {CODE_PARAMETER}",
}
DEFAULT_VERIFICATION_TEXT = f"Your verification code is {CODE_PARAMETER}. "
DEFAULT_SUBJECT = {"CustomMessage_AdminCreateUser": "Your temporary password"}
DEFAULT_VERIFICATION_SUBJECT = "Your verification code"
# UNCONFIRMED: the console's default link email, as remembered (docs/emulator.md "Documented choices")
DEFAULT_LINK_TEXT = "Please click the link below to verify your email address. {##Verify Email##} "
DEFAULT_LINK_SUBJECT = "Your verification link"
_LINK_SOURCES = frozenset({"CustomMessage_SignUp", "CustomMessage_ResendCode"})
"""The messages that carry a link when the pool's DefaultEmailOption is CONFIRM_WITH_LINK: those that confirm a
sign-up, the link's endpoint being /confirmUser [C: aws-amplify/amplify-js#612]. UNCONFIRMED: attribute
verification keeps codes (VerifyUserAttribute takes a code)."""

_VERIFICATION_SOURCES = frozenset({
    "CustomMessage_SignUp", "CustomMessage_ResendCode", "CustomMessage_UpdateUserAttribute",
    "CustomMessage_VerifyUserAttribute", "CustomMessage_ForgotPassword",
})  # fmt: skip
"""Messages written with the pool's verification template. The password-reset code is one of them [C:
WikiWatershed/monitor-my-watershed#636: changing the pool's message settings changed the reset email]."""


def pool_template(pool: UserPool, source: str, medium: str) -> tuple[str | None, str | None]:
    """The pool's own text and subject for a message (None where the pool sets none) [BC CreateUserPool]:
    - a verification code (sign-up, resent, attribute, password reset): VerificationMessageTemplate's
      EmailMessage/EmailSubject or SmsMessage, else the older EmailVerificationMessage/EmailVerificationSubject/
      SmsVerificationMessage;
      with DefaultEmailOption CONFIRM_WITH_LINK, a sign-up's email is EmailMessageByLink/EmailSubjectByLink;
    - an invitation: AdminCreateUserConfig.InviteMessageTemplate's EmailMessage/EmailSubject/SMSMessage;
    - an SMS code at sign-in (SMS MFA, SMS OTP): SmsAuthenticationMessage;
    - an email code at sign-in (email MFA, email OTP): EmailMfaConfiguration's Message/Subject [BC
      EmailMfaConfigType: "codes for MFA and sign-in with email OTPs"].
    """
    settings = pool.settings
    email = medium == "EMAIL"
    if source == "CustomMessage_AdminCreateUser":
        invite = (settings.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {}
        return (invite.get("EmailMessage"), invite.get("EmailSubject")) if email else (invite.get("SMSMessage"), None)
    if source in _VERIFICATION_SOURCES:
        template = settings.get("VerificationMessageTemplate") or {}
        if not email:
            return template.get("SmsMessage") or settings.get("SmsVerificationMessage"), None
        if confirms_by_link(pool, source, medium):
            return template.get("EmailMessageByLink"), template.get("EmailSubjectByLink")
        text = template.get("EmailMessage") or settings.get("EmailVerificationMessage")
        return text, template.get("EmailSubject") or settings.get("EmailVerificationSubject")
    if source == "CustomMessage_Authentication":
        if not email:
            return settings.get("SmsAuthenticationMessage"), None
        mfa_email = pool.mfa_config.get("EmailMfaConfiguration") or {}
        return mfa_email.get("Message"), mfa_email.get("Subject")
    return None, None


def confirms_by_link(pool: UserPool, source: str, medium: str) -> bool:
    """Whether this message confirms a sign-up by a link rather than a code [BC DefaultEmailOption]."""
    template = pool.settings.get("VerificationMessageTemplate") or {}
    return medium == "EMAIL" and source in _LINK_SOURCES and template.get("DefaultEmailOption") == "CONFIRM_WITH_LINK"


def confirmation_link(emu: Emulator, pool: UserPool, user: User, code: str, client_id: str | None) -> str:
    """The link a CONFIRM_WITH_LINK email carries: the domain's /confirmUser with the client, the user and the
    code [C: aws-amplify/amplify-js#612, "https://APP.auth.us-east-2.amazoncognito.com/confirmUser?client_id=
    CLIENT_ID&user_name=USERNAME&confirmation_code=CODE"]; here under the emulator's address for the domain."""
    query = urlencode({"client_id": client_id or "", "user_name": user.username, "confirmation_code": code})
    return f"{emu.base_url}/{pool.domain}/confirmUser?{query}"


def deliver(
    emu: Emulator,
    pool: UserPool,
    user: User,
    *,
    destination: str,
    medium: str,
    purpose: str,
    code: str,
    client_id: str | None = None,
    client_metadata: dict[str, Any] | None = None,
    source: str | None = None,
) -> Message:
    """Write the message (the trigger may) and record it in the outbox; the code is recorded as sent.

    `source` names the CustomMessage trigger source when the purpose does not (a resent sign-up code).
    """
    source = source or SOURCE_OF_PURPOSE.get(purpose, "CustomMessage_SignUp")
    by_link = confirms_by_link(pool, source, medium)
    if by_link and pool.domain is None:
        # A link needs the pool's domain [C: aws-amplify/amplify-js#4489, the API's answer quoted; aws/aws-cdk#8674]
        raise invalid_parameter(errors.LINK_NEEDS_DOMAIN)
    own_text, own_subject = pool_template(pool, source, medium)
    text = own_text or (DEFAULT_LINK_TEXT if by_link else DEFAULT_TEXT.get(source, DEFAULT_VERIFICATION_TEXT))
    subject: str | None = None
    if medium == "EMAIL":
        default_subject = DEFAULT_LINK_SUBJECT if by_link else DEFAULT_SUBJECT.get(source, DEFAULT_VERIFICATION_SUBJECT)
        subject = own_subject or default_subject
    invitation = source == "CustomMessage_AdminCreateUser"
    request: dict[str, Any] = {
        "codeParameter": CODE_PARAMETER,
        "linkParameter": LINK_PARAMETER,
        "usernameParameter": USERNAME_PARAMETER if invitation else None,
        "clientMetadata": dict(client_metadata or {}),
    }
    response = invoke(
        emu.triggers, pool, "CustomMessage", source, client_id=client_id, user=user, username=user.username,
        request=request,
    ) or {}  # fmt: skip
    written = response.get("emailMessage") if medium == "EMAIL" else response.get("smsMessage")
    if written is not None:
        text = str(written)
        # UNCONFIRMED: a link message is accepted with the link's text in place of the code
        if CODE_PARAMETER not in text and not (by_link and LINK_TEXT.search(text)):
            member = "emailBody" if medium == "EMAIL" else "smsMessage"  # UNCONFIRMED for SMS
            raise invalid_parameter(errors.CUSTOM_MESSAGE_WITHOUT_CODE.format(value=text, member=member))
    if medium == "EMAIL" and response.get("emailSubject") is not None:
        subject = str(response["emailSubject"])
    rendered = text.replace(CODE_PARAMETER, code)
    if invitation:
        rendered = rendered.replace(USERNAME_PARAMETER, user.username)
    link = confirmation_link(emu, pool, user, code, client_id) if by_link else None
    if link is not None:
        rendered = LINK_TEXT.sub(lambda found: f'<a href="{html.escape(link)}">{found.group(1)}</a>', rendered)
    now = emu.clock.now()
    message = Message(pool.pool_id, user.username, destination, medium, purpose, code, now, rendered, subject, link)
    emu.outbox.record(message)
    return message
