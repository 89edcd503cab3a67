"""The comparison matrix: per scenario, one column per (backend, pool) run and one row per step.

A row *differs* when its cells do not all have the same outcome signature (kind, code, normalised message,
key fields); within a differing row, the cells unlike the first column are the ones highlighted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from harness.backends.base import Backend
from harness.compare.observe import run_one
from harness.compare.outcome import Normaliser, Outcome, outcome_of
from harness.engine.results import ScenarioResult, Status
from harness.engine.runner import crashed_result
from harness.report.redact import Redactor
from harness.scenario.model import Example, PoolConfig, Scenario

# `${{ email }}` in a step's label: each column rendered it with its own value, so the row shows the name.
_TEMPLATE = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def readable_label(label: str) -> str:
    """'outbox to ${{ email }}' -> 'outbox to <email>', the placeholder form the cells use for variables."""
    return _TEMPLATE.sub(lambda m: f"<{m.group(1)}>", label)


@dataclass(frozen=True)
class Column:
    backend: str
    pool: str

    def label(self, with_backend: bool) -> str:
        return f"{self.backend} · {self.pool}" if with_backend else self.pool


@dataclass
class Row:
    """One step across every column."""

    index: int
    label: str
    line: int
    cells: list[Outcome]
    # The first earlier step that differed, when this one differs too: likely a consequence, not a cause.
    follows: int | None = None

    @property
    def consequence_note(self) -> str:
        return f"after step {self.follows + 1} differed" if self.follows is not None else ""

    @property
    def differs(self) -> bool:
        return len({cell.signature for cell in self.cells}) > 1

    def highlighted(self) -> list[bool]:
        """Which cells to highlight: those whose outcome differs from the first column's."""
        if not self.cells:
            return []
        first = self.cells[0].signature
        return [cell.signature != first for cell in self.cells]


@dataclass
class ScenarioMatrix:
    scenario_id: str
    title: str
    file: str
    columns: list[Column]
    statuses: list[Status]  # each column's scenario status
    messages: list[str]  # each column's first problem, normalised ("" when it passed)
    rows: list[Row] = field(default_factory=list)

    @property
    def differing_rows(self) -> list[Row]:
        return [row for row in self.rows if row.differs]


@dataclass
class Comparison:
    mode: str  # "observe" | "assert"
    backends: list[str]
    matrices: list[ScenarioMatrix]
    results: list[ScenarioResult] = field(default_factory=list)  # raw: redact before writing

    @property
    def with_backend(self) -> bool:
        return len(self.backends) > 1

    @property
    def differing_steps(self) -> int:
        return sum(len(matrix.differing_rows) for matrix in self.matrices)


def build_matrix(
    scenario: Scenario, columns: list[Column], results: list[ScenarioResult], example: Example | None = None
) -> ScenarioMatrix:
    """Line the runs' steps up by index; a step a run never reached is "not run" with the run's reason. A row
    of an examples table is a matrix of its own (``password-policy[too-short]``): its runs share its values."""
    redactor = Redactor()
    normalisers = [Normaliser(result, redactor) for result in results]
    matrix = ScenarioMatrix(
        f"{scenario.id}[{example.name}]" if example is not None else scenario.id,
        f"{scenario.title} [{example.name}]" if example is not None else scenario.title,
        results[0].file if results else str(scenario.path),
        columns,
        [result.status for result in results],
        [normaliser.text(result.message) for result, normaliser in zip(results, normalisers, strict=True)],
    )
    for step in scenario.steps:
        cells = []
        for result, normaliser in zip(results, normalisers, strict=True):
            done = next((s for s in result.steps if s.index == step.index), None)
            if done is None:
                reason = normaliser.text(result.message) or "not run"
                cells.append(Outcome(Status.SKIPPED, "not run", message=reason))
            else:
                cells.append(outcome_of(done, normaliser))
        matrix.rows.append(Row(step.index, readable_label(step.label), step.line, cells))
    # A step whose outcome kind differs (an error where another column had a challenge) changes what every later
    # step sees; a difference in a field (a user's status) need not. Later differing rows name the first such.
    diverged = next((row.index for row in matrix.rows if len({(c.kind, c.code) for c in row.cells}) > 1), None)
    for row in matrix.rows:
        if row.differs and diverged is not None and row.index > diverged:
            row.follows = diverged
    return matrix


def compare(
    scenarios: Sequence[Scenario],
    pools_for: Callable[[Scenario], Sequence[PoolConfig]],
    backends: Sequence[Backend],
    *,
    mode: str,
    run_id: str,
    progress: Callable[[ScenarioResult], None] | None = None,
) -> Comparison:
    """Run every scenario (each row of its examples table) on every (backend, pool) pair, one after another,
    and build the matrices."""
    matrices: list[ScenarioMatrix] = []
    everything: list[ScenarioResult] = []
    for scenario in scenarios:
        for example in scenario.rows():
            columns: list[Column] = []
            results: list[ScenarioResult] = []
            for backend in backends:
                for pool in pools_for(scenario):
                    try:
                        result = run_one(scenario, pool, backend, run_id=run_id, mode=mode, example=example)
                    except Exception as exc:  # noqa: BLE001 - a crash is one cell, not the end of the comparison
                        result = crashed_result(scenario, pool.name, backend.name, exc, example)
                    columns.append(Column(backend.name, pool.name))
                    results.append(result)
                    if progress is not None:
                        progress(result)
            matrices.append(build_matrix(scenario, columns, results, example))
            everything += results
    return Comparison(mode, [backend.name for backend in backends], matrices, everything)
