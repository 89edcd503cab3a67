"""A scenario as a Mermaid sequence diagram: the app, Amplify when the scenario uses it, the user pool, each
request and the reply the scenario expects (per pool in ``alt`` blocks when pools differ).

The statements written are few and fixed (``tests/catalogue`` checks every line against them):
``participant``, ``A->>B: text``, ``B-->>A: text``, ``B--xA: text``, ``Note ...: text``, ``alt``/``else``/``end``.
Free text only ever follows a colon or ``alt``/``else``/``as``, and goes through :func:`mermaid_text` first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.scenario.model import Scenario, Step
from harness.steps import STEP_KINDS, StepKind
from harness.steps.words import Reply, one_line

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


def _reply_statement(reply: Reply, server: str) -> str:
    if reply.note:
        return f"Note over App,Cognito: {_lines(reply.lines)}"
    arrow = "--x" if reply.error else "-->>"
    return f"{server}{arrow}App: {_lines(reply.lines)}"


def _pool_groups(kind: StepKind, step: Step, pools: Sequence[str]) -> list[tuple[list[str], Reply]]:
    """Pools whose expected replies read the same, in the scenario's pool order: one ``alt`` branch each."""
    groups: list[tuple[list[str], Reply]] = []
    for pool in pools:
        reply = kind.reply(step, step.expectation_for(pool))
        for names, known in groups:
            if known == reply:
                names.append(pool)
                break
        else:
            groups.append(([pool], reply))
    return groups


def _participant_id(kind: StepKind) -> str:
    return kind.key.capitalize()


def _step_statements(step: Step, pools: Sequence[str]) -> list[str]:
    kind = STEP_KINDS[step.kind]
    note = kind.note(step)
    if note is not None:
        return [f"Note over App,Cognito: {mermaid_text(note)}"]
    statements = [f"Note right of App: {mermaid_text(step.label)}"] if step.named else []
    server = _participant_id(kind) if kind.participant else "Cognito"
    request = kind.request_label(step)
    if request is not None:
        request = f"{request} with client {step.client}" if step.client else request
        statements.append(f"App->>{server}: {mermaid_text(request)}")
    groups = _pool_groups(kind, step, pools)
    if len(groups) == 1:
        return [*statements, _reply_statement(groups[0][1], server)]
    for index, (names, reply) in enumerate(groups):
        keyword = "alt" if index == 0 else "else"
        statements.append(f"{keyword} {'pool' if len(names) == 1 else 'pools'} {mermaid_text(', '.join(names))}")
        statements.append(INDENT + _reply_statement(reply, server))
    return [*statements, "end"]


def sequence_diagram(scenario: Scenario) -> str:
    """The scenario's flow as a ``sequenceDiagram`` (without the Markdown fence)."""
    app = f"App as App (client {mermaid_text(scenario.client)})" if scenario.client else "App"
    lines = ["sequenceDiagram", f"{INDENT}participant {app}"]
    between = {STEP_KINDS[step.kind].key: STEP_KINDS[step.kind] for step in scenario.steps}
    for kind in between.values():
        if kind.participant:
            lines.append(f"{INDENT}participant {_participant_id(kind)} as {mermaid_text(kind.participant)}")
    lines.append(f"{INDENT}participant Cognito as Cognito user pool ({mermaid_text(', '.join(scenario.pools))})")
    for step in scenario.steps:
        lines += [INDENT + statement for statement in _step_statements(step, scenario.pools)]
    return "\n".join(lines)
