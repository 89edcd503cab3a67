"""Fixtures: the emulator on a loopback port as the "AWS" endpoint, and aws backends pointed at it.

Nothing here may reach AWS: every client has an endpoint_url on 127.0.0.1, credentials come from the
environment (dummy values), and the instance-metadata lookup of the credential chain is disabled.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from harness.backends.aws import AwsBackend, AwsSettings
from harness.emulator import Emulator, Reply
from harness.emulator.server import EmulatorServer
from harness.engine.library import discover
from harness.scenario.model import Library

REPO = Path(__file__).resolve().parents[2]


class RecordingEmulator(Emulator):
    """Records every operation it is asked to perform, so tests can assert what was (not) called."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls: list[str] = []
        self._calls_lock = threading.Lock()

    def handle(self, target: str | None, body: bytes) -> Reply:
        with self._calls_lock:
            self.calls.append((target or "").rsplit(".", 1)[-1])
        return super().handle(target, body)


@pytest.fixture(autouse=True)
def offline_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials and region from the environment; no profile files, no instance metadata."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "authflow-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "authflow-test")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.delenv("AUTHFLOW_AWS_MAX_WAIT", raising=False)
    monkeypatch.delenv("AUTHFLOW_CODE_SOURCE", raising=False)


@pytest.fixture
def emulator() -> RecordingEmulator:
    return RecordingEmulator()


@pytest.fixture
def server(emulator: RecordingEmulator) -> Iterator[EmulatorServer]:
    running = EmulatorServer(emulator, "127.0.0.1", 0)
    running.start_in_thread()
    yield running
    running.stop()


@pytest.fixture
def admin(server: EmulatorServer) -> Any:
    """A plain boto3 client on the endpoint, to look at what the backend did (and set up existing pools)."""
    return boto3.client(
        "cognito-idp", endpoint_url=server.url, region_name="us-east-1", config=Config(retries={"max_attempts": 1})
    )


@pytest.fixture
def make_backend(server: EmulatorServer) -> Iterator[Callable[..., AwsBackend]]:
    """aws backends on the emulator's endpoint; each is closed at the end of the test."""
    made: list[AwsBackend] = []

    def make(**settings: Any) -> AwsBackend:
        backend = AwsBackend(AwsSettings(endpoint_url=server.url, **settings))
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture(scope="session")
def library() -> Library:
    found = discover(REPO / "scenarios")
    assert found.ok, "\n".join(map(str, found.issues))
    return found


def tagged_pools(admin: Any) -> dict[str, dict[str, str]]:
    """Every pool on the endpoint tagged managed-by=authflow: id -> tags."""
    found = {}
    for pool in admin.list_user_pools(MaxResults=60)["UserPools"]:
        arn = admin.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["Arn"]
        tags = admin.list_tags_for_resource(ResourceArn=arn)["Tags"]
        if tags.get("managed-by") == "authflow":
            found[pool["Id"]] = tags
    return found


def side_door_codes(url: str) -> Callable[[str, str | None], list[dict[str, Any]]]:
    """A code source for the aws backend that reads the emulator's outbox over its HTTP side door."""
    import urllib.parse
    import urllib.request

    def codes(pool_id: str, to: str | None) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"pool": pool_id, **({"to": to} if to else {})})
        with urllib.request.urlopen(f"{url}/_authflow/outbox?{query}", timeout=5) as reply:
            messages = json.loads(reply.read())["messages"]
        keys = {"destination": "Destination", "medium": "Medium", "code": "Code", "purpose": "Purpose", "link": "Link"}
        return [{keys.get(k, k): v for k, v in m.items() if k in keys} for m in messages]

    return codes
