"""Amplify's translation tables, as data: Cognito ChallengeName <-> nextStep.signInStep, and how confirmSignIn
turns a ``challengeResponse`` back into RespondToAuthChallenge's ChallengeResponses.

Source: amplify-js v6 ``packages/auth/src/providers/cognito/utils/signInHelpers.ts`` (getSignInResult,
getSignInResultFromError, handleChallengeName, handleMFAChallenge, mapMfaType, getMFAType) and
``types/models.ts`` (the signInStep names).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class ChallengeStep:
    """One challenge Amplify handles: the step it reports, and the ChallengeResponses key of the answer."""

    challenge: str
    """Cognito's ChallengeName."""
    sign_in_step: str
    """Amplify's nextStep.signInStep for it."""
    answer_key: str | None
    """The ChallengeResponses key confirmSignIn puts ``challengeResponse`` under (None: not a plain key)."""


CHALLENGE_STEPS: Final = (
    ChallengeStep("CUSTOM_CHALLENGE", "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE", "ANSWER"),
    ChallengeStep("NEW_PASSWORD_REQUIRED", "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED", "NEW_PASSWORD"),
    ChallengeStep("SELECT_MFA_TYPE", "CONTINUE_SIGN_IN_WITH_MFA_SELECTION", "ANSWER"),
    ChallengeStep("SMS_MFA", "CONFIRM_SIGN_IN_WITH_SMS_CODE", "SMS_MFA_CODE"),
    ChallengeStep("SMS_OTP", "CONFIRM_SIGN_IN_WITH_SMS_CODE", "SMS_OTP_CODE"),
    ChallengeStep("SOFTWARE_TOKEN_MFA", "CONFIRM_SIGN_IN_WITH_TOTP_CODE", "SOFTWARE_TOKEN_MFA_CODE"),
    ChallengeStep("EMAIL_OTP", "CONFIRM_SIGN_IN_WITH_EMAIL_CODE", "EMAIL_OTP_CODE"),
    ChallengeStep("PASSWORD", "CONFIRM_SIGN_IN_WITH_PASSWORD", "PASSWORD"),
    # The password is not sent: it feeds SRP (SRP_A, then the PASSWORD_VERIFIER claim).
    ChallengeStep("PASSWORD_SRP", "CONFIRM_SIGN_IN_WITH_PASSWORD", None),
    ChallengeStep("SELECT_CHALLENGE", "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION", "ANSWER"),
)
"""Challenges whose signInStep is fixed (MFA_SETUP depends on what may be set up; WEB_AUTHN Amplify answers itself)."""

BY_CHALLENGE: Final = {row.challenge: row for row in CHALLENGE_STEPS}

MFA_SETUP: Final = "MFA_SETUP"
MFA_SETUP_STEPS: Final = (
    (frozenset({"TOTP", "EMAIL"}), "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION"),
    (frozenset({"EMAIL"}), "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP"),
    (frozenset({"TOTP"}), "CONTINUE_SIGN_IN_WITH_TOTP_SETUP"),
)
"""MFA_SETUP: the step for the MFA types that may be set up (SMS is never offered), checked in this order."""

WEB_AUTHN: Final = "WEB_AUTHN"
"""Answered by Amplify itself with a passkey, so it never becomes a signInStep of its own."""

UNHANDLED_CHALLENGES: Final = ("ADMIN_NO_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "PASSWORD_VERIFIER")
"""Challenges getSignInResult does not address: a SignInException."""

ERROR_STEPS: Final = {
    "PasswordResetRequiredException": "RESET_PASSWORD",
    "UserNotConfirmedException": "CONFIRM_SIGN_UP",
}
"""getSignInResultFromError: Cognito errors that become a next step instead of an error."""

MFA_TYPES: Final = {"SMS_MFA": "SMS", "SOFTWARE_TOKEN_MFA": "TOTP", "EMAIL_OTP": "EMAIL"}
"""getMFAType: Cognito MFA names -> Amplify's (others are dropped)."""

MFA_ANSWERS: Final = {"TOTP": "SOFTWARE_TOKEN_MFA", "EMAIL": "EMAIL_OTP", "SMS": "SMS_MFA"}
"""mapMfaType: the SELECT_MFA_TYPE answer for an Amplify MFA name."""

SELECT_LOCALLY: Final = ("PASSWORD", "PASSWORD_SRP")
"""First factors confirmSignIn selects without calling Cognito (it asks for the password next)."""

MFA_SETUP_LOCAL: Final = {"EMAIL": "EMAIL_OTP", "TOTP": "SOFTWARE_TOKEN_MFA"}
"""MFA_SETUP answers confirmSignIn handles locally: the MFA type it narrows MFAS_CAN_SETUP to."""

DONE: Final = "DONE"


def step_for(challenge: str) -> str | None:
    """The signInStep of a challenge with a fixed step, else None."""
    row = BY_CHALLENGE.get(challenge)
    return row.sign_in_step if row else None


def challenges_for(sign_in_step: str) -> tuple[str, ...]:
    """The other way: the ChallengeNames that lead to a signInStep (MFA_SETUP included)."""
    found = [row.challenge for row in CHALLENGE_STEPS if row.sign_in_step == sign_in_step]
    if any(step == sign_in_step for _, step in MFA_SETUP_STEPS):
        found.append(MFA_SETUP)
    return tuple(found)


def mfa_setup_step(types: frozenset[str]) -> str | None:
    """The MFA_SETUP step for the settable Amplify MFA types (EMAIL/TOTP), None when neither can be set up."""
    for needed, step in MFA_SETUP_STEPS:
        if needed <= types:
            return step
    return None


def amplify_mfa_types(cognito_types: list[str]) -> list[str]:
    """getMFATypes: Cognito names to Amplify's, in order, unknown ones dropped."""
    return [MFA_TYPES[name] for name in cognito_types if name in MFA_TYPES]


def mfa_answer(amplify_type: str) -> str:
    """mapMfaType: anything but TOTP or EMAIL maps to SMS_MFA (Amplify validated it before)."""
    return MFA_ANSWERS.get(amplify_type, "SMS_MFA")
