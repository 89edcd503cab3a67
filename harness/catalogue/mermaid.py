"""A scenario as a Mermaid sequence diagram: the app, the user pool, each call and what the scenario expects.

Only operation names, flows, challenge names and error codes/messages are drawn - never parameter values, so
no password or code from a scenario file reaches the documentation. Templates show as ‹name›.
"""

from __future__ import annotations

import re
from typing import Any

from harness.spec.model import Expectation, Scenario, Step

_TEMPLATE = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
# Characters that end or break a Mermaid statement, as the entity codes Mermaid renders.
_ENTITIES = {"#": "#35;", ";": "#59;", "<": "#lt;", ">": "#gt;"}
_UNSAFE = re.compile("[#;<>]")


def text(value: Any) -> str:
    """Make a value safe inside a Mermaid message: templates named, statement breakers escaped."""
    shown = _TEMPLATE.sub(lambda m: f"‹{m.group(1)}›", str(value)).replace("\n", " ")
    return _UNSAFE.sub(lambda m: _ENTITIES[m.group(0)], shown)  # one pass: escapes are not escaped again


def _call_label(step: Step) -> str:
    if step.kind == "srp":
        return f"SRP sign-in ({step.params.get('flow', 'USER_SRP_AUTH')})"
    detail = step.params.get("AuthFlow") or step.params.get("ChallengeName")
    return f"{step.operation} ({detail})" if isinstance(detail, str) and detail else str(step.operation)


def _answer(expectation: Expectation) -> str:
    """The reply arrow for an expectation: an error crosses (--x), anything else is a plain reply."""
    if expectation.error:
        message = expectation.message
        shown = f"<br/>{text(message)}" if isinstance(message, str) else ""
        if isinstance(message, re.Pattern):
            shown = f"<br/>matching {text(message.pattern)}"
        return f"Cognito--xApp: {expectation.error}{shown}"
    if expectation.challenge:
        return f"Cognito-->>App: challenge {expectation.challenge}"
    if expectation.tokens:
        return "Cognito-->>App: tokens (verified against the JWKS)"
    return "Cognito-->>App: ok"


def _step_lines(step: Step, pools: tuple[str, ...]) -> list[str]:
    if step.kind == "clock":
        return [f"Note over App,Cognito: {text(step.label.removeprefix('clock advance '))} later"]
    if step.kind == "outbox":
        return [f"Note over App,Cognito: read the codes sent to {text(step.outbox_to)}"]
    lines = [f"App->>Cognito: {text(_call_label(step))}"]
    if step.label not in (f"call {step.operation}", f"SRP sign-in ({step.params.get('flow', 'USER_SRP_AUTH')})"):
        lines.insert(0, f"Note right of App: {text(step.label)}")  # the step's own name says why it is there
    if not step.expect_by_pool:
        return [*lines, _answer(step.expect)]
    for index, pool in enumerate(pools):
        lines.append(f"{'alt' if index == 0 else 'else'} pool {text(pool)}")
        lines.append(f"  {_answer(step.expectation_for(pool))}")
    return [*lines, "end"]


def sequence_diagram(scenario: Scenario) -> str:
    lines = [
        "sequenceDiagram",
        "  participant App",
        f"  participant Cognito as Cognito user pool ({text(', '.join(scenario.pools))})",
    ]
    for step in scenario.steps:
        lines += [f"  {line}" for line in _step_lines(step, scenario.pools)]
    return "\n".join(lines)
