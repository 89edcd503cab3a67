"""Real Amplify JS v6 (Node) against the emulator's HTTP server: its device calls land as the Python model makes
them. Needs node and AUTHFLOW_AMPLIFY_DIR, a folder where `npm install aws-amplify@6` ran; skipped otherwise."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.emulator import Emulator, Reply
from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD, confirmed_user, http_client, make_client

SCRIPT = Path(__file__).parent / "node" / "devices.mjs"
AMPLIFY_DIR = os.environ.get("AUTHFLOW_AMPLIFY_DIR", "")

pytestmark = pytest.mark.skipif(
    not (shutil.which("node") and AMPLIFY_DIR),
    reason="set AUTHFLOW_AMPLIFY_DIR to a folder where `npm install aws-amplify@6` ran, to drive real Amplify",
)


class RecordingEmulator(Emulator):
    """Records each call's operation and, for challenge answers, the challenge."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def handle(self, target: str | None, body: bytes) -> Reply:
        operation = (target or "").rsplit(".", 1)[-1]
        challenge = json.loads(body or b"{}").get("ChallengeName") if body else None
        self.calls.append(f"{operation} {challenge}" if challenge else operation)
        return super().handle(target, body)


@pytest.fixture
def emu() -> RecordingEmulator:
    return RecordingEmulator()


@pytest.fixture
def server(emu: RecordingEmulator) -> Iterator[EmulatorServer]:
    running = EmulatorServer(emu, "127.0.0.1", 0)
    running.start_in_thread()
    yield running
    running.stop()


def test_amplify_remembers_lists_signs_in_with_and_forgets_a_device(
    server: EmulatorServer, emu: RecordingEmulator
) -> None:
    cognito = http_client(server)
    config = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}
    pool_id = cognito.create_user_pool(PoolName="node", DeviceConfiguration=config)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    run = subprocess.run(
        ["node", str(SCRIPT), AMPLIFY_DIR, server.url, pool_id, client_id, "ada", PASSWORD],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    [(key, name, status)] = report["afterSignIn"]
    assert (name, status) == ("authflow node test", "not_remembered")
    assert report["afterRemember"] == [[key, name, "remembered"]]
    assert report["firstSignIn"] == report["secondSignIn"] == "DONE"
    assert report["refreshed"] is True
    assert report["afterForget"] == []
    assert [c for c in emu.calls if "DEVICE" in c or c in ("ConfirmDevice", "UpdateDeviceStatus", "ForgetDevice")] == [
        "ConfirmDevice",
        "UpdateDeviceStatus",
        "RespondToAuthChallenge DEVICE_SRP_AUTH",
        "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
        "ForgetDevice",
    ]
    devices = cognito.admin_list_devices(UserPoolId=pool_id, Username="ada")["Devices"]
    assert devices == []  # the device the second sign-in authenticated was the one forgotten: no new one
