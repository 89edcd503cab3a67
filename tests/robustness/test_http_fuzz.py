"""The HTTP endpoint answers malformed and mutated requests with an AWS-style 4xx, never a 500, a hang, a traceback
or a leak: mutated JSON requests through http.client, then hostile bytes (request lines, methods, headers, framing,
truncation, garbage) over raw sockets, then a burst of simultaneous connections."""

from __future__ import annotations

import gc
import http.client
import json
import random
import socket
import threading
import tracemalloc
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.cognito import service
from harness.emulator import Emulator
from harness.emulator.server import EmulatorServer
from tests.emulator.raw_http import PATIENCE_S, RawReply, connect, exchange, parse_replies, read_all, wait_for_quiet

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


targets = st.one_of(st.sampled_from(sorted(service.operation_names())).map(PREFIX.__add__), st.text(max_size=40))
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


# --- hostile bytes
METHODS = [b"GET", b"POST", b"OPTIONS", b"HEAD", b"PUT", b"DELETE", b"TRACE", b"CONNECT", b"PATCH", b"BREW", b"get"]
PATHS = [
    b"/",
    b"/_authflow/reset",
    b"/_authflow/clock/advance",
    b"/_authflow/outbox?to=a%40b.c&pool=x&to",
    b"/_authflow/clock",
    b"/_authflow/",
    b"/us-east-1_x/.well-known/jwks.json",
    b"/us-east-1_x/.well-known/openid-configuration",
    b"*",
    b"http://[x/",
    b"http://127.0.0.1/_authflow/clock",
    b"//_authflow/reset",
    b"/%00%ff",
    b"/\xff\xfe\x00",
    b"\x01/_authflow/clock",
    b"/?" + b"&".join([b"a=b"] * 300),
]
VERSIONS = [b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2.0", b"HTTP/0.9", b"HTTP/1.1.1", b"HTTX/1.1", b"HTTP/1", b"http/1.1"]
# No CreateUserPool or SignUp that could succeed: the memory test must not measure pools the requests created.
OPERATIONS = [b"ListUserPools", b"DescribeUserPool", b"InitiateAuth", b"SignUp", b"GetUser", b"Nope", b"", b"\xff"]
JSON_BODIES = [
    b'{"MaxResults": 10}',
    b"{}",
    b'{"seconds": 181}',
    b'{"seconds": 1e999}',
    b'{"ClientId": "x", "Username": "u", "Password": "\\ud800"}',
    b'{"MaxResults": NaN}',
    b"[" * 3000,
    b'{"a":' * 2000 + b"1" + b"}" * 2000,
    b'"\xed\xa0\x80"',
    b"null",
    b"",
]
CONTENT_TYPES = [b"application/json", b"application/x-amz-json-1.1", b"text/plain", b"application/json; charset=x"]


TOKEN_CHARACTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz0123456789!#$%&'*+-.^_`|~"


def _token(rng: random.Random) -> bytes:
    return bytes(rng.choice(TOKEN_CHARACTERS) for _ in range(rng.randrange(1, 12)))


def _garbage(rng: random.Random, limit: int) -> bytes:
    return rng.randbytes(rng.randrange(limit))


def _chunked(rng: random.Random, body: bytes) -> bytes:
    """A chunked encoding of body, sometimes subtly or grossly wrong."""
    out = bytearray()
    rest = body
    while rest:
        size = rng.randrange(1, 40)
        piece, rest = rest[:size], rest[size:]
        declared = len(piece) + rng.choice([0] * 12 + [-1, 1, 5])
        size_field = b"%x" % max(declared, 0) if rng.random() < 0.95 else rng.choice([b"zz", b"-1", b"1" * 20, b""])
        extension = rng.choice([b"", b"", b";a=b", b";" + _garbage(rng, 10)])
        out += size_field + extension + b"\r\n" + piece + rng.choice([b"\r\n"] * 10 + [b"\n", b"", b"XX"])
    if rng.random() < 0.05:
        out += b"%x\r\n" % rng.choice([0x100001, 0xFFFFFFFFFFFF])
    out += b"0\r\n" + rng.choice([b"", b"", b"T: 1\r\n", b"T: 1\r\n" * 150, _garbage(rng, 30)]) + b"\r\n"
    return bytes(out)


def _headers(rng: random.Random, body_length: int) -> tuple[list[bytes], bool]:
    """Header lines, and whether the body goes out chunked."""
    lines: list[bytes] = []
    if rng.random() < 0.8:
        lines.append(b"Host: " + rng.choice([b"127.0.0.1", b"localhost:9229", b"evil.example", b"[::1]", b"a@b", b""]))
    if rng.random() < 0.7:
        lines.append(b"X-Amz-Target: AWSCognitoIdentityProviderService." + rng.choice(OPERATIONS))
    if rng.random() < 0.6:
        lines.append(b"Content-Type: " + rng.choice(CONTENT_TYPES))
    if rng.random() < 0.15:
        lines.append(b"Origin: " + rng.choice([b"http://evil.example", b"null", b"http://127.0.0.1:1", b"\xff"]))
    if rng.random() < 0.1:
        lines.append(b"Sec-Fetch-Site: " + rng.choice([b"cross-site", b"none", b"same-origin"]))
    if rng.random() < 0.2:
        lines.append(b"Connection: " + rng.choice([b"close", b"keep-alive", b"upgrade", _garbage(rng, 10)]))
    if rng.random() < 0.05:
        lines.append(b"Expect: 100-continue")
    framing = rng.choices(
        ["length", "chunked", "none", "wrong", "both", "bad", "coding", "twice"], [40, 20, 10, 10, 5, 5, 5, 5]
    )[0]
    if framing in ("length", "both", "twice"):
        lines.append(b"Content-Length: %d" % body_length)
    if framing == "twice":
        lines.append(b"Content-Length: %d" % (body_length + rng.choice([0, 1])))
    if framing == "wrong":
        lines.append(b"Content-Length: %d" % max(0, body_length + rng.choice([-3, -1, 1, 7])))
    if framing == "bad":
        lines.append(b"Content-Length: " + rng.choice([b"-1", b"+5", b"0x10", b"1 2", b"9" * 30, _garbage(rng, 8)]))
    if framing in ("chunked", "both"):
        lines.append(b"Transfer-Encoding: chunked")
    if framing == "coding":
        lines.append(b"Transfer-Encoding: " + rng.choice([b"gzip", b"chunked, gzip", b"identity", _token(rng)]))
    for _ in range(rng.choice([0, 0, 0, 1, 2, 5])):
        lines.append(_token(rng) + b": " + _garbage(rng, 30).replace(b"\n", b""))
    if rng.random() < 0.05:
        lines.append(rng.choice([b"no colon here", b" folded continuation", b": empty name", b"X:" + b"a" * 70_000]))
    if rng.random() < 0.02:
        lines += [b"X-Many: 1"] * 101
    rng.shuffle(lines)
    return lines, framing in ("chunked", "both")


def _one_request(rng: random.Random) -> bytes:
    eol = rng.choices([b"\r\n", b"\n", b"\r", b"\r\r\n"], [90, 6, 2, 2])[0]
    separator = rng.choices([b" ", b"  ", b"\t", b"\x0b", b"\xa0"], [90, 3, 3, 2, 2])[0]
    words = [
        rng.choice(METHODS) if rng.random() < 0.9 else _token(rng),
        rng.choice(PATHS) if rng.random() < 0.9 else _garbage(rng, 40).replace(b" ", b""),
        rng.choice(VERSIONS) if rng.random() < 0.9 else _garbage(rng, 12),
    ]
    if rng.random() < 0.05:
        del words[rng.randrange(3)]
    if rng.random() < 0.03:
        words.append(_token(rng))
    if rng.random() < 0.01:
        words[1] = b"/" + b"a" * 70_000
    body = rng.choice(JSON_BODIES) if rng.random() < 0.8 else _garbage(rng, 200)
    headers, is_chunked = _headers(rng, len(body))
    encoded = _chunked(rng, body) if is_chunked else body
    return separator.join(words) + eol + b"".join(line + eol for line in headers) + eol + encoded


def hostile_bytes(rng: random.Random) -> bytes:
    """What one connection sends: usually one request (sometimes pipelined, truncated or bit-flipped), or garbage."""
    if rng.random() < 0.05:
        return _garbage(rng, 400)
    data = bytearray(b"".join(_one_request(rng) for _ in range(rng.choice([1, 1, 1, 1, 2, 3]))))
    if rng.random() < 0.1:
        del data[rng.randrange(len(data) + 1) :]
    if rng.random() < 0.1 and data:
        for _ in range(rng.randrange(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    if rng.random() < 0.03:
        data[0:0] = b"\r\n" * rng.randrange(1, 12)
    return bytes(data)


def check_answer(sent: bytes, answer: bytes) -> list[RawReply]:
    """Well-framed HTTP/1.1 replies, no 5xx, errors in Cognito's JSON shape; silence only for blank input."""
    assert b"<html" not in answer.lower(), answer[:300]
    replies = parse_replies(answer)
    assert replies or not sent.strip(b"\r\n"), (sent[:300], answer[:300])
    for reply in replies:
        assert reply.status < 500, (sent[:300], reply)
        if reply.status >= 400:
            code = reply.headers["x-amzn-errortype"]
            if reply.body:  # a reply to HEAD has none
                assert reply.json()["__type"] == code and isinstance(reply.json()["message"], str)
    return replies


def test_hostile_bytes(server: EmulatorServer, capfd: pytest.CaptureFixture[str]) -> None:
    """Generated request lines, headers, framings and garbage: every answer a 4xx or 2xx, and nothing on stderr."""
    baseline = threading.active_count()
    capfd.readouterr()

    @settings(max_examples=600, deadline=None, database=None)
    @given(st.randoms(use_true_random=False))
    def drive(rng: random.Random) -> None:
        sent = hostile_bytes(rng)
        check_answer(sent, exchange(server, sent))

    drive()
    wait_for_quiet(baseline)
    assert capfd.readouterr().err == ""


def test_memory_stays_flat_over_thousands_of_hostile_requests(capfd: pytest.CaptureFixture[str]) -> None:
    """3,000 hostile connections after a warm-up: traced memory may not grow by more than 2 MiB."""
    running = EmulatorServer(Emulator(), "127.0.0.1", 0)
    running.start_in_thread()
    baseline = threading.active_count()
    rng = random.Random(20240611)
    tracemalloc.start()
    try:
        for _ in range(300):
            sent = hostile_bytes(rng)
            check_answer(sent, exchange(running, sent))
        wait_for_quiet(baseline)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(3_000):
            sent = hostile_bytes(rng)
            check_answer(sent, exchange(running, sent))
        wait_for_quiet(baseline)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        running.stop()
    assert capfd.readouterr().err == ""
    print(f"traced memory: {before} B after the warm-up, {after} B after 3000 more hostile connections")
    assert after - before < 2 * 1024 * 1024, after - before


def test_200_simultaneous_connections_are_all_answered(server: EmulatorServer) -> None:
    """200 clients connect at the same moment (a backlog of 5 let 37 of them time out) and each gets its answer."""
    start = threading.Barrier(200)
    statuses: list[int] = []
    failures: list[BaseException] = []
    request = (
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n"
        b"Content-Type: application/x-amz-json-1.1\r\nConnection: close\r\nContent-Length: 18\r\n\r\n"
        b'{"MaxResults": 10}'
    )

    def client() -> None:
        try:
            start.wait(timeout=PATIENCE_S)
            with connect(server) as connection:
                connection.sendall(request)
                statuses.extend(reply.status for reply in parse_replies(read_all(connection)))
        except (OSError, threading.BrokenBarrierError, ValueError) as exc:
            failures.append(exc)

    threads = [threading.Thread(target=client) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and statuses == [200] * 200


def test_a_fuzzed_connection_does_not_disturb_a_client_at_the_same_time(server: EmulatorServer) -> None:
    """While hostile connections come and go, a well-behaved keep-alive client's requests are all answered."""
    rng = random.Random(7)
    with connect(server) as steady:
        for _ in range(50):
            sent = hostile_bytes(rng)
            check_answer(sent, exchange(server, sent))
            steady.sendall(b"GET /_authflow/clock HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = b""
            while not answer.endswith(b"}"):
                chunk = steady.recv(65536)
                assert chunk, "the steady connection was closed"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200 ")
        steady.shutdown(socket.SHUT_WR)
        read_all(steady)
