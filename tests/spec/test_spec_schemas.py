"""The scenario schema (its base by hand, a branch per step kind) and the pool schema: valid 2020-12, helpful
in editors, consistent with the code, and committed as generated."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from harness.cognito import service
from harness.scenario.names import (
    CLIENT_NAME_PATTERN,
    EXPECTATION_KEYS,
    POOL_NAME_PATTERN,
    TAG_PATTERN,
    VAR_NAME_PATTERN,
)
from harness.scenario.operation_schema import TEMPLATE_DEFS
from harness.scenario.schemas import inline_refs, pool_schema
from harness.scenario.schemas import scenario_schema as scenario_schema_for
from harness.steps import BUILTIN_STEP_KINDS as STEP_KINDS  # the committed schema: the harness's own kinds


def scenario_schema() -> dict[str, Any]:
    return scenario_schema_for(STEP_KINDS)


def _property_schemas(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{path}/properties/{name}", sub
        for key, sub in node.items():
            yield from _property_schemas(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _property_schemas(sub, f"{path}/{i}")


def test_schemas_are_valid_2020_12() -> None:
    for schema in (scenario_schema(), pool_schema()):
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].startswith("urn:authflow:schemas:")


def test_every_scenario_key_has_a_description() -> None:
    schema = scenario_schema()
    flat = {key: value for key, value in inline_refs(schema).items() if key != "$defs"}
    missing = [path for path, sub in _property_schemas(flat) if "description" not in sub and "/if/" not in path]
    assert missing == []  # (an `if` names the call it applies to: not a key)
    generated = set(service.service_model().shape_names) | set(TEMPLATE_DEFS)  # described where botocore does
    assert all("description" in definition for name, definition in schema["$defs"].items() if name not in generated)


def test_schema_agrees_with_the_code() -> None:
    schema = scenario_schema()
    defs = schema["$defs"]
    assert defs["poolName"]["pattern"] == POOL_NAME_PATTERN
    assert defs["poolName"]["not"]["enum"] == list(EXPECTATION_KEYS)
    assert defs["clientName"]["pattern"] == CLIENT_NAME_PATTERN
    assert defs["varName"]["pattern"] == VAR_NAME_PATTERN
    assert schema["properties"]["tags"]["items"]["pattern"] == TAG_PATTERN
    assert list(defs["expectation"]["properties"]) == list(EXPECTATION_KEYS)
    branches = inline_refs(schema)["properties"]["steps"]["items"]["oneOf"]
    kinds = [branch["required"][0] for branch in branches]
    assert kinds == [*STEP_KINDS, "use", "steps"]  # the kinds, then the language's own: fragments and groups


def test_inline_refs_removes_local_references() -> None:
    flat = inline_refs(scenario_schema())
    without_defs = {k: v for k, v in flat.items() if k != "$defs"}
    refs = re.findall(r'"\$ref": "([^"]+)"', repr(without_defs).replace("'", '"'))
    assert set(refs) == {"#/$defs/step"}  # only the recursive one: a group's steps are steps
    assert flat["properties"]["client"]["description"].startswith("The app client")


def test_the_committed_scenario_schema_is_the_generated_one() -> None:
    """Editors read the committed file; a step kind's schema branch changed without `authflow schema --write`
    fails here."""
    import json

    import botocore

    from harness.scenario.pool_schema import VERSION_KEY
    from harness.scenario.schemas import SCHEMA_DIR, schema_text

    recorded = json.loads((SCHEMA_DIR / "scenario.schema.json").read_text(encoding="utf-8"))[VERSION_KEY]
    if recorded != botocore.__version__:  # the call parameters come from the model: see the pool schema's test
        pytest.skip(
            f"schemas/scenario.schema.json was made from botocore {recorded}, {botocore.__version__} is installed"
        )
    assert schema_text("scenario", STEP_KINDS) == (SCHEMA_DIR / "scenario.schema.json").read_text(encoding="utf-8")
    assert schema_text("pool", STEP_KINDS) == (SCHEMA_DIR / "pool.schema.json").read_text(encoding="utf-8")
