"""results.json: every scenario result of a run, redacted, in a stable documented format.

{"format": "authflow-results", "version": 1,
 "run": {"backends": [...], "started": epoch, "duration_s": ..., "counts": {"passed": n, ...}, ...},
 "results": [ScenarioResult as JSON, steps included]}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.engine.results import ScenarioResult, Status, result_from_dict, result_to_dict
from harness.report.atomic import write_atomic
from harness.report.redact import Redactor

FORMAT = "authflow-results"
VERSION = 1


def counts(results: list[ScenarioResult]) -> dict[str, int]:
    return {status.value: sum(1 for r in results if r.status is status) for status in Status}


def redacted_results(results: list[ScenarioResult], redactor: Redactor) -> list[dict[str, Any]]:
    """Steps' data is read first, so secrets are known before messages and variables are redacted."""
    for result in results:
        for step in result.steps:
            redactor.redact(step.request)
            redactor.redact(step.response)
    redacted: list[dict[str, Any]] = redactor.redact([result_to_dict(r) for r in results])
    return redacted


def write_json(results: list[ScenarioResult], path: Path, *, run_info: dict[str, Any], redactor: Redactor) -> Path:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "run": {**run_info, "counts": counts(results)},
        "results": redacted_results(results, redactor),
    }
    return write_atomic(path, json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")


def read_json(path: Path) -> list[ScenarioResult]:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    if document.get("format") != FORMAT:
        raise ValueError(f"{path} is not an authflow results file")
    return [result_from_dict(item) for item in document["results"]]
