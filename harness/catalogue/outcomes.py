"""The last outcome of each scenario per backend and pool, from a results file, for the catalogue's tables.

A results file may hold several runs of one scenario on one backend and pool (a rerun appended, files joined);
the catalogue shows the latest, so a reader sees the current state and not an old failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

from harness.engine.results import ScenarioResult, Status

ICONS = {Status.PASSED: "✅", Status.FAILED: "❌", Status.BROKEN: "💥", Status.SKIPPED: "⏭️"}


@dataclass(frozen=True)
class Outcome:
    """How one scenario last ended on one backend and pool."""

    backend: str
    pool: str
    status: Status
    started_at: float

    @property
    def when(self) -> str:
        """The run's start in UTC to the minute; "unknown" for a result without a start time."""
        if not self.started_at:
            return "unknown"
        return datetime.fromtimestamp(self.started_at, UTC).strftime("%Y-%m-%d %H:%M UTC")

    @property
    def shown(self) -> str:
        return f"{ICONS.get(self.status, '')} {self.status.value}".strip()


def result_scenario(result: ScenarioResult) -> str:
    """The scenario id of a result: ``session-reuse[password-only]`` -> ``session-reuse``."""
    suffix = f"[{result.pool}]"
    if result.scenario_id.endswith(suffix):
        return result.scenario_id.removesuffix(suffix)
    return PurePosixPath(result.file.replace("\\", "/")).stem or result.scenario_id


def last_outcomes(results: list[ScenarioResult]) -> dict[str, list[Outcome]]:
    """Scenario id -> its latest outcome per (backend, pool), sorted by backend then pool.

    Among results with the same start time, the one later in the file wins (it was written last).
    """
    latest: dict[tuple[str, str, str], Outcome] = {}
    for result in results:
        key = (result_scenario(result), result.backend, result.pool)
        outcome = Outcome(result.backend, result.pool, result.status, result.started_at)
        if key not in latest or outcome.started_at >= latest[key].started_at:
            latest[key] = outcome
    by_scenario: dict[str, list[Outcome]] = {}
    for (scenario, _, _), outcome in sorted(latest.items()):
        by_scenario.setdefault(scenario, []).append(outcome)
    return by_scenario
