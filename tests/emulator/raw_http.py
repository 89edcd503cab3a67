"""Raw-socket HTTP for tests that must send what http.client refuses to: broken framing, bad request lines."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from harness.emulator.server import EmulatorServer

PATIENCE_S = 60.0  # generous: the suite must pass on a loaded 2-core machine


@dataclass(frozen=True)
class RawReply:
    """One HTTP response as it came off the wire; header names lower-cased."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def address(server: EmulatorServer) -> tuple[str, int]:
    host, port = server.server_address[:2]
    return str(host), int(port)


def connect(server: EmulatorServer, timeout: float = PATIENCE_S) -> socket.socket:
    return socket.create_connection(address(server), timeout=timeout)


def read_all(connection: socket.socket) -> bytes:
    """Everything until the server closes (a reset after its data counts as a close)."""
    received = bytearray()
    while True:
        try:
            chunk = connection.recv(65536)
        except (ConnectionResetError, TimeoutError):
            return bytes(received)
        if not chunk:
            return bytes(received)
        received += chunk


def exchange(server: EmulatorServer, data: bytes, timeout: float = PATIENCE_S) -> bytes:
    """Send bytes, half-close, and return every byte the server answers until it closes."""
    with connect(server, timeout) as connection:
        try:
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may refuse and close before reading everything; its answer is still readable
        return read_all(connection)


def parse_replies(data: bytes) -> list[RawReply]:
    """Split a byte stream into responses framed by Content-Length; raise ValueError on anything else."""
    replies = []
    rest = data
    while rest:
        head, separator, rest = rest.partition(b"\r\n\r\n")
        if not separator:
            raise ValueError(f"unterminated response head: {head[:200]!r}")
        status_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
        version, status, *_ = status_line.split(" ", 2)
        if version != "HTTP/1.1" or not status.isdigit():
            raise ValueError(f"bad status line {status_line!r}")
        headers = {}
        for line in header_lines:
            name, colon, value = line.partition(":")
            if not colon:
                raise ValueError(f"bad header line {line!r}")
            headers[name.strip().lower()] = value.strip()
        if 100 <= int(status) < 200:  # an interim reply (100 Continue) has no body and is not the answer
            continue
        length = int(headers["content-length"])
        if len(rest) < length:
            raise ValueError("body shorter than its Content-Length")
        replies.append(RawReply(int(status), headers, rest[:length]))
        rest = rest[length:]
    return replies


def wait_for_quiet(baseline: int, timeout: float = PATIENCE_S) -> None:
    """Poll until the server's connection threads have finished (the thread count is back to its baseline)."""
    deadline = time.monotonic() + timeout
    while threading.active_count() > baseline and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() <= baseline, [t.name for t in threading.enumerate()]
