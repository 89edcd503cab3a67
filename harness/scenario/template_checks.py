"""Load-time checks of the templates in a value: they parse, every name they read is defined by then, every
function they call exists, and no Jinja-style ``{{ x }}`` is left to be sent as text."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from inspect import Signature
from typing import Any

from harness.scenario.errors import KeyPath, Problem
from harness.scenario.template import (
    BUILTIN_FUNCTIONS,
    BUILTIN_VALUES,
    OWN_FUNCTION_PARAMETERS,
    Expr,
    TemplateError,
    parse_string,
)
from harness.scenario.wording import did_you_mean, one_of
from harness.scenario.yaml_marks import ReportedJinja


@dataclass
class NameScope:
    """The names visible at a point of the scenario, and those defined later (for a better hint).

    ``functions`` are the callable built-ins: the harness's and those installed plugins add.
    """

    known: dict[str, str] = field(default_factory=lambda: dict.fromkeys(BUILTIN_VALUES | BUILTIN_FUNCTIONS, "built-in"))
    later: dict[str, str] = field(default_factory=dict)
    functions: frozenset[str] = BUILTIN_FUNCTIONS

    def define(self, name: str, where: str) -> None:
        self.known[name] = where
        self.later.pop(name, None)


def iter_strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """Every string leaf of a value, with its key path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from iter_strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_strings(item, (*path, i))


_JINJA = re.compile(r"(?<!\$)\{\{\s*([^{}\s][^{}]*?)\s*\}\}")
"""``{{ x }}`` not written as a template: in a quoted string YAML keeps it as text, and so would the runner."""


def check_templates(value: Any, path: KeyPath, scope: NameScope) -> list[Problem]:
    """Problems of every template in ``value``: syntax, disallowed constructs, unknown names and functions,
    and Jinja-style ``{{ x }}`` text that was surely meant as a template."""
    problems: list[Problem] = []
    for where, text in iter_strings(value, path):
        if "{{" not in text or isinstance(text, ReportedJinja):
            continue
        try:
            segments = parse_string(text)
        except TemplateError as exc:
            problems.append(Problem(where, f"bad template {text!r}: {exc.message}", exc.hint))
            continue
        for segment in segments:
            if isinstance(segment, str):
                problems += _jinja_problems(segment, where)
        called, read, calls = _calls_and_reads(text)
        problems += _name_problems(called, read, where, scope)
        problems += _argument_problems(calls, where, scope)
    return problems


Call = tuple[str, int, frozenset[str]]
"""A call in a template: the function's name, how many positional arguments, which keyword arguments."""


@lru_cache(maxsize=8192)
def _calls_and_reads(text: str) -> tuple[frozenset[str], frozenset[str], frozenset[Call]]:
    """The names a (parsable) template string calls, those it reads, and its calls. A library repeats its
    templates (`${{ username }}` in every file), so each is walked once per process, as `parse_string` parses it
    once."""
    called: set[str] = set()
    read: set[str] = set()
    shapes: set[Call] = set()
    nodes = [node for segment in parse_string(text) if isinstance(segment, Expr) for node in ast.walk(segment.tree)]
    callees: set[int] = set()
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            callees.add(id(node.func))
            shapes.add((node.func.id, len(node.args), frozenset(kw.arg for kw in node.keywords if kw.arg)))
    for node in nodes:
        if isinstance(node, ast.Name):
            (called if id(node) in callees else read).add(node.id)
    return frozenset(called), frozenset(read), frozenset(shapes)


def _argument_problems(calls: frozenset[Call], where: KeyPath, scope: NameScope) -> list[Problem]:
    """A call of one of the harness's own functions with arguments its parameters cannot take (plugins' are
    checked when they run)."""
    problems: list[Problem] = []
    for name, positional, keywords in sorted(calls, key=lambda call: (call[0], call[1], sorted(call[2]))):
        parameters = OWN_FUNCTION_PARAMETERS.get(name)
        if parameters is None or name not in scope.functions:
            continue
        try:
            parameters.bind(*range(positional), **dict.fromkeys(keywords))
        except TypeError as exc:
            problems.append(Problem(where, f"{name}(): {exc}", f"call it as {name}{_shown(parameters)}"))
    return problems


def _shown(parameters: Signature) -> str:
    """`(destination)`, `([prefix])`, `(value, *, nested=...)`: what a call may give, for a hint."""
    shown: list[str] = []
    for parameter in parameters.parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY:
            if "*" not in shown:
                shown.append("*")
            shown.append(f"{parameter.name}=...")
        elif parameter.default is parameter.empty:
            shown.append(parameter.name)
        else:
            shown.append(f"[{parameter.name}]")
    return f"({', '.join(shown)})"


def _jinja_problems(literal: str, where: KeyPath) -> list[Problem]:
    problems = []
    for found in _JINJA.finditer(literal):
        text, inner = found.group(0), found.group(1)
        hint = f"templates are written ${{{{ {inner} }}}}; to send the braces as text write ${{{{ '{text}' }}}}"
        problems.append(Problem(where, f"{text!r} would be sent as text, not evaluated", hint))
    return problems


def _name_problems(called: frozenset[str], read: frozenset[str], where: KeyPath, scope: NameScope) -> list[Problem]:
    """Unknown variables and functions, a variable called, a function read as a value; each name once."""
    problems: list[Problem] = []
    for name in sorted(called):
        if name in scope.functions:
            continue
        if name in scope.known or name in scope.later:
            problems.append(Problem(where, f"{name!r} is a variable, not a function", "only functions can be called"))
            continue
        hint = did_you_mean(name, scope.functions) or f"the functions are {one_of(sorted(scope.functions))}"
        problems.append(Problem(where, f"unknown function {name!r}", hint))
    for name in sorted(read):
        if name in scope.functions:
            problems.append(Problem(where, f"{name!r} is a function, not a value", f"call it: {name}(...)"))
        elif name in scope.known:
            continue
        elif name in scope.later:
            problems.append(
                Problem(where, f"unknown variable {name!r}", f"{name!r} is only defined later, by {scope.later[name]}")
            )
        else:
            values = [known for known in scope.known if known not in scope.functions]
            problems.append(Problem(where, f"unknown variable {name!r}", did_you_mean(name, values)))
    return problems


def check_secrets(secrets: Any, path: KeyPath, scope: NameScope) -> list[Problem]:
    """Every name in ``secrets`` is a variable the scenario defines (``scope`` once every vars entry and save is
    in it); a name that is not an identifier is the schema's to report."""
    if not isinstance(secrets, list):
        return []
    defined = [name for name, where in scope.known.items() if where != "built-in"]
    return [
        Problem((*path, i), f"{name!r} is not a variable of this scenario", did_you_mean(name, defined)
                or "name a vars entry or a save, or wrap a value in sensitive(...)")
        for i, name in enumerate(secrets)
        if isinstance(name, str) and name.isidentifier() and name not in defined
    ]  # fmt: skip
