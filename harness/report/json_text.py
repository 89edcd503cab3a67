"""Indented JSON text for the reports people open, written by orjson.

Python's json module encodes with its C encoder only when it does not indent; with ``indent=2`` it falls back
to its pure-Python encoder, which was the largest single cost of writing a run's reports (results.json, and
each request and response shown in summary.html and summary.md). orjson writes the same text some twenty
times faster. The text is what ``json.dumps(value, indent=2, ensure_ascii=False, default=str)`` writes, but
for two cases: a float that is not finite is written ``null`` (valid JSON) rather than ``NaN``, and a float
this small may be written in full (``0.00001`` rather than ``1e-05``): the same number. Where orjson cannot write
a value at all (an integer beyond 64 bits), json writes it.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_NON_STR_KEYS  # json writes 1 as "1", None as "null"
    | orjson.OPT_PASSTHROUGH_DATETIME  # to default=str, as json does: "2026-11-29 10:00:00", not ISO with a T
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


def indented_json(value: Any) -> str:
    """``value`` as JSON indented by two spaces, non-ASCII text as it is, any other object as ``str()`` of it."""
    try:
        return orjson.dumps(value, default=str, option=_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
