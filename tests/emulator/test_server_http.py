"""The HTTP layer under hostile clients: framing, desync, timeouts, bursts, malformed requests, vanishing peers.

Requests are written byte by byte over raw sockets (http.client would refuse to send most of them).
"""

from __future__ import annotations

import selectors
import socket
import struct
import threading
import time
from collections.abc import Iterator

import pytest

from harness.emulator import Emulator
from harness.emulator.emulator import MAX_BODY_BYTES
from harness.emulator.server import LISTEN_BACKLOG, EmulatorServer
from tests.emulator.raw_http import PATIENCE_S, RawReply, connect, exchange, parse_replies, read_all, wait_for_quiet

TARGET = b"X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n"
SMUGGLED = (
    b"POST /_authflow/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n"
)
LAST = b"GET /_authflow/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


@pytest.fixture
def quick() -> Iterator[EmulatorServer]:
    """A server whose request and idle limits are one second, so the tests can watch them act."""
    running = EmulatorServer(Emulator(), "127.0.0.1", 0, request_timeout=1.0, idle_timeout=1.0)
    running.start_in_thread()
    yield running
    running.stop()


@pytest.fixture
def plain() -> Iterator[EmulatorServer]:
    running = EmulatorServer(Emulator(), "127.0.0.1", 0)
    running.start_in_thread()
    yield running
    running.stop()


def with_pool(server: EmulatorServer) -> str:
    return str(server.emulator.call("CreateUserPool", {"PoolName": "keep"})["UserPool"]["Id"])


def chunked(body: bytes, size: int = 7) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def assert_aws_error(reply: RawReply, status: int, code: str | None = None) -> None:
    """Cognito's error shape, never http.server's HTML page."""
    assert reply.status == status, reply
    assert reply.headers["content-type"] == "application/x-amz-json-1.1"
    payload = reply.json()
    assert payload["__type"] == reply.headers["x-amzn-errortype"]
    assert isinstance(payload["message"], str) and payload["message"]
    if code is not None:
        assert payload["__type"] == code


# --- item 6: framing and desync
def test_a_chunked_body_is_decoded_and_the_connection_stays_in_step(plain: EmulatorServer) -> None:
    pool_id = with_pool(plain)
    request = (
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + TARGET + b"Transfer-Encoding: chunked\r\n\r\n"
        b'5;ext=1\r\n{"Max\r\n' + chunked(b'Results": 10}')[:-5] + b"0\r\nX-Trailer: t\r\n\r\n" + LAST
    )
    first, last = parse_replies(exchange(plain, request))
    assert first.status == 200 and [p["Id"] for p in first.json()["UserPools"]] == [pool_id]
    assert last.status == 200 and "offset" in last.json()


def test_chunk_data_is_never_read_as_a_request(plain: EmulatorServer) -> None:
    """A request hidden in chunk data is body (not JSON: a 400), and the next real request is answered."""
    pool_id = with_pool(plain)
    request = b"POST / HTTP/1.1\r\nHost: h\r\n" + TARGET + b"Transfer-Encoding: chunked\r\n\r\n" + chunked(SMUGGLED)
    first, last = parse_replies(exchange(plain, request + LAST))
    assert_aws_error(first, 400, "SerializationException")
    assert last.status == 200
    assert pool_id in plain.emulator.pools


def test_bytes_after_a_transfer_encoding_header_are_never_a_request(plain: EmulatorServer) -> None:
    """Unframed bytes after a chunked header: refused and the connection closed, never run as a reset."""
    pool_id = with_pool(plain)
    request = b"POST / HTTP/1.1\r\nHost: h\r\n" + TARGET + b"Transfer-Encoding: chunked\r\n\r\n" + SMUGGLED + LAST
    [reply] = parse_replies(exchange(plain, request))
    assert_aws_error(reply, 400, "BadRequestException")
    assert reply.headers["connection"] == "close"
    assert pool_id in plain.emulator.pools


@pytest.mark.parametrize("method", [b"GET", b"OPTIONS", b"DELETE", b"HEAD"])
def test_a_body_on_any_method_is_consumed_not_run(plain: EmulatorServer, method: bytes) -> None:
    pool_id = with_pool(plain)
    request = method + b" /_authflow/clock HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n" % len(SMUGGLED)
    replies = parse_replies(exchange(plain, request + SMUGGLED + LAST))
    assert [r.status for r in replies][-1] == 200 and len(replies) == 2, replies
    assert pool_id in plain.emulator.pools


@pytest.mark.parametrize(
    ("framing", "status"),
    [
        (b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400),
        (b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", 400),
        (b"Transfer-Encoding: gzip, chunked\r\n", 400),
        (b"Transfer-Encoding: chunked, gzip\r\n", 400),
        (b"Transfer-Encoding: identity\r\n", 400),
        (b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 400),
        (b"Content-Length: 5\r\nContent-Length: 6\r\n", 400),
        (b"Content-Length: +5\r\n", 400),
        (b"Content-Length: 5, 5\r\n", 400),
        (b"Content-Length: 0x5\r\n", 400),
        (b"Content-Length: -1\r\n", 400),
        (b"Content-Length: 5_0\r\n", 400),
        (b"Content-Length: %d\r\n" % (MAX_BODY_BYTES + 1), 413),
        (b"Content-Length: 1" + b"0" * 5000 + b"\r\n", 413),
    ],
)
def test_ambiguous_framing_is_refused_and_the_connection_closed(
    plain: EmulatorServer, framing: bytes, status: int
) -> None:
    pool_id = with_pool(plain)
    request = b"POST / HTTP/1.1\r\nHost: h\r\n" + TARGET + framing + b"\r\n" + SMUGGLED + LAST
    [reply] = parse_replies(exchange(plain, request))
    assert_aws_error(reply, status)
    assert reply.headers["connection"] == "close"
    assert pool_id in plain.emulator.pools


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"zz\r\nabc\r\n0\r\n\r\n", 400),  # not hex
        (b"-5\r\nabc\r\n0\r\n\r\n", 400),
        (b"3\r\nabcdef\r\n0\r\n\r\n", 400),  # more data than the size says
        (b"3\r\nab", 400),  # truncated
        (b"11111111111111111\r\n", 400),  # 17 hex digits
        (b"%x\r\n" % (MAX_BODY_BYTES + 1), 413),
        (b"80000\r\n" + b"a" * 0x80000 + b"\r\n80001\r\n", 413),  # the sum counts
        (b"0\r\n" + b"X-T: 1\r\n" * 200 + b"\r\n", 400),  # endless trailers
    ],
)
def test_malformed_chunked_bodies_are_refused(plain: EmulatorServer, body: bytes, status: int) -> None:
    request = b"POST / HTTP/1.1\r\nHost: h\r\n" + TARGET + b"Transfer-Encoding: chunked\r\n\r\n" + body
    [reply] = parse_replies(exchange(plain, request))
    assert_aws_error(reply, status)


def test_chunked_on_http_1_0_is_refused(plain: EmulatorServer) -> None:
    request = b"POST / HTTP/1.0\r\n" + TARGET + b"Transfer-Encoding: chunked\r\n\r\n" + chunked(b"{}")
    [reply] = parse_replies(exchange(plain, request))
    assert_aws_error(reply, 400, "BadRequestException")


def test_a_truncated_body_is_refused(plain: EmulatorServer) -> None:
    [reply] = parse_replies(exchange(plain, b"POST / HTTP/1.1\r\n" + TARGET + b"Content-Length: 10\r\n\r\n{}"))
    assert_aws_error(reply, 400, "BadRequestException")


def test_expect_continue_with_an_oversized_body_is_refused_before_it_is_sent(plain: EmulatorServer) -> None:
    head = b"POST / HTTP/1.1\r\nHost: h\r\n" + TARGET + b"Expect: 100-continue\r\nContent-Length: 99999999\r\n\r\n"
    [reply] = parse_replies(exchange(plain, head))
    assert_aws_error(reply, 413, "RequestEntityTooLargeException")


# --- item 8: malformed HTTP answers Cognito's JSON error shape, with a 4xx
@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", 405),
        (b"TRACE / HTTP/1.1\r\nHost: h\r\n\r\n", 405),
        (b"CONNECT 127.0.0.1:1 HTTP/1.1\r\n\r\n", 405),
        (b"BREW /pot HTTP/1.1\r\n\r\n", 405),
        (b"get / HTTP/1.1\r\n\r\n", 405),
        (b"PUT / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", 405),
        (b"GET / HTTP/2.0\r\n\r\n", 400),
        (b"GET / HTTP/1.1.1\r\n\r\n", 400),
        (b"GET / HTTX/1.1\r\n\r\n", 400),
        (b"GET / HTTP/01234567890.1\r\n\r\n", 400),
        (b"GET /\r\n\r\n", 400),  # HTTP/0.9
        (b"GET / HTTP/0.9\r\nHost: h\r\n\r\n", 400),  # http.server would answer it without a status line
        (b"get / HTTP/0.9\r\nContent-Length: 0\r\n\r\n", 400),
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET / HTTP/1.1 extra\r\n\r\n", 400),
        (b"  \t \r\n\r\n", 400),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n", 400),  # a TLS hello
        (b"GET http://[x/ HTTP/1.1\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 70_000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\n" + b"X: 1\r\n" * 101 + b"\r\n", 431),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    ],
)
def test_malformed_http_gets_a_json_error(plain: EmulatorServer, request_bytes: bytes, status: int) -> None:
    data = exchange(plain, request_bytes)
    assert b"<html" not in data.lower() and b"<!doctype" not in data.lower()
    [reply] = parse_replies(data)
    if request_bytes.startswith(b"HEAD "):
        assert (reply.status, reply.body, reply.headers["x-amzn-errortype"]) == (405, b"", "MethodNotAllowedException")
        return
    assert_aws_error(reply, status)
    if status == 405:
        assert reply.headers["allow"] == "GET, POST, OPTIONS"


def test_blank_lines_before_a_request_are_skipped(plain: EmulatorServer) -> None:
    [reply] = parse_replies(exchange(plain, b"\r\n\r\n" + LAST))
    assert reply.status == 200


# --- item 5: the listen backlog
def test_a_burst_of_200_connections_is_queued_and_all_are_answered() -> None:
    """200 connections opened while the server is not accepting yet all complete (a backlog of 5 held 6), and
    once it serves, every one is answered."""
    assert LISTEN_BACKLOG >= 200
    server = EmulatorServer(Emulator(), "127.0.0.1", 0)  # listening, not accepting
    serving = False
    sockets: list[socket.socket] = []
    selector = selectors.DefaultSelector()
    try:
        for _ in range(200):
            client = socket.socket()
            client.setblocking(False)
            client.connect_ex(server.server_address[:2])
            sockets.append(client)
            selector.register(client, selectors.EVENT_WRITE)
        pending = set(sockets)
        deadline = time.monotonic() + 20  # the kernel completes a queued handshake at once; a dropped SYN waits 1 s+
        while pending and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.5):
                queued = key.fileobj
                assert isinstance(queued, socket.socket)
                assert queued.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
                pending.discard(queued)
                selector.unregister(queued)
        assert len(pending) == 0, f"{len(pending)} of 200 connections were not queued"
        server.start_in_thread()
        serving = True
        for client in sockets:
            client.setblocking(True)
            client.settimeout(PATIENCE_S)
            client.sendall(LAST)
        replies = [parse_replies(read_all(client)) for client in sockets]
        assert [[r.status for r in got] for got in replies] == [[200]] * 200
    finally:
        selector.close()
        for client in sockets:
            client.close()
        if serving:
            server.stop()  # shutdown() would wait forever for a serve_forever() that never ran
        else:
            server.server_close()


# --- item 7: timeouts
def test_a_stalled_body_gets_408_and_the_connection_closes(quick: EmulatorServer) -> None:
    with connect(quick) as client:
        client.sendall(b"POST / HTTP/1.1\r\nHost: h\r\n" + TARGET + b"Content-Length: 10\r\n\r\n{}")
        [reply] = parse_replies(read_all(client))  # the server closes: read_all returns
    assert_aws_error(reply, 408, "RequestTimeoutException")


def test_a_trickling_client_is_cut_off_although_it_keeps_sending(quick: EmulatorServer) -> None:
    """The request limit runs from the first byte to the last, not per read: one byte every 50 ms is not enough."""
    with connect(quick) as client:
        client.sendall(b"POST / HTTP/1.1\r\n")
        deadline = time.monotonic() + PATIENCE_S
        answered = b""
        while not answered and time.monotonic() < deadline:
            try:
                client.sendall(b"X")
            except OSError:
                break  # closed: what it said first is still in our receive buffer
            client.settimeout(0.05)
            try:
                answered = client.recv(65536)
            except TimeoutError:
                continue
        client.settimeout(PATIENCE_S)
        answered += read_all(client)
    assert answered, "the server never gave up on a trickling request"
    assert_aws_error(parse_replies(answered)[0], 408)


def test_idle_connections_are_closed(quick: EmulatorServer) -> None:
    """500 idle connections were never closed: now each goes after the idle limit, without a reply."""
    baseline = threading.active_count()
    clients = [connect(quick) for _ in range(50)]
    try:
        assert all(read_all(client) == b"" for client in clients)
    finally:
        for client in clients:
            client.close()
    wait_for_quiet(baseline)


def test_keep_alive_serves_several_requests_and_closes_when_idle(quick: EmulatorServer) -> None:
    with connect(quick) as client:
        for _ in range(3):
            client.sendall(b"GET /_authflow/clock HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            head = b""
            while not head.endswith(b"}"):
                head += client.recv(65536)
        assert read_all(client) == b""  # then the idle limit closes it


# --- item 9: clients that vanish
def test_clients_that_vanish_leave_no_traceback(plain: EmulatorServer, capfd: pytest.CaptureFixture[str]) -> None:
    baseline = threading.active_count()
    reset_on_close = struct.pack("ii", 1, 0)
    for index in range(30):
        client = connect(plain)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, reset_on_close)
        if index % 3 == 0:
            client.sendall(b"POST / HTTP/1.1\r\n" + TARGET + b'Content-Length: 17\r\n\r\n{"MaxResults": 1}')
        elif index % 3 == 1:
            client.sendall(b"POST / HTTP/1.1\r\n" + TARGET + b"Content-Length: 10\r\n\r\n{}")
        else:
            client.sendall(b"GET /_authflow/outbox HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Partial: ")
        client.close()  # a reset, before or while the server answers
    wait_for_quiet(baseline)
    assert capfd.readouterr().err == ""


def test_an_unexpected_error_is_one_line(plain: EmulatorServer, capfd: pytest.CaptureFixture[str]) -> None:
    """A genuine bug still shows, as one line and not a traceback."""
    baseline = threading.active_count()

    def broken(target: str | None, body: bytes) -> None:
        raise RuntimeError("boom")

    plain.emulator.handle = broken  # type: ignore[assignment, method-assign]
    exchange(plain, b"POST / HTTP/1.1\r\n" + TARGET + b"Content-Length: 2\r\n\r\n{}")
    wait_for_quiet(baseline)
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "RuntimeError: boom" in err and "Traceback" not in err
