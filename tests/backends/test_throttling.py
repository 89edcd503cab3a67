"""Cognito's low quotas: botocore's adaptive retries absorb throttling, the report says a call was retried, and
no more than the configured number of calls are in flight at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from harness.backends.aws import AwsBackend, AwsSettings
from harness.backends.aws_client import GuardedClient
from harness.compare.matrix import Column, build_matrix
from harness.compare.render import to_markdown
from harness.emulator import Emulator, Reply
from harness.emulator.server import EmulatorServer
from harness.engine.library import discover
from harness.engine.results import Status
from harness.engine.runner import run_scenario

SCENARIO = """\
scenario: Signs in while Cognito throttles
pools: [plain]
vars:
  username: ${{ unique("user") }}
  password: Correct-Horse-9!
steps:
  - call: AdminCreateUser
    params: {Username: "${{ username }}", MessageAction: SUPPRESS}
  - call: AdminSetUserPassword
    params: {Username: "${{ username }}", Password: "${{ password }}", Permanent: true}
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
    expect: {tokens: valid}
"""
POOL = "clients:\n  - name: web\n    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]\n"


class ThrottlingEmulator(Emulator):
    """Answers the first InitiateAuth with Cognito's throttling error, as a busy account would."""

    def __init__(self) -> None:
        super().__init__()
        self.throttled = 0

    def handle(self, target: str | None, body: bytes) -> Reply:
        if target and target.endswith(".InitiateAuth") and self.throttled == 0:
            self.throttled += 1
            return self._reply(400, {"__type": "TooManyRequestsException", "message": "Rate exceeded"},
                               error="TooManyRequestsException")  # fmt: skip
        return super().handle(target, body)


@pytest.fixture
def throttling() -> Iterator[tuple[ThrottlingEmulator, EmulatorServer]]:
    emulator = ThrottlingEmulator()
    server = EmulatorServer(emulator, "127.0.0.1", 0)
    server.start_in_thread()
    yield emulator, server
    server.stop()


def test_a_throttled_call_is_retried_and_the_report_says_so(
    tmp_path: Path, throttling: tuple[ThrottlingEmulator, EmulatorServer]
) -> None:
    emulator, server = throttling
    (tmp_path / "pools").mkdir()
    (tmp_path / "pools" / "plain.yaml").write_text(POOL)
    (tmp_path / "s.yaml").write_text(SCENARIO)
    library = discover(tmp_path / "s.yaml")
    [scenario] = library.scenarios
    backend = AwsBackend(AwsSettings(endpoint_url=server.url))
    try:
        result = run_scenario(scenario, library.pools["plain"], backend, run_id="thro1234")
    finally:
        backend.close()
    assert emulator.throttled == 1
    assert result.status is Status.PASSED, result.message
    assert [step.retries for step in result.steps] == [0, 0, 1]
    matrix = build_matrix(scenario, [Column("aws", "plain")], [result])
    assert matrix.rows[2].cells[0].retries == 1
    from harness.compare.matrix import Comparison

    assert "ok (1 retry)" in to_markdown(Comparison("observe", ["aws"], [matrix]))


class SlowClient:
    """A stand-in for a boto3 client whose one operation takes a while, counting calls in flight."""

    def __init__(self) -> None:
        self.meta = SimpleNamespace(method_to_api_mapping={"list_user_pools": "ListUserPools"})
        self.in_flight = 0
        self.most = 0
        self._lock = threading.Lock()

    def list_user_pools(self, **_: Any) -> dict[str, Any]:
        with self._lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
        time.sleep(0.05)
        with self._lock:
            self.in_flight -= 1
        return {"UserPools": []}


class Allow:
    def check(self, operation: str, params: dict[str, Any]) -> None:
        return None

    def record(self, operation: str, params: dict[str, Any], response: dict[str, Any]) -> None:
        return None


def test_no_more_calls_in_flight_than_the_limit() -> None:
    slow = SlowClient()
    guarded = GuardedClient(slow, Allow(), max_concurrency=2)
    threads = [threading.Thread(target=lambda: guarded.list_user_pools(MaxResults=1)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert slow.most == 2
    assert guarded.meta is slow.meta  # everything else passes through


def test_the_client_uses_adaptive_retries(throttling: tuple[ThrottlingEmulator, EmulatorServer]) -> None:
    backend = AwsBackend(AwsSettings(endpoint_url=throttling[1].url, max_attempts=5))
    retries = backend.cognito().raw.meta.config.retries
    assert retries["mode"] == "adaptive" and retries["total_max_attempts"] == 5
