"""A scenario as a Mermaid sequence diagram: the app, Amplify when the scenario uses it, the user pool, each
request and the reply the scenario expects (per pool in ``alt`` blocks when pools differ).

The statements written are few and fixed (``tests/catalogue`` checks every line against them):
``participant``, ``A->>B: text``, ``B-->>A: text``, ``B--xA: text``, ``Note ...: text``, ``alt``/``else``/``end``.
Free text only ever follows a colon or ``alt``/``else``/``as``, and goes through :func:`mermaid_text` first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.catalogue.answers import Reply, expected_reply, request_label
from harness.catalogue.readable import duration_words, one_line
from harness.spec.model import Scenario, Step

_ENTITIES = {"#": "#35;", ";": "#59;", "<": "#lt;", ">": "#gt;", "%": "#37;"}
"""Characters Mermaid reads as syntax inside text, as the entity codes it renders back: ``;`` ends a statement,
``#`` starts an entity code, ``<``/``>`` would be HTML, ``%%`` starts a comment."""
_UNSAFE = re.compile("[#;<>%]")
_STYLE_RULE = re.compile(r"(style|classDef).*:\S*#", re.IGNORECASE)
"""Mermaid strips the last ``;`` of a line that looks like a style rule before parsing; a colon in such a text
is written as an entity too, so the line no longer looks like one."""
_WRAP_PREFIX = re.compile(r"(no)?wrap:", re.IGNORECASE)
"""A message starting ``wrap:`` or ``nowrap:`` is read as a wrapping directive, and those words vanish."""

LINE_BREAK = "<br/>"
INDENT = "  "


def mermaid_text(value: object) -> str:
    """Readable text (see :mod:`harness.catalogue.readable`) made safe for one Mermaid statement: one line,
    syntax characters as entities."""
    shown = one_line(str(value))
    escaped = _UNSAFE.sub(lambda m: _ENTITIES[m.group(0)], shown)  # one pass: entities are not escaped again
    if _STYLE_RULE.search(escaped):
        return escaped.replace(":", "#58;")
    return escaped.replace(":", "#58;", 1) if _WRAP_PREFIX.match(escaped) else escaped


def _lines(texts: Sequence[str]) -> str:
    return LINE_BREAK.join(mermaid_text(text) for text in texts)


def _has_default_label(step: Step) -> bool:
    """Whether the step's label is the generated one; a label the author wrote says why the step is there."""
    if step.kind == "clock":
        return step.label.startswith("clock advance ")
    defaults = {
        "call": f"call {step.operation}",
        "amplify": f"amplify {step.operation}",
        "srp": f"SRP sign-in ({step.params.get('flow', 'USER_SRP_AUTH')})",
        "outbox": f"outbox to {step.outbox_to}",
    }
    return step.label == defaults.get(step.kind)


def _reply_statement(step: Step, reply: Reply, server: str) -> str:
    if step.kind == "outbox":
        return f"Note over App,Cognito: {_lines(reply.lines)}"
    arrow = "--x" if reply.error else "-->>"
    return f"{server}{arrow}App: {_lines(reply.lines)}"


def _pool_groups(step: Step, pools: Sequence[str]) -> list[tuple[list[str], Reply]]:
    """Pools whose expected replies read the same, in the scenario's pool order: one ``alt`` branch each."""
    groups: list[tuple[list[str], Reply]] = []
    for pool in pools:
        reply = expected_reply(step, step.expectation_for(pool))
        for names, known in groups:
            if known == reply:
                names.append(pool)
                break
        else:
            groups.append(([pool], reply))
    return groups


def _step_statements(step: Step, pools: Sequence[str]) -> list[str]:
    if step.kind == "clock":
        note = duration_words(step.clock_advance_s or 0) + " later"
        text = note if _has_default_label(step) else f"{note}: {step.label}"
        return [f"Note over App,Cognito: {mermaid_text(text)}"]
    statements = [] if _has_default_label(step) else [f"Note right of App: {mermaid_text(step.label)}"]
    server = "Amplify" if step.kind == "amplify" else "Cognito"
    if step.kind != "outbox":
        statements.append(f"App->>{server}: {mermaid_text(request_label(step))}")
    groups = _pool_groups(step, pools)
    if len(groups) == 1:
        return [*statements, _reply_statement(step, groups[0][1], server)]
    for index, (names, reply) in enumerate(groups):
        keyword = "alt" if index == 0 else "else"
        statements.append(f"{keyword} {'pool' if len(names) == 1 else 'pools'} {mermaid_text(', '.join(names))}")
        statements.append(INDENT + _reply_statement(step, reply, server))
    return [*statements, "end"]


def sequence_diagram(scenario: Scenario) -> str:
    """The scenario's flow as a ``sequenceDiagram`` (without the Markdown fence)."""
    app = f"App as App (client {mermaid_text(scenario.client)})" if scenario.client else "App"
    lines = ["sequenceDiagram", f"{INDENT}participant {app}"]
    if any(step.kind == "amplify" for step in scenario.steps):
        lines.append(f"{INDENT}participant Amplify as Amplify JS")
    lines.append(f"{INDENT}participant Cognito as Cognito user pool ({mermaid_text(', '.join(scenario.pools))})")
    for step in scenario.steps:
        lines += [INDENT + statement for statement in _step_statements(step, scenario.pools)]
    return "\n".join(lines)
