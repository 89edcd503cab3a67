"""signUp, confirmSignUp and autoSignIn (its signIn input, its Session, its 3-minute timer), resendSignUpCode and
the password reset APIs, against the emulator."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import PASSWORD, App, cognito_request, operations

AppFactory = Callable[..., App]
EMAIL = "ada@example.com"


def _sign_up(a: App, **options: object) -> dict[str, object]:
    return a.ok("signUp", username="ada", password=PASSWORD, options={"userAttributes": {"email": EMAIL}, **options})


def test_sign_up_and_confirm_without_auto_sign_in(app: AppFactory) -> None:
    a = app()
    outcome = a.amplify("signUp", username="ada", password=PASSWORD, options={"userAttributes": {"email": EMAIL}})
    next_step = outcome.response["nextStep"]
    assert next_step["signUpStep"] == "CONFIRM_SIGN_UP"
    delivery = next_step["codeDeliveryDetails"]
    assert (delivery["deliveryMedium"], delivery["attributeName"]) == ("EMAIL", "email")
    assert delivery["destination"] != EMAIL  # masked
    assert cognito_request(outcome)["UserAttributes"] == [{"Name": "email", "Value": EMAIL}]
    assert outcome.response["isSignUpComplete"] is False and outcome.response["userId"]
    done = a.ok("confirmSignUp", username="ada", confirmationCode=a.code(EMAIL))
    assert done == {"isSignUpComplete": True, "nextStep": {"signUpStep": "DONE"}}
    assert a.fails("autoSignIn")["Code"] == "AutoSignInException"


def test_auto_sign_in_true_signs_in_with_srp_and_the_sign_up_password(app: AppFactory) -> None:
    a = app()
    _sign_up(a, autoSignIn=True)
    assert a.fails("autoSignIn")["Code"] == "AutoSignInException"  # not before confirmation
    confirmed = a.ok("confirmSignUp", username="ada", confirmationCode=a.code(EMAIL))
    assert confirmed["nextStep"] == {"signUpStep": "COMPLETE_AUTO_SIGN_IN"}
    outcome = a.amplify("autoSignIn")
    assert outcome.response == {"isSignedIn": True, "nextStep": {"signInStep": "DONE"}}
    assert operations(outcome) == ["InitiateAuth", "RespondToAuthChallenge"]
    assert cognito_request(outcome, 0)["AuthFlow"] == "USER_SRP_AUTH"
    assert a.fails("autoSignIn")["Code"] == "AutoSignInException"  # once only


def test_auto_sign_in_with_custom_auth_drops_the_password(app: AppFactory) -> None:
    a = app("custom-auth")
    _sign_up(a, autoSignIn={"authFlowType": "CUSTOM_WITHOUT_SRP"})
    a.ok("confirmSignUp", username="ada", confirmationCode=a.code(EMAIL))
    outcome = a.amplify("autoSignIn")
    assert outcome.response["nextStep"]["signInStep"] == "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE"
    assert cognito_request(outcome)["AuthParameters"] == {"USERNAME": "ada"}


def test_auto_sign_in_user_auth_sends_the_stored_session(app: AppFactory) -> None:
    """What Amplify sends; whether the pool then signs the user in depends on ConfirmSignUp returning a Session."""
    a = app("user-auth")
    a.ok(
        "signUp",
        username="ada",
        options={"userAttributes": {"email": EMAIL}, "autoSignIn": {"authFlowType": "USER_AUTH"}},
    )
    confirm = a.amplify("confirmSignUp", username="ada", confirmationCode=a.code(EMAIL))
    assert "Session" not in cognito_request(confirm)  # Amplify never passes SignUp's Session on
    store = a.client.state.auto_sign_in
    assert store.active and store.username == "ada"
    assert store.session == confirm.request["calls"][0]["response"].get("Session")  # type: ignore[index]
    outcome = a.amplify("autoSignIn")
    request = cognito_request(outcome, 0)
    assert request["AuthFlow"] == "USER_AUTH" and request["AuthParameters"] == {"USERNAME": "ada"}
    assert request.get("Session") == store.session


def test_the_auto_sign_in_timer_resets_it_three_minutes_after_sign_up(app: AppFactory) -> None:
    a = app()
    _sign_up(a, autoSignIn=True)
    a.advance(181)
    late = a.ok("confirmSignUp", username="ada", confirmationCode=a.code(EMAIL))
    assert late["nextStep"] == {"signUpStep": "DONE"}
    assert a.fails("autoSignIn")["Code"] == "AutoSignInException"


def test_the_timer_fires_even_after_a_confirmation_in_time(app: AppFactory) -> None:
    """amplify-js never clears handleCodeAutoSignIn's timer: autoSignIn() must come within 3 minutes of signUp."""
    a = app()
    _sign_up(a, autoSignIn=True)
    a.advance(100)
    assert a.ok("confirmSignUp", username="ada", confirmationCode=a.code(EMAIL))["nextStep"]["signUpStep"] == (
        "COMPLETE_AUTO_SIGN_IN"
    )
    a.advance(81)
    assert a.fails("autoSignIn")["Code"] == "AutoSignInException"


def test_a_reload_loses_auto_sign_in(app: AppFactory) -> None:
    a = app()
    _sign_up(a, autoSignIn=True)
    a.ok("reloadPage")
    assert a.ok("confirmSignUp", username="ada", confirmationCode=a.code(EMAIL))["nextStep"]["signUpStep"] == "DONE"


def test_confirming_another_user_ends_auto_sign_in(app: AppFactory) -> None:
    a = app()
    a.ok("signUp", username="bob", password=PASSWORD, options={"userAttributes": {"email": "bob@example.com"}})
    _sign_up(a, autoSignIn=True)
    assert a.ok("confirmSignUp", username="bob", confirmationCode=a.code("bob@example.com"))["nextStep"] == {
        "signUpStep": "DONE"
    }
    assert not a.client.state.auto_sign_in.active


@pytest.mark.parametrize(
    ("inputs", "error"),
    [
        ({"confirmationCode": "123456"}, "EmptyConfirmSignUpUsername"),
        ({"username": "ada"}, "EmptyConfirmSignUpCode"),
    ],
)
def test_confirm_sign_up_checks(app: AppFactory, inputs: dict[str, str], error: str) -> None:
    outcome = app().amplify("confirmSignUp", **inputs)
    assert outcome.error is not None and outcome.error["Code"] == error and operations(outcome) == []


def test_sign_up_checks_the_username_and_sends_no_password_when_there_is_none(app: AppFactory) -> None:
    a = app()
    assert a.fails("signUp", password=PASSWORD)["Code"] == "EmptySignUpUsername"
    outcome = a.amplify("signUp", username="ada", options={"userAttributes": {"email": EMAIL}})
    assert "Password" not in cognito_request(outcome)
    assert outcome.error is not None and outcome.error["Code"] == "InvalidParameterException"


def test_resend_sign_up_code(app: AppFactory) -> None:
    a = app()
    _sign_up(a)
    assert a.ok("resendSignUpCode", username="ada")["deliveryMedium"] == "EMAIL"
    error = a.fails("resendSignUpCode", username="")
    assert (error["Code"], error["Message"]) == ("EmptySignUpUsername", "username is required to signUp")


def test_reset_password(app: AppFactory) -> None:
    a = app()
    a.user("ada", email=EMAIL, email_verified="true")
    reset = a.ok("resetPassword", username="ada")
    assert reset["isPasswordReset"] is False
    assert reset["nextStep"]["resetPasswordStep"] == "CONFIRM_RESET_PASSWORD_WITH_CODE"
    assert reset["nextStep"]["codeDeliveryDetails"]["deliveryMedium"] == "EMAIL"
    assert (
        a.fails("confirmResetPassword", newPassword="x", confirmationCode="1")["Code"]
        == "EmptyConfirmResetPasswordUsername"
    )
    assert (
        a.fails("confirmResetPassword", username="ada", confirmationCode="1")["Code"]
        == "EmptyConfirmResetPasswordNewPassword"
    )
    assert (
        a.fails("confirmResetPassword", username="ada", newPassword="x")["Code"]
        == "EmptyConfirmResetPasswordConfirmationCode"
    )
    assert (
        a.ok("confirmResetPassword", username="ada", newPassword="Another-Horse-8!", confirmationCode=a.code(EMAIL))
        == {}
    )
    assert a.ok("signIn", username="ada", password="Another-Horse-8!")["isSignedIn"] is True
    assert a.fails("resetPassword", username="")["Code"] == "EmptyResetPasswordUsername"
