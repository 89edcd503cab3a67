"""The loopback HTTP server: the side door, CORS, bad requests and concurrent callers."""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any

import pytest

from harness.emulator import Emulator
from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD, http_client, make_client


def request(
    server: EmulatorServer, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], Any]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), json.loads(data) if data else None


def test_side_door_outbox_clock_and_reset(server: EmulatorServer, emu: Emulator) -> None:
    cognito = http_client(server)
    pool_id = cognito.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    cognito.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )
    status, _, body = request(server, "GET", "/_authflow/outbox?to=ada@example.com")
    assert status == 200
    [message] = body["messages"]
    assert (message["destination"], message["medium"], message["purpose"], message["pool_id"]) == (
        "ada@example.com",
        "EMAIL",
        "SignUp",
        pool_id,
    )
    assert message["code"] == emu.outbox.last().code  # type: ignore[union-attr]
    status, _, clock = request(server, "POST", "/_authflow/clock/advance", json.dumps({"seconds": 181}).encode())
    assert status == 200 and clock["offset"] == 181
    assert request(server, "GET", "/_authflow/clock")[2]["offset"] == 181
    status, _, error = request(server, "POST", "/_authflow/clock/advance", b'{"seconds": -5}')
    assert (status, error["__type"]) == (400, "InvalidParameterException")
    assert request(server, "POST", "/_authflow/reset")[0] == 200
    assert emu.pools == {} and emu.outbox.messages() == [] and emu.clock.offset == 0


def test_cors_preflight(server: EmulatorServer) -> None:
    status, headers, _ = request(server, "OPTIONS", "/", headers={"Origin": "http://localhost:3000"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "code"),
    [
        ("POST", "/", b"{}", {}, 400, "UnknownOperationException"),
        (
            "POST",
            "/",
            b"{not json",
            {"X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools"},
            400,
            "SerializationException",
        ),
        ("POST", "/elsewhere", b"{}", {}, 404, "UnknownOperationException"),
        ("GET", "/nothing/here", b"", {}, 404, "ResourceNotFoundException"),
        ("GET", "/us-east-1_nope/.well-known/jwks.json", b"", {}, 404, "ResourceNotFoundException"),
        ("POST", "/", b"", {"Content-Length": "99999999999"}, 413, "RequestEntityTooLargeException"),
    ],
)
def test_bad_requests_get_aws_style_errors(
    server: EmulatorServer,
    method: str,
    path: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    got_status, _, payload = request(server, method, path, body, headers)
    assert (got_status, payload["__type"]) == (status, code)
    assert "message" in payload


def test_concurrent_sign_ups_and_sign_ins(server: EmulatorServer, emu: Emulator) -> None:
    cognito = http_client(server)
    pool_id = cognito.create_user_pool(PoolName="busy")["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    failures: list[BaseException] = []
    sessions: list[str] = []

    def worker(index: int) -> None:
        try:
            local = http_client(server)
            for round_ in range(3):
                name = f"user-{index}-{round_}"
                local.admin_create_user(
                    UserPoolId=pool_id, Username=name, TemporaryPassword=PASSWORD, MessageAction="SUPPRESS"
                )
                challenge = local.initiate_auth(
                    ClientId=client_id,
                    AuthFlow="USER_PASSWORD_AUTH",
                    AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
                )
                sessions.append(challenge["Session"])
                local.respond_to_auth_challenge(
                    ClientId=client_id,
                    ChallengeName="NEW_PASSWORD_REQUIRED",
                    Session=challenge["Session"],
                    ChallengeResponses={"USERNAME": name, "NEW_PASSWORD": "Another-Horse-7?"},
                )
        except BaseException as exc:  # noqa: BLE001 - collected and reported by the test
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(emu.pools[pool_id].users) == 96  # 32 concurrent clients, 3 users each, none lost
    assert len(set(sessions)) == 96
    assert all(u.status == "CONFIRMED" for u in emu.pools[pool_id].users.values())


def test_a_session_raced_by_many_clients_is_accepted_once(server: EmulatorServer, emu: Emulator) -> None:
    cognito = http_client(server)
    pool_id = cognito.create_user_pool(PoolName="race")["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    cognito.admin_create_user(UserPoolId=pool_id, Username="ada", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS")
    session = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD}
    )["Session"]
    outcomes: list[str] = []
    start = threading.Barrier(12)

    def answer() -> None:
        local = http_client(server)
        start.wait()
        try:
            local.respond_to_auth_challenge(
                ClientId=client_id,
                ChallengeName="NEW_PASSWORD_REQUIRED",
                Session=session,
                ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": "Another-Horse-7?"},
            )
            outcomes.append("tokens")
        except local.exceptions.NotAuthorizedException as exc:
            outcomes.append(exc.response["Error"]["Message"])

    threads = [threading.Thread(target=answer) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(
        ["tokens"] + ["Invalid session for the user, session can only be used once."] * 11
    )
