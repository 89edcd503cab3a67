"""The result table `authflow run` prints (rich), redacted."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from harness.engine.results import ScenarioResult
from harness.report.redact import Redactor
from harness.report.summary import ICONS

_STYLES = {"passed": "green", "failed": "red", "broken": "magenta", "skipped": "dim"}


def result_table(results: list[ScenarioResult], redactor: Redactor | None = None) -> Table:
    redactor = redactor or Redactor()
    for result in results:
        for step in result.steps:
            redactor.redact(step.request)
            redactor.redact(step.response)
    table = Table("", "scenario", "pool", "time", "message", title=f"authflow: {len(results)} scenario runs")
    for result in results:
        status = result.status.value
        table.add_row(
            ICONS[status], f"[{_STYLES[status]}]{escape(result.scenario_id)}[/]", escape(result.pool),
            f"{result.duration_s:.2f}s", escape(redactor.redact_text(result.message)), end_section=False,
        )  # fmt: skip
    return table
