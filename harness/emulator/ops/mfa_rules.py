"""Which MFA settings a pool may combine with its sign-in policy; pools.py and mfa.py both ask.

[OBS, real answers quoted in public infrastructure-tool issues; cognito-behaviour.md "Sourced 2026-11-29"]
With MFA required, only PASSWORD and WEB_AUTHN may be first factors (EMAIL_OTP and SMS_OTP are refused), and a
passkey first factor must then verify the user (WebAuthn FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION).
UNCONFIRMED: that OPTIONAL MFA allows OTP first factors (the quoted answers concern required MFA), and that a
FactorConfiguration left at its default does not count as SINGLE_FACTOR here.
Email MFA needs the pool to send email through Amazon SES, EmailSendingAccount DEVELOPER [DG "Email MFA"];
EMAIL_OTP as a first factor needs no such configuration [OBS].
"""

from __future__ import annotations

from typing import Any

from harness.emulator import errors
from harness.emulator.errors import invalid_parameter

OTP_FIRST_FACTORS = frozenset({"EMAIL_OTP", "SMS_OTP"})


def check_first_factors_with_mfa(mode: str, factors: list[str], web_authn: dict[str, Any] | None = None) -> None:
    """Refuse required MFA with an OTP first factor, or with a single-factor passkey first factor."""
    if mode != "ON":
        return
    if OTP_FIRST_FACTORS & set(factors):
        raise invalid_parameter(errors.MFA_WITH_OTP_FACTOR)
    if "WEB_AUTHN" in factors and (web_authn or {}).get("FactorConfiguration") == "SINGLE_FACTOR":
        raise invalid_parameter(errors.WEB_AUTHN_SINGLE_FACTOR_WITH_MFA)


def check_email_mfa_can_send(pool_settings: dict[str, Any]) -> None:
    """Email MFA only for a pool that sends its email through SES."""
    if (pool_settings.get("EmailConfiguration") or {}).get("EmailSendingAccount") != "DEVELOPER":
        raise invalid_parameter(errors.EMAIL_MFA_NEEDS_SES)
