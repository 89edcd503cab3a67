"""Amplify's errors: the client-side validation errors and the other errors its Auth APIs raise.

Scenarios match these by name and message exactly, so every text below is Amplify's own, whitespace included
(some are odd: the resendSignUpCode name starts "Emptyresend", a recovery suggestion misses a space). Each entry
names the amplify-js v6 file (under ``packages/auth/src/``) it comes from. A Cognito error surfaces with the
Cognito exception name and message, as Amplify's AuthError does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from harness.errors import AuthflowError


class AmplifyError(AuthflowError):
    """An AuthError as Amplify throws it: a name (the error's identity), a message and maybe a suggestion."""

    def __init__(self, name: str, message: str, recovery_suggestion: str | None = None) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message
        self.recovery_suggestion = recovery_suggestion

    def as_response(self) -> dict[str, Any]:
        """The step's response: shaped like a Cognito error so ``expect: {error, message}`` reads it."""
        error: dict[str, str] = {"Code": self.name, "Message": self.message}
        if self.recovery_suggestion is not None:
            error["RecoverySuggestion"] = self.recovery_suggestion
        return {"Error": error}


@dataclass(frozen=True)
class ErrorText:
    """One error's message and recovery suggestion, and where amplify-js defines them."""

    message: str
    recovery_suggestion: str | None = None
    source: str = ""


class Validation(StrEnum):
    """AuthValidationErrorCode: member name -> the error name thrown [errors/types/validation.ts]."""

    EmptySignInUsername = "EmptySignInUsername"
    EmptySignInPassword = "EmptySignInPassword"
    CustomAuthSignInPassword = "CustomAuthSignInPassword"
    EmptySignUpUsername = "EmptySignUpUsername"
    EmptySignUpPassword = "EmptySignUpPassword"
    EmptyConfirmSignUpUsername = "EmptyConfirmSignUpUsername"
    EmptyConfirmSignUpCode = "EmptyConfirmSignUpCode"
    EmptyResendSignUpCodeUsername = "EmptyresendSignUpCodeUsername"
    EmptyChallengeResponse = "EmptyChallengeResponse"
    EmptyConfirmResetPasswordUsername = "EmptyConfirmResetPasswordUsername"
    EmptyConfirmResetPasswordNewPassword = "EmptyConfirmResetPasswordNewPassword"
    EmptyConfirmResetPasswordConfirmationCode = "EmptyConfirmResetPasswordConfirmationCode"
    EmptyResetPasswordUsername = "EmptyResetPasswordUsername"
    EmptyVerifyTOTPSetupCode = "EmptyVerifyTOTPSetupCode"
    EmptyConfirmUserAttributeCode = "EmptyConfirmUserAttributeCode"
    IncorrectMFAMethod = "IncorrectMFAMethod"
    EmptyUpdatePassword = "EmptyUpdatePassword"
    InvalidPreferredChallenge = "InvalidPreferredChallenge"


_MAP = "common/AuthErrorStrings.ts (validationErrorMap)"

VALIDATION_ERRORS: dict[Validation, ErrorText] = {
    Validation.EmptyChallengeResponse: ErrorText("challengeResponse is required to confirmSignIn", source=_MAP),
    Validation.EmptyConfirmResetPasswordUsername: ErrorText(
        "username is required to confirmResetPassword", source=_MAP
    ),
    Validation.EmptyConfirmSignUpCode: ErrorText("code is required to confirmSignUp", source=_MAP),
    Validation.EmptyConfirmSignUpUsername: ErrorText("username is required to confirmSignUp", source=_MAP),
    Validation.EmptyConfirmResetPasswordConfirmationCode: ErrorText(
        "confirmationCode is required to confirmResetPassword", source=_MAP
    ),
    Validation.EmptyConfirmResetPasswordNewPassword: ErrorText(
        "newPassword is required to confirmResetPassword", source=_MAP
    ),
    Validation.EmptyResendSignUpCodeUsername: ErrorText("username is required to confirmSignUp", source=_MAP),
    Validation.EmptyResetPasswordUsername: ErrorText("username is required to resetPassword", source=_MAP),
    Validation.EmptySignInPassword: ErrorText("password is required to signIn", source=_MAP),
    Validation.EmptySignInUsername: ErrorText("username is required to signIn", source=_MAP),
    Validation.EmptySignUpPassword: ErrorText("password is required to signUp", source=_MAP),
    Validation.EmptySignUpUsername: ErrorText("username is required to signUp", source=_MAP),
    Validation.CustomAuthSignInPassword: ErrorText(
        "A password is not needed when signing in with CUSTOM_WITHOUT_SRP",
        "Do not include a password in your signIn call.",
        _MAP,
    ),
    Validation.IncorrectMFAMethod: ErrorText(
        "Incorrect MFA method was chosen. It should be either SMS, TOTP, or EMAIL",
        "Try to pass SMS, TOTP, or EMAIL as the challengeResponse",
        _MAP,
    ),
    Validation.EmptyVerifyTOTPSetupCode: ErrorText("code is required to verifyTotpSetup", source=_MAP),
    Validation.EmptyUpdatePassword: ErrorText(
        "oldPassword and newPassword are required to changePassword", source=_MAP
    ),
    Validation.EmptyConfirmUserAttributeCode: ErrorText(
        "confirmation code is required to confirmUserAttribute", source=_MAP
    ),
    Validation.InvalidPreferredChallenge: ErrorText(
        "The preferred challenge is not enabled in your backend configuration",
        "Ensure the authentication method is enabled in your Amplify backend configuration",
        _MAP,
    ),
}
"""The validation messages: the one table, as amplify-js's validationErrorMap has them."""


def require(condition: object, code: Validation) -> None:
    """assertValidationError: raise the validation error ``code`` unless ``condition`` is truthy (JS ``!!x``)."""
    if not condition:
        text = VALIDATION_ERRORS[code]
        raise AmplifyError(code.value, text.message, text.recovery_suggestion)


# --- errors other than validation -----------------------------------------------------------------------

SIGN_IN_EXCEPTION = "SignInException"  # common/AuthErrorStrings.ts (AuthErrorCodes)

NO_SIGN_IN_STATE = ErrorText(
    "\n\t\t\tAn error occurred during the sign in process.\n\n\t\t\tThis most likely occurred due to:\n"
    "\t\t\t1. signIn was not called before confirmSignIn.\n\t\t\t2. signIn threw an exception.\n"
    "\t\t\t3. page was refreshed during the sign in flow and session has expired.\n\t\t\t",
    "Make sure a successful call to signIn is made before calling confirmSignInand that the session has not expired.",
    "providers/cognito/apis/confirmSignIn.ts",
)
UNHANDLED_CHALLENGE = ErrorText(
    "An error occurred during the sign in process. {challenge} challengeName returned by the underlying service "
    "was not addressed.",
    source="providers/cognito/utils/signInHelpers.ts (getSignInResult)",
)
UNHANDLED_ANSWER = ErrorText(
    "An error occurred during the sign in process.\n\t\t{challenge} challengeName returned by the underlying service "
    "was not addressed.",
    source="providers/cognito/utils/signInHelpers.ts (handleChallengeName)",
)
MFA_SETUP_ANSWER = ErrorText(
    "Cannot proceed with MFA setup using challengeResponse: {answer}",
    'Try passing "EMAIL", "TOTP", a valid email, or OTP code as the challengeResponse.',
    "providers/cognito/utils/signInHelpers.ts (handleMFASetupChallenge)",
)
MFA_SETUP_TYPES = ErrorText(
    "Cannot initiate MFA setup from available types: {types}",
    source="providers/cognito/utils/signInHelpers.ts (getSignInResult)",
)
WEB_AUTHN_STATE = ErrorText(
    "Unable to proceed due to invalid sign in state.",
    source="client/flows/userAuth/handleWebAuthnSignInResult.ts",
)
WEB_AUTHN_TWICE = ErrorText(
    "Sequential WEB_AUTHN challenges returned from underlying service cannot be handled.",
    source="client/flows/userAuth/handleWebAuthnSignInResult.ts",
)

ALREADY_SIGNED_IN = "UserAlreadyAuthenticatedException"
UNAUTHENTICATED = "UserUnAuthenticatedException"
AUTO_SIGN_IN = "AutoSignInException"
NO_USER_ID_FOR_SRP = "EmptyUserIdForSRPException"
INVALID_TOKENS = "InvalidTokens"
PASSKEY_CANCELED = "PasskeyAuthenticationCanceled"
PASSKEY_OPTIONS = "InvalidPasskeyAuthenticationOptions"
NO_DEVICE_METADATA = "DeviceMetadataNotFoundException"

OTHER_ERRORS: dict[str, ErrorText] = {
    ALREADY_SIGNED_IN: ErrorText(
        "There is already a signed in user.",
        "Call signOut before calling signIn again.",
        "providers/cognito/utils/signInHelpers.ts (assertUserNotAuthenticated); errors/constants.ts",
    ),
    UNAUTHENTICATED: ErrorText(
        "User needs to be authenticated to call this API.",
        "Sign in before calling this API again.",
        "providers/cognito/utils/types.ts (tokenRefreshException); errors/constants.ts",
    ),
    AUTO_SIGN_IN: ErrorText(
        "The autoSignIn flow has not started, or has been cancelled/completed.",
        "Please try to use the signIn API or log out before starting a new autoSignIn flow.",
        "providers/cognito/apis/autoSignIn.ts; errors/constants.ts",
    ),
    NO_USER_ID_FOR_SRP: ErrorText(
        "USER_ID_FOR_SRP was not found in challengeParameters",
        source="providers/cognito/utils/handlePasswordVerifierChallenge.ts",
    ),
    INVALID_TOKENS: ErrorText(
        "Invalid tokens", "Check Cognito UserPool settings", "providers/cognito/tokenProvider/cacheTokens.ts"
    ),
    PASSKEY_CANCELED: ErrorText(
        "Passkey authentication ceremony has been canceled.",
        "User may have canceled the ceremony or another interruption has occurred. Check underlying error for details.",
        "client/utils/passkey/errors/passkeyError.ts",
    ),
    NO_DEVICE_METADATA: ErrorText(
        "Either deviceKey, deviceGroupKey or secretPassword were not found during the sign-in process.",
        "Make sure to not clear storage after calling the signIn API.",
        "providers/cognito/utils/types.ts (assertDeviceMetadata); errors/constants.ts",
    ),
    PASSKEY_OPTIONS: ErrorText(
        "Invalid passkey authentication options.",
        "Ensure your user pool is configured to support the WEB_AUTHN as an authentication factor.",
        "client/utils/passkey/errors/passkeyError.ts",
    ),
}
"""Errors with a fixed text, by name."""


def other_error(name: str) -> AmplifyError:
    text = OTHER_ERRORS[name]
    return AmplifyError(name, text.message, text.recovery_suggestion)


def sign_in_error(text: ErrorText, **values: str) -> AmplifyError:
    """A SignInException with one of the texts above, its placeholders filled in."""
    return AmplifyError(SIGN_IN_EXCEPTION, text.message.format(**values), text.recovery_suggestion)


AMPLIFY_ERROR_NAMES: frozenset[str] = frozenset(
    {code.value for code in Validation} | set(OTHER_ERRORS) | {SIGN_IN_EXCEPTION}
)
"""Every error name Amplify itself raises (Cognito's exception names come on top): what ``expect.error`` may name."""
