"""Reports of a run: results.json, summary.md, summary.html and junit.xml, plus the allure listener and the
terminal table. Everything passes through one `Redactor` (harness.report.redact) before it is written.

The pytest plugin writes them (and points allure at the same place) into a fresh generation of a `ReportSet`
and switches it in whole (harness.report.report_set), so a reports directory never mixes two runs.
"""

from __future__ import annotations

from harness.lazy import lazy_names

_WHERE = {
    "REPORT_FILES": "harness.report.write",
    "Redactor": "harness.report.redact",
    "ReportSet": "harness.report.report_set",
    "RunView": "harness.report.summary",
    "build_view": "harness.report.summary",
    "read_json": "harness.report.json_results",
    "write_reports": "harness.report.write",
}

__all__ = sorted(_WHERE)

__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
