"""results.json: every scenario result of a run, redacted, in a stable documented format that tools read back
(`authflow docs` shows outcomes from it, `authflow compare` reads it).

Format (version 1; fields are only ever added, and a reader ignores fields it does not know)::

    {
      "format": "authflow-results",         # identifies the file
      "version": 1,                         # bumped only for a change old readers would misread
      "run": {
        "backends": ["emulator"],           # in order of first appearance
        "started": "2025-01-31T12:00:00Z",  # UTC, from the earliest scenario start (null when unknown)
        "started_at": 1738324800.0,         # the same, epoch seconds
        "duration_s": 12.5,                 # wall clock from the first start to the last end
        "total": 4,
        "counts": {"passed": 1, "failed": 1, "broken": 1, "skipped": 1},   # every status, zeros included
        # written by the pytest plugin (authflow run, pytest):
        "run_id": "1a2b3c4d",               # the run's id (also in summary.html and summary.md)
        "interrupted": false,               # true: Ctrl-C stopped the run, these results are partial
        "collected": 4,                     # scenario runs selected to run (total < collected when interrupted)
        "cleanup": {                        # what the run could not clean up (see harness.report.cleanup)
          "log": ["aws: deleted pool ..."],
          "leftovers": [{"backend": "aws", "kind": "pool", "pool_id": ..., "name": ..., "reason": ...,
                         "command": "the shell command that removes it"}],
          "teardown_failures": [{"scenario_id": ..., "message": "could not tear down pool ...: ..."}]
        },
        ...                                 # whatever else the caller's run_info held, redacted
      },
      "results": [                          # one per scenario run, in run order
        {"scenario_id": "session-reuse[password-only]", "title": ..., "file": "scenarios/x.yaml",
         "pool": ..., "backend": ..., "status": "passed|failed|broken|skipped", "message": ...,
         "tags": [...], "refs": [...], "variables": {...}, "started_at": epoch, "duration_s": ...,
         "description": ...,
         "steps": [{"index": 0, "label": "call InitiateAuth", "kind": "call", "line": 12, "status": ...,
                    "request": {...} | null, "response": {...} | null, "expected": {...} | null,
                    "message": ..., "duration_s": ..., "retries": 0,
                    "logs": ["DefineAuthChallenge: ..."]}]}   # what trigger handlers printed (emulator)
      ]
    }

Values are redacted (see `harness.report.redact`): results read back hold markers, not secrets.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from harness.engine.results import ScenarioResult, StepResult, result_from_dict
from harness.report.atomic import write_atomic
from harness.report.json_text import indented_json
from harness.report.redact import Redactor
from harness.report.summary import RunView, build_view, counts, redacted_results

FORMAT = "authflow-results"
VERSION = 1

_RESULT_FIELDS = frozenset(f.name for f in dataclasses.fields(ScenarioResult))
_STEP_FIELDS = frozenset(f.name for f in dataclasses.fields(StepResult))

__all__ = [
    "FORMAT", "VERSION", "counts", "read_json", "read_run", "redacted_results", "render_json", "write_json",
    "write_view_json",
]  # fmt: skip


def render_json(view: RunView) -> str:
    """The results.json text of a run view (its data is already redacted)."""
    document = {"format": FORMAT, "version": VERSION, "run": view.run, "results": view.data}
    return indented_json(document) + "\n"


def write_view_json(view: RunView, path: Path) -> Path:
    return write_atomic(Path(path), render_json(view))


def write_json(
    results: list[ScenarioResult], path: Path, *, run_info: dict[str, Any], redactor: Redactor | None = None
) -> Path:
    """Write results.json; pass the run's shared `redactor` so markers match the other reports."""
    return write_view_json(build_view(results, run_info, redactor or Redactor()), path)


def _load(path: Path) -> dict[str, Any]:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path} is not an authflow results file")
    version = document.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ValueError(f"{path} has results format version {version!r}; this authflow reads up to {VERSION}")
    return document


def _known(data: dict[str, Any]) -> dict[str, Any]:
    """Only the fields this version's ScenarioResult and StepResult have: newer files stay readable."""
    fields = {k: v for k, v in data.items() if k in _RESULT_FIELDS}
    fields["steps"] = [{k: v for k, v in step.items() if k in _STEP_FIELDS} for step in data.get("steps", [])]
    return fields


def read_run(path: Path) -> tuple[dict[str, Any], list[ScenarioResult]]:
    """The run block and the (redacted) results of a results.json file."""
    document = _load(path)
    run: dict[str, Any] = document.get("run", {})
    return run, [result_from_dict(_known(item)) for item in document["results"]]


def read_json(path: Path) -> list[ScenarioResult]:
    """The (redacted) results of a results.json file, as ScenarioResult objects."""
    return read_run(path)[1]
