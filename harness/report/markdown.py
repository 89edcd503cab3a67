"""summary.md: a Markdown summary fit for a CI job summary (append it to $GITHUB_STEP_SUMMARY).

Headline counts, a table of every scenario run, then for each failed or broken run the step to look at
(`file:line`), why, and expected vs got. Free text goes into code blocks or escaped cells, so a message can
neither break the table nor inject HTML. GitHub caps a job summary at 1 MiB: detail sections stop at
`MAX_SECTIONS` and large values are truncated.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from harness.engine.results import ScenarioResult, Status
from harness.report.atomic import write_atomic
from harness.report.cleanup import describe_leftover
from harness.report.json_text import indented_json
from harness.report.summary import (
    ICONS,
    RunView,
    first_problem_step,
    headline,
    human_duration,
    partial_note,
    truncate,
)

MAX_SECTIONS = 50
MAX_VALUE_CHARS = 1500
MAX_MESSAGE_CHARS = 2000
_CELL_ESCAPES = str.maketrans({"|": "\\|", "<": "&lt;", ">": "&gt;", "&": "&amp;", "\n": " ", "\r": " "})


def cell(text: object) -> str:
    """Text safe inside a table cell or a heading: pipes, newlines and HTML neutralised."""
    return str(text).translate(_CELL_ESCAPES)


def code(text: str) -> str:
    """An inline code span that survives backticks inside the text."""
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def block(text: str, language: str = "text") -> list[str]:
    """A fenced code block whose fence is longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", text, fence]


def table_code(text: str) -> str:
    """A code span inside a table cell: GFM splits cells on a bare pipe even inside code."""
    return code(text).replace("|", "\\|")


def _json(value: Any) -> str:
    return truncate(indented_json(value), MAX_VALUE_CHARS)


def _table(view: RunView) -> list[str]:
    lines = ["| status | scenario | pool | backend | duration |", "|---|---|---|---|---:|"]
    for r in view.results:
        status = f"{ICONS[r.status.value]} {r.status.value}"
        lines.append(
            f"| {status} | {cell(r.title)}<br>{table_code(r.scenario_id)} | {cell(r.pool)} | {cell(r.backend)} "
            f"| {human_duration(r.duration_s)} |"
        )
    return lines


def _section(result: ScenarioResult) -> list[str]:
    icon = ICONS[result.status.value]
    lines = ["", f"### {icon} {cell(result.title)} · {cell(result.pool)} · {cell(result.backend)}"]
    lines += ["", f"{code(result.scenario_id)} in {code(result.file)}"]
    step = first_problem_step(result)
    if step is None:
        return [*lines, "", *block(truncate(result.message, MAX_MESSAGE_CHARS) or "(no message)")]
    where = code(f"{result.file}:{step.line}")
    lines += [
        "",
        f"**Step {step.index + 1}** {code(step.label)} at {where} — {step.status.value}",
        "",
        *block(truncate(step.message or result.message, MAX_MESSAGE_CHARS) or "(no message)"),
    ]
    if step.expected is not None or step.response is not None:
        expected = block(_json(step.expected), "json") if step.expected else block("the step succeeds")
        lines += ["", "<details><summary>expected vs got</summary>", "", "expected:", "", *expected, ""]
        lines += ["got:", "", *block(_json(step.response), "json"), "", "</details>"]
    if step.logs:
        lines += ["", "<details><summary>trigger logs</summary>", "", *block("\n".join(step.logs)), "", "</details>"]
    return lines


def render_markdown(view: RunView) -> str:
    icons = " · ".join(f"{ICONS[status]} **{count}** {status}" for status, count in view.counts.items() if count)
    backends = cell(", ".join(view.backends) or "?")
    started = f" · started {view.run['started']}" if view.run.get("started") else ""
    lines = [f"## authflow: {headline(view)}", ""]
    partial = partial_note(view)
    if partial:
        lines += ["> [!WARNING]", f"> **{partial}**: the counts cover only the scenario runs that finished.", ""]
    lines += [
        icons or "nothing ran",
        "",
        f"backend {backends} · {human_duration(view.run.get('duration_s') or 0.0)}{started}",
        "",
        *_table(view),
    ]
    problems = view.problems
    if problems:
        lines += ["", f"## Failed and broken ({len(problems)})"]
        for result in problems[:MAX_SECTIONS]:
            lines += _section(result)
        if len(problems) > MAX_SECTIONS:
            lines += ["", f"…and {len(problems) - MAX_SECTIONS} more: see summary.html or results.json."]
    skipped = [r for r in view.results if r.status is Status.SKIPPED]
    if skipped:
        lines += ["", f"<details><summary>Skipped ({len(skipped)})</summary>", ""]
        lines += [f"- {code(r.scenario_id)} on {cell(r.backend)}: {cell(truncate(r.message, 300))}" for r in skipped]
        lines += ["", "</details>"]
    lines += _cleanup(view)
    if view.run.get("run_id"):
        lines += ["", f"<!-- authflow run {cell(view.run['run_id'])} -->"]
    return "\n".join(lines) + "\n"


def _cleanup(view: RunView) -> list[str]:
    """What the run could not clean up: leftovers with the command that removes each, failed teardowns."""
    cleanup = view.cleanup
    if not cleanup:
        return []
    lines = ["", "## Cleanup"]
    if cleanup.leftovers:
        lines += ["", f"**Left behind ({len(cleanup.leftovers)})**: remove each with the command shown.", ""]
        for item in cleanup.leftovers:
            command = f": {code(str(item['command']))}" if item.get("command") else ""
            lines.append(f"- {cell(describe_leftover(item, with_command=False))}{command}")
    if cleanup.teardown_failures:
        lines += ["", f"**Teardown failed ({len(cleanup.teardown_failures)})**", ""]
        lines += [f"- {code(f['scenario_id'])}: {cell(truncate(f['message'], 500))}" for f in cleanup.teardown_failures]
    if cleanup.log:
        lines += ["", f"<details><summary>cleanup log ({len(cleanup.log)})</summary>", ""]
        lines += [*block("\n".join(cleanup.log)), "", "</details>"]
    return lines


def write_markdown(view: RunView, path: Path) -> Path:
    return write_atomic(path, render_markdown(view))
