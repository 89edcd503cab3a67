"""`authflow compare`: one scenario (or a folder) across pool configurations and backends, step by step.

observe mode records what each run produced, ignoring expectations; assert mode runs the scenarios as the
runner does. Either way the result is a matrix per scenario (rows: steps, columns: backend and pool) with the
differing steps highlighted, written as HTML, Markdown and JSON; across backends, a fidelity table.
"""

from __future__ import annotations

from harness.compare.fidelity import fidelity_markdown
from harness.compare.matrix import Column, Comparison, Row, ScenarioMatrix, build_matrix, compare
from harness.compare.observe import ASSERT, MODES, OBSERVE, observe_scenario
from harness.compare.render import to_html, to_json, to_markdown, write_comparison

__all__ = [
    "ASSERT", "MODES", "OBSERVE", "Column", "Comparison", "Row", "ScenarioMatrix", "build_matrix", "compare",
    "fidelity_markdown", "observe_scenario", "to_html", "to_json", "to_markdown", "write_comparison",
]  # fmt: skip
