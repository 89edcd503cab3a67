"""The comparison as JSON (for tools), Markdown (for a CI summary or a README) and one self-contained HTML page.

Everything here reads the matrix only, whose texts are already normalised and redacted.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from harness.compare.matrix import Comparison, ScenarioMatrix
from harness.compare.outcome import Outcome
from harness.report.atomic import write_atomic
from harness.report.json_text import indented_json

FORMAT = "authflow-compare"
VERSION = 1
ICONS = {"passed": "✅", "failed": "❌", "broken": "💥", "skipped": "⏭️"}


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def cell_parts(cell: Outcome, mode: str) -> list[tuple[str, str]]:
    """A cell as (part, text) lines: the headline (with the status icon in assert mode), message, each field,
    the note. The part names let two cells be compared line by line."""
    headline = cell.headline
    if mode == "assert" and cell.kind != "not run":
        headline = f"{ICONS[cell.status.value]} {headline}"
    if cell.retries:
        headline += f" ({cell.retries} {'retry' if cell.retries == 1 else 'retries'})"
    parts = [("headline", headline)]
    if cell.message:
        parts.append(("message", cell.message))
    parts += [(f"field:{name}", f"{name}: {value}") for name, value in cell.fields.items()]
    if cell.note:
        parts.append(("note", f"why: {cell.note}"))
    return parts


def cell_lines(cell: Outcome, mode: str) -> list[str]:
    return [text for _, text in cell_parts(cell, mode)]


def marked_lines(cell: Outcome, baseline: Outcome, highlighted: bool, mode: str) -> list[tuple[str, bool]]:
    """Each line of a cell, and whether it is what makes the cell differ from the first column's: only those
    lines are marked, so a reader sees the one field that changed, not a whole highlighted cell. The note
    (assert mode's why) is never compared: it explains, it is not an outcome."""
    if not highlighted:
        return [(text, False) for text in cell_lines(cell, mode)]
    base = dict(cell_parts(baseline, mode))
    own = cell_parts(cell, mode)
    lines = [(text, part != "note" and base.get(part) != text) for part, text in own]
    if cell.kind != baseline.kind:  # an error has no response fields: listing them as absent is noise
        return lines
    present = {part for part, _ in own}
    missing = [part.removeprefix("field:") for part in base if part.startswith("field:") and part not in present]
    return lines + [(f"{name}: (absent)", True) for name in missing]


def to_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "mode": comparison.mode,
        "backends": comparison.backends,
        "scenarios": [
            {
                "id": matrix.scenario_id,
                "title": matrix.title,
                "file": matrix.file,
                "columns": [
                    {"backend": column.backend, "pool": column.pool, "status": status.value, "message": message}
                    for column, status, message in zip(matrix.columns, matrix.statuses, matrix.messages, strict=True)
                ],
                "rows": [
                    {
                        "index": row.index,
                        "label": row.label,
                        "line": row.line,
                        "differs": row.differs,
                        "follows": row.follows,
                        "cells": [
                            {
                                "status": cell.status.value,
                                "kind": cell.kind,
                                "code": cell.code,
                                "message": cell.message,
                                "fields": cell.fields,
                                "note": cell.note,
                                "retries": cell.retries,
                                "highlighted": highlighted,
                            }
                            for cell, highlighted in zip(row.cells, row.highlighted(), strict=True)
                        ],
                    }
                    for row in matrix.rows
                ],
            }
            for matrix in comparison.matrices
        ],
    }


def _markdown_matrix(matrix: ScenarioMatrix, comparison: Comparison) -> list[str]:
    labels = [column.label(comparison.with_backend) for column in matrix.columns]
    differing = len(matrix.differing_rows)
    lines = [
        f"## {_md(matrix.scenario_id)}: {_md(matrix.title)}",
        "",
        f"`{matrix.file}` · {differing} of {len(matrix.rows)} steps differ",
        "",
        "| step | " + " | ".join(_md(label) for label in labels) + " |",
        "|---|" + "---|" * len(labels),
    ]
    if comparison.mode == "assert":
        statuses = [f"{ICONS[status.value]} {status.value}" for status in matrix.statuses]
        lines.append("| *scenario* | " + " | ".join(statuses) + " |")
    for row in matrix.rows:
        step = f"{row.index + 1}. {_md(row.label)}"
        cells = []
        for cell, highlighted in zip(row.cells, row.highlighted(), strict=True):
            marked = marked_lines(cell, row.cells[0], highlighted, comparison.mode)
            cells.append("<br>".join(f"**{_md(text)}**" if changed else _md(text) for text, changed in marked))
        marker = " ⚠️" if row.differs else ""
        if row.follows is not None:
            marker += f" *({row.consequence_note})*"
        lines.append(f"| {'**' + step + '**' if row.differs else step}{marker} | " + " | ".join(cells) + " |")
    return lines


def to_markdown(comparison: Comparison) -> str:
    lines = [
        f"# authflow compare ({comparison.mode} mode)",
        "",
        f"{len(comparison.matrices)} scenarios on {', '.join(comparison.backends)}; "
        f"{comparison.differing_steps} steps differ (⚠️; in bold, what differs from the first column).",
        "",
    ]
    for matrix in comparison.matrices:
        lines += [*_markdown_matrix(matrix, comparison), ""]
    return "\n".join(lines)


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("harness.compare", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("compare.html.j2")


def to_html(comparison: Comparison) -> str:
    return _template().render(comparison=comparison, marked_lines=marked_lines, icons=ICONS)


def write_comparison(comparison: Comparison, out_dir: Path) -> dict[str, Path]:
    """compare.json, compare.md and compare.html under ``out_dir``."""
    return {
        "json": write_atomic(out_dir / "compare.json", indented_json(to_json(comparison))),
        "markdown": write_atomic(out_dir / "compare.md", to_markdown(comparison)),
        "html": write_atomic(out_dir / "compare.html", to_html(comparison)),
    }
