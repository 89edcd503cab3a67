"""The ``expect`` section: its two forms, their load-time checks, and building :class:`Expectation` values.

``expect`` is either one expectation (keys challenge/error/message/response/tokens) or a mapping from pool
name to an expectation. Pool names may not be expectation keys, so one key settles the form: if any key is
an expectation key it is the single form, otherwise (and non-empty) the per-pool form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from harness.cognito import service
from harness.scenario import matchers
from harness.scenario.errors import KeyPath, Problem
from harness.scenario.model import Expectation
from harness.scenario.names import DEFAULT_POOL, EXPECTATION_KEYS, is_pool_name
from harness.scenario.template_checks import NameScope, check_templates
from harness.scenario.wording import closest, did_you_mean, one_of

ResponseCheck = Callable[[Any, KeyPath], list[Problem]]
"""A step kind's check of ``response`` keys against what the step returns."""


def is_per_pool(raw: Any) -> bool:
    return isinstance(raw, Mapping) and bool(raw) and not any(key in EXPECTATION_KEYS for key in raw)


def forms(raw: Any, path: KeyPath) -> list[tuple[str | None, Any, KeyPath]]:
    """``(pool or None, expectation, path)`` for each expectation written in ``expect``."""
    if is_per_pool(raw):
        return [(str(pool), sub, (*path, pool)) for pool, sub in raw.items()]
    return [(None, raw, path)]


def check_expect(
    raw: Any,
    path: KeyPath,
    pools: Collection[str],
    allowed: Collection[str],
    scope: NameScope,
    response_check: ResponseCheck | None,
    kind: str,
) -> list[Problem]:
    """Semantic problems of an ``expect`` section (its shape is the schema's business)."""
    problems: list[Problem] = []
    for pool, sub, sub_path in forms(raw, path):
        if pool is not None and not isinstance(sub, Mapping) and closest(pool, EXPECTATION_KEYS):
            continue  # a misspelt expectation key: the schema's message says so
        if pool is not None and is_pool_name(pool) and pool not in pools and pool != DEFAULT_POOL:
            hint = did_you_mean(pool, [*pools, DEFAULT_POOL, *EXPECTATION_KEYS])
            hint = hint or f"this scenario runs on {one_of(list(pools))}"
            problems.append(Problem(sub_path, f"unknown pool {pool!r} in expect", hint, on_key=True))
        if isinstance(sub, Mapping):
            problems.extend(_check_one(sub, sub_path, allowed, scope, response_check, kind))
    return problems


def _check_one(
    raw: Mapping[str, Any],
    path: KeyPath,
    allowed: Collection[str],
    scope: NameScope,
    response_check: ResponseCheck | None,
    kind: str,
) -> list[Problem]:
    problems: list[Problem] = []
    for key in raw:
        if key in EXPECTATION_KEYS and key not in allowed:
            problems.append(Problem((*path, key), f"{key!r} does not apply to {kind} steps", on_key=True))
    challenge, error = raw.get("challenge"), raw.get("error")
    if isinstance(challenge, str) and challenge not in service.challenge_names():
        names = service.challenge_names()
        hint = did_you_mean(challenge, names) or f"challenges are {one_of(list(names), limit=20)}"
        problems.append(Problem((*path, "challenge"), f"unknown challenge {challenge!r}", hint))
    if isinstance(error, str) and error not in service.error_codes():
        problems.append(
            Problem((*path, "error"), f"unknown error code {error!r}", did_you_mean(error, service.error_codes()))
        )
    if "error" in raw:
        for other in ("challenge", "tokens"):
            if other in raw:
                problems.append(Problem((*path, other), f"{other!r} cannot be expected with 'error'", on_key=True))
    elif "challenge" in raw and "tokens" in raw:
        problems.append(Problem((*path, "tokens"), "'tokens' cannot be expected with 'challenge'", on_key=True))
    message = raw.get("message")
    if isinstance(message, Mapping) and isinstance(message.get("regex"), str):
        try:
            re.compile(message["regex"])
        except re.error as exc:
            problems.append(Problem((*path, "message", "regex"), f"invalid regex {message['regex']!r}: {exc}"))
    elif isinstance(message, str):
        problems.extend(check_templates(message, (*path, "message"), scope))
    if "response" in raw:
        response = raw["response"]
        problems.extend(matchers.check(response, (*path, "response")))
        problems.extend(check_templates(response, (*path, "response"), scope))
        if response_check is not None and "error" not in raw:
            problems.extend(response_check(response, (*path, "response")))
    return problems


def build_expectation(raw: Mapping[str, Any] | None) -> Expectation:
    """An :class:`Expectation` from one checked expectation mapping."""
    if not raw:
        return Expectation()
    message = raw.get("message")
    if isinstance(message, Mapping):
        message = re.compile(str(message["regex"]))
    return Expectation(
        challenge=raw.get("challenge"),
        error=raw.get("error"),
        message=message,
        response=raw.get("response"),
        tokens=raw.get("tokens"),
    )


def build_expect(raw: Any) -> tuple[Expectation, dict[str, Expectation]]:
    """``(expect, expect_by_pool)`` of a step; with the per-pool form ``expect`` is the ``default`` entry."""
    if not is_per_pool(raw):
        return build_expectation(raw), {}
    by_pool = {str(pool): build_expectation(sub) for pool, sub in raw.items()}
    return by_pool.get(DEFAULT_POOL, Expectation()), by_pool
