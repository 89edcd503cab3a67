"""Compare a step's outcome with what the scenario expects; each difference is one readable line."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import jwt

from harness.cognito.outcome import Outcome
from harness.scenario.matchers import match
from harness.scenario.model import Expectation
from harness.scenario.template import render

if TYPE_CHECKING:
    from harness.steps.context import RunContext


def describe(expectation: Expectation) -> dict[str, Any]:
    """The expectation as data, for reports."""
    shown: dict[str, Any] = {}
    if expectation.error:
        shown["error"] = expectation.error
    else:
        shown["success"] = True
    if expectation.message is not None:
        message = expectation.message
        shown["message"] = {"regex": message.pattern} if isinstance(message, re.Pattern) else message
    if expectation.challenge:
        shown["challenge"] = expectation.challenge
    if expectation.response is not None:
        shown["response"] = expectation.response
    if expectation.tokens:
        shown["tokens"] = expectation.tokens
    return shown


def render_expectation(expectation: Expectation, scope: dict[str, Any]) -> Expectation:
    """Expected values may use templates too (e.g. the username a response must carry)."""
    message = expectation.message
    if isinstance(message, str):
        message = str(render(message, scope))
    return replace(expectation, response=render(expectation.response, scope), message=message)


def _message_matches(expected: str | re.Pattern[str], actual: str) -> bool:
    if isinstance(expected, re.Pattern):
        return expected.search(actual) is not None
    return expected == actual


def check(expectation: Expectation, outcome: Outcome, ctx: RunContext) -> list[str]:
    problems: list[str] = []
    error = outcome.error
    if expectation.error:
        if error is None:
            problems.append(f"error: expected {expectation.error}, but the call succeeded")
        elif error["Code"] != expectation.error:
            problems.append(f"error: expected {expectation.error}, got {error['Code']}: {error['Message']}")
    elif error is not None:
        problems.append(f"expected success, got {error['Code']}: {error['Message']}")
    wanted = expectation.message
    if wanted is not None and error is not None and not _message_matches(wanted, error["Message"]):
        shown = f"/{wanted.pattern}/" if isinstance(wanted, re.Pattern) else repr(wanted)
        problems.append(f"message: expected {shown}, got {error['Message']!r}")
    if expectation.challenge:
        got = outcome.response.get("ChallengeName")
        if got != expectation.challenge:
            problems.append(f"challenge: expected {expectation.challenge}, got {got or 'no challenge'}")
    if expectation.response is not None:
        problems += [str(mismatch) for mismatch in match(expectation.response, outcome.response)]
    if expectation.tokens == "valid":
        problems += token_problems(outcome.response, ctx)
    return problems


def token_problems(response: dict[str, Any], ctx: RunContext) -> list[str]:
    """The id and access tokens must verify against the pool's JWKS, issuer and client."""
    result = response.get("AuthenticationResult") or {}
    problems: list[str] = []
    try:
        keys = jwt.PyJWKSet.from_dict(ctx.backend.jwks(ctx.pool.pool_id))
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        return [f"tokens: could not read the pool's JWKS: {exc}"]
    issuer = ctx.backend.issuer(ctx.pool.pool_id)
    for name, use in (("IdToken", "id"), ("AccessToken", "access")):
        token = result.get(name)
        if not token:
            problems.append(f"tokens: no {name} in AuthenticationResult")
            continue
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = next(k for k in keys.keys if k.key_id == kid)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=issuer,
                audience=ctx.client.client_id if use == "id" else None,
                options={"verify_exp": False, "verify_aud": use == "id", "verify_iat": False},
            )
        except StopIteration:
            problems.append(f"tokens: {name} is signed with a key the pool's JWKS does not list")
            continue
        except jwt.PyJWTError as exc:
            problems.append(f"tokens: {name} does not verify: {exc}")
            continue
        if claims.get("token_use") != use:
            problems.append(f"tokens: {name} has token_use {claims.get('token_use')!r}, expected {use!r}")
        if claims.get("exp", 0) <= ctx.backend.now():
            problems.append(f"tokens: {name} is already expired")
    return problems
