"""The emulator on a loopback HTTP port, for any Cognito client (boto3, Amplify, the AWS CLI, ...).

Besides the Cognito API (POST /), it serves each pool's JWKS and OpenID configuration and a side door for
test tools under /_authflow/:

    GET  /_authflow/outbox[?to=ADDRESS][&pool=POOL_ID]   the codes the pools "sent"
    GET  /_authflow/clock                                {"now": epoch seconds, "offset": seconds}
    POST /_authflow/clock/advance   {"seconds": 181}     move the clock forward
    POST /_authflow/reset                                forget all pools, sessions and messages

The API and the key documents carry CORS headers (Amplify in a browser needs them); the side door carries none
and refuses anything a web page could send: a caller that is not on loopback, a Host that is not a loopback
name (DNS rebinding), an Origin other than the emulator's own, a cross-site Sec-Fetch-Site, a CORS preflight,
and a POST whose Content-Type is not application/json (a page cannot send that cross-origin without the
preflight). docs/emulator.md ("The HTTP server") has the framing rules, the limits and the timeouts.
"""

from __future__ import annotations

import io
import ipaddress
import json
import math
import re
import socket
import sys
import threading
import time
from contextlib import suppress
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, parse_qs, urlsplit

from harness.emulator import errors
from harness.emulator.emulator import JSON_CONTENT_TYPE, MAX_BODY_BYTES, Emulator
from harness.emulator.errors import CognitoError
from harness.emulator.oauth import endpoints as oauth_endpoints
from harness.emulator.oauth.wire import DomainRequest
from harness.emulator.ops.domains import pool_of_domain
from harness.emulator.well_known import well_known

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

SIDE_DOOR = "/_authflow/"
REQUEST_TIMEOUT_S = 30.0
"""From a request's first byte to its last (and for writing each reply): a stalled or trickling client is cut off."""
IDLE_TIMEOUT_S = 60.0
"""How long a connection may wait for its next request before the server closes it."""
LISTEN_BACKLOG = 1024
"""Connections the kernel queues before accept (socketserver's default of 5 dropped bursts of connections)."""
MAX_CHUNK_LINE = 4096  # a chunk-size line or a trailer line
MAX_TRAILERS = 100  # like http.client's header limit
MAX_BLANK_LINES = 8  # empty lines tolerated before a request line (RFC 9112 section 2.2)
LINGER_S = 2.0  # after an error reply, how long unread input is drained so the client sees the reply, not a reset
LINGER_BYTES = MAX_BODY_BYTES

_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
    "Access-Control-Expose-Headers": "x-amzn-RequestId, x-amzn-ErrorType",
}
_ALLOWED_METHODS = "GET, POST, OPTIONS"
# The `__type` of each refusal at the HTTP level; Cognito has no counterpart, so these are the emulator's names.
_ERROR_TYPES = {
    400: "BadRequestException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    405: "MethodNotAllowedException",
    408: "RequestTimeoutException",
    413: "RequestEntityTooLargeException",
    414: "RequestURITooLongException",
    415: "UnsupportedMediaTypeException",
    431: "RequestHeaderFieldsTooLargeException",
}
# http.server answers an unknown method with 501 and HTTP/2+ with 505: the client's fault, so a 4xx here.
_CLIENT_FAULT = {501: 405, 505: 400}
_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")


def _content_length(value: str) -> int | None:
    """A Content-Length as a number (anything past 12 digits as MAX_BODY_BYTES + 1), None when it is not digits."""
    value = value.strip()
    if not _DIGITS.fullmatch(value):
        return None
    digits = value.lstrip("0") or "0"
    return MAX_BODY_BYTES + 1 if len(digits) > 12 else int(digits)


class _DeadlineReader(io.RawIOBase):
    """The socket as a raw stream whose every recv honours one deadline, so a trickling client cannot hold a thread."""

    def __init__(self, connection: socket.socket) -> None:
        super().__init__()
        self._connection = connection
        self.deadline = math.inf

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("read deadline passed")
        self._connection.settimeout(remaining)
        return self._connection.recv_into(buffer)


class _Handler(BaseHTTPRequestHandler):
    server: EmulatorServer
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"  # so a refusal of an unparsable request line still has a status line

    def setup(self) -> None:
        """No Nagle (headers and body go out as separate writes; delayed ACKs would add 40 ms to each), and reads
        through a deadline."""
        super().setup()
        with suppress(OSError):  # the client may already be gone
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile.close()
        self._reader = _DeadlineReader(self.connection)
        self._input = io.BufferedReader(self._reader)
        self.rfile = self._input
        self._target: SplitResult | None = None
        self._version = (1, 0)
        self._linger = False

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet by default: request lines would show up in test output."""

    # --- one connection, one request at a time
    def handle(self) -> None:
        """Serve requests until one closes the connection; a client that vanishes or stalls ends it quietly."""
        self.close_connection = True
        try:
            self.handle_one_request()
            while not self.close_connection:
                self.handle_one_request()
        except (ConnectionError, TimeoutError):
            return
        if self._linger:
            self._drain()

    def handle_one_request(self) -> None:
        """Wait (up to the idle limit) for a request, read all of it (within the request limit), answer it."""
        self.command, self.path, self.requestline = "", "", ""
        self.request_version = self.default_request_version
        self.close_connection = True
        self._target = None
        self._reader.deadline = time.monotonic() + self.server.idle_timeout
        try:
            if not self._input.peek(1):
                return  # the client closed the connection
        except TimeoutError:
            return  # an idle keep-alive connection
        self._reader.deadline = time.monotonic() + self.server.request_timeout
        try:
            body = self._read_request()
        except TimeoutError:
            self._fail(408, errors.HTTP_REQUEST_TIMEOUT.format(seconds=self.server.request_timeout))
            return
        if body is not None:
            self._dispatch(body)

    def _read_request(self) -> bytes | None:
        """The request line, headers and body; None when a refusal has been sent instead."""
        raw = self.rfile.readline(65537)
        for _ in range(MAX_BLANK_LINES):
            if raw not in (b"\r\n", b"\n"):
                break
            raw = self.rfile.readline(65537)
        if len(raw) > 65536:
            self._fail(414, "Request line too long")
            return None
        if not raw:
            return None  # the client closed the connection after blank lines
        self.raw_requestline = raw
        if not raw.endswith(b"\n") or not raw.strip() or len(raw.split()) != 3:
            self.requestline = raw.decode("iso-8859-1").rstrip("\r\n")
            self._fail(400, errors.HTTP_BAD_REQUEST_LINE)
            return None
        if not self.parse_request():
            return None  # send_error has answered
        major, minor = (int(number) for number in self.request_version[5:].split("."))  # checked by parse_request
        self._version = (major, minor)
        if major < 1:  # HTTP/0.x has no headers; http.server would answer without a status line
            self._fail(400, errors.HTTP_BAD_REQUEST_LINE)
            return None
        try:
            self._target = urlsplit(self.path)
        except ValueError:
            self._fail(400, errors.HTTP_BAD_TARGET)
            return None
        return self._read_body()

    def handle_expect_100(self) -> bool:
        """Refuse an oversized body before the client sends it (RFC 9110 section 10.1.1), else 100 Continue."""
        declared = _content_length(self.headers.get("Content-Length") or "")
        if declared is not None and declared > MAX_BODY_BYTES:
            self._fail(413, errors.BODY_TOO_LARGE.format(limit=MAX_BODY_BYTES))
            return False
        return super().handle_expect_100()

    # --- bodies: Content-Length or chunked, at most MAX_BODY_BYTES, always consumed whatever the method
    def _read_body(self) -> bytes | None:
        codings = self.headers.get_all("Transfer-Encoding") or []
        lengths = self.headers.get_all("Content-Length") or []
        if codings:
            if lengths:
                self._fail(400, errors.HTTP_BOTH_FRAMINGS)
                return None
            named = [coding.strip().lower() for value in codings for coding in value.split(",")]
            if named != ["chunked"] or self._version < (1, 1):  # HTTP/1.0 has no chunked (RFC 9112 section 6.1)
                shown = ", ".join(codings)[:100]
                self._fail(400, errors.HTTP_BAD_TRANSFER_ENCODING.format(coding=repr(shown)))
                return None
            return self._read_chunked()
        if not lengths:
            return b""
        declared = {_content_length(value) for value in lengths}
        length = declared.pop()
        if declared or length is None:  # malformed, or copies that disagree (RFC 9112 section 6.3)
            self._fail(400, errors.HTTP_BAD_CONTENT_LENGTH)
            return None
        if length > MAX_BODY_BYTES:
            self._fail(413, errors.BODY_TOO_LARGE.format(limit=MAX_BODY_BYTES))
            return None
        body = self.rfile.read(length)
        if len(body) < length:
            self._fail(400, errors.HTTP_TRUNCATED_BODY)
            return None
        return body

    def _read_chunked(self) -> bytes | None:
        """Decode a chunked body (RFC 9112 section 7.1); extensions are ignored, trailers read and dropped."""
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(MAX_CHUNK_LINE + 1)
            size_field = line.split(b";", 1)[0].strip()
            if not line.endswith(b"\n") or not _HEX.fullmatch(size_field):
                problem = "truncated" if len(line) <= MAX_CHUNK_LINE and not line.endswith(b"\n") else "bad chunk size"
                self._fail(400, errors.HTTP_BAD_CHUNK.format(problem=problem))
                return None
            size = int(size_field, 16)
            if size == 0:
                break
            total += size
            if total > MAX_BODY_BYTES:
                self._fail(413, errors.BODY_TOO_LARGE.format(limit=MAX_BODY_BYTES))
                return None
            data = self.rfile.read(size)
            if len(data) < size or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                self._fail(400, errors.HTTP_BAD_CHUNK.format(problem="chunk data does not match its size"))
                return None
            parts.append(data)
        for _ in range(MAX_TRAILERS + 1):
            line = self.rfile.readline(MAX_CHUNK_LINE + 1)
            if line in (b"\r\n", b"\n"):
                return b"".join(parts)
            if not line.endswith(b"\n"):
                break
        self._fail(400, errors.HTTP_BAD_CHUNK.format(problem="bad trailer section"))
        return None

    # --- answers
    def _dispatch(self, body: bytes) -> None:
        routes = {"GET": self._get, "POST": self._post, "OPTIONS": self._options}
        route = routes.get(self.command)
        if route is None:
            method = self.command[:40] if self.command.isalpha() else repr(self.command[:40])
            message = errors.HTTP_METHOD_NOT_ALLOWED.format(method=method)
            self._error(405, _ERROR_TYPES[405], message, {"Allow": _ALLOWED_METHODS})
            return
        route(body)

    def _cors(self) -> bool:
        """CORS for the API and the key documents; never for the side door, nor for a request not understood."""
        return self._target is not None and not self._target.path.startswith(SIDE_DOOR)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.connection.settimeout(self.server.request_timeout)  # a client that does not read cannot hold a thread
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # http.server would leave out the status line and headers
        self.send_response(status)
        for name, value in {**(_CORS if self._cors() else {}), **headers}.items():
            for line in value.split("\n") if name == "Set-Cookie" else (value,):  # one header per cookie
                self.send_header(name, line)
        if self.command == "HEAD":
            body = b""  # a reply to HEAD has no body; Content-Length 0 keeps the connection's framing plain
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _send_json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    def _error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        """Cognito's error shape: {"__type", "message"} and the x-amzn-ErrorType header."""
        self._send(
            status,
            json.dumps({"__type": code, "message": message}).encode(),
            {"Content-Type": JSON_CONTENT_TYPE, "x-amzn-ErrorType": code, **(headers or {})},
        )

    def _fail(self, status: int, message: str) -> None:
        """Refuse a request whose framing cannot be trusted: answer, then close (never read on into its bytes)."""
        self.close_connection = True
        self._linger = True
        self._error(status, _ERROR_TYPES.get(status, _ERROR_TYPES[400]), message)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (request line, version, header limits) in Cognito's JSON shape, as a 4xx."""
        status = _CLIENT_FAULT.get(int(code), int(code))
        self._fail(status, (message or HTTPStatus(status).phrase)[:200])

    def _drain(self) -> None:
        """Half-close and read what the client still sends for a moment: closing a socket with unread input sends
        a reset, which can destroy the error reply before the client reads it."""
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + LINGER_S
            drained = 0
            while drained < LINGER_BYTES and (remaining := deadline - time.monotonic()) > 0:
                self.connection.settimeout(remaining)
                chunk = self.connection.recv(65536)
                if not chunk:
                    return
                drained += len(chunk)

    # --- routes
    def _options(self, body: bytes) -> None:
        if self._on_side_door():
            self._error(403, _ERROR_TYPES[403], errors.SIDE_DOOR_NO_PREFLIGHT)
            return
        self._send(204, b"", {})

    def _post(self, body: bytes) -> None:
        path = self._path()
        if self._on_side_door():
            self._side_door_post(path, body)
            return
        if self._domain_route(path, body):
            return
        if path != "/":
            self._error(404, "UnknownOperationException", f"No such path {path}")
            return
        reply = self.server.emulator.handle(self.headers.get("X-Amz-Target"), body)
        self._send(reply.status, reply.body, reply.headers)

    def _get(self, body: bytes) -> None:
        path = self._path()
        emu = self.server.emulator
        if self._on_side_door():
            if not self._side_door_allowed():
                return
            query = {k: v[-1] for k, v in parse_qs(self._target.query if self._target else "").items()}
            if path == "/_authflow/outbox":
                messages = emu.outbox.messages(to=query.get("to"), pool_id=query.get("pool"))
                self._send_json(200, {"messages": [m.to_json() for m in messages]})
            elif path == "/_authflow/clock":
                self._send_json(200, {"now": emu.clock.now(), "offset": emu.clock.offset})
            else:
                self._error(404, _ERROR_TYPES[404], errors.SIDE_DOOR_NO_SUCH_CONTROL.format(path=path))
            return
        try:
            document = well_known(emu, path)
        except CognitoError as exc:
            self._error(exc.status, exc.code, exc.message)
            return
        if document is not None:
            self._send_json(200, document)
            return
        if self._domain_route(path, body):
            return
        self._error(404, _ERROR_TYPES[404], f"No such path {path}")

    def _path(self) -> str:
        return self._target.path if self._target is not None else ""

    def _domain_route(self, path: str, body: bytes) -> bool:
        """A request under a pool domain's prefix (`/<prefix>/oauth2/token`, ...): answered by the OAuth endpoints
        (harness/emulator/oauth); False when the path names no domain. docs/oauth.md has the layout."""
        prefix, _, rest = path.lstrip("/").partition("/")
        emu = self.server.emulator
        pool = pool_of_domain(emu, prefix) if prefix else None
        if pool is None:
            return False
        request = DomainRequest(
            method=self.command,
            path="/" + rest,
            query=self._target.query if self._target is not None else "",
            body=body,
            headers={name.lower(): value for name, value in self.headers.items()},
            base=f"{emu.base_url}/{prefix}",
        )
        reply = oauth_endpoints.handle(emu, pool, request)
        self._send(reply.status, reply.body, reply.headers)
        return True

    # --- the side door
    def _on_side_door(self) -> bool:
        return self._path().startswith(SIDE_DOOR)

    def _side_door_allowed(self) -> bool:
        """Answer the side door only to a local tool, never to a web page (see the module docstring)."""
        refusal = self._side_door_refusal()
        if refusal is not None:
            self._error(403, _ERROR_TYPES[403], refusal)
            return False
        return True

    def _side_door_refusal(self) -> str | None:
        if not ipaddress.ip_address(self.client_address[0]).is_loopback:
            return errors.SIDE_DOOR_LOOPBACK_ONLY
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1 or not all(self._local_authority(host) for host in hosts):
            return errors.SIDE_DOOR_FOREIGN_HOST.format(host=repr(", ".join(hosts)[:100]))
        for origin in self.headers.get_all("Origin") or []:
            if not self._own_origin(origin):
                return errors.SIDE_DOOR_FOREIGN_ORIGIN.format(origin=repr(origin[:100]))
        for site in self.headers.get_all("Sec-Fetch-Site") or []:
            if site.strip().lower() not in ("same-origin", "none"):
                return errors.SIDE_DOOR_CROSS_SITE
        return None

    def _local_authority(self, authority: str) -> bool:
        """A Host naming loopback: under DNS rebinding a page's requests name the attacker's domain instead."""
        if any(character in authority for character in "@/?#\\ \t"):
            return False
        try:
            hostname = urlsplit(f"//{authority}").hostname
        except ValueError:
            return False
        return hostname is not None and self.server.is_local_name(hostname)

    def _own_origin(self, origin: str) -> bool:
        """The emulator serves no pages, so the only Origin it accepts is its own (http, loopback, its port)."""
        try:
            url = urlsplit(origin.strip())
            port = url.port
        except ValueError:
            return False
        return (
            url.scheme == "http"
            and url.path == ""
            and port == self.server.server_address[1]
            and url.hostname is not None
            and self.server.is_local_name(url.hostname)
        )

    def _side_door_post(self, path: str, body: bytes) -> None:
        if not self._side_door_allowed():
            return
        media_type = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            self._error(415, _ERROR_TYPES[415], errors.SIDE_DOOR_NEEDS_JSON)
            return
        emu = self.server.emulator
        if path == "/_authflow/reset":
            emu.reset()
            self._send_json(200, {"reset": True})
            return
        if path == "/_authflow/clock/advance":
            try:
                seconds = float(json.loads(body or b"{}")["seconds"])
                if not math.isfinite(seconds):  # "1e999" decodes to inf, which no clock survives
                    raise ValueError(seconds)
                now = emu.advance_clock(seconds)
            except (ValueError, KeyError, TypeError, RecursionError):
                self._error(400, "InvalidParameterException", 'Send {"seconds": <non-negative number>}')
                return
            self._send_json(200, {"now": now, "offset": emu.clock.offset})
            return
        self._error(404, _ERROR_TYPES[404], errors.SIDE_DOOR_NO_SUCH_CONTROL.format(path=path))


class EmulatorServer(ThreadingHTTPServer):
    """A threaded HTTP server bound to one emulator."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self,
        emulator: Emulator,
        host: str = "127.0.0.1",
        port: int = 9229,
        *,
        request_timeout: float = REQUEST_TIMEOUT_S,
        idle_timeout: float = IDLE_TIMEOUT_S,
    ) -> None:
        self.request_timeout = request_timeout
        self.idle_timeout = idle_timeout
        super().__init__((host, port), _Handler)
        self.emulator = emulator
        emulator.base_url = self.url

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = host.decode() if isinstance(host, bytes) else host
        return f"http://{shown}:{port}"

    def is_local_name(self, hostname: str) -> bool:
        """localhost, a *.localhost name (RFC 6761: never resolved off the machine), a loopback address, or the
        host the server was started on."""
        name = hostname.lower().rstrip(".")
        if name in ("localhost", str(self.server_address[0]).lower()) or name.endswith(".localhost"):
            return True
        try:
            return ipaddress.ip_address(name).is_loopback
        except ValueError:
            return False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that disconnects or stalls is routine: say nothing. Anything else: one line, no traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(
            f"authflow emulator: error serving {client_address}: {type(error).__name__}: {error}",
            file=sys.stderr,
            flush=True,
        )

    def start_in_thread(self) -> threading.Thread:
        """Serve in a background thread (tests, the emulator-http backend); stop with shutdown()."""
        thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name="authflow-emulator", daemon=True
        )
        thread.start()
        return thread

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
