"""Scenario values as a reader should see them in diagrams and the catalogue: templates named, never
evaluated; secrets never shown; durations in words; the reply a step expects as a few short lines.

The catalogue is committed documentation, so nothing here may run a template (``unique()`` would change the
file on every run) or copy a password or code out of a scenario file. Only names are drawn from a request
(the operation, its AuthFlow or ChallengeName), never parameter values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.scenario.model import Expectation
from harness.scenario.template import Expr, TemplateError, parse_string

_SECRET_KEY = re.compile(
    r"password|secret|session|credential|answer|(^|_)code$|confirmationcode|usercode|(access|id|refresh)_?token$",
    re.IGNORECASE,
)
"""Keys whose values are secrets (Password, NEW_PASSWORD, ConfirmationCode, SMS_MFA_CODE, Session, tokens,
SECRET_HASH, ...). Their values are never shown, only that they are there."""


def is_secret_key(key: str) -> bool:
    """True for a key whose value must stay out of the documentation."""
    return bool(_SECRET_KEY.search(key))


def show_templates(value: object) -> str:
    """``${{ username }}`` as ``‹username›`` (the expression, unevaluated); ``$${{`` as the literal it means."""
    text = str(value)
    try:
        segments = parse_string(text)
    except TemplateError:  # loaded scenarios parse; stay readable for anything else
        return text
    return "".join(f"‹{segment.source}›" if isinstance(segment, Expr) else segment for segment in segments)


def one_line(text: str) -> str:
    """Whitespace runs (newlines included) as one space: diagram statements and list items are one line."""
    return " ".join(text.split())


_UNITS = (("d", 86400), ("h", 3600), ("min", 60))


def duration_words(seconds: float) -> str:
    """181 -> ``3 min 1 s``; 86400 -> ``1 d``: how long a ``clock`` step waits, as a reader says it."""
    parts: list[str] = []
    rest = seconds
    for unit, size in _UNITS:
        count = int(rest // size)
        if count:
            parts.append(f"{count} {unit}")
            rest -= count * size
    if rest or not parts:
        parts.append(f"{rest:g} s")
    return " ".join(parts)


MAX_FACTS = 3
"""Response facts drawn per reply; more are cut with "…" so diagrams stay narrow."""

_MATCHER_WORDS = frozenset({"present", "absent", "any"})
_MATCHER_KEYS = frozenset({"regex", "one_of", "equals"})


@dataclass(frozen=True)
class Reply:
    """The expected answer to one step on one pool: an error (a crossed arrow) or not, and its text lines."""

    error: bool
    lines: tuple[str, ...]
    note: bool = False
    """Drawn as a note over the app and the pool (what an outbox step reads) rather than as a reply arrow."""


def expected_reply(expectation: Expectation) -> Reply:
    """The reply a step that ends in a Cognito answer must get: an error, a challenge, tokens or "ok"."""
    if expectation.error:
        message = expectation.message
        if isinstance(message, re.Pattern):
            return Reply(True, (expectation.error, f"message matching /{message.pattern}/"))
        return Reply(True, (expectation.error, show_templates(message)) if message else (expectation.error,))
    response = expected_response(expectation)
    if expectation.challenge:
        head = f"challenge {expectation.challenge}"
        facts = response_facts({k: v for k, v in response.items() if k != "ChallengeName"})
    elif expectation.tokens:
        head, facts = "tokens", response_facts(response)
    else:
        head, facts = "ok", response_facts(response)
    return Reply(False, (head, *facts))


def expected_response(expectation: Expectation) -> Mapping[str, Any]:
    """The ``response`` matcher of an expectation, or an empty one."""
    return expectation.response if isinstance(expectation.response, Mapping) else {}


def response_facts(expected: Mapping[str, Any], *, max_depth: int = 1) -> tuple[str, ...]:
    """The checks of a ``response`` matcher as short facts: ``Session``, ``no Session``, ``UserConfirmed = false``.

    Values under secret keys are never shown (only whether they are there); nesting deeper than
    ``max_depth`` shows the key alone.
    """
    facts = _facts(expected, "", max_depth)
    return (*facts[:MAX_FACTS], "…") if len(facts) > MAX_FACTS else tuple(facts)


def _facts(expected: Mapping[str, Any], prefix: str, depth: int) -> list[str]:
    facts: list[str] = []
    for key, value in expected.items():
        path = f"{prefix}{key}"
        exact = False
        if isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in _MATCHER_KEYS:
            name, value = next(iter(value.items()))
            if name != "equals":
                facts.append(path)  # a pattern or a choice: the key is checked, its value is not one value
                continue
            exact = True
        if is_secret_key(str(key)) and value not in (None, "absent"):
            facts.append(path)  # that a secret is there, never what it is
        elif exact:
            facts.append(f"{path} = {_literal(value)}")
        elif value is None or value == "absent":
            facts.append(f"no {path}")
        elif value == "present":
            facts.append(path)
        elif value == "any":
            continue
        elif isinstance(value, Mapping):
            facts += _facts(value, f"{path}.", depth - 1) if depth > 0 else [path]
        elif isinstance(value, list) and value and all(_is_scalar(item) for item in value):
            facts.append(f"{path} includes {', '.join(_literal(item) for item in value)}")
        elif isinstance(value, list) and depth > 0 and any(isinstance(item, Mapping) for item in value):
            for item in value:  # each expected element, e.g. Messages[].Purpose = SignUp
                facts += _facts(item, f"{path}[].", depth - 1) if isinstance(item, Mapping) else []
        elif isinstance(value, list):
            facts.append(path)
        else:
            facts.append(f"{path} = {_literal(value)}")
    return facts


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | bool) and value not in _MATCHER_WORDS


def _literal(value: object) -> str:
    """A value the scenario compares with, readable: lists bracketed, booleans as YAML writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{…}"
    return show_templates(value)
