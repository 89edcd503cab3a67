"""Durations as people write them in a scenario: ``90s``, ``3m``, ``1h``, ``2d``, ``1h30m``, or seconds."""

from __future__ import annotations

import re

_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)([dhms])")
_WHOLE = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)?[dhms])+$")
_UNIT_S = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}


def parse_duration(value: object) -> float:
    """Seconds in ``value``; ValueError for anything else (negative numbers and booleans included)."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(f"a duration cannot be negative: {value}")
        return float(value)
    if isinstance(value, str) and _WHOLE.match(value):
        return sum(float(number) * _UNIT_S[unit] for number, unit in _PART.findall(value))
    raise ValueError(f"not a duration: {value!r}")
