"""What the Markdown and HTML summaries share: the redacted, display-ready view of a run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from harness.engine.results import ScenarioResult, Status
from harness.report.json_results import counts, redacted_results
from harness.report.redact import Redactor

ICONS = {"passed": "✅", "failed": "❌", "broken": "💥", "skipped": "⏭️"}


@dataclass(frozen=True)
class RunView:
    results: list[dict[str, Any]]  # redacted ScenarioResult dicts
    counts: dict[str, int]
    run_info: dict[str, Any]

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def problems(self) -> list[dict[str, Any]]:
        return [r for r in self.results if r["status"] in (Status.FAILED.value, Status.BROKEN.value)]


def build_view(results: list[ScenarioResult], run_info: dict[str, Any], redactor: Redactor) -> RunView:
    return RunView(redacted_results(results, redactor), counts(results), run_info)


def first_problem_step(result: dict[str, Any]) -> dict[str, Any] | None:
    return next((s for s in result["steps"] if s["status"] in ("failed", "broken")), None)


def pretty(value: Any, limit: int = 4000) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
