"""Check ``params`` values and ``expect.response`` keys against botocore shapes, at load time.

A value written as one whole template (``${{ ... }}``) is only known at run time and is skipped; that is
also the way to send a deliberately invalid value (``AuthFlow: ${{ "NO_SUCH_FLOW" }}``). A string that
merely contains templates is still a string, so only its type is checked.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from harness.scenario.errors import KeyPath, Problem
from harness.scenario.matchers import matcher_key
from harness.scenario.template import has_template, is_template
from harness.scenario.wording import did_you_mean, one_of, value_type_words

_STRINGY = {"string", "blob", "timestamp"}


def _type_problem(shape: Shape, value: Any, path: KeyPath) -> Problem | None:
    """A problem when the value's YAML type cannot be sent as this shape's type."""
    kind = shape.type_name
    ok: bool
    if kind == "structure" or kind == "map":
        ok, want = isinstance(value, Mapping), "a mapping"
    elif kind == "list":
        ok, want = isinstance(value, list), "a list"
    elif kind == "string":
        ok, want = isinstance(value, str), "a string"
    elif kind in ("integer", "long"):
        ok, want = isinstance(value, int) and not isinstance(value, bool), "an integer"
    elif kind in ("float", "double"):
        ok, want = isinstance(value, int | float) and not isinstance(value, bool), "a number"
    elif kind == "boolean":
        ok, want = isinstance(value, bool), "true or false"
    elif kind == "timestamp":
        ok = isinstance(value, str | int | float | datetime.date) and not isinstance(value, bool)
        want = "a timestamp"
    elif kind == "blob":
        ok, want = isinstance(value, str | bytes), "a string"
    else:  # document: anything goes
        return None
    if ok:
        return None
    return Problem(path, f"expected {want}, got {value_type_words(value)}")


def check_value(shape: Shape, value: Any, path: KeyPath, skip_required: Collection[str] = ()) -> list[Problem]:
    """Every problem of ``value`` against ``shape``; ``skip_required`` members may be left out."""
    if is_template(value):
        return []
    if isinstance(value, str) and has_template(value):
        if shape.type_name in _STRINGY:
            return []
        problem = _type_problem(shape, value, path)
        return (
            [Problem(path, problem.message, "only a value that is one whole template keeps its type")]
            if problem
            else []
        )
    problem = _type_problem(shape, value, path)
    if problem:
        return [problem]
    if isinstance(shape, StructureShape):
        return _check_structure(shape, value, path, skip_required)
    if isinstance(shape, ListShape):
        problems = _check_size(shape, len(value), path, "item")
        for i, item in enumerate(value):
            problems.extend(check_value(shape.member, item, (*path, i)))
        return problems
    if isinstance(shape, MapShape):
        problems = _check_size(shape, len(value), path, "entry")
        for key, item in value.items():
            problems.extend(check_value(shape.key, key, (*path, key)))
            problems.extend(check_value(shape.value, item, (*path, key)))
        return problems
    if shape.type_name == "string":
        return _check_string(shape, value, path)
    if shape.type_name in ("integer", "long", "float", "double"):
        return _check_range(shape, value, path)
    return []


def _check_structure(
    shape: StructureShape, value: Mapping[str, Any], path: KeyPath, skip_required: Collection[str]
) -> list[Problem]:
    members = shape.members
    problems: list[Problem] = []
    for key, item in value.items():
        if key not in members:
            hint = did_you_mean(str(key), members) or f"{shape.name} has {one_of(list(members))}"
            problems.append(Problem((*path, key), f"unknown parameter {key!r}", hint, on_key=True))
        else:
            problems.extend(check_value(members[key], item, (*path, key)))
    for name in shape.required_members:
        if name not in value and name not in skip_required:
            problems.append(Problem(path, f"missing required parameter {name!r}"))
    if shape.metadata.get("union") and len(value) != 1:
        problems.append(Problem(path, f"set exactly one of {one_of(list(members))}"))
    return problems


def _check_size(shape: Shape, size: int, path: KeyPath, noun: str) -> list[Problem]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        return [Problem(path, f"needs at least {low} {noun}{'s' if low != 1 else ''}, got {size}")]
    if high is not None and size > high:
        return [Problem(path, f"allows at most {high} {noun}{'s' if high != 1 else ''}, got {size}")]
    return []


def _check_string(shape: Shape, value: str, path: KeyPath) -> list[Problem]:
    enum = shape.enum
    if enum and value not in enum:
        return [Problem(path, f"must be one of {one_of(enum, limit=20)}, got {value!r}", did_you_mean(value, enum))]
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(value) < low:
        return [Problem(path, f"must be at least {low} character{'s' if low != 1 else ''} long")]
    if high is not None and len(value) > high:
        return [Problem(path, f"must be at most {high} characters long, got {len(value)}")]
    return []


def _check_range(shape: Shape, value: float, path: KeyPath) -> list[Problem]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and value < low:
        return [Problem(path, f"must be at least {low}, got {value}")]
    if high is not None and value > high:
        return [Problem(path, f"must be at most {high}, got {value}")]
    return []


def check_response_keys(shape: Shape | None, expected: Any, path: KeyPath, operation: str) -> list[Problem]:
    """Keys of an ``expect.response`` tree must exist in the output shape: a typo would match 'absent'."""
    if shape is None:
        return []
    keyword = matcher_key(expected)
    if keyword == "one_of" and isinstance(expected[keyword], list):
        problems: list[Problem] = []
        for i, option in enumerate(expected[keyword]):
            problems.extend(check_response_keys(shape, option, (*path, keyword, i), operation))
        return problems
    if keyword is not None or shape.metadata.get("document"):
        return []  # a document (free-form JSON, e.g. CredentialCreationOptions) has no keys to check
    if isinstance(expected, Mapping) and isinstance(shape, StructureShape):
        problems = []
        members = shape.members
        for key, sub in expected.items():
            if key in members:
                problems.extend(check_response_keys(members[key], sub, (*path, key), operation))
            else:
                hint = did_you_mean(str(key), members) or f"{operation} returns {one_of(list(members))}"
                problems.append(Problem((*path, key), f"{operation} has no response key {key!r}", hint, on_key=True))
        return problems
    if isinstance(expected, Mapping) and isinstance(shape, MapShape):
        problems = []
        for key, sub in expected.items():
            problems.extend(check_response_keys(shape.value, sub, (*path, key), operation))
        return problems
    if isinstance(expected, list) and isinstance(shape, ListShape):
        problems = []
        for i, sub in enumerate(expected):
            problems.extend(check_response_keys(shape.member, sub, (*path, i), operation))
        return problems
    return []
