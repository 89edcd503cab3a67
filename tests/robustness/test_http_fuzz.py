"""The HTTP endpoint answers malformed and mutated requests with an AWS-style 4xx, never a 500 or a hang."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.emulator import Emulator, service_model
from harness.emulator.server import EmulatorServer

pytestmark = pytest.mark.slow  # generated inputs by the hundred: `pytest -m 'not slow'` skips them

PREFIX = "AWSCognitoIdentityProviderService."


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    running = EmulatorServer(Emulator(), "127.0.0.1", 0)
    running.start_in_thread()
    yield running
    running.stop()


def send(server: EmulatorServer, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def assert_aws_answer(status: int, body: bytes) -> None:
    if status in (200, 204):
        return
    assert 400 <= status < 500, (status, body[:200])
    payload = json.loads(body)
    assert isinstance(payload["__type"], str) and isinstance(payload["message"], str)


targets = st.one_of(st.sampled_from(sorted(service_model.operation_names())).map(PREFIX.__add__), st.text(max_size=40))
bodies = st.one_of(
    st.binary(max_size=300),
    st.dictionaries(
        st.text(max_size=15),
        st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=3)),
        max_size=5,
    ).map(lambda d: json.dumps(d).encode()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["POST", "GET", "PUT", "DELETE", "OPTIONS"]),
    st.sampled_from(["/", "/_authflow/clock/advance", "/x/.well-known/jwks.json", "/%00"]),
    targets,
    bodies,
)
def test_mutated_requests(server: EmulatorServer, method: str, path: str, target: str, body: bytes) -> None:
    try:
        status, payload = send(
            server, method, path, body, {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"}
        )
    except (UnicodeEncodeError, ValueError):
        return  # http.client itself refuses to send such a header
    assert_aws_answer(status, payload)
