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
    status, _, clock = request(server, "POST", "/_authflow/clock/advance", json.dumps({"seconds": 181}).encode(), JSON)
    assert status == 200 and clock["offset"] == 181
    assert request(server, "GET", "/_authflow/clock")[2]["offset"] == 181
    for bad in (b'{"seconds": -5}', b'{"seconds": 1e999}', b'{"seconds": NaN}', b"[" * 5000):
        status, _, error = request(server, "POST", "/_authflow/clock/advance", bad, JSON)
        assert (status, error["__type"]) == (400, "InvalidParameterException")
    assert emu.clock.offset == 181
    assert request(server, "POST", "/_authflow/reset", b"", JSON)[0] == 200
    assert emu.pools == {} and emu.outbox.messages() == [] and emu.clock.offset == 0


def test_cors_preflight(server: EmulatorServer) -> None:
    status, headers, _ = request(server, "OPTIONS", "/", headers={"Origin": "http://localhost:3000"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"


JSON = {"Content-Type": "application/json"}
WEB_PAGE = "http://localhost:3000"


def cors_headers(headers: dict[str, str]) -> list[str]:
    return [name for name in headers if name.lower().startswith("access-control-")]


def test_the_api_and_the_key_documents_keep_cors(server: EmulatorServer) -> None:
    """Amplify in a browser calls POST / and reads the JWKS cross-origin."""
    pool_id = http_client(server).create_user_pool(PoolName="p")["UserPool"]["Id"]
    target = {"X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools", "Origin": WEB_PAGE}
    for method, path, body, headers in [
        ("POST", "/", b'{"MaxResults": 5}', target),
        ("POST", "/", b"{", target),
        ("GET", f"/{pool_id}/.well-known/jwks.json", b"", {"Origin": WEB_PAGE}),
        ("GET", f"/{pool_id}/.well-known/openid-configuration", b"", {"Origin": WEB_PAGE}),
    ]:
        _, got, _ = request(server, method, path, body, headers)
        assert got["Access-Control-Allow-Origin"] == "*", path


def test_the_side_door_sends_no_cors_headers(server: EmulatorServer) -> None:
    """A web page must not read one-time codes: no Access-Control-* on any side door answer, errors included."""
    for method, path, body, headers in [
        ("GET", "/_authflow/outbox", b"", {}),
        ("GET", "/_authflow/clock", b"", {}),
        ("GET", "/_authflow/nothing", b"", {}),
        ("POST", "/_authflow/clock/advance", b'{"seconds": 1}', JSON),
        ("POST", "/_authflow/reset", b"", {}),
        ("OPTIONS", "/_authflow/outbox", b"", {"Origin": WEB_PAGE, "Access-Control-Request-Method": "GET"}),
    ]:
        _, got, _ = request(server, method, path, body, headers)
        assert cors_headers(got) == [], (method, path, got)


def test_a_preflight_to_the_side_door_is_refused(server: EmulatorServer) -> None:
    preflight = {
        "Origin": WEB_PAGE,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    status, headers, body = request(server, "OPTIONS", "/_authflow/reset", headers=preflight)
    assert (status, body["__type"]) == (403, "AccessDeniedException")
    assert cors_headers(headers) == []


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"],
)
def test_side_door_posts_need_a_json_content_type(
    server: EmulatorServer, emu: Emulator, content_type: str | None
) -> None:
    """What an HTML form or a simple cross-origin fetch can send without a preflight is refused."""
    pool_id = http_client(server).create_user_pool(PoolName="keep")["UserPool"]["Id"]
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, body = request(server, "POST", "/_authflow/reset", b"", headers)
    assert (status, body["__type"]) == (415, "UnsupportedMediaTypeException")
    status, _, body = request(server, "POST", "/_authflow/clock/advance", b'{"seconds": 60}', headers)
    assert status == 415
    assert pool_id in emu.pools and emu.clock.offset == 0
    status, _, _ = request(server, "POST", "/_authflow/reset", b"", {"Content-Type": "Application/JSON; charset=utf-8"})
    assert status == 200 and emu.pools == {}


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:3000"},  # a dev server's page on another loopback port
        {"Origin": "https://127.0.0.1"},
        {"Host": "evil.example"},  # DNS rebinding: the page's own origin, pointed at 127.0.0.1
        {"Host": "attacker.example:9229"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_the_side_door_refuses_web_pages(server: EmulatorServer, emu: Emulator, headers: dict[str, str]) -> None:
    pool_id = http_client(server).create_user_pool(PoolName="keep")["UserPool"]["Id"]
    for method, path, body in [
        ("GET", "/_authflow/outbox", b""),
        ("GET", "/_authflow/clock", b""),
        ("POST", "/_authflow/reset", b""),
        ("POST", "/_authflow/clock/advance", b'{"seconds": 60}'),
    ]:
        status, got, payload = request(server, method, path, body, {**JSON, **headers})
        assert (status, payload["__type"]) == (403, "AccessDeniedException"), (method, path)
        assert cors_headers(got) == []
    assert pool_id in emu.pools and emu.clock.offset == 0


def test_the_side_door_answers_local_tools(server: EmulatorServer) -> None:
    """curl, urllib, a test's own client, or the address bar (Sec-Fetch-Site: none) keep working."""
    port = server.server_address[1]
    for headers in [
        {},
        {"Host": f"localhost:{port}"},
        {"Host": f"app.localhost:{port}"},
        {"Origin": server.url},
        {"Origin": f"http://localhost:{port}", "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
    ]:
        assert request(server, "GET", "/_authflow/outbox", headers=headers)[0] == 200, headers
        assert request(server, "POST", "/_authflow/clock/advance", b'{"seconds": 1}', {**JSON, **headers})[0] == 200


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
