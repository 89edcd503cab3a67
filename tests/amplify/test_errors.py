"""Amplify's error names and messages, one row per error, as amplify-js v6 writes them (AuthErrorStrings.ts,
validation.ts, errors/constants.ts)."""

from __future__ import annotations

import pytest

from harness.clients.amplify.errors import (
    AMPLIFY_ERROR_NAMES,
    OTHER_ERRORS,
    VALIDATION_ERRORS,
    AmplifyError,
    Validation,
    other_error,
    require,
)
from harness.clients.amplify.sign_up import sign_up_error

VALIDATION = [
    ("EmptySignInUsername", "username is required to signIn", None),
    ("EmptySignInPassword", "password is required to signIn", None),
    (
        "CustomAuthSignInPassword",
        "A password is not needed when signing in with CUSTOM_WITHOUT_SRP",
        "Do not include a password in your signIn call.",
    ),
    ("EmptySignUpUsername", "username is required to signUp", None),
    ("EmptySignUpPassword", "password is required to signUp", None),
    ("EmptyConfirmSignUpUsername", "username is required to confirmSignUp", None),
    ("EmptyConfirmSignUpCode", "code is required to confirmSignUp", None),
    ("EmptyresendSignUpCodeUsername", "username is required to confirmSignUp", None),
    ("EmptyChallengeResponse", "challengeResponse is required to confirmSignIn", None),
    ("EmptyConfirmResetPasswordUsername", "username is required to confirmResetPassword", None),
    ("EmptyConfirmResetPasswordNewPassword", "newPassword is required to confirmResetPassword", None),
    ("EmptyConfirmResetPasswordConfirmationCode", "confirmationCode is required to confirmResetPassword", None),
    ("EmptyResetPasswordUsername", "username is required to resetPassword", None),
    ("EmptyVerifyTOTPSetupCode", "code is required to verifyTotpSetup", None),
    ("EmptyConfirmUserAttributeCode", "confirmation code is required to confirmUserAttribute", None),
    (
        "IncorrectMFAMethod",
        "Incorrect MFA method was chosen. It should be either SMS, TOTP, or EMAIL",
        "Try to pass SMS, TOTP, or EMAIL as the challengeResponse",
    ),
    ("EmptyUpdatePassword", "oldPassword and newPassword are required to changePassword", None),
    (
        "InvalidPreferredChallenge",
        "The preferred challenge is not enabled in your backend configuration",
        "Ensure the authentication method is enabled in your Amplify backend configuration",
    ),
]


@pytest.mark.parametrize(("name", "message", "suggestion"), VALIDATION, ids=[n for n, _, _ in VALIDATION])
def test_validation_error(name: str, message: str, suggestion: str | None) -> None:
    code = Validation(name)
    with pytest.raises(AmplifyError) as raised:
        require("", code)
    assert (raised.value.name, raised.value.message, raised.value.recovery_suggestion) == (name, message, suggestion)
    require("x", code)  # a truthy value passes
    assert name in AMPLIFY_ERROR_NAMES
    assert VALIDATION_ERRORS[code].source.startswith("common/AuthErrorStrings.ts")


def test_every_validation_code_has_one_row() -> None:
    assert {code.value for code in Validation} == {name for name, _, _ in VALIDATION}
    assert set(VALIDATION_ERRORS) == set(Validation)


@pytest.mark.parametrize("name", sorted(OTHER_ERRORS))
def test_other_errors_have_a_source_and_are_expectable(name: str) -> None:
    error = other_error(name)
    assert error.name == name and error.message and OTHER_ERRORS[name].source
    assert name in AMPLIFY_ERROR_NAMES


def test_an_error_outcome_reads_like_a_cognito_error() -> None:
    error = AmplifyError("CustomAuthSignInPassword", "m", "s")
    assert error.as_response() == {
        "Error": {"Code": "CustomAuthSignInPassword", "Message": "m", "RecoverySuggestion": "s"}
    }
    assert AmplifyError("NotAuthorizedException", "m").as_response() == {
        "Error": {"Code": "NotAuthorizedException", "Message": "m"}
    }


@pytest.mark.parametrize(
    ("message", "name"),
    [
        (
            "1 validation error detected: Value at 'password'failed to satisfy constraint: Member must not be null",
            "EmptySignUpPassword",
        ),
        ("Password is required for this user pool.", "InvalidParameterException"),
    ],
)
def test_sign_up_missing_password_mapping(message: str, name: str) -> None:
    """createSignUpClient's deserializer renames only Cognito's model-validation message."""
    assert sign_up_error(AmplifyError("InvalidParameterException", message)).name == name
