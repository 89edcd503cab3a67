"""Reports of a run: results.json, summary.md, summary.html and junit.xml, plus the allure listener and the
terminal table. Everything passes through one `Redactor` (harness.report.redact) before it is written.

The pytest plugin writes them (and points allure at the same place) into a fresh generation of a `ReportSet`
and switches it in whole (harness.report.report_set), so a reports directory never mixes two runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.engine.results import ScenarioResult
from harness.report.json_results import read_json, write_view_json
from harness.report.junit import write_junit
from harness.report.markdown import write_markdown
from harness.report.redact import Redactor
from harness.report.report_set import ReportSet
from harness.report.summary import RunView, build_view

REPORT_FILES = {"json": "results.json", "markdown": "summary.md", "html": "summary.html", "junit": "junit.xml"}


def write_reports(
    results: list[ScenarioResult],
    out_dir: Path,
    *,
    run_info: dict[str, Any],
    redactor: Redactor | None = None,
    published: list[dict[str, Any]] | None = None,
) -> dict[str, Path]:
    """Write every report of a run under `out_dir` (created if missing), each file atomically.

    All reports share one Redactor that has learnt the whole run first, so a secret is masked everywhere and a
    session shows the same fingerprint in every file. Returns the paths by kind (see REPORT_FILES).
    `published`: the results are redacted copies already, and these are their JSON data (see `build_view`).
    """
    from harness.report.html import write_html  # jinja2 loads when reports are written, not before a run starts

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    redactor = redactor or Redactor()
    view = build_view(results, run_info, redactor, published=published)
    return {
        "json": write_view_json(view, out_dir / REPORT_FILES["json"]),
        "markdown": write_markdown(view, out_dir / REPORT_FILES["markdown"]),
        "html": write_html(view, out_dir / REPORT_FILES["html"]),
        "junit": write_junit(view, out_dir / REPORT_FILES["junit"]),
    }


__all__ = ["REPORT_FILES", "Redactor", "ReportSet", "RunView", "build_view", "read_json", "write_reports"]
