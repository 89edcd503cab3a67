"""What a step asks and what the scenario expects back, in words a diagram can carry.

Only names are drawn from the request (the operation, its AuthFlow or ChallengeName, an Amplify flow), never
parameter values, so no password or code leaves a scenario file. The reply is the expectation as written:
an error with its message, a challenge, tokens, or "ok" - plus the response facts the scenario checks, because
those are often the point of the pitfall (``Session`` present on one pool, absent on another).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.catalogue.readable import is_secret_key, show_templates
from harness.spec.model import Expectation, Step

MAX_FACTS = 3
"""Response facts drawn per reply; more are cut with "…" so diagrams stay narrow."""

_MATCHER_WORDS = frozenset({"present", "absent", "any"})
_MATCHER_KEYS = frozenset({"regex", "one_of", "equals"})
_AMPLIFY_STEP_KEYS = ("signInStep", "signUpStep", "resetPasswordStep")
_AMPLIFY_SHOWN = frozenset({"isSignedIn", "isSignUpComplete", "nextStep", "tokens", "deliveryMedium", "attributeName"})


@dataclass(frozen=True)
class Reply:
    """The expected answer to one step on one pool: an error (a crossed arrow) or not, and its text lines."""

    error: bool
    lines: tuple[str, ...]


def request_label(step: Step) -> str:
    """The arrow's text for a step's request: ``InitiateAuth (USER_PASSWORD_AUTH)``, ``signIn (USER_AUTH)``."""
    if step.kind == "srp":
        flow = show_templates(step.params.get("flow", "USER_SRP_AUTH"))
        label = f"SRP sign-in: InitiateAuth ({flow}), RespondToAuthChallenge (PASSWORD_VERIFIER)"
    elif step.kind == "amplify":
        details = _amplify_details(step.params)
        label = f"{step.operation} ({', '.join(details)})" if details else str(step.operation)
    else:
        detail = step.params.get("AuthFlow") or step.params.get("ChallengeName")
        label = f"{step.operation} ({show_templates(detail)})" if detail else str(step.operation)
    return f"{label} with client {step.client}" if step.client else label


def _amplify_details(inputs: Mapping[str, Any]) -> list[str]:
    """The flow-deciding options of an Amplify call; everything else in ``input`` is data (or a secret)."""
    options = inputs.get("options")
    options = options if isinstance(options, Mapping) else {}
    details = [show_templates(options[key]) for key in ("authFlowType", "preferredChallenge") if options.get(key)]
    auto = options.get("autoSignIn")
    if auto is True:
        details.append("autoSignIn")
    elif isinstance(auto, Mapping):
        flow = auto.get("authFlowType")
        details.append(f"autoSignIn {show_templates(flow)}" if flow else "autoSignIn")
    details += [key for key in ("global", "forceRefresh") if inputs.get(key) is True]
    return details


def expected_reply(step: Step, expectation: Expectation) -> Reply:
    """The reply a step must get on a pool, as the scenario states it (for ``outbox``: what it reads)."""
    if expectation.error:
        message = expectation.message
        if isinstance(message, re.Pattern):
            return Reply(True, (expectation.error, f"message matching /{message.pattern}/"))
        return Reply(True, (expectation.error, show_templates(message)) if message else (expectation.error,))
    response = expectation.response if isinstance(expectation.response, Mapping) else {}
    if step.kind == "outbox":
        return Reply(False, (f"reads the codes sent to {show_templates(step.outbox_to)}", *response_facts(response)))
    if step.kind == "amplify":
        return Reply(False, _amplify_reply(response))
    if expectation.challenge:
        head = f"challenge {expectation.challenge}"
        facts = response_facts({k: v for k, v in response.items() if k != "ChallengeName"})
    elif expectation.tokens:
        head, facts = "tokens", response_facts(response)
    else:
        head, facts = "ok", response_facts(response)
    return Reply(False, (head, *facts))


def _amplify_reply(response: Mapping[str, Any]) -> tuple[str, ...]:
    """An Amplify result in its own words: signed in or not, the next step, tokens."""
    parts: list[str] = []
    for key, yes, no in (("isSignedIn", "signed in", "not signed in"),
                         ("isSignUpComplete", "sign-up complete", "sign-up not complete")):  # fmt: skip
        if isinstance(response.get(key), bool):
            parts.append(yes if response[key] else no)
    next_step = response.get("nextStep")
    if isinstance(next_step, Mapping):
        parts += [f"next step {next_step[k]}" for k in _AMPLIFY_STEP_KEYS if isinstance(next_step.get(k), str)]
    tokens = response.get("tokens")
    if tokens is not None:
        details = tokens.get("signInDetails") if isinstance(tokens, Mapping) else None
        flow = details.get("authFlowType") if isinstance(details, Mapping) else None
        parts.append(f"tokens ({flow} sign-in)" if isinstance(flow, str) else "tokens")
    if isinstance(response.get("deliveryMedium"), str):
        parts.append(f"code sent by {response['deliveryMedium']}")
    facts = response_facts({k: v for k, v in response.items() if k not in _AMPLIFY_SHOWN}, max_depth=0)
    return (", ".join(parts) or "ok", *facts)


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
