"""Indented JSON for reports: json's text, written by orjson, with json writing what orjson cannot."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from harness.report.json_text import indented_json


class Colour(StrEnum):
    RED = "red"


@dataclass
class Point:
    x: int


def as_json_writes(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


@pytest.mark.parametrize(
    "value",
    [
        {"scenario": "sign-in", "steps": [{"request": {"Username": "ada"}, "response": {}}], "empty": []},
        {"text": 'é ✅ \u2028 tab\t newline\n quote" backslash\\ nul\x00 del\x7f', "emoji": "🙂"},
        {"numbers": [0, -1, 2**63 - 1, 1.5, 0.1, 1e20, True, False, None]},
        {
            "status": Colour.RED,
            "when": datetime(2026, 11, 29, 10, 0, tzinfo=UTC),
            "point": Point(1),
            "path": Path("/x"),
        },
        {1: "int key", None: "none key", "nested": {"deeper": [{"a": [[]]}, {}]}},
        [],
        "just a string",
    ],
    ids=["result", "text", "numbers", "objects", "keys", "empty", "string"],
)
def test_the_text_is_what_json_writes(value: Any) -> None:
    assert indented_json(value) == as_json_writes(value)


def test_an_integer_beyond_64_bits_is_written_by_json() -> None:
    assert indented_json({"big": 2**70}) == as_json_writes({"big": 2**70})


def test_a_small_float_may_be_written_in_full_but_reads_back_the_same() -> None:
    assert json.loads(indented_json({"small": 1e-05})) == {"small": 1e-05}


def test_a_float_that_is_not_finite_is_null() -> None:
    assert json.loads(indented_json({"nan": float("nan"), "inf": float("inf")})) == {"nan": None, "inf": None}
