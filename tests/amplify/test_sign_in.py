"""signIn and confirmSignIn against the emulator: each authFlowType's calls, the order of Amplify's checks, the
stored sign-in state, MFA, passkeys and the app-client-secret limitation."""

from __future__ import annotations

from collections.abc import Callable

import pyotp
import pytest

from harness.clients.amplify.state import SignInState

from .conftest import PASSWORD, App, cognito_request, operations

AppFactory = Callable[..., App]


def test_the_default_flow_is_srp(app: AppFactory) -> None:
    a = app()
    a.user("ada")
    outcome = a.amplify("signIn", username="ada", password=PASSWORD)
    assert outcome.response == {"isSignedIn": True, "nextStep": {"signInStep": "DONE"}}
    assert operations(outcome) == ["InitiateAuth", "RespondToAuthChallenge"]
    first, second = cognito_request(outcome, 0), cognito_request(outcome, 1)
    assert first["AuthFlow"] == "USER_SRP_AUTH" and set(first["AuthParameters"]) == {"USERNAME", "SRP_A"}
    assert second["ChallengeName"] == "PASSWORD_VERIFIER"
    assert "SECRET_HASH" not in second["ChallengeResponses"]
    tokens = a.client.state.tokens
    assert tokens is not None and tokens.username == "ada"
    assert tokens.sign_in_details == {"loginId": "ada", "authFlowType": "USER_SRP_AUTH"}
    assert a.client.state.sign_in == SignInState()  # cleared once signed in


@pytest.mark.parametrize(
    ("inputs", "error"),
    [
        ({"username": "ada"}, "EmptySignInPassword"),
        ({"username": "ada", "options": {"authFlowType": "USER_PASSWORD_AUTH"}}, "EmptySignInPassword"),
        ({"username": "ada", "options": {"authFlowType": "CUSTOM_WITH_SRP"}}, "EmptySignInPassword"),
        ({"username": "", "password": ""}, "EmptySignInUsername"),
        ({"password": PASSWORD, "options": {"authFlowType": "CUSTOM_WITHOUT_SRP"}}, "EmptySignInUsername"),
        (
            {"username": "ada", "password": "x", "options": {"authFlowType": "CUSTOM_WITHOUT_SRP"}},
            "CustomAuthSignInPassword",
        ),
        (
            {"username": "ada", "options": {"authFlowType": "USER_AUTH", "preferredChallenge": "PASSWORD"}},
            "EmptySignInPassword",
        ),
        (
            {"username": "ada", "options": {"authFlowType": "USER_AUTH", "preferredChallenge": "PASSWORD_SRP"}},
            "EmptySignInPassword",
        ),
    ],
)
def test_validation_comes_before_any_call(app: AppFactory, inputs: dict[str, object], error: str) -> None:
    a = app()
    outcome = a.amplify("signIn", **inputs)
    assert outcome.error is not None and outcome.error["Code"] == error
    assert operations(outcome) == []


@pytest.mark.parametrize(
    ("pool", "options", "auth_flow", "parameters"),
    [
        ("password-only", {"authFlowType": "USER_PASSWORD_AUTH"}, "USER_PASSWORD_AUTH", {"USERNAME", "PASSWORD"}),
        ("custom-auth", {"authFlowType": "CUSTOM_WITH_SRP"}, "CUSTOM_AUTH", {"USERNAME", "SRP_A", "CHALLENGE_NAME"}),
        (
            "user-auth",
            {"authFlowType": "USER_AUTH", "preferredChallenge": "PASSWORD"},
            "USER_AUTH",
            {"USERNAME", "PASSWORD", "PREFERRED_CHALLENGE"},
        ),
        (
            "user-auth",
            {"authFlowType": "USER_AUTH", "preferredChallenge": "PASSWORD_SRP"},
            "USER_AUTH",
            {"USERNAME", "SRP_A", "PREFERRED_CHALLENGE"},
        ),
        ("password-only", {"authFlowType": "NO_SUCH_FLOW"}, "USER_SRP_AUTH", {"USERNAME", "SRP_A"}),
    ],
)
def test_each_flow_starts_as_amplify_does(
    app: AppFactory, pool: str, options: dict[str, str], auth_flow: str, parameters: set[str]
) -> None:
    a = app(pool)
    a.user("ada", email="ada@example.com", email_verified="true")
    outcome = a.amplify("signIn", username="ada", password=PASSWORD, options=options)
    assert outcome.error is None, outcome.response
    request = cognito_request(outcome, 0)
    assert (request["AuthFlow"], set(request["AuthParameters"])) == (auth_flow, parameters)


def test_custom_without_srp_sends_the_username_alone(app: AppFactory) -> None:
    a = app("custom-auth")
    a.user("ada")
    outcome = a.amplify("signIn", username="ada", options={"authFlowType": "CUSTOM_WITHOUT_SRP"})
    assert cognito_request(outcome)["AuthParameters"] == {"USERNAME": "ada"}
    assert outcome.response["nextStep"]["additionalInfo"]["hint"] == "the agreed answer"
    state = a.client.state.sign_in
    assert (state.username, state.challenge_name) == ("ada", "CUSTOM_CHALLENGE") and state.session


def test_the_session_is_replaced_after_each_answer_and_kept_after_a_failure(app: AppFactory) -> None:
    a = app("custom-auth")
    a.user("ada")
    a.ok("signIn", username="ada", options={"authFlowType": "CUSTOM_WITHOUT_SRP"})
    first = a.client.state.sign_in.session
    a.ok("confirmSignIn", challengeResponse="0000")  # wrong: a new challenge, a new Session
    second = a.client.state.sign_in.session
    assert second and second != first
    assert cognito_request(a.amplify("confirmSignIn", challengeResponse="0000"))["Session"] == second
    # two wrong answers: the trigger fails the sign-in; Amplify keeps its (now useless) state
    state_after = a.client.state.sign_in
    assert state_after.challenge_name == "CUSTOM_CHALLENGE" and state_after.session == second


def test_a_failed_confirm_sign_in_keeps_the_state(app: AppFactory) -> None:
    a = app("user-auth")
    a.user("ada", email="ada@example.com", email_verified="true")
    result = a.ok("signIn", username="ada", options={"authFlowType": "USER_AUTH", "preferredChallenge": "EMAIL_OTP"})
    assert result["nextStep"]["signInStep"] == "CONFIRM_SIGN_IN_WITH_EMAIL_CODE"
    before = SignInState(**vars(a.client.state.sign_in))
    assert a.fails("confirmSignIn", challengeResponse="00000000")["Code"] == "CodeMismatchException"
    assert a.client.state.sign_in == before
    assert a.ok("confirmSignIn", challengeResponse=a.code("ada@example.com"))["isSignedIn"] is True


def test_a_failed_sign_in_clears_the_state(app: AppFactory) -> None:
    a = app("custom-auth")
    a.user("ada")
    a.ok("signIn", username="ada", options={"authFlowType": "CUSTOM_WITHOUT_SRP"})
    error = a.fails("signIn", username="ada", password="Wrong-Horse-9!")
    assert (error["Code"], error["Message"]) == ("NotAuthorizedException", "Incorrect username or password.")
    assert a.client.state.sign_in == SignInState()


def test_a_validation_error_leaves_the_state_alone(app: AppFactory) -> None:
    a = app("custom-auth")
    a.user("ada")
    a.ok("signIn", username="ada", options={"authFlowType": "CUSTOM_WITHOUT_SRP"})
    a.fails("signIn", username="ada")  # EmptySignInPassword is thrown before the flow's try block
    assert a.client.state.sign_in.challenge_name == "CUSTOM_CHALLENGE"
    assert a.fails("confirmSignIn", challengeResponse="")["Code"] == "EmptyChallengeResponse"
    assert a.ok("confirmSignIn", challengeResponse="4242")["isSignedIn"] is True


def test_first_factor_selection_then_password(app: AppFactory) -> None:
    a = app("user-auth")
    a.user("ada", email="ada@example.com", email_verified="true")
    result = a.ok("signIn", username="ada", options={"authFlowType": "USER_AUTH"})
    assert result["nextStep"] == {
        "signInStep": "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION",
        "availableChallenges": ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"],
    }
    chosen = a.amplify("confirmSignIn", challengeResponse="PASSWORD")
    assert chosen.response["nextStep"]["signInStep"] == "CONFIRM_SIGN_IN_WITH_PASSWORD"
    assert operations(chosen) == []
    done = a.amplify("confirmSignIn", challengeResponse=PASSWORD)
    assert done.response["isSignedIn"] is True
    assert cognito_request(done)["ChallengeResponses"]["ANSWER"] == "PASSWORD"


def test_first_factor_selection_then_password_srp(app: AppFactory) -> None:
    a = app("user-auth")
    a.user("ada")
    a.ok("signIn", username="ada", options={"authFlowType": "USER_AUTH"})
    a.ok("confirmSignIn", challengeResponse="PASSWORD_SRP")
    done = a.amplify("confirmSignIn", challengeResponse=PASSWORD)
    assert done.response["isSignedIn"] is True
    assert operations(done) == ["RespondToAuthChallenge", "RespondToAuthChallenge"]
    assert cognito_request(done, 1)["ChallengeName"] == "PASSWORD_VERIFIER"


def test_totp_setup_during_sign_in(app: AppFactory) -> None:
    a = app("mfa-totp")
    a.user("ada")
    outcome = a.amplify("signIn", username="ada", password=PASSWORD, options={"authFlowType": "USER_PASSWORD_AUTH"})
    assert operations(outcome) == ["InitiateAuth", "AssociateSoftwareToken"]
    next_step = outcome.response["nextStep"]
    assert next_step["signInStep"] == "CONTINUE_SIGN_IN_WITH_TOTP_SETUP"
    code = pyotp.TOTP(next_step["totpSetupDetails"]["sharedSecret"]).at(int(a.backend.now()))
    done = a.amplify("confirmSignIn", challengeResponse=code, options={"friendlyDeviceName": "phone"})
    assert done.response == {"isSignedIn": True, "nextStep": {"signInStep": "DONE"}}
    assert operations(done) == ["VerifySoftwareToken", "RespondToAuthChallenge"]


def test_mfa_selection(app: AppFactory) -> None:
    a = app("mfa-choice")
    a.user(
        "ada", email="ada@example.com", email_verified="true", phone_number="+15550100", phone_number_verified="true"
    )
    a.cognito(
        "AdminSetUserMFAPreference",
        Username="ada",
        SMSMfaSettings={"Enabled": True},
        EmailMfaSettings={"Enabled": True},
    )
    result = a.ok("signIn", username="ada", password=PASSWORD)
    assert result["nextStep"] == {
        "signInStep": "CONTINUE_SIGN_IN_WITH_MFA_SELECTION",
        "allowedMFATypes": ["SMS", "EMAIL"],
    }
    error = a.fails("confirmSignIn", challengeResponse="sms")
    assert error["Code"] == "IncorrectMFAMethod"
    sent = a.ok("confirmSignIn", challengeResponse="EMAIL")
    assert sent["nextStep"]["signInStep"] == "CONFIRM_SIGN_IN_WITH_EMAIL_CODE"
    assert a.ok("confirmSignIn", challengeResponse=a.code("ada@example.com"))["isSignedIn"] is True


def _register_passkey(a: App) -> None:
    a.user("ada")
    access = a.cognito(
        "InitiateAuth", AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD}
    )
    token = access["AuthenticationResult"]["AccessToken"]
    options = a.cognito("StartWebAuthnRegistration", AccessToken=token)["CredentialCreationOptions"]
    a.cognito("CompleteWebAuthnRegistration", AccessToken=token, Credential=a.ctx.authenticator.create(options))


def test_amplify_answers_web_authn_with_the_passkey(app: AppFactory) -> None:
    a = app("passkeys")
    _register_passkey(a)
    outcome = a.amplify(
        "signIn", username="ada", options={"authFlowType": "USER_AUTH", "preferredChallenge": "WEB_AUTHN"}
    )
    assert outcome.response == {"isSignedIn": True, "nextStep": {"signInStep": "DONE"}}
    assert operations(outcome) == ["InitiateAuth", "RespondToAuthChallenge"]
    assert cognito_request(outcome)["ChallengeName"] == "WEB_AUTHN"


def test_no_passkey_on_the_device(app: AppFactory) -> None:
    a = app("passkeys")
    _register_passkey(a)
    a.ctx.authenticator.credentials.clear()
    error = a.fails("signIn", username="ada", options={"authFlowType": "USER_AUTH", "preferredChallenge": "WEB_AUTHN"})
    assert (error["Code"], error["Message"]) == (
        "PasskeyAuthenticationCanceled",
        "Passkey authentication ceremony has been canceled.",
    )


def test_app_clients_with_a_secret_are_not_supported(app: AppFactory) -> None:
    a = app("password-only", client="confidential")
    a.user("ada")
    error = a.fails("signIn", username="ada", password=PASSWORD, options={"authFlowType": "USER_PASSWORD_AUTH"})
    assert error["Code"] == "NotAuthorizedException"
    assert (
        error["Message"]
        == f"Client {a.ctx.client.client_id} is configured with secret but SECRET_HASH was not received"
    )


def test_one_user_at_a_time(app: AppFactory) -> None:
    a = app()
    a.user("ada")
    a.ok("signIn", username="ada", password=PASSWORD)
    outcome = a.amplify("signIn", username="ada", password=PASSWORD)
    assert outcome.error == {
        "Code": "UserAlreadyAuthenticatedException",
        "Message": "There is already a signed in user.",
        "RecoverySuggestion": "Call signOut before calling signIn again.",
    }
    assert operations(outcome) == []
    a.ok("signOut")
    assert a.ok("signIn", username="ada", password=PASSWORD)["isSignedIn"] is True


def test_confirm_sign_in_without_a_sign_in(app: AppFactory) -> None:
    error = app().fails("confirmSignIn", challengeResponse="x")
    assert error["Code"] == "SignInException"
    assert error["Message"].startswith("\n\t\t\tAn error occurred during the sign in process.\n")
    assert "3. page was refreshed during the sign in flow and session has expired." in error["Message"]


def test_a_reload_restores_the_state_within_three_minutes(app: AppFactory) -> None:
    a = app("custom-auth")
    a.user("ada")
    a.ok("signIn", username="ada", options={"authFlowType": "CUSTOM_WITHOUT_SRP"})
    a.advance(170)
    a.ok("reloadPage")
    restored = a.client.state.sign_in
    assert (restored.username, restored.challenge_name) == ("ada", "CUSTOM_CHALLENGE")
    assert restored.sign_in_details is None  # not persisted by Amplify
    assert a.ok("confirmSignIn", challengeResponse="4242")["isSignedIn"] is True
