"""The emulator on a loopback HTTP port, for any Cognito client (boto3, Amplify, the AWS CLI, ...).

Besides the Cognito API (POST /), it serves each pool's JWKS and OpenID configuration and a side door for
test tools under /_authflow/ (loopback callers only):

    GET  /_authflow/outbox[?to=ADDRESS][&pool=POOL_ID]   the codes the pools "sent"
    GET  /_authflow/clock                                {"now": epoch seconds, "offset": seconds}
    POST /_authflow/clock/advance   {"seconds": 181}     move the clock forward
    POST /_authflow/reset                                forget all pools, sessions and messages
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from harness.emulator.emulator import JSON_CONTENT_TYPE, MAX_BODY_BYTES, Emulator
from harness.emulator.errors import CognitoError

SIDE_DOOR = "/_authflow/"
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
    "Access-Control-Expose-Headers": "x-amzn-RequestId, x-amzn-ErrorType",
}


class _Handler(BaseHTTPRequestHandler):
    server: EmulatorServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        """No Nagle: headers and body go out as separate writes, and delayed ACKs would add 40 ms to each."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet by default: request lines would show up in test output."""

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in {**_CORS, **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    def _error(self, status: int, code: str, message: str) -> None:
        self._send(
            status,
            json.dumps({"__type": code, "message": message}).encode(),
            {"Content-Type": JSON_CONTENT_TYPE, "x-amzn-ErrorType": code},
        )

    def _read_body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._error(400, "SerializationException", "Invalid Content-Length")
            return None
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            self._error(413, "RequestEntityTooLargeException", f"Request body exceeds {MAX_BODY_BYTES} bytes")
            return None
        return self.rfile.read(length)

    def do_OPTIONS(self) -> None:
        self._send(204, b"", {})

    def _method_not_allowed(self) -> None:
        self._read_body()
        self._error(405, "MethodNotAllowedException", f"{self.command} is not supported; use POST / for the API")

    do_PUT = do_DELETE = do_PATCH = _method_not_allowed

    def do_POST(self) -> None:
        body = self._read_body()
        if body is None:
            return
        path = urlsplit(self.path).path
        if path.startswith(SIDE_DOOR):
            self._side_door_post(path, body)
            return
        if path != "/":
            self._error(404, "UnknownOperationException", f"No such path {path}")
            return
        reply = self.server.emulator.handle(self.headers.get("X-Amz-Target"), body)
        self._send(reply.status, reply.body, reply.headers)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        emu = self.server.emulator
        parts = url.path.strip("/").split("/")
        if url.path.startswith(SIDE_DOOR):
            if not self._loopback_only():
                return
            if url.path == "/_authflow/outbox":
                messages = emu.outbox.messages(to=query.get("to"), pool_id=query.get("pool"))
                self._send_json(200, {"messages": [m.to_json() for m in messages]})
            elif url.path == "/_authflow/clock":
                self._send_json(200, {"now": emu.clock.now(), "offset": emu.clock.offset})
            else:
                self._error(404, "ResourceNotFoundException", f"No such control {url.path}")
            return
        if len(parts) == 3 and parts[1] == ".well-known":
            try:
                if parts[2] == "jwks.json":
                    self._send_json(200, emu.jwks(parts[0]))
                    return
                if parts[2] == "openid-configuration":
                    emu.jwks(parts[0])
                    issuer = emu.issuer(parts[0])
                    self._send_json(200, {"issuer": issuer, "jwks_uri": f"{issuer}/.well-known/jwks.json"})
                    return
            except CognitoError as exc:
                self._error(exc.status, exc.code, exc.message)
                return
        self._error(404, "ResourceNotFoundException", f"No such path {url.path}")

    def _loopback_only(self) -> bool:
        if ipaddress.ip_address(self.client_address[0]).is_loopback:
            return True
        self._error(403, "AccessDeniedException", "The authflow side door answers loopback callers only")
        return False

    def _side_door_post(self, path: str, body: bytes) -> None:
        if not self._loopback_only():
            return
        emu = self.server.emulator
        if path == "/_authflow/reset":
            emu.reset()
            self._send_json(200, {"reset": True})
            return
        if path == "/_authflow/clock/advance":
            try:
                seconds = float(json.loads(body or b"{}")["seconds"])
                now = emu.advance_clock(seconds)
            except (ValueError, KeyError, TypeError):
                self._error(400, "InvalidParameterException", 'Send {"seconds": <non-negative number>}')
                return
            self._send_json(200, {"now": now, "offset": emu.clock.offset})
            return
        self._error(404, "ResourceNotFoundException", f"No such control {path}")


class EmulatorServer(ThreadingHTTPServer):
    """A threaded HTTP server bound to one emulator."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 9229) -> None:
        super().__init__((host, port), _Handler)
        self.emulator = emulator
        emulator.base_url = self.url

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = host.decode() if isinstance(host, bytes) else host
        return f"http://{shown}:{port}"

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
