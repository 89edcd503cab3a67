"""Reports: redaction (one place), results.json, summary.md, summary.html, junit.xml, allure, terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.engine.results import ScenarioResult
from harness.report.html import write_html
from harness.report.json_results import write_json
from harness.report.junit import write_junit
from harness.report.markdown import write_markdown
from harness.report.redact import Redactor
from harness.report.summary import build_view


def write_reports(results: list[ScenarioResult], out_dir: Path, *, run_info: dict[str, Any]) -> dict[str, Path]:
    """Write every report of a run under `out_dir`; all share one Redactor, so a secret is masked everywhere."""
    redactor = Redactor()
    view = build_view(results, run_info, redactor)
    return {
        "json": write_json(results, out_dir / "results.json", run_info=run_info, redactor=redactor),
        "markdown": write_markdown(view, out_dir / "summary.md"),
        "html": write_html(view, out_dir / "summary.html"),
        "junit": write_junit(view, out_dir / "junit.xml"),
    }


__all__ = ["Redactor", "write_reports"]
