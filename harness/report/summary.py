"""What every report shares: the redacted view of a run, its headline numbers, and small formatting helpers.

Reports render a `RunView`, never raw results, so no renderer can forget to redact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from harness.engine.results import ScenarioResult, Status, StepResult, result_from_dict, result_to_dict
from harness.report.cleanup import Cleanup
from harness.report.json_text import indented_json
from harness.report.redact import Redactor

ICONS = {"passed": "✅", "failed": "❌", "broken": "💥", "skipped": "⏭️"}
PROBLEMS = (Status.FAILED, Status.BROKEN)
# Worst first: the order cards are shown in.
SEVERITY = {Status.BROKEN: 0, Status.FAILED: 1, Status.SKIPPED: 2, Status.PASSED: 3}
# Control characters (ANSI colour escapes, NULs from a backend's error text) other than tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class RunView:
    """A run ready to render: redacted copies of the results and the run's summary block.

    `data` is the redacted results as plain JSON data (results.json writes it as is); `results` are the same
    as ScenarioResult objects with control characters in their free text made printable, for renderers.
    """

    results: list[ScenarioResult]
    run: dict[str, Any]
    data: list[dict[str, Any]]

    @property
    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = self.run["counts"]
        return counted

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def problems(self) -> list[ScenarioResult]:
        return [r for r in self.results if r.status in PROBLEMS]

    @property
    def by_severity(self) -> list[ScenarioResult]:
        return sorted(self.results, key=lambda r: SEVERITY[r.status])  # stable: run order within a status

    @property
    def backends(self) -> list[str]:
        backends: list[str] = self.run["backends"]
        return backends

    @property
    def tags(self) -> list[str]:
        return sorted({tag for r in self.results for tag in r.tags})

    @property
    def cleanup(self) -> Cleanup:
        """What the run could not clean up (empty when the caller reported nothing)."""
        data = self.run.get("cleanup")
        return Cleanup.from_dict(_printable_data(data)) if isinstance(data, dict) else Cleanup()


def counts(results: list[ScenarioResult]) -> dict[str, int]:
    """Every status, zeros included, in a fixed order (readers compare runs by these keys)."""
    return {status.value: sum(1 for r in results if r.status is status) for status in Status}


def redacted_results(results: list[ScenarioResult], redactor: Redactor) -> list[dict[str, Any]]:
    """Results as plain JSON data, redacted. The whole run is learnt first, so a secret first seen in one
    scenario's request is masked in every other scenario's messages and variables too."""
    plain = [result_to_dict(result) for result in results]
    redactor.learn(plain)
    redacted: list[dict[str, Any]] = [redactor.rewrite(item) for item in plain]
    return redacted


def iso_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def run_summary(results: list[ScenarioResult], run_info: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    """The run block of every report: backends, start, duration and counts, computed from the results unless
    the caller knows better (`run_info` keys win; any other keys it holds are kept, redacted)."""
    starts = [r.started_at for r in results if r.started_at]
    started_at: float | None = run_info.get("started_at") or (min(starts) if starts else None)
    if run_info.get("duration_s") is not None:
        duration = float(run_info["duration_s"])
    elif starts:
        duration = max(r.started_at + r.duration_s for r in results if r.started_at) - min(starts)
    else:
        duration = sum(r.duration_s for r in results)
    backends = list(run_info.get("backends") or dict.fromkeys(r.backend for r in results))
    if not backends and run_info.get("backend"):
        backends = [str(run_info["backend"])]
    summary: dict[str, Any] = {
        "backends": backends,
        "started": iso_time(started_at) if started_at else None,
        "started_at": started_at,
        "duration_s": round(duration, 3),
        "total": len(results),
        "counts": counts(results),
    }
    extra = {k: v for k, v in run_info.items() if k not in summary}
    summary.update(redactor.redact(extra))
    return summary


def printable(text: str) -> str:
    """Control characters shown as \\xNN: a terminal would act on them, a Markdown or XML file would break."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def _printable_data(value: Any) -> Any:
    """Every string inside `value` made printable (backend error text lands in the cleanup section)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {k: _printable_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable_data(v) for v in value]
    return value


def _printable_result(result: ScenarioResult) -> ScenarioResult:
    """Free-text fields made printable (request/response data stays data: JSON escapes its own controls)."""
    steps = [
        replace(s, label=printable(s.label), message=printable(s.message), logs=[printable(x) for x in s.logs])
        for s in result.steps
    ]
    return replace(
        result, steps=steps, title=printable(result.title), message=printable(result.message),
        description=printable(result.description), scenario_id=printable(result.scenario_id),
    )  # fmt: skip


def build_view(
    results: list[ScenarioResult],
    run_info: dict[str, Any],
    redactor: Redactor,
    *,
    published: list[dict[str, Any]] | None = None,
) -> RunView:
    """Redacted, printable copies of the results and the run block, ready for any renderer. `published`: the
    results are redacted copies already (the pytest plugin's, one per scenario) and these are their JSON data,
    one for one, so they are neither redacted nor converted twice."""
    if published is not None:
        if len(published) != len(results):
            raise ValueError(f"{len(published)} published results for {len(results)} results")
        data = published
        printable_results = [_printable_result(result) for result in results]
    else:
        data = redacted_results(results, redactor)
        printable_results = [_printable_result(result_from_dict(item)) for item in data]
    return RunView(printable_results, run_summary(results, run_info, redactor), data)


def first_problem_step(result: ScenarioResult) -> StepResult | None:
    """The step a reader should look at first: the first failed or broken one."""
    return next((s for s in result.steps if s.status in PROBLEMS), None)


# "message: expected 'A', got 'B'", "expected success, got X: ...", "error: expected X, but the call succeeded"
_REASON = re.compile(
    r"^(?:(?P<what>[^:;]{1,80}): )?expected (?P<expected>.*?), (?:got (?P<got>.*)|but (?P<but>.*))$", re.S
)


@dataclass(frozen=True)
class Reason:
    """One reason a step did not pass, split into what was checked, what was expected and what came back
    where the text has that form (every check of the expectation engine does); otherwise `text` alone."""

    text: str
    what: str = ""
    expected: str = ""
    got: str = ""

    @property
    def structured(self) -> bool:
        return bool(self.expected)


def reasons(message: str) -> list[Reason]:
    """A step's message as its separate reasons (the engine joins them with '; ')."""
    found = []
    for part in (piece.strip() for piece in message.split("; ")):
        if not part:
            continue
        matched = _REASON.match(part)
        if matched is None:
            found.append(Reason(part))
            continue
        got = matched.group("got") if matched.group("got") is not None else matched.group("but")
        found.append(Reason(part, matched.group("what") or "outcome", matched.group("expected"), got))
    return found


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, saying how much was cut (a reader must know the text is incomplete)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def pretty(value: Any, limit: int = 6000) -> str:
    """Indented JSON for people, truncated so one huge response cannot swamp a report."""
    return truncate(indented_json(value), limit)


def human_duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:.0f} s"


def interrupted_after(completed: int, collected: int | None) -> str:
    """'interrupted after 3 of 12 scenario runs': how far a run got before Ctrl-C (the total when known)."""
    of = f" of {collected}" if collected is not None else ""
    noun = "scenario run" if (collected if collected is not None else completed) == 1 else "scenario runs"
    return f"interrupted after {completed}{of} {noun}"


def partial_note(view: RunView) -> str | None:
    """'partial: interrupted after 3 of 12 scenario runs' for a run stopped early, else None: counts of a
    partial run must never read as the whole library's."""
    if not view.run.get("interrupted"):
        return None
    collected = view.run.get("collected")
    return "partial: " + interrupted_after(view.total, collected if isinstance(collected, int) else None)


def headline(view: RunView) -> str:
    """'12 scenario runs: 10 passed, 1 failed, 1 broken' (statuses with zero runs left out), followed by the
    partial note of an interrupted run."""
    parts = [f"{count} {status}" for status, count in view.counts.items() if count]
    noun = "scenario run" if view.total == 1 else "scenario runs"
    text = f"{view.total} {noun}: " + (", ".join(parts) if parts else "nothing ran")
    note = partial_note(view)
    return f"{text} ({note})" if note else text
