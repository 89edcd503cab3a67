"""The Mermaid statements the catalogue writes, as a small grammar every generated diagram line must fit.

Mermaid's sequence-diagram lexer ends a statement at ``;`` or a newline and reads ``#name;`` as an entity
code; ``%%`` starts a comment; a message starting ``wrap:``/``nowrap:`` is a directive; a line that looks like
``style ...:...#...;`` loses its last ``;``. A TEXT here therefore holds no raw ``;``, ``#`` only as an entity
code, no ``%``, ``<``/``>`` only as ``<br/>``.
"""

from __future__ import annotations

import re

from harness.steps import STEP_KINDS

TEXT = r"(?:[^#;%<>\n]|#(?:\d+|[a-z]+);|<br/>)+"
# The servers a step talks to: Cognito, and each step kind that names its own participant (Amplify, Http, ...).
SERVERS = "|".join(["Cognito", *sorted(kind.key.capitalize() for kind in STEP_KINDS.values() if kind.participant)])
_STATEMENTS = {
    "header": r"sequenceDiagram",
    "participant": rf"participant (?:App|{SERVERS})(?: as {TEXT})?",
    "request": rf"App->>(?:{SERVERS}): {TEXT}",
    "reply": rf"(?:{SERVERS})(?:-->>|--x)App: {TEXT}",
    "note": rf"Note (?:over App,Cognito|right of App): {TEXT}",
    "alt": rf"alt {TEXT}",
    "else": rf"else {TEXT}",
    "end": r"end",
}
FORMS = {name: re.compile(pattern) for name, pattern in _STATEMENTS.items()}
_DIRECTIVE = re.compile(r"^[^:]*: ?(?:no)?wrap:", re.IGNORECASE)
_STYLE_RULE = re.compile(r"(?:style|classDef).*:\S*#.*;", re.IGNORECASE)


def problems(diagram: str) -> list[str]:
    """Every line that is not a statement the catalogue writes, or is out of place; [] for a good diagram."""
    found: list[str] = []
    depth = 0
    lines = diagram.split("\n")
    if lines[0] != "sequenceDiagram":
        found.append(f"line 1 must be 'sequenceDiagram', got {lines[0]!r}")
    for number, line in enumerate(lines[1:], start=2):
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        kind = next((name for name, form in FORMS.items() if form.fullmatch(body)), None)
        expected_indent = 2 * (depth + 1) - (2 if kind in ("else", "end") else 0)
        if kind is None or kind == "header":
            found.append(f"line {number}: not a statement the catalogue writes: {line!r}")
            continue
        if indent != expected_indent:
            found.append(f"line {number}: indented {indent}, expected {expected_indent}: {line!r}")
        if _DIRECTIVE.match(body) or _STYLE_RULE.search(body):
            found.append(f"line {number}: Mermaid would read part of the text as syntax: {line!r}")
        if kind == "alt":
            depth += 1
        elif kind in ("else", "end") and depth == 0:
            found.append(f"line {number}: {kind} outside an alt block")
        elif kind == "end":
            depth -= 1
    if depth:
        found.append("an alt block is never ended")
    return found


def diagrams(markdown: str) -> list[str]:
    """The Mermaid blocks of a Markdown document, without their fences."""
    return re.findall(r"^```mermaid\n(.*?)\n```$", markdown, re.S | re.M)
