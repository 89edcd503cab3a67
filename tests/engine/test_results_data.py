"""result_to_dict gives exactly what a round trip through JSON text gives (dates and bytes made text)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

import pytest

from harness.engine.results import ScenarioResult, Status, StepResult, _plain, result_from_dict, result_to_dict


class Level(IntEnum):
    HIGH = 2


@dataclass
class Nested:
    when: datetime
    raw: bytes


ODD_VALUES: dict[str, Any] = {
    "date": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    "bytes": b"\x00\xffbinary",
    "tuple": (1, "two", None),
    "set": {3},
    "enum": Status.FAILED,
    "int enum": Level.HIGH,
    "keys": {7: "int", 1.5: "float", True: "bool", None: "none", Status.PASSED: "enum"},
    "floats": [float("inf"), -0.0, 1e300],
    "nested dataclass": Nested(datetime(2026, 1, 1, tzinfo=UTC), b"x"),
    "deep": {"a": [{"b": ({"c": b"d"},)}]},
    "unicode": "‹session:1a2b3c4d› é 🔑",
}


def _round_trip(result: ScenarioResult) -> Any:
    return json.loads(json.dumps(asdict(result), default=_plain))


@pytest.mark.parametrize("name", sorted(ODD_VALUES))
def test_plain_data_equals_the_json_round_trip(name: str) -> None:
    step = StepResult(0, "call X", "call", 3, Status.FAILED, request={"v": ODD_VALUES[name]}, response={name: 1})
    result = ScenarioResult(
        "s[p]", "t", "f.yaml", "p", "emulator", Status.BROKEN, [step], variables={"x": ODD_VALUES[name]}
    )
    data = result_to_dict(result)
    assert json.dumps(data, sort_keys=True) == json.dumps(_round_trip(result), sort_keys=True)
    assert data == _round_trip(result)
    assert type(data["status"]) is str and type(data["steps"][0]["status"]) is str
    assert result_from_dict(data).steps[0].status is Status.FAILED


def test_a_key_json_cannot_write_is_refused_as_json_refuses_it() -> None:
    result = ScenarioResult("s", "t", "f", "p", "b", Status.PASSED, variables={"k": {(1, 2): "tuple key"}})
    with pytest.raises(TypeError):
        _round_trip(result)
    with pytest.raises(TypeError):
        result_to_dict(result)
