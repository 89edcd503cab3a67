"""Real Amplify JS v6 (Node) against the emulator's HTTP server: the sign-up and reset refusals of alias pools,
pools without self-service sign-up and users who never used their temporary password reach the app as the error
name and message Cognito sends (errors.py has their sources). Needs node and AUTHFLOW_AMPLIFY_DIR, a folder where
`npm install aws-amplify@6` ran; skipped otherwise."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness.emulator import errors
from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD, http_client, make_client

SCRIPT = Path(__file__).parent / "node" / "refusals.mjs"
AMPLIFY_DIR = os.environ.get("AUTHFLOW_AMPLIFY_DIR", "")

pytestmark = pytest.mark.skipif(
    not (shutil.which("node") and AMPLIFY_DIR),
    reason="set AUTHFLOW_AMPLIFY_DIR to a folder where `npm install aws-amplify@6` ran, to drive real Amplify",
)


def _pool(cognito: Any, **settings: Any) -> dict[str, str]:
    pool_id = cognito.create_user_pool(PoolName="node", **settings)["UserPool"]["Id"]
    return {"userPoolId": pool_id, "userPoolClientId": make_client(cognito, pool_id)["ClientId"]}


def test_amplify_surfaces_the_refusals_as_cognito_words_them(emulator_server: EmulatorServer) -> None:
    cognito = http_client(emulator_server)
    admin_only = _pool(cognito, AdminCreateUserConfig={"AllowAdminCreateUserOnly": True})
    email_alias = _pool(cognito, AliasAttributes=["email"])
    preferred_alias = _pool(cognito, AliasAttributes=["preferred_username"])
    plain = _pool(cognito)
    verified = [{"Name": "email", "Value": "ada@example.com"}, {"Name": "email_verified", "Value": "true"}]
    cognito.admin_create_user(
        UserPoolId=plain["userPoolId"], Username="ada", MessageAction="SUPPRESS", UserAttributes=verified
    )
    sign_up = {"username": "ada", "password": PASSWORD}
    cases = {
        "sign-up off": {**admin_only, "call": "signUp", "input": sign_up},
        "email-shaped username": {
            **email_alias, "call": "signUp", "input": {"username": "ada@example.com", "password": PASSWORD},
        },
        "preferred_username at sign-up": {
            **preferred_alias, "call": "signUp",
            "input": {**sign_up, "options": {"userAttributes": {"preferred_username": "countess"}}},
        },
        "reset before the first sign-in": {**plain, "call": "resetPassword", "input": {"username": "ada"}},
        "reset of an unknown user": {**plain, "call": "resetPassword", "input": {"username": "nobody"}},
        "sign-up that is allowed": {**plain, "call": "signUp", "input": {"username": "bob", "password": PASSWORD}},
    }  # fmt: skip
    run = subprocess.run(
        ["node", str(SCRIPT), AMPLIFY_DIR, emulator_server.url, json.dumps(cases)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report == {
        "sign-up off": {"name": "NotAuthorizedException", "message": errors.SIGN_UP_NOT_PERMITTED},
        "email-shaped username": {"name": "InvalidParameterException", "message": errors.USERNAME_EMAIL_FORMAT},
        "preferred_username at sign-up": {
            "name": "InvalidParameterException", "message": errors.PREFERRED_USERNAME_UNCONFIRMED,
        },
        "reset before the first sign-in": {
            "name": "NotAuthorizedException", "message": errors.PASSWORD_RESET_NOT_ALLOWED,
        },
        "reset of an unknown user": {"name": "UserNotFoundException", "message": errors.USERNAME_CLIENT_NOT_FOUND},
        "sign-up that is allowed": "ok",
    }  # fmt: skip
