"""What `authflow run` prints: the rich result table for a terminal, plain lines for CI logs; all redacted.

Cells are rich `Text`, never markup, so a message holding `[red]` or `[/]` prints literally instead of being
read as rich markup (or raising a MarkupError).

Plain lines (stdout not a terminal, or CI) are never wrapped or cut, so ids and `file:line` stay greppable:
one `STATUS  id  pool=P  1.234s` line per scenario run (`plain_line`), each failure in full (`plain_failure`)
and, under GitHub Actions, one `::error` workflow command per failed or broken run (`github_annotations`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.engine.results import ScenarioResult, Status
from harness.report.failure import describe_failure
from harness.report.redact import Redactor
from harness.report.summary import (
    ICONS,
    RunView,
    build_view,
    first_problem_step,
    headline,
    human_duration,
    printable,
    run_summary,
)

if TYPE_CHECKING:  # rich only for the table: plain output (CI logs) does not load it
    from rich.table import Table

STYLES = {"passed": "green", "failed": "bold red", "broken": "bold magenta", "skipped": "dim"}
_MESSAGE_LINES = 3


def _message(text: str) -> str:
    lines = text.strip().splitlines()
    shown = "\n".join(lines[:_MESSAGE_LINES])
    return shown + (f"\n… {len(lines) - _MESSAGE_LINES} more lines" if len(lines) > _MESSAGE_LINES else "")


def renders(text: str, encoding: str | None) -> bool:
    """Whether a stream in `encoding` can print `text` (None: unknown, assume UTF-8)."""
    try:
        text.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def result_table(
    results: list[ScenarioResult],
    redactor: Redactor | None = None,
    run_info: dict[str, Any] | None = None,
    encoding: str | None = None,
) -> Table:
    """A table of every scenario run; pass the run's Redactor to share what it has learnt, the run block
    (``interrupted``, ``collected``) so that the counts of a partial run say so in the title, and the output's
    encoding: where it cannot render the status icons, the status is a word alone."""
    from rich.table import Table
    from rich.text import Text

    view = build_view(results, run_info or {}, redactor or Redactor())
    several_backends = len(view.backends) > 1
    icons = renders("".join(ICONS.values()), encoding)
    table = Table(title=f"authflow: {headline(view)}", title_justify="left")
    table.add_column("status", no_wrap=True)
    table.add_column("scenario", overflow="fold")
    table.add_column("pool", overflow="fold")
    if several_backends:
        table.add_column("backend")
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("message", overflow="fold", ratio=1)
    for result in view.results:
        status = result.status.value
        label = f"{ICONS[status]} {status}" if icons else status
        cells = [Text(label, style=STYLES[status]), Text(result.scenario_id), Text(result.pool)]
        if several_backends:
            cells.append(Text(result.backend))
        cells += [Text(human_duration(result.duration_s)), Text(_message(result.message))]
        table.add_row(*cells)
    return table


def one_line(text: str) -> str:
    """Text on one line: its non-blank lines joined with ' / '."""
    return " / ".join(line.strip() for line in text.splitlines() if line.strip())


def plain_line(result: ScenarioResult, redactor: Redactor) -> str:
    """`FAILED   signin[pool-a]  pool=pool-a  0.012s`: the status word padded to 7, then two spaces between
    fields; a skipped run adds its reason on the same line. Never wrapped: ids stay whole for grep. Only a
    skipped run's line shows free text, so only then is the whole result redacted (learnt) first."""
    if result.status is Status.SKIPPED and result.message.strip():
        [shown] = build_view([result], {}, redactor).results
        return f"{_plain_fields(shown, redactor)}  {one_line(shown.message)}"
    return _plain_fields(result, redactor)


def _plain_fields(result: ScenarioResult, redactor: Redactor) -> str:
    shown_id, pool = (printable(redactor.redact_text(text)) for text in (result.scenario_id, result.pool))
    return f"{result.status.value.upper():<7}  {shown_id}  pool={pool}  {result.duration_s:.3f}s"


def plain_failure(result: ScenarioResult, redactor: Redactor) -> str:
    """The failure text of a failed or broken run, in full, with control characters shown, not sent."""
    return printable(describe_failure(result, redactor))


def plain_headline(results: list[ScenarioResult], redactor: Redactor, run_info: dict[str, Any]) -> str:
    """`authflow: 2 scenario runs: 1 passed, 1 failed` (the table's title). Counts only: the results are not
    redacted again for it, only the run block is."""
    return f"authflow: {headline(RunView(list(results), run_summary(results, run_info, redactor), []))}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_path(file: str, workspace: Path) -> str:
    """A scenario file (shown relative to the working directory) relative to the repository checkout, which
    is what GitHub matches annotations against; as given when it lies outside."""
    path = Path(file)
    try:
        return (path if path.is_absolute() else Path.cwd() / path).resolve().relative_to(workspace.resolve()).as_posix()
    except (ValueError, OSError):
        return file


def github_annotations(results: list[ScenarioResult], redactor: Redactor, workspace: Path) -> list[str]:
    """One `::error file=...,line=...,title=<id>::<message>` workflow command per failed or broken run, escaped
    as GitHub documents (`%`, CR, LF in the message; also `:` and `,` in properties), so it is one line."""
    lines = []
    for result in build_view(results, {}, redactor).problems:
        step = first_problem_step(result)
        properties = [f"file={_escape_property(workspace_path(result.file, workspace))}"]
        if step is not None:
            properties.append(f"line={step.line}")
        properties.append(f"title={_escape_property(result.scenario_id)}")
        message = result.message.strip() or (step.message.strip() if step else "") or result.status.value
        lines.append(f"::error {','.join(properties)}::{_escape_data(message)}")
    return lines
