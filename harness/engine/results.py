"""The result model every reporter reads: what ran, what was expected, what came back.

Results hold raw values; redaction happens in `harness.report.redact` before anything is written.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """Outcome of a step or scenario, in allure's vocabulary."""

    PASSED = "passed"
    FAILED = "failed"  # an expectation did not hold
    BROKEN = "broken"  # the harness or the backend failed
    SKIPPED = "skipped"  # the backend cannot do this step (e.g. a clock on a real pool)


@dataclass
class StepResult:
    """One executed step."""

    index: int
    label: str  # e.g. "call InitiateAuth", "clock advance 181s"
    kind: str  # "call" | "clock" | "outbox" | "amplify" | ...
    line: int  # 1-based line of the step in its YAML file
    status: Status
    request: dict[str, Any] | None = None
    response: dict[str, Any] | None = None  # parsed response, or {"Error": {"Code", "Message"}}
    expected: dict[str, Any] | None = None
    message: str = ""  # why it failed, was broken or skipped
    duration_s: float = 0.0
    retries: int = 0
    logs: list[str] = field(default_factory=list)  # what Lambda trigger handlers printed during the step


@dataclass
class ScenarioResult:
    """One scenario run against one pool on one backend."""

    scenario_id: str  # stable id, e.g. "session-reuse[password-only]"
    title: str
    file: str
    pool: str
    backend: str
    status: Status
    steps: list[StepResult] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    message: str = ""  # the first failure, as shown to a human
    variables: dict[str, Any] = field(default_factory=dict)
    started_at: float = 0.0  # epoch seconds (wall clock)
    duration_s: float = 0.0
    description: str = ""


def _plain(value: Any) -> Any:
    """JSON has no dates or bytes; responses parsed by botocore have both."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return str(value)


_SCALARS = (str, int, float, bool, type(None))


def _json_key(key: Any) -> str:
    """A mapping key as JSON writes it (json.dumps: str as is, numbers, booleans and None as text)."""
    if isinstance(key, str):
        return str(key)
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, (int, float)):
        return json.dumps(key) if isinstance(key, float) else str(int(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _json_data(value: Any) -> Any:
    """`value` as json.loads(json.dumps(value, default=_plain)) gives it, without the text in between: it is a
    copy of every scenario's data, twice per run, and the round trip through text was most of its cost."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, dict):
        return {_json_key(key): _json_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_data(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json_data(getattr(value, f.name)) for f in fields(value)}
    # subclasses (a StrEnum such as Status): JSON writes their plain value, and reads it back as the base type
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    return _json_data(_plain(value))


def result_to_dict(result: ScenarioResult) -> dict[str, Any]:
    """Plain JSON data (it travels between xdist processes); raw values: redact before writing it anywhere."""
    data: dict[str, Any] = _json_data(result)
    return data


def result_from_dict(data: dict[str, Any]) -> ScenarioResult:
    fields = dict(data)
    fields["status"] = Status(fields["status"])
    fields["steps"] = [StepResult(**{**s, "status": Status(s["status"])}) for s in fields.get("steps", [])]
    return ScenarioResult(**fields)
