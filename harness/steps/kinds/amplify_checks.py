"""Load-time checks of an ``amplify:`` step's input and expected output against Amplify's types.

Inputs follow Amplify's TypeScript types (harness/clients/amplify/apis.py): a misspelt key is reported with a
"did you mean", a wrong type or enum value too. Required keys are NOT enforced: leaving ``password`` out is
exactly how a scenario shows Amplify's own validation errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.clients.amplify.apis import Either, Enum, InputSpec, Leaf, OutputSpec
from harness.scenario.errors import KeyPath, Problem
from harness.scenario.matchers import matcher_key
from harness.scenario.template import has_template, is_template
from harness.scenario.wording import did_you_mean, one_of, value_type_words


def check_input(spec: InputSpec, value: Any, path: KeyPath, api: str) -> list[Problem]:
    """Problems of an API input against its spec; whole-template values are only known at run time."""
    if is_template(value):
        return []
    if isinstance(spec, Either):
        if any(not check_input(option, value, path, api) for option in spec.options):
            return []
        if isinstance(value, Mapping):  # the mapping form was meant: say what is wrong inside it
            return next(check_input(o, value, path, api) for o in spec.options if not isinstance(o, str))
        return [Problem(path, f"expected {spec.words}, got {value_type_words(value)}")]
    if isinstance(spec, Enum):
        if isinstance(value, str) and value in spec.values:
            return []
        if isinstance(value, str) and has_template(value):
            return []
        got = repr(value) if isinstance(value, str) else value_type_words(value)
        hint = did_you_mean(value, spec.values) if isinstance(value, str) else ""
        return [Problem(path, f"must be one of {one_of(spec.values)}, got {got}", hint)]
    if isinstance(spec, str):
        return _check_leaf(spec, value, path)
    if not isinstance(value, Mapping):
        return [Problem(path, f"expected a mapping, got {value_type_words(value)}")]
    problems: list[Problem] = []
    for key, item in value.items():
        if key not in spec:
            hint = did_you_mean(str(key), spec) or (f"{api} takes {one_of(list(spec))}" if spec else "")
            problems.append(Problem((*path, key), f"{api} has no input {key!r}", hint, on_key=True))
        else:
            problems.extend(check_input(spec[key], item, (*path, key), api))
    return problems


def _check_leaf(kind: Leaf, value: Any, path: KeyPath) -> list[Problem]:
    if kind == "string" and not isinstance(value, str):
        return [Problem(path, f"expected a string, got {value_type_words(value)}")]
    if kind == "boolean" and not isinstance(value, bool):
        return [Problem(path, f"expected true or false, got {value_type_words(value)}")]
    if kind == "strings":
        if not isinstance(value, Mapping):
            return [Problem(path, f"expected a mapping of strings, got {value_type_words(value)}")]
        return [
            Problem((*path, key), f"expected a string, got {value_type_words(item)}")
            for key, item in value.items()
            if not isinstance(item, str)
        ]
    return []


def check_output_keys(spec: OutputSpec | None, expected: Any, path: KeyPath, api: str) -> list[Problem]:
    """Keys of an ``expect.response`` tree must exist in the API's output: a typo would match 'absent'."""
    if spec is None:
        return []
    keyword = matcher_key(expected)
    if keyword == "one_of" and isinstance(expected[keyword], list):
        return [
            problem
            for i, option in enumerate(expected[keyword])
            for problem in check_output_keys(spec, option, (*path, keyword, i), api)
        ]
    if keyword is not None or not isinstance(expected, Mapping):
        return []
    problems: list[Problem] = []
    for key, sub in expected.items():
        if key in spec:
            problems.extend(check_output_keys(spec[key], sub, (*path, key), api))
        else:
            hint = did_you_mean(str(key), spec) or (f"{api} returns {one_of(list(spec))}" if spec else "")
            problems.append(Problem((*path, key), f"{api} has no response key {key!r}", hint, on_key=True))
    return problems
