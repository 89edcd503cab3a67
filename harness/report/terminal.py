"""The result table `authflow run` prints (rich): status, scenario, pool, duration, message; redacted.

Cells are rich `Text`, never markup, so a message holding `[red]` or `[/]` prints literally instead of being
read as rich markup (or raising a MarkupError).
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from harness.engine.results import ScenarioResult
from harness.report.redact import Redactor
from harness.report.summary import ICONS, build_view, headline, human_duration

STYLES = {"passed": "green", "failed": "bold red", "broken": "bold magenta", "skipped": "dim"}
_MESSAGE_LINES = 3


def _message(text: str) -> str:
    lines = text.strip().splitlines()
    shown = "\n".join(lines[:_MESSAGE_LINES])
    return shown + (f"\n… {len(lines) - _MESSAGE_LINES} more lines" if len(lines) > _MESSAGE_LINES else "")


def result_table(
    results: list[ScenarioResult], redactor: Redactor | None = None, run_info: dict[str, Any] | None = None
) -> Table:
    """A table of every scenario run; pass the run's Redactor to share what it has learnt, and the run block
    (``interrupted``, ``collected``) so that the counts of a partial run say so in the title."""
    view = build_view(results, run_info or {}, redactor or Redactor())
    several_backends = len(view.backends) > 1
    table = Table(title=f"authflow: {headline(view)}", title_justify="left")
    table.add_column("status", no_wrap=True)
    table.add_column("scenario", overflow="fold")
    table.add_column("pool", overflow="fold")
    if several_backends:
        table.add_column("backend")
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("message", overflow="fold", ratio=1)
    for result in view.results:
        status = result.status.value
        cells = [Text(f"{ICONS[status]} {status}", style=STYLES[status]), Text(result.scenario_id), Text(result.pool)]
        if several_backends:
            cells.append(Text(result.backend))
        cells += [Text(human_duration(result.duration_s)), Text(_message(result.message))]
        table.add_row(*cells)
    return table
