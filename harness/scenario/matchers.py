"""Partial matching of a response against an ``expect.response`` tree.

Semantics (docs/scenario-language.md, "Matchers"):

- a plain value must be equal (no type coercion: ``"5"`` is not ``5``, ``true`` is not ``1``);
- a mapping matches the keys it names, other keys of the actual mapping are ignored;
- a list matches when, for each expected element, some actual element matches it (order is free, and
  one actual element may satisfy several expected ones); ``{equals: [...]}`` compares a whole list;
- ``present``: the key is there and not null; ``absent`` (or YAML null): missing or null; ``any``: anything,
  even missing;
- ``{regex: "..."}``: the actual value is a string in which the pattern is found (:func:`re.search`; anchor
  with ``^...$`` for a whole-string match);
- ``{one_of: [...]}``: at least one of the options matches (options are matchers themselves);
- ``{equals: literal}``: exact equality with the literal, which is not read as a matcher.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from harness.scenario.errors import KeyPath, Problem

PRESENT: Final = "present"
ABSENT: Final = "absent"
ANY: Final = "any"
MATCHER_KEYS: Final = ("regex", "one_of", "equals")


class _Missing:
    """The actual side of a key that is not there (distinct from null)."""

    def __repr__(self) -> str:
        return "nothing (no such key)"


MISSING: Final = _Missing()

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _show(value: Any) -> str:
    """Values as the YAML author wrote them: null, true/false, otherwise Python's repr."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


@dataclass(frozen=True)
class Mismatch:
    """One difference: where (a JMESPath-like path, ``@`` for the root), what was expected, what came."""

    path: str
    expected: Any
    actual: Any
    reason: str = ""

    def __str__(self) -> str:
        reason = self.reason or f"expected {_show(self.expected)}, got {_show(self.actual)}"
        return f"{self.path}: {reason}"


def _child(path: str, key: str) -> str:
    part = key if _IDENTIFIER.match(key) else json.dumps(key)
    return part if path == "@" else f"{path}.{part}"


def matcher_key(expected: Any) -> str | None:
    """The matcher keyword of a single-key matcher mapping (``regex``, ``one_of``, ``equals``), else None."""
    if isinstance(expected, Mapping) and len(expected) == 1:
        (key,) = expected
        if key in MATCHER_KEYS:
            return str(key)
    return None


def _equal(expected: Any, actual: Any) -> bool:
    """Python equality, except that booleans only equal booleans (YAML ``true`` is not ``1``)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        return expected.keys() == actual.keys() and all(_equal(expected[k], actual[k]) for k in expected)
    if isinstance(expected, list | tuple) and isinstance(actual, list | tuple):
        return len(expected) == len(actual) and all(_equal(e, a) for e, a in zip(expected, actual, strict=True))
    return bool(expected == actual)


def match(expected: Any, actual: Any, path: str = "@") -> list[Mismatch]:
    """Every mismatch between an expected tree and an actual value (empty when it matches)."""
    if expected is None or expected == ABSENT:
        if actual is None or actual is MISSING:
            return []
        return [Mismatch(path, ABSENT, actual, f"expected absent, got {_show(actual)}")]
    if expected == PRESENT:
        if actual is None or actual is MISSING:
            return [Mismatch(path, PRESENT, actual, f"expected present, got {_show(actual)}")]
        return []
    if expected == ANY:
        return []
    keyword = matcher_key(expected)
    if keyword is not None:
        return _match_keyword(keyword, expected[keyword], actual, path)
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [Mismatch(path, expected, actual, f"expected a mapping, got {_show(actual)}")]
        found: list[Mismatch] = []
        for key, sub in expected.items():
            found.extend(match(sub, actual.get(key, MISSING), _child(path, str(key))))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list | tuple):
            return [Mismatch(path, expected, actual, f"expected a list, got {_show(actual)}")]
        return [
            Mismatch(path, item, actual, f"no element matches {_show(item)} (got {_show(list(actual))})")
            for item in expected
            if not any(not match(item, element) for element in actual)
        ]
    if actual is MISSING or not _equal(expected, actual):
        return [Mismatch(path, expected, actual)]
    return []


def _match_keyword(keyword: str, argument: Any, actual: Any, path: str) -> list[Mismatch]:
    if keyword == "equals":
        if actual is MISSING or not _equal(argument, actual):
            return [Mismatch(path, argument, actual)]
        return []
    if keyword == "regex":
        if not isinstance(actual, str) or re.search(str(argument), actual) is None:
            return [Mismatch(path, argument, actual, f"expected a match for /{argument}/, got {_show(actual)}")]
        return []
    options = list(argument) if isinstance(argument, list) else [argument]
    if any(not match(option, actual) for option in options):
        return []
    return [Mismatch(path, options, actual, f"expected one of {_show(options)}, got {_show(actual)}")]


def check(expected: Any, path: KeyPath = ()) -> list[Problem]:
    """Load-time check of a matcher tree: regexes compile and ``one_of`` holds a non-empty list."""
    problems: list[Problem] = []
    keyword = matcher_key(expected)
    if keyword == "regex":
        argument = expected[keyword]
        if not isinstance(argument, str):
            problems.append(Problem((*path, keyword), "a regex must be a string"))
        else:
            try:
                re.compile(argument)
            except re.error as exc:
                problems.append(Problem((*path, keyword), f"invalid regex {argument!r}: {exc}"))
    elif keyword == "one_of":
        argument = expected[keyword]
        if not isinstance(argument, list) or not argument:
            problems.append(Problem((*path, keyword), "one_of needs a non-empty list of options"))
        else:
            for i, option in enumerate(argument):
                problems.extend(check(option, (*path, keyword, i)))
    elif keyword == "equals":
        pass
    elif isinstance(expected, Mapping):
        for key, sub in expected.items():
            problems.extend(check(sub, (*path, key)))
    elif isinstance(expected, list):
        for i, sub in enumerate(expected):
            problems.extend(check(sub, (*path, i)))
    return problems
