"""The loader's quick schema check (jsonschema-rs) and its worded one (jsonschema) agree.

The quick validator's "valid" is taken as the answer, so it must never accept what jsonschema rejects; on
the files people write the two give the same answer, and anything but JSON's own types goes to jsonschema.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.scenario.loader import read_spec_file
from harness.scenario.schemas import (
    QuickThenWorded,
    _fragment_validators,
    _pool_validators,
    _scenario_validators,
    is_plain_json,
    schema_problems,
)
from harness.steps import STEP_KINDS

REPO = Path(__file__).resolve().parents[2]
KINDS = tuple(STEP_KINDS.items())
SCENARIOS = _scenario_validators(KINDS)
FRAGMENTS = _fragment_validators(KINDS)
SCENARIO_FILES = sorted((REPO / "scenarios").glob("*.yaml")) + sorted(
    (REPO / "benchmarks" / "scenarios").glob("*.yaml")
)
FRAGMENT_FILES = sorted((REPO / "scenarios" / "fragments").glob("*.yaml"))
POOLS = _pool_validators()
POOL_FILES = sorted((REPO / "scenarios" / "pools").glob("*.yaml")) + sorted(
    (REPO / "benchmarks" / "scenarios" / "pools").glob("*.yaml")
)


def both(validators: QuickThenWorded, document: Any) -> tuple[bool, bool]:
    return validators.quick.is_valid(document), validators.worded.is_valid(document)


def read(path: Path) -> Any:
    """The file as the loader reads it (its YAML reading differs from PyYAML's in places)."""
    return read_spec_file(path).value


@pytest.mark.parametrize(
    ("validators", "path"),
    [(SCENARIOS, path) for path in SCENARIO_FILES]
    + [(FRAGMENTS, path) for path in FRAGMENT_FILES]
    + [(POOLS, path) for path in POOL_FILES],
    ids=lambda value: value.name if isinstance(value, Path) else "",
)
def test_they_agree_on_every_shipped_file(validators: QuickThenWorded, path: Path) -> None:
    document = read(path)
    assert is_plain_json(document)
    assert both(validators, document) == (True, True)


def mutations(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The mistakes people make, one at a time: keys missing, unknown, doubled or misspelt, wrong types."""
    yield "no steps", {k: v for k, v in document.items() if k != "steps"}
    yield "unknown top-level key", {**document, "stepz": []}
    yield "steps not a list", {**document, "steps": {"call": "SignUp"}}
    yield "title a number", {**document, "scenario": 7}
    for index, step in enumerate(document["steps"]):
        kind = next(iter(step))
        for name, changed in (
            ("no kind", {k: v for k, v in step.items() if k != kind}),
            ("two kinds", {**step, "clock": {"advance": "1m"}}),
            ("unknown key", {**step, "paramz": {}}),
            ("kind value a list", {**step, kind: [step[kind]]}),
            ("expect a list", {**step, "expect": ["error"]}),
            ("empty name", {**step, "name": ""}),
            ("bad repeat", {**step, "repeat": -1}),
            ("step a string", kind),
        ):
            mutated = copy.deepcopy(document)
            mutated["steps"][index] = changed
            yield f"step {index + 1}: {name}", mutated


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
def test_they_agree_on_each_mistake_in_each_shipped_scenario(path: Path) -> None:
    answers = {name: both(SCENARIOS, mutated) for name, mutated in mutations(read(path))}
    assert {name: answer for name, answer in answers.items() if answer[0] != answer[1]} == {}
    assert answers["unknown top-level key"] == answers["step 1: unknown key"] == (False, False)


@pytest.mark.parametrize("path", POOL_FILES, ids=lambda path: path.name)
def test_they_agree_on_each_mistake_in_each_shipped_pool_file(path: Path) -> None:
    pool = read(path)
    mistakes = {
        "unknown key": {**pool, "clientz": []},
        "clients not a list": {**pool, "clients": {"web": {}}},
        "no name": {k: v for k, v in pool.items() if k != "name"},
        "description a number": {**pool, "description": 3},
        "pool not a mapping": {**pool, "pool": ["MfaConfiguration"]},
    }
    answers = {name: both(POOLS, document) for name, document in mistakes.items()}
    assert {name: answer for name, answer in answers.items() if answer[0] != answer[1]} == {}
    assert answers["unknown key"] == (False, False)


def test_the_worded_validator_words_what_the_quick_one_rejects() -> None:
    document = read(REPO / "scenarios" / "session-reuse.yaml")
    document["steps"][0]["paramz"] = {}
    assert [(problem.path, problem.message) for problem in SCENARIOS.problems(document)] == [
        (("steps", 0, "paramz"), "unknown key 'paramz'")
    ]


@pytest.mark.parametrize(
    "value",
    [datetime.date(2026, 1, 1), b"bytes", (1, 2), {1, 2}, float("inf"), float("nan")],
    ids=["date", "bytes", "tuple", "set", "infinity", "nan"],
)
def test_values_beyond_json_go_to_jsonschema(value: Any) -> None:
    document = read(REPO / "scenarios" / "session-reuse.yaml")
    document["vars"] = {**document.get("vars", {}), "odd": value}
    assert not is_plain_json(document)
    assert SCENARIOS.problems(document) == schema_problems(SCENARIOS.worded, document)


def test_keys_beyond_strings_go_to_jsonschema() -> None:
    document = read(REPO / "scenarios" / "session-reuse.yaml")
    document["vars"] = {1: "one"}
    assert not is_plain_json(document)
    assert SCENARIOS.problems(document) == schema_problems(SCENARIOS.worded, document)
    assert SCENARIOS.problems(document)  # a variable's name is a string


# Generated steps: made of the words the schema knows, so many are nearly right.
WORDS = ["call", "params", "expect", "save", "name", "client", "pool", "repeat", "retry", "use", "with", "steps",
         "clock", "advance", "outbox", "srp", "amplify", "http", "oauth", "error", "message", "response", "tokens",
         "challenge", "regex", "until", "times", "every", "SignUp", "InitiateAuth", "default", "valid"]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=6),
    st.integers(-3, 5),
    st.booleans(),
    st.none(),
    st.sampled_from(["1m", "90s", "${{ x }}", "ok\n", "a b", "x-y"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(WORDS), inner, max_size=4),
    max_leaves=12,
)
steps = st.dictionaries(st.sampled_from(WORDS), values, min_size=1, max_size=4)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=3), st.dictionaries(st.sampled_from(WORDS), values, max_size=2))
def test_the_quick_validator_never_accepts_what_jsonschema_rejects(
    generated: list[dict[str, Any]], extra: dict[str, Any]
) -> None:
    for validators, document in (
        (SCENARIOS, {"scenario": "generated", "steps": generated, **extra}),
        (FRAGMENTS, {"fragment": "generated", "steps": generated, **extra}),
    ):
        quick, worded = both(validators, document)
        assert worded or not quick, document
