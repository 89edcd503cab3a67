"""Real amazon-cognito-identity-js (the library before Amplify v6, still in many apps) against the emulator's HTTP
server: its SRP sign-in, enableMFA() / disableMFA() (the legacy SetUserSettings), getMFAOptions() and an SMS MFA
sign-in completed with sendMFACode(). Needs node and AUTHFLOW_AMPLIFY_DIR, a folder where `npm ci` ran with
tests/node/package.json (which pins the library); skipped otherwise."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD, confirmed_user, http_client, make_client

SCRIPT = Path(__file__).parent / "node" / "identity_js_legacy_mfa.mjs"
NODE_DIR = os.environ.get("AUTHFLOW_AMPLIFY_DIR", "")
SMS = {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns", "ExternalId": "x"}}
PHONE = "+15555550100"

pytestmark = pytest.mark.skipif(
    not (
        shutil.which("node") and NODE_DIR and (Path(NODE_DIR) / "node_modules" / "amazon-cognito-identity-js").is_dir()
    ),
    reason="set AUTHFLOW_AMPLIFY_DIR to a folder where `npm ci` ran with tests/node/package.json",
)


def test_identity_js_turns_sms_mfa_on_and_off_with_the_legacy_settings(emulator_server: EmulatorServer) -> None:
    cognito = http_client(emulator_server)
    pool_id = cognito.create_user_pool(PoolName="identity-js")["UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SmsMfaConfiguration=SMS)
    client_id = make_client(cognito, pool_id)["ClientId"]  # SRP among its flows: the library's default
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "phone_number", "Value": PHONE}]
    )
    run = subprocess.run(
        ["node", str(SCRIPT), NODE_DIR, emulator_server.url, pool_id, client_id, "ada", PASSWORD, PHONE],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report == {
        "firstSignIn": "signed in",
        "enableMFA": "SUCCESS",
        "optionsAfterEnable": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}],
        "secondSignIn": "SMS_MFA answered",
        "disableMFA": "SUCCESS",
        "optionsAfterDisable": None,
        "thirdSignIn": "signed in",
    }
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert "MFAOptions" not in user and not user.get("UserMFASettingList")
