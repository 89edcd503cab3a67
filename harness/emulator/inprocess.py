"""A real boto3 client answered by the emulator without a socket.

botocore fires `before-send` with the fully serialised, signed request; a handler that returns a response
short-circuits the HTTP layer. So the in-process path exercises the same wire format as the HTTP server:
boto3 serialises, the emulator parses and validates, boto3 parses the reply.
"""

from __future__ import annotations

from typing import Any, Protocol

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config

from harness.cognito import service


class WireReply(Protocol):
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def body(self) -> bytes: ...


class AnswersRequests(Protocol):
    """What the in-process client needs of the emulator: its region, and an answer to one wire request."""

    region: str

    def handle(self, target: str | None, body: bytes) -> WireReply: ...


IN_PROCESS_ENDPOINT = "http://authflow-emulator.invalid"


class _Body:
    """The minimal raw body botocore reads a response from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Any:
        yield self._data

    def read(self, *_: Any) -> bytes:
        return self._data


def _body_bytes(request: AWSPreparedRequest) -> bytes:
    body = request.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    return bytes(body.read())


def answer_request(emu: AnswersRequests, request: AWSPreparedRequest) -> AWSResponse:
    """The emulator's answer to a serialised request, as the response botocore would have read off the wire."""
    target = request.headers.get("X-Amz-Target")
    if isinstance(target, bytes):
        target = target.decode("utf-8", "replace")
    reply = emu.handle(target, _body_bytes(request))
    return AWSResponse(request.url, reply.status, reply.headers, _Body(reply.body))


def in_process_client(emu: AnswersRequests, *, region: str | None = None, config: Config | None = None) -> Any:
    """A cognito-idp client whose every request the emulator answers (no retries unless `config` says so)."""
    client = service.client(
        region_name=region or emu.region,
        endpoint_url=IN_PROCESS_ENDPOINT,
        aws_access_key_id="authflow",
        aws_secret_access_key="authflow",
        config=config or Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )

    def answer(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        return answer_request(emu, request)

    client.meta.events.register("before-send.cognito-idp", answer)
    return client
