"""A hand-built run with secrets planted everywhere a real run puts them, for the report tests."""

from __future__ import annotations

import base64
import json

from harness.engine.results import ScenarioResult, Status, StepResult


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _jwt(subject: str) -> str:
    return f"{_b64({'kid': 'planted', 'alg': 'RS256'})}.{_b64({'sub': subject})}.c2lnbmF0dXJl{subject}"


PASSWORD = "Planted-Password-1!"
NEW_PASSWORD = "Planted-NewPass-2!"
SIGNUP_PASSWORD = "Planted-SignUp-3!"
SESSION = "AYABeplanted-session-value-" + "s" * 60
OTHER_SESSION = "AYABeother-session-value-" + "o" * 60
ACCESS_TOKEN = _jwt("access-planted")
ID_TOKEN = _jwt("id-planted")
REFRESH_TOKEN = "afrt.planted-refresh-token-value-0123456789"
CLIENT_SECRET = "plantedclientsecret0123456789abcdefghijklmnopq"
SECRET_HASH = "cGxhbnRlZC1zZWNyZXQtaGFzaA=="
EMAIL_OTP = "48151623"
CONFIRMATION_CODE = "271828"
STRAY_JWT = _jwt("stray-only-in-text")  # never under a key: caught by its shape

SECRETS = {
    "password": PASSWORD,
    "new password": NEW_PASSWORD,
    "sign-up password": SIGNUP_PASSWORD,
    "session": SESSION,
    "other session": OTHER_SESSION,
    "access token": ACCESS_TOKEN,
    "id token": ID_TOKEN,
    "refresh token": REFRESH_TOKEN,
    "client secret": CLIENT_SECRET,
    "secret hash": SECRET_HASH,
    "email otp": EMAIL_OTP,
    "confirmation code": CONFIRMATION_CODE,
    "stray jwt": STRAY_JWT,
}

SCRIPT = '<script>alert("planted")</script>'
ESCAPE_SEQUENCE = "\x1b[31m"


def failed_result() -> ScenarioResult:
    """An expectation mismatch at line 30, after a NEW_PASSWORD_REQUIRED and an EMAIL_OTP challenge."""
    steps = [
        StepResult(
            0, "call InitiateAuth", "call", 12, Status.PASSED,
            request={"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "client-abc",
                     "AuthParameters": {"USERNAME": "ada", "PASSWORD": PASSWORD, "SECRET_HASH": SECRET_HASH}},
            response={"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": SESSION,
                      "ChallengeParameters": {"USER_ID_FOR_SRP": "ada", "requiredAttributes": "[]"}},
            duration_s=0.012,
        ),
        StepResult(
            1, "call RespondToAuthChallenge", "call", 20, Status.PASSED,
            request={"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": SESSION,
                     "ChallengeResponses": {"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD}},
            response={"ChallengeName": "EMAIL_OTP", "Session": OTHER_SESSION},
            duration_s=0.02,
        ),
        StepResult(
            2, "answer the email code", "call", 25, Status.PASSED,
            request={"ChallengeName": "EMAIL_OTP", "Session": OTHER_SESSION,
                     "ChallengeResponses": {"USERNAME": "ada", "EMAIL_OTP_CODE": EMAIL_OTP}},
            response={"AuthenticationResult": {"AccessToken": ACCESS_TOKEN, "IdToken": ID_TOKEN,
                                               "RefreshToken": REFRESH_TOKEN, "TokenType": "Bearer"}},
            duration_s=0.03,
        ),
        StepResult(
            3, "call DescribeUserPoolClient", "call", 30, Status.FAILED,
            request={"UserPoolId": "us-east-1_planted", "ClientId": "client-abc"},
            response={"UserPoolClient": {"ClientId": "client-abc", "ClientSecret": CLIENT_SECRET}},
            expected={"response": {"UserPoolClient": {"ClientSecret": "absent"}}, "tokens": "valid"},
            message=f"UserPoolClient.ClientSecret: expected absent, got '{CLIENT_SECRET}' {SCRIPT}",
            duration_s=0.004,
        ),
    ]  # fmt: skip
    return ScenarioResult(
        "reuse[pool-a]", "Planted | secrets", "scenarios/reuse.yaml", "pool-a", "emulator", Status.FAILED, steps,
        tags=["session", "user-auth"], refs=["https://example.com/issue/1", "javascript:alert(1)"],
        message=f"step 4 call DescribeUserPoolClient: expected absent, got '{CLIENT_SECRET}' {SCRIPT}",
        variables={"password": PASSWORD, "first_session": SESSION, "otp": EMAIL_OTP, "username": "ada"},
        started_at=1_700_000_000.0, duration_s=0.066, description="Secrets everywhere a real run has them.",
    )  # fmt: skip


def broken_result() -> ScenarioResult:
    """The backend failed: its error repeats the confirmation code and a JWT seen nowhere else."""
    error = (
        f"Invalid verification code {CONFIRMATION_CODE} provided, please try again. "
        f"{ESCAPE_SEQUENCE}token {STRAY_JWT}\x1b[0m\x00"
    )
    steps = [
        StepResult(
            0, "call SignUp", "call", 8, Status.PASSED,
            request={"Username": "bob", "Password": SIGNUP_PASSWORD, "SecretHash": SECRET_HASH},
            response={"UserConfirmed": False, "UserSub": "sub-1", "Session": SESSION},
        ),
        StepResult(
            1, "call ConfirmSignUp", "call", 14, Status.BROKEN,
            request={"Username": "bob", "ConfirmationCode": CONFIRMATION_CODE},
            response={"Error": {"Code": "InternalErrorException", "Message": error}},
            message=f"the backend failed: {error}",
        ),
        StepResult(
            2, "read the code", "outbox", 16, Status.PASSED,
            response={"Messages": [{"Destination": "bob@example.com", "Medium": "EMAIL", "Code": CONFIRMATION_CODE,
                                    "Purpose": "SignUp"}], "Count": 1},
        ),
    ]  # fmt: skip
    return ScenarioResult(
        "broken[pool-a]", "Broken backend", "scenarios/broken.yaml", "pool-a", "emulator", Status.BROKEN, steps,
        message=f"the backend failed: {error} (the password {PASSWORD} was sent in another scenario)",
        started_at=1_700_000_000.1, duration_s=0.5,
    )  # fmt: skip


def skipped_result() -> ScenarioResult:
    steps = [StepResult(0, "clock advance 181s", "clock", 9, Status.SKIPPED, message="the aws backend has no clock")]
    return ScenarioResult(
        "clock[pool-b]", "Needs a clock", "scenarios/clock.yaml", "pool-b", "aws", Status.SKIPPED, steps,
        message="the aws backend has no clock", started_at=1_700_000_001.0, duration_s=0.0,
    )  # fmt: skip


def passed_result() -> ScenarioResult:
    steps = [StepResult(0, "call ListUserPools", "call", 5, Status.PASSED, request={"MaxResults": 1},
                        response={"UserPools": []}, duration_s=0.001)]  # fmt: skip
    return ScenarioResult(
        "list[pool-b]", "Lists pools", "scenarios/list.yaml", "pool-b", "emulator", Status.PASSED, steps,
        tags=["smoke"], started_at=1_700_000_002.0, duration_s=0.25,
    )  # fmt: skip


def planted_results() -> list[ScenarioResult]:
    return [failed_result(), broken_result(), skipped_result(), passed_result()]
