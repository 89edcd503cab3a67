"""Load-time checks of the templates in a value: they parse, and every name they read is defined by then."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.scenario.errors import KeyPath, Problem
from harness.scenario.template import BUILTIN_NAMES, TemplateError, has_template, names_used, parse_templates
from harness.scenario.wording import did_you_mean


@dataclass
class NameScope:
    """The names visible at a point of the scenario, and those defined later (for a better hint)."""

    known: dict[str, str] = field(default_factory=lambda: dict.fromkeys(BUILTIN_NAMES, "built-in"))
    later: dict[str, str] = field(default_factory=dict)

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


def check_templates(value: Any, path: KeyPath, scope: NameScope) -> list[Problem]:
    """Problems of every template in ``value``: syntax, disallowed constructs, unknown names."""
    problems: list[Problem] = []
    for where, text in iter_strings(value, path):
        if not has_template(text):
            continue
        try:
            trees = parse_templates(text)
        except TemplateError as exc:
            problems.append(Problem(where, f"bad template {text!r}: {exc.message}", exc.hint))
            continue
        for name in sorted(names_used(trees)):
            if name in scope.known:
                continue
            if name in scope.later:
                hint = f"{name!r} is only defined later, by {scope.later[name]}"
            else:
                hint = did_you_mean(name, scope.known)
            problems.append(Problem(where, f"unknown variable {name!r}", hint))
    return problems
