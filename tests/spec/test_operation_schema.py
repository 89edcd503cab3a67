"""The committed scenario schema tells editors each operation's parameters: what yaml-language-server flags
(a misspelt operation, a wrong type, a bad enum value) while templates stay allowed wherever a value is."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from harness.scenario.schemas import SCHEMA_DIR
from harness.scenario.yaml_marks import read_yaml_file

REPO = Path(__file__).resolve().parents[2]


@cache
def validator() -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / "scenario.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(step: dict[str, Any]) -> list[str]:
    """Where the schema finds a problem in a scenario with this one step (deepest paths of each error)."""
    found: list[str] = []

    def leaves(error: Any) -> None:
        if error.context:
            for sub in error.context:
                leaves(sub)
        else:
            found.append(".".join(str(part) for part in error.absolute_path))

    for error in validator().iter_errors({"scenario": "t", "steps": [step]}):
        leaves(error)
    return sorted(set(found))


def test_a_misspelt_operation_is_flagged() -> None:
    assert "steps.0.call" in errors({"call": "InitiateAuht", "params": {}})


@pytest.mark.parametrize(
    "params,where",
    [
        ({"Limit": "10"}, "steps.0.params.Limit"),  # a string where the model has an integer
        ({"Limit": 61}, "steps.0.params.Limit"),  # above the model's maximum
        ({"Limitt": 10}, "steps.0.params"),  # not a member
        ({"AttributesToGet": "email"}, "steps.0.params.AttributesToGet"),  # a string where a list is
    ],
)
def test_a_wrong_parameter_is_flagged(params: dict[str, Any], where: str) -> None:
    assert where in errors({"call": "ListUsers", "params": params})


@pytest.mark.parametrize(
    "params",
    [
        {"Limit": 10},
        {"Limit": "${{ limit }}"},  # one whole template: any type, known at run time
        {"Limit": "${{ limit }}", "AttributesToGet": "${{ names }}", "Filter": 'email = "${{ email }}"'},
        {"UserPoolId": "${{ pool.id }}"},
    ],
)
def test_values_and_templates_pass(params: dict[str, Any]) -> None:
    assert errors({"call": "ListUsers", "params": params}) == []


def test_enums_required_members_and_the_runner_filled_ids() -> None:
    bad = {"call": "InitiateAuth", "params": {"AuthFlow": "USER_PASWORD_AUTH", "AuthParameters": {"USERNAME": "x"}}}
    assert "steps.0.params.AuthFlow" in errors(bad)
    assert errors({"call": "InitiateAuth", "params": {"AuthFlow": '${{ "NO_SUCH_FLOW" }}'}}) == []
    assert "steps.0.params" in errors({"call": "InitiateAuth", "params": {}})  # AuthFlow is required
    # ClientId is required by the model but filled in by the runner
    assert errors({"call": "InitiateAuth", "params": {"AuthFlow": "USER_PASSWORD_AUTH"}}) == []


def test_every_shipped_scenario_passes_the_editor_schema() -> None:
    for file in sorted((REPO / "scenarios").glob("*.yaml")):
        document = read_yaml_file(file).value
        assert list(validator().iter_errors(document)) == [], file.name


def test_the_schema_file_stays_a_reasonable_size() -> None:
    size = (SCHEMA_DIR / "scenario.schema.json").stat().st_size
    assert size < 512 * 1024, size  # each shape is defined once under $defs and referred to
