"""summary.md: a Markdown summary fit for a CI job summary ($GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

from pathlib import Path

from harness.report.atomic import write_atomic
from harness.report.summary import ICONS, RunView, first_problem_step


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(view: RunView) -> str:
    counts = ", ".join(f"{ICONS[status]} {count} {status}" for status, count in view.counts.items() if count)
    lines = [f"# authflow: {view.total} scenario runs", "", counts or "nothing ran", ""]
    lines += ["| | scenario | pool | backend | time |", "|---|---|---|---|---:|"]
    for result in view.results:
        lines.append(
            f"| {ICONS[result['status']]} | {_cell(result['title'])} | {_cell(result['pool'])} | "
            f"{_cell(result['backend'])} | {result['duration_s']:.2f} s |"
        )
    for result in view.problems:
        lines += ["", f"## {ICONS[result['status']]} {_cell(result['title'])} [{result['pool']}]", ""]
        step = first_problem_step(result)
        if step is None:
            lines.append(f"{result['message']}")
            continue
        lines += [
            f"- **step {step['index'] + 1}** `{step['label']}` at `{result['file']}:{step['line']}`",
            f"- **why**: {step['message']}",
            "",
            "<details><summary>expected / got</summary>",
            "",
            "```json",
            f"expected: {step['expected']}",
            f"got:      {step['response']}",
            "```",
            "</details>",
        ]
    return "\n".join(lines) + "\n"


def write_markdown(view: RunView, path: Path) -> Path:
    return write_atomic(path, render_markdown(view))
