"""The emulator: state, clock, outbox and the dispatch of AWS JSON 1.1 requests to operations.

One object serves both ways of running: `handle()` answers a raw request (the HTTP server and the in-process
boto3 hook both call it), and the Python methods here are the same controls the HTTP side door exposes.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness.cognito import service
from harness.emulator import errors
from harness.emulator.clock import Clock
from harness.emulator.errors import CognitoError
from harness.emulator.ops import registry
from harness.emulator.outbox import Outbox
from harness.emulator.sessions import SessionStore
from harness.emulator.state import AppClient, UserPool
from harness.emulator.triggers import TriggerRegistry
from harness.emulator.validation import validate_request

JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 64  # Cognito's deepest input (UpdateUserPool) nests 5 levels; the limit only stops abuse
DEFAULT_BASE_URL = "http://127.0.0.1:9229"
ISSUERS = ("local", "aws")
"""How tokens name their issuer: `local`, the emulator's own URL (`<base URL>/<pool id>`, where it publishes the
keys); `aws`, Cognito's form `https://cognito-idp.<region>.amazonaws.com/<pool id>` [DG "Verifying a JSON Web
Token"], for verifiers that derive the issuer from the pool id (the keys are still served by the emulator)."""


def _reject_constant(name: str) -> Any:
    """json accepts NaN and Infinity, which are not JSON (RFC 8259 section 6)."""
    raise ValueError(f"{name} is not a JSON value")


def _check_decoded(value: Any) -> None:
    """Refuse deep nesting and unpaired surrogates, walking iteratively (a recursive walk could overflow too)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise CognitoError("SerializationException", errors.BODY_TOO_DEEP.format(limit=MAX_JSON_DEPTH))
            if isinstance(item, dict):
                for key, member in item.items():
                    _check_text(key)
                    pending.append((member, depth + 1))
            else:
                pending.extend((member, depth + 1) for member in item)


def _check_text(text: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise CognitoError("SerializationException", errors.BODY_BAD_UNICODE) from None


@dataclass(frozen=True)
class Reply:
    """A wire response: status, headers and body."""

    status: int
    headers: dict[str, str]
    body: bytes


class Emulator:
    """An in-memory set of Cognito user pools."""

    def __init__(self, *, region: str = "us-east-1", base_url: str = DEFAULT_BASE_URL, issuer: str = "local") -> None:
        if issuer not in ISSUERS:
            raise ValueError(f"issuer must be one of {', '.join(ISSUERS)}, not {issuer!r}")
        self.region = region
        self.base_url = base_url.rstrip("/")
        self.issuer_form = issuer
        self.revision = 0  # grows with each answered request, clock move and reset: a saver knows when to save
        self.after_reset: list[Callable[[], object]] = []  # run last by reset() (`authflow emulator` preloads again)
        self.clock = Clock()
        self.outbox = Outbox()
        self.sessions = SessionStore()
        self.triggers = TriggerRegistry()
        self.pools: dict[str, UserPool] = {}
        self.clients: dict[str, AppClient] = {}  # client ids are unique across pools
        self.lock = threading.RLock()
        self._request_ids = itertools.count(1)

    # --- the wire
    def handle(self, target: str | None, body: bytes) -> Reply:
        """Answer one AWS JSON 1.1 request; every failure becomes an AWS-style 4xx, never an exception."""
        try:
            operation = self._operation_for(target)
            if len(body) > MAX_BODY_BYTES:
                raise CognitoError(
                    "RequestEntityTooLargeException", errors.BODY_TOO_LARGE.format(limit=MAX_BODY_BYTES), 413
                )
            request = self._parse(body)
            validate_request(request, service.operation(operation).input_shape)
            handler = registry.handler(operation)
            if handler is None:
                raise CognitoError("UnsupportedOperationException", errors.NOT_IMPLEMENTED.format(operation=operation))
            with self.lock:
                result = handler(self, request)
                self.revision += 1
            return self._reply(200, result)
        except CognitoError as exc:
            return self._reply(exc.status, {"__type": exc.code, "message": exc.message}, error=exc.code)
        except Exception as exc:  # noqa: BLE001 - an emulator bug must still answer like AWS, not hang a client
            message = f"authflow emulator bug: {type(exc).__name__}: {exc}"
            return self._reply(
                500, {"__type": "InternalErrorException", "message": message}, error="InternalErrorException"
            )

    def call(self, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        """Call an operation from Python without the wire; raises CognitoError like a client would."""
        reply = self.handle(f"{service.target_prefix()}.{operation}", json.dumps(request).encode())
        payload: dict[str, Any] = json.loads(reply.body or b"{}")
        if reply.status != 200:
            raise CognitoError(payload["__type"], payload["message"], reply.status)
        return payload

    def _operation_for(self, target: str | None) -> str:
        prefix = service.target_prefix() + "."
        if not target or not target.startswith(prefix):
            raise CognitoError("UnknownOperationException", errors.UNKNOWN_OPERATION.format(target=target or "(none)"))
        operation = target[len(prefix) :]
        if not service.is_operation(operation):
            raise CognitoError("UnknownOperationException", errors.UNKNOWN_OPERATION.format(target=target))
        return operation

    @staticmethod
    def _parse(body: bytes) -> Any:
        """Decode a body, or raise the 400 SerializationException an AWS JSON service answers a malformed one with.

        Beyond syntax, a body is malformed when it nests deeper than MAX_JSON_DEPTH (json's recursion would
        otherwise surface as a 500), holds NaN/Infinity (not JSON), or holds a string with an unpaired UTF-16
        surrogate ("\\ud800"): no UTF-8 text holds one (RFC 8259 section 8.2), and handlers would fail to encode it.
        """
        if not body.strip():
            return {}
        try:
            value = json.loads(body, parse_constant=_reject_constant)
        except RecursionError:
            raise CognitoError("SerializationException", errors.BODY_TOO_DEEP.format(limit=MAX_JSON_DEPTH)) from None
        except (ValueError, UnicodeDecodeError):
            raise CognitoError("SerializationException", errors.BODY_NOT_JSON) from None
        _check_decoded(value)
        return value

    def _reply(self, status: int, payload: dict[str, Any], *, error: str | None = None) -> Reply:
        request_id = f"00000000-0000-4000-8000-{next(self._request_ids):012d}"  # count() is atomic
        headers = {"Content-Type": JSON_CONTENT_TYPE, "x-amzn-RequestId": request_id}
        if error:
            headers["x-amzn-ErrorType"] = error
        return Reply(status, headers, json.dumps(payload, separators=(",", ":")).encode())

    # --- controls (the side door, from Python)
    def issuer(self, pool_id: str) -> str:
        """The `iss` of the pool's tokens, in the form chosen at construction (ISSUERS)."""
        if self.issuer_form == "aws":
            pool = self.pools.get(pool_id)
            region = pool.region if pool is not None else pool_id.partition("_")[0]
            return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
        return f"{self.base_url}/{pool_id}"

    def jwks_url(self, pool_id: str) -> str:
        """Where the emulator publishes the pool's keys, whichever issuer form its tokens carry."""
        return f"{self.base_url}/{pool_id}/.well-known/jwks.json"

    def jwks(self, pool_id: str) -> dict[str, Any]:
        pool = self.pools.get(pool_id)
        if pool is None:
            raise CognitoError("ResourceNotFoundException", errors.POOL_NOT_FOUND.format(pool_id=pool_id), 404)
        return pool.keys.jwks()

    def advance_clock(self, seconds: float) -> float:
        self.revision += 1
        return self.clock.advance(seconds)

    def reset(self) -> None:
        """Forget every pool, session and message; the clock goes back to real time."""
        with self.lock:
            for pool in self.pools.values():
                pool.keys.release()
            self.pools.clear()
            self.clients.clear()
            self.sessions.clear()
            self.outbox.clear()
            self.clock.reset()
            self.revision += 1
            for restore in self.after_reset:
                restore()

    def client(self, **kwargs: Any) -> Any:
        """A boto3 cognito-idp client answered in-process by this emulator."""
        from harness.emulator.inprocess import in_process_client

        return in_process_client(self, **kwargs)
