"""The result model every reporter reads: what ran, what was expected, what came back.

Results hold raw values; redaction happens in `harness.report.redact` before anything is written.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field
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


def result_to_dict(result: ScenarioResult) -> dict[str, Any]:
    """Plain JSON data (it travels between xdist processes); raw values: redact before writing it anywhere."""
    data: dict[str, Any] = json.loads(json.dumps(asdict(result), default=_plain))
    return data


def result_from_dict(data: dict[str, Any]) -> ScenarioResult:
    fields = dict(data)
    fields["status"] = Status(fields["status"])
    fields["steps"] = [StepResult(**{**s, "status": Status(s["status"])}) for s in fields.get("steps", [])]
    return ScenarioResult(**fields)
