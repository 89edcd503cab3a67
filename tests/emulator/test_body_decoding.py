"""Bodies that are JSON only in part (too deep, unpaired surrogates, NaN) are 400 SerializationExceptions, not 500s."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.emulator import Emulator
from harness.emulator.emulator import MAX_JSON_DEPTH
from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD
from tests.emulator.raw_http import exchange, parse_replies

TARGET = "AWSCognitoIdentityProviderService."


def reply_of(emu: Emulator, operation: str, body: bytes) -> tuple[int, dict[str, Any]]:
    reply = emu.handle(TARGET + operation, body)
    return reply.status, json.loads(reply.body)


def nested(depth: int, opening: bytes = b"[", closing: bytes = b"]") -> bytes:
    return opening * depth + closing * depth


def sign_up_body(emu: Emulator, password_json: bytes) -> bytes:
    """A SignUp that reaches the password policy: a real pool and client, and the given JSON for the password."""
    pool_id = emu.call("CreateUserPool", {"PoolName": "p"})["UserPool"]["Id"]
    client_id = emu.call("CreateUserPoolClient", {"UserPoolId": pool_id, "ClientName": "c"})["UserPoolClient"]
    prefix = json.dumps({"ClientId": client_id["ClientId"], "Username": "ada"})[:-1].encode()
    return prefix + b', "Password": ' + password_json + b"}"


@pytest.mark.parametrize(
    "body",
    [
        nested(5_000),
        nested(100_000),
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'{"MaxResults": 1, "x": ' + nested(MAX_JSON_DEPTH + 1) + b"}",  # decodable, but past the limit
        b"[" * 200_000,  # unterminated and deep
    ],
    ids=["arrays-5k", "arrays-100k", "objects-50k", "just-past-the-limit", "unterminated"],
)
def test_deep_nesting_is_a_serialization_error(emu: Emulator, body: bytes) -> None:
    status, payload = reply_of(emu, "ListUserPools", body)
    assert (status, payload["__type"]) == (400, "SerializationException"), payload


def test_nesting_within_the_limit_still_reaches_validation(emu: Emulator) -> None:
    body = b'{"MaxResults": 1, "Ignored": ' + nested(MAX_JSON_DEPTH - 2) + b"}"
    assert reply_of(emu, "ListUserPools", body)[0] == 200


@pytest.mark.parametrize(
    "password",
    [
        b'"\\ud800"',  # a lone high surrogate
        b'"Abc-123\\udfff"',  # a lone low surrogate
        b'"\\udc00\\ud800"',  # a pair in the wrong order
        b'"\xed\xa0\x80Abc-123"',  # the surrogate encoded as raw bytes (CESU-8), which json decodes
    ],
)
def test_an_unpaired_surrogate_is_a_serialization_error(emu: Emulator, password: bytes) -> None:
    status, payload = reply_of(emu, "SignUp", sign_up_body(emu, password))
    assert (status, payload["__type"]) == (400, "SerializationException"), payload
    assert "surrogate" in payload["message"]


def test_a_surrogate_in_a_key_is_refused_too(emu: Emulator) -> None:
    status, payload = reply_of(emu, "ListUserPools", b'{"MaxResults": 1, "\\ud800": 1}')
    assert (status, payload["__type"]) == (400, "SerializationException")


def test_a_proper_surrogate_pair_is_fine(emu: Emulator) -> None:
    status, payload = reply_of(emu, "SignUp", sign_up_body(emu, json.dumps(PASSWORD + "\U0001f600").encode()))
    assert status == 200, payload


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_nan_and_infinity_are_not_json(emu: Emulator, constant: bytes) -> None:
    status, payload = reply_of(emu, "ListUserPools", b'{"MaxResults": 1, "x": ' + constant + b"}")
    assert (status, payload["__type"]) == (400, "SerializationException")


def test_over_http_too(server: EmulatorServer) -> None:
    """The 500s the review saw came over HTTP: the same bodies through the server are 400s."""
    for body in (nested(5_000), sign_up_body(server.emulator, b'"\\ud800"')):
        operation = b"SignUp" if body.startswith(b"{") else b"ListUserPools"
        head = b"POST / HTTP/1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.%s\r\n" % operation
        [reply] = parse_replies(exchange(server, head + b"Content-Length: %d\r\n\r\n" % len(body) + body))
        assert (reply.status, reply.json()["__type"]) == (400, "SerializationException")
