"""`write_reports`: every report of a run, from its results, through one Redactor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.engine.results import ScenarioResult
from harness.report.json_results import write_view_json
from harness.report.junit import write_junit
from harness.report.markdown import write_markdown
from harness.report.redact import Redactor
from harness.report.summary import build_view

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
