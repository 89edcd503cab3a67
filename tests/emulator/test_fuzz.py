"""Bad input never crashes the emulator: random and mutated requests always get an AWS-style 4xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.cognito import service
from harness.emulator import Emulator

pytestmark = pytest.mark.slow  # generated inputs by the hundred: `pytest -m 'not slow'` skips them

PREFIX = "AWSCognitoIdentityProviderService."
OPERATIONS = sorted(service.operation_names())

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def _member_names(operation: str) -> list[str]:
    shape = service.operation(operation).input_shape
    return list(shape.members) if shape is not None else []


@st.composite
def plausible_requests(draw: st.DrawFn) -> tuple[str, bytes]:
    """Requests that name real operations and members, with values of any type."""
    operation = draw(st.sampled_from(OPERATIONS))
    names = _member_names(operation)
    body: dict[str, Any] = {}
    if names:
        for name in draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True)):
            body[name] = draw(json_values)
    return PREFIX + operation, json.dumps(body).encode()


def _assert_aws_error_or_success(emu: Emulator, target: str | None, body: bytes) -> None:
    reply = emu.handle(target, body)
    payload = json.loads(reply.body)
    if reply.status == 200:
        assert isinstance(payload, dict)
        return
    assert 400 <= reply.status < 500, (reply.status, payload)
    assert set(payload) == {"__type", "message"}
    assert payload["__type"] and isinstance(payload["message"], str)


_EMU = Emulator()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plausible_requests())
def test_plausible_requests(request: tuple[str, bytes]) -> None:
    _assert_aws_error_or_success(_EMU, *request)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=60)), st.binary(max_size=200))
def test_arbitrary_bytes(target: str | None, body: bytes) -> None:
    _assert_aws_error_or_success(_EMU, target, body)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(OPERATIONS), st.binary(max_size=100))
def test_real_targets_with_garbage(operation: str, body: bytes) -> None:
    _assert_aws_error_or_success(_EMU, PREFIX + operation, body)


def test_valid_shaped_calls_on_a_live_pool_do_not_crash() -> None:
    """Mutations of real requests against real state: wrong ids, missing sessions, odd attribute values."""
    emu = Emulator()
    pool = emu.call("CreateUserPool", {"PoolName": "fuzz"})["UserPool"]["Id"]
    client = emu.call("CreateUserPoolClient", {"UserPoolId": pool, "ClientName": "c"})["UserPoolClient"]["ClientId"]
    mutations: list[tuple[str, dict[str, Any]]] = [
        ("SignUp", {"ClientId": client, "Username": "a", "Password": "x"}),
        (
            "SignUp",
            {
                "ClientId": client,
                "Username": "a",
                "Password": "Correct-Horse-9!",
                "UserAttributes": [{"Name": "email"}],
            },
        ),
        ("InitiateAuth", {"ClientId": client, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {}}),
        (
            "InitiateAuth",
            {"ClientId": client, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": "x"}},
        ),
        ("RespondToAuthChallenge", {"ClientId": client, "ChallengeName": "SMS_MFA", "Session": "s" * 30}),
        ("ListUsers", {"UserPoolId": pool, "Filter": 'email ^= "'}),
        ("ListUsers", {"UserPoolId": pool, "PaginationToken": "not-a-number"}),
        ("ListUserPools", {"MaxResults": 5, "NextToken": "zzz"}),
        ("AdminUpdateUserAttributes", {"UserPoolId": pool, "Username": "nobody", "UserAttributes": []}),
        ("GetUser", {"AccessToken": "a.b.c"}),
        ("RevokeToken", {"Token": "t", "ClientId": client}),
    ]
    for operation, request in mutations:
        _assert_aws_error_or_success(emu, PREFIX + operation, json.dumps(request).encode())
