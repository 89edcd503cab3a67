"""The translation tables, one row at a time: ChallengeName -> signInStep, confirmSignIn's ChallengeResponses,
Cognito errors that become steps, MFA names. Expected rows are written out here from amplify-js v6
(signInHelpers.ts), not derived from the tables under test."""

from __future__ import annotations

from typing import Any, cast

import pytest

from harness.clients.amplify import mapping
from harness.clients.amplify.errors import AmplifyError
from harness.clients.amplify.next_step import result_from_error, sign_in_result
from harness.clients.amplify.service import Amplify
from harness.clients.amplify.sign_in import confirm_sign_in
from harness.clients.amplify.state import AmplifyState, SignInState
from harness.cognito.srp import SrpClient

NO_CALLS = cast(Amplify, object())  # these rows need no Cognito call: any use of it would fail

STEPS = [
    ("CUSTOM_CHALLENGE", "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE"),
    ("NEW_PASSWORD_REQUIRED", "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED"),
    ("SELECT_MFA_TYPE", "CONTINUE_SIGN_IN_WITH_MFA_SELECTION"),
    ("SMS_MFA", "CONFIRM_SIGN_IN_WITH_SMS_CODE"),
    ("SMS_OTP", "CONFIRM_SIGN_IN_WITH_SMS_CODE"),
    ("SOFTWARE_TOKEN_MFA", "CONFIRM_SIGN_IN_WITH_TOTP_CODE"),
    ("EMAIL_OTP", "CONFIRM_SIGN_IN_WITH_EMAIL_CODE"),
    ("PASSWORD", "CONFIRM_SIGN_IN_WITH_PASSWORD"),
    ("PASSWORD_SRP", "CONFIRM_SIGN_IN_WITH_PASSWORD"),
    ("SELECT_CHALLENGE", "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION"),
]


@pytest.mark.parametrize(("challenge", "step"), STEPS, ids=[c for c, _ in STEPS])
def test_challenge_to_sign_in_step(challenge: str, step: str) -> None:
    assert mapping.step_for(challenge) == step
    assert challenge in mapping.challenges_for(step)
    result = sign_in_result(NO_CALLS, challenge, {})
    assert result["isSignedIn"] is False
    assert result["nextStep"]["signInStep"] == step


def test_the_table_has_exactly_these_rows() -> None:
    assert [(row.challenge, row.sign_in_step) for row in mapping.CHALLENGE_STEPS] == STEPS


DETAILS = [
    ("CUSTOM_CHALLENGE", {"USERNAME": "ada", "hint": "x"}, {"additionalInfo": {"USERNAME": "ada", "hint": "x"}}),
    (
        "NEW_PASSWORD_REQUIRED",
        {"requiredAttributes": '["userAttributes.name","userAttributes.email"]'},
        {"missingAttributes": ["name", "email"]},
    ),
    ("NEW_PASSWORD_REQUIRED", {}, {"missingAttributes": []}),
    (
        "SELECT_MFA_TYPE",
        {"MFAS_CAN_CHOOSE": '["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP"]'},
        {"allowedMFATypes": ["SMS", "TOTP", "EMAIL"]},
    ),
    (
        "EMAIL_OTP",
        {"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***"},
        {"codeDeliveryDetails": {"deliveryMedium": "EMAIL", "destination": "a***@e***"}},
    ),
    ("SMS_MFA", {"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS"}, {"codeDeliveryDetails": {"deliveryMedium": "SMS"}}),
]


@pytest.mark.parametrize(
    ("challenge", "parameters", "extra"), DETAILS, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(DETAILS)]
)
def test_next_step_details(challenge: str, parameters: dict[str, str], extra: dict[str, Any]) -> None:
    next_step = sign_in_result(NO_CALLS, challenge, parameters)["nextStep"]
    assert {k: v for k, v in next_step.items() if k != "signInStep"} == extra


def test_first_factor_selection_lists_the_available_challenges() -> None:
    result = sign_in_result(NO_CALLS, "SELECT_CHALLENGE", {}, ["PASSWORD", "EMAIL_OTP"])
    assert result["nextStep"]["availableChallenges"] == ["PASSWORD", "EMAIL_OTP"]


@pytest.mark.parametrize("challenge", [*mapping.UNHANDLED_CHALLENGES, None])
def test_unaddressed_challenges_are_a_sign_in_exception(challenge: str | None) -> None:
    with pytest.raises(AmplifyError) as raised:
        sign_in_result(NO_CALLS, challenge, {})
    assert raised.value.name == "SignInException"
    assert raised.value.message == (
        f"An error occurred during the sign in process. {challenge or 'undefined'} challengeName returned by the "
        "underlying service was not addressed."
    )


MFA_SETUP = [
    ('["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]', "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION"),
    ('["EMAIL_OTP"]', "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP"),
    ('["SMS_MFA","EMAIL_OTP"]', "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP"),
]


@pytest.mark.parametrize(("can_set_up", "step"), MFA_SETUP)
def test_mfa_setup_step(can_set_up: str, step: str) -> None:
    result = sign_in_result(NO_CALLS, "MFA_SETUP", {"MFAS_CAN_SETUP": can_set_up})
    assert result["nextStep"]["signInStep"] == step
    assert "MFA_SETUP" in mapping.challenges_for(step)


def test_mfa_setup_with_only_sms_cannot_proceed() -> None:
    with pytest.raises(AmplifyError) as raised:
        sign_in_result(NO_CALLS, "MFA_SETUP", {"MFAS_CAN_SETUP": '["SMS_MFA"]'})
    assert (raised.value.name, raised.value.message) == (
        "SignInException",
        "Cannot initiate MFA setup from available types: SMS",
    )


@pytest.mark.parametrize(
    ("error", "step"),
    [("PasswordResetRequiredException", "RESET_PASSWORD"), ("UserNotConfirmedException", "CONFIRM_SIGN_UP")],
)
def test_errors_that_become_a_next_step(error: str, step: str) -> None:
    assert result_from_error(AmplifyError(error, "m")) == {"isSignedIn": False, "nextStep": {"signInStep": step}}


@pytest.mark.parametrize("error", ["NotAuthorizedException", "CodeMismatchException", "EmptySignInPassword"])
def test_other_errors_are_thrown(error: str) -> None:
    with pytest.raises(AmplifyError):
        result_from_error(AmplifyError(error, "m"))


@pytest.mark.parametrize(
    ("cognito", "amplify"), [("SMS_MFA", "SMS"), ("SOFTWARE_TOKEN_MFA", "TOTP"), ("EMAIL_OTP", "EMAIL")]
)
def test_mfa_names(cognito: str, amplify: str) -> None:
    assert mapping.amplify_mfa_types([cognito]) == [amplify]
    assert mapping.mfa_answer(amplify) == cognito


# --- confirmSignIn: the ChallengeResponses sent for each stored challenge ----------------------------------------


class Recorder(Amplify):
    """An Amplify whose Cognito answers every call with another custom challenge, recording the requests."""

    def __init__(self, challenge: str) -> None:
        self._state = AmplifyState()
        self._state.sign_in = SignInState("ada", challenge, "S1", {"loginId": "ada"})
        self.calls = []
        self.retries = 0

    @property
    def state(self) -> AmplifyState:
        return self._state

    def now(self) -> float:
        return 1_700_000_000.0

    def cognito(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls.append({"operation": operation, "request": params})
        if operation == "VerifySoftwareToken":
            return {"Status": "SUCCESS", "Session": "S2"}
        return {"ChallengeName": "CUSTOM_CHALLENGE", "Session": "S3", "ChallengeParameters": {}}

    def srp_client(self, username: str, password: str) -> SrpClient:
        return SrpClient("us-east-1_Pool", username, password, a=12345)


ANSWERS = [
    ("CUSTOM_CHALLENGE", "4242", {}, "CUSTOM_CHALLENGE", {"USERNAME": "ada", "ANSWER": "4242"}),
    ("SMS_MFA", "123456", {}, "SMS_MFA", {"USERNAME": "ada", "SMS_MFA_CODE": "123456"}),
    ("SMS_OTP", "123456", {}, "SMS_OTP", {"USERNAME": "ada", "SMS_OTP_CODE": "123456"}),
    (
        "SOFTWARE_TOKEN_MFA",
        "123456",
        {},
        "SOFTWARE_TOKEN_MFA",
        {"USERNAME": "ada", "SOFTWARE_TOKEN_MFA_CODE": "123456"},
    ),
    ("EMAIL_OTP", "12345678", {}, "EMAIL_OTP", {"USERNAME": "ada", "EMAIL_OTP_CODE": "12345678"}),
    (
        "NEW_PASSWORD_REQUIRED",
        "New-Horse-9!",
        {"userAttributes": {"name": "Ada", "nickname": ""}},
        "NEW_PASSWORD_REQUIRED",
        {"userAttributes.name": "Ada", "NEW_PASSWORD": "New-Horse-9!", "USERNAME": "ada"},
    ),
    ("SELECT_MFA_TYPE", "TOTP", {}, "SELECT_MFA_TYPE", {"USERNAME": "ada", "ANSWER": "SOFTWARE_TOKEN_MFA"}),
    ("SELECT_MFA_TYPE", "EMAIL", {}, "SELECT_MFA_TYPE", {"USERNAME": "ada", "ANSWER": "EMAIL_OTP"}),
    ("SELECT_MFA_TYPE", "SMS", {}, "SELECT_MFA_TYPE", {"USERNAME": "ada", "ANSWER": "SMS_MFA"}),
    ("SELECT_CHALLENGE", "EMAIL_OTP", {}, "SELECT_CHALLENGE", {"USERNAME": "ada", "ANSWER": "EMAIL_OTP"}),
    ("WEB_AUTHN", "EMAIL_OTP", {}, "SELECT_CHALLENGE", {"USERNAME": "ada", "ANSWER": "EMAIL_OTP"}),
    ("PASSWORD", "pw", {}, "SELECT_CHALLENGE", {"ANSWER": "PASSWORD", "USERNAME": "ada", "PASSWORD": "pw"}),
    ("MFA_SETUP", "ada@example.com", {}, "MFA_SETUP", {"USERNAME": "ada", "EMAIL": "ada@example.com"}),
]


@pytest.mark.parametrize(
    ("challenge", "answer", "options", "sent_challenge", "responses"),
    ANSWERS,
    ids=[f"{c}-{a}" for c, a, *_ in ANSWERS],
)
def test_confirm_sign_in_challenge_responses(
    challenge: str, answer: str, options: dict[str, Any], sent_challenge: str, responses: dict[str, str]
) -> None:
    amp = Recorder(challenge)
    result = confirm_sign_in(amp, {"challengeResponse": answer, "options": options})
    [call] = amp.calls
    assert call["operation"] == "RespondToAuthChallenge"
    assert call["request"]["ChallengeName"] == sent_challenge
    assert call["request"]["ChallengeResponses"] == responses
    assert call["request"]["Session"] == "S1"
    # the state now holds the new challenge and Session
    assert (amp.state.sign_in.challenge_name, amp.state.sign_in.session) == ("CUSTOM_CHALLENGE", "S3")
    assert result["nextStep"]["signInStep"] == "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE"


def test_password_srp_answer_starts_srp_on_select_challenge() -> None:
    amp = Recorder("PASSWORD_SRP")
    confirm_sign_in(amp, {"challengeResponse": "pw"})
    [call] = amp.calls
    sent = call["request"]["ChallengeResponses"]
    assert call["request"]["ChallengeName"] == "SELECT_CHALLENGE"
    assert sent["ANSWER"] == "PASSWORD_SRP" and sent["USERNAME"] == "ada"
    assert sent["SRP_A"] == amp.srp_client("ada", "pw").srp_a_hex and "PASSWORD" not in sent


def test_totp_code_for_mfa_setup_verifies_then_answers_with_the_new_session() -> None:
    amp = Recorder("MFA_SETUP")
    confirm_sign_in(amp, {"challengeResponse": "123456", "options": {"friendlyDeviceName": "phone"}})
    assert [c["operation"] for c in amp.calls] == ["VerifySoftwareToken", "RespondToAuthChallenge"]
    assert amp.calls[0]["request"] == {"UserCode": "123456", "Session": "S1", "FriendlyDeviceName": "phone"}
    assert amp.calls[1]["request"]["ChallengeName"] == "MFA_SETUP"
    assert amp.calls[1]["request"]["ChallengeResponses"] == {"USERNAME": "ada"}
    assert amp.calls[1]["request"]["Session"] == "S2"


LOCAL = [
    ("SELECT_CHALLENGE", "PASSWORD", "CONFIRM_SIGN_IN_WITH_PASSWORD"),
    ("SELECT_CHALLENGE", "PASSWORD_SRP", "CONFIRM_SIGN_IN_WITH_PASSWORD"),
    ("MFA_SETUP", "EMAIL", "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP"),
]


@pytest.mark.parametrize(("challenge", "answer", "step"), LOCAL)
def test_answers_handled_without_calling_cognito(challenge: str, answer: str, step: str) -> None:
    amp = Recorder(challenge)
    result = confirm_sign_in(amp, {"challengeResponse": answer})
    assert amp.calls == []
    assert result["nextStep"]["signInStep"] == step
    assert amp.state.sign_in.session == "S1"  # the same Session carries on


@pytest.mark.parametrize(
    ("challenge", "answer", "name", "message"),
    [
        (
            "SELECT_MFA_TYPE",
            "PUSH",
            "IncorrectMFAMethod",
            "Incorrect MFA method was chosen. It should be either SMS, TOTP, or EMAIL",
        ),
        ("MFA_SETUP", "SMS", "SignInException", "Cannot proceed with MFA setup using challengeResponse: SMS"),
        (
            "DEVICE_SRP_AUTH",
            "x",
            "SignInException",
            "An error occurred during the sign in process.\n\t\tDEVICE_SRP_AUTH challengeName returned by the underlying service was not addressed.",
        ),
    ],
)
def test_answers_amplify_refuses_keep_the_state(challenge: str, answer: str, name: str, message: str) -> None:
    amp = Recorder(challenge)
    with pytest.raises(AmplifyError) as raised:
        confirm_sign_in(amp, {"challengeResponse": answer})
    assert (raised.value.name, raised.value.message) == (name, message)
    assert amp.calls == []
    assert (amp.state.sign_in.challenge_name, amp.state.sign_in.session) == (challenge, "S1")
