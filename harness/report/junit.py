"""junit.xml for CI parsers (GitHub/GitLab/Jenkins/Azure test tabs), written by the CLI path.

One <testsuite> per backend, one <testcase> per scenario run (classname = the scenario file, name = the
scenario id). A failed run (an expectation did not hold) is a <failure>, a broken one (the harness or backend
failed) an <error>, a skipped one <skipped>; <system-out> holds the step log, <system-err> a failed teardown.
Only attributes of the common JUnit schema are used, and characters XML 1.0 cannot carry (ANSI escapes, NULs)
are written as \\xNN.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from harness.engine.results import ScenarioResult, Status
from harness.report.atomic import write_atomic
from harness.report.summary import RunView, first_problem_step, truncate

# Characters outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
# [#x10000-#x10FFFF]); ElementTree would write them and produce an unreadable file. Written as the ranges left
# out rather than a negated class of those let in: Python compiles that one in about 10 ms at every start.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAX_DETAIL = 8000


def xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def step_log(result: ScenarioResult) -> str:
    """One line per step: what a CI log viewer shows under the test."""
    tags = f" · tags {', '.join(result.tags)}" if result.tags else ""
    lines = [f"scenario {result.scenario_id}: {result.title}", f"pool {result.pool} · backend {result.backend}{tags}"]
    for step in result.steps:
        line = (
            f"[{step.status.value:>7}] {step.index + 1}. {step.label} "
            f"({result.file}:{step.line}, {step.duration_s * 1000:.0f} ms)"
        )
        lines.append(f"{line}: {step.message}" if step.message else line)
    return "\n".join(lines)


def failure_detail(result: ScenarioResult) -> str:
    """The body of a <failure>/<error>: where, why, expected vs got."""
    step = first_problem_step(result)
    if step is None:
        return result.message
    lines = [f"{result.file}:{step.line}: step {step.index + 1} {step.label}", step.message or result.message]
    if step.expected is not None:
        lines.append("expected: " + json.dumps(step.expected, ensure_ascii=False, default=str))
    if step.response is not None:
        lines.append("got:      " + json.dumps(step.response, ensure_ascii=False, default=str))
    return truncate("\n".join(lines), _MAX_DETAIL)


def _first_line(text: str) -> str:
    stripped = text.strip()
    return truncate(stripped.splitlines()[0] if stripped else "", 500)


def _testcase(suite: ET.Element, result: ScenarioResult, cleanup_notes: list[str]) -> None:
    case = ET.SubElement(suite, "testcase", name=xml_text(result.scenario_id), classname=xml_text(result.file))
    case.set("time", _seconds(result.duration_s))
    message = xml_text(_first_line(result.message))
    if result.status is Status.FAILED:
        failure = ET.SubElement(case, "failure", message=message, type="ExpectationFailed")
        failure.text = xml_text(failure_detail(result))
    elif result.status is Status.BROKEN:
        error = ET.SubElement(case, "error", message=message, type="Broken")
        error.text = xml_text(failure_detail(result))
    elif result.status is Status.SKIPPED:
        ET.SubElement(case, "skipped", message=message)
    ET.SubElement(case, "system-out").text = xml_text(step_log(result))
    if cleanup_notes:  # a failed teardown, whatever the verdict: CI shows it under the test
        ET.SubElement(case, "system-err").text = xml_text("\n".join(cleanup_notes))


def _totals(element: ET.Element, results: list[ScenarioResult]) -> None:
    element.set("tests", str(len(results)))
    element.set("failures", str(sum(r.status is Status.FAILED for r in results)))
    element.set("errors", str(sum(r.status is Status.BROKEN for r in results)))
    element.set("skipped", str(sum(r.status is Status.SKIPPED for r in results)))
    element.set("time", _seconds(sum(r.duration_s for r in results)))


def render_junit(view: RunView) -> str:
    root = ET.Element("testsuites", name="authflow")
    _totals(root, view.results)
    notes: dict[str, list[str]] = {}
    for failure in view.cleanup.teardown_failures:
        notes.setdefault(failure["scenario_id"], []).append(f"teardown: {failure['message']}")
    for backend in dict.fromkeys(r.backend for r in view.results):
        results = [r for r in view.results if r.backend == backend]
        suite = ET.SubElement(root, "testsuite", name=xml_text(f"authflow.{backend}"))
        _totals(suite, results)
        if view.run.get("started"):
            suite.set("timestamp", str(view.run["started"]).removesuffix("Z"))
        for result in results:
            _testcase(suite, result, notes.get(result.scenario_id, []))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(view: RunView, path: Path) -> Path:
    return write_atomic(path, render_junit(view))
