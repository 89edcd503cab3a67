"""junit.xml for CI parsers: a testsuite per backend, a testcase per scenario run; failed -> <failure>,
broken -> <error>, skipped -> <skipped>."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

from harness.report.atomic import write_atomic
from harness.report.summary import RunView, first_problem_step


def _step_log(result: dict[str, Any]) -> str:
    return "\n".join(
        f"[{s['status']}] {s['label']} (line {s['line']}) {s['message']}".rstrip() for s in result["steps"]
    )


def render_junit(view: RunView) -> str:
    suites = ET.Element("testsuites", name="authflow")
    by_backend: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in view.results:
        by_backend[result["backend"]].append(result)
    for backend, results in by_backend.items():
        suite = ET.SubElement(
            suites, "testsuite", name=f"authflow.{backend}", tests=str(len(results)),
            failures=str(sum(r["status"] == "failed" for r in results)),
            errors=str(sum(r["status"] == "broken" for r in results)),
            skipped=str(sum(r["status"] == "skipped" for r in results)),
            time=f"{sum(r['duration_s'] for r in results):.3f}",
        )  # fmt: skip
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=result["file"],
                name=result["scenario_id"],
                time=f"{result['duration_s']:.3f}",
            )
            step = first_problem_step(result)
            where = f" (step {step['index'] + 1} {step['label']}, line {step['line']})" if step else ""
            if result["status"] == "failed":
                ET.SubElement(case, "failure", message=result["message"]).text = result["message"] + where
            elif result["status"] == "broken":
                ET.SubElement(case, "error", message=result["message"]).text = result["message"] + where
            elif result["status"] == "skipped":
                ET.SubElement(case, "skipped", message=result["message"])
            ET.SubElement(case, "system-out").text = _step_log(result)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(view: RunView, path: Path) -> Path:
    return write_atomic(path, render_junit(view))
