"""`authflow run`: pytest with the authflow plugin underneath, a rich progress bar and result table on top.

Outside a terminal (a pipe, a file, a CI log) or when the environment says CI, no bar and no table: plain lines,
never wrapped or cut (`harness.report.terminal`: one per scenario run as it finishes, then each failure in
full, the headline and the reports path), and under GitHub Actions one `::error` workflow command per failed
or broken run. docs/reports.md describes the format.

Running through pytest keeps one way to run scenarios: the same items, ids, markers, xdist support and
reports whether a user types `authflow run` or `pytest`.

What pytest loads is what a run of scenarios uses, no more (`pytest_args`): the authflow and allure plugins,
pytest-xdist only with `-n`, not the other plugins the environment happens to have installed (a
`PYTEST_PLUGINS` variable still adds some; `pytest scenarios/` loads them all), and none of pytest's own plugins
that only serve Python tests (doctest, fixtures such as tmp_path or monkeypatch, --pdb, the log and warning
capture of each test, ...). rich is imported only for a terminal.

Exit codes: pytest's (0 all passed, 1 a scenario failed or broke, 2 collection errors, 3 internal error,
4 usage error, 5 no scenario collected), except that Ctrl-C is `EXIT_INTERRUPTED` (130, the shell's 128 +
SIGINT) wherever it lands: pytest reports an interrupt as 2, the same code as a bad scenario file; and reports
that could not be written are `EXIT_REPORTS_UNWRITTEN` (74), said after the results.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import pytest

from harness.cli.exit_codes import EXIT_INTERRUPTED, EXIT_REPORTS_UNWRITTEN
from harness.engine.results import ScenarioResult, Status
from harness.pytest_plugin import RunOutcome, load_scenario_layer, result_of, run_outcome

# The pytest plugin loads the scenario layer, the engine and the reports only when it collects a scenario (a
# project's other pytest runs do not pay for them); a run always needs them, and loading them here, while start-up
# keeps the garbage collector paused (harness.cli._run), is cheaper than in the middle of collection.
load_scenario_layer()

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from harness.report.redact import Redactor

UNUSED_BUILTINS = (
    "doctest", "legacypath", "tmpdir", "monkeypatch", "recwarn", "debugging", "pastebin", "junitxml",
    "stepwise", "setuponly", "setupplan", "logging", "warnings", "unraisableexception", "threadexception",
    "faulthandler", "cacheprovider", "terminal", "unittest", "capture", "skipping", "python", "assertion",
    "subtests",
)  # fmt: skip
"""pytest's own plugins that serve Python tests or pytest's own output, none of which a scenario run uses
(authflow writes its own output, JUnit file and failure text). Each one left loaded runs its hooks in every
phase of every scenario: capture suspends and resumes output, assertion sets up its comparison hooks, skipping
and unittest look for their markers and cases. Left out, `authflow run` spends about 6% less per scenario."""


class ProgressPlugin:
    """Counts finished scenarios into a progress bar and keeps their results for the table; given `on_result`
    (plain output), shows no bar (rich is not even imported) and hands each result to it as it finishes."""

    def __init__(
        self,
        console: Console | None,
        on_result: Callable[[ScenarioResult], None] | None = None,
        *,
        resume_gc: bool = False,
    ) -> None:
        self.console = console
        self.on_result = on_result
        self.resume_gc = resume_gc  # the garbage collector was paused for start-up: resume it when collection starts
        self.results: list[ScenarioResult] = []
        self.collection_errors: list[str] = []
        self.progress: Progress | None = None
        if on_result is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("[bold]authflow[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("{task.description}"), console=console, transient=True,
            )  # fmt: skip
            self.task = self.progress.add_task("collecting", total=None)
        self.config: pytest.Config | None = None

    def pytest_configure(self, config: pytest.Config) -> None:
        self.config = config

    def outcome(self) -> RunOutcome | None:
        """What the authflow plugin knows of the run (None when pytest stopped before configuring it)."""
        return run_outcome(self.config) if self.config is not None else None

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        if self.progress is not None:
            self.progress.start()

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session: pytest.Session) -> None:
        if self.resume_gc:
            gc.enable()

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if session.items and self.progress is not None:
            self.progress.update(self.task, total=len(session.items), description="running")

    @pytest.hookimpl(optionalhook=True)  # declared by pytest-xdist; pluggy refuses undeclared hooks otherwise
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        if self.progress is not None:
            self.progress.update(self.task, total=len(ids), description="running")

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(str(report.longrepr))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or (report.when == "setup" and not report.passed):
            result = result_of(report)
            if self.progress is not None:
                self.progress.advance(self.task)
                if result is not None:
                    self.progress.update(self.task, description=result.scenario_id)
            if result is not None:
                self.results.append(result)
                if self.on_result is not None:
                    self.on_result(result)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.stop()

    def stop(self) -> None:
        if self.progress is not None:  # rich's stop() prints an empty line off a terminal even if never started
            self.progress.stop()


def plain_output(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Plain lines instead of the bar and table: `stream` is not a terminal, or the environment says CI."""
    if environ.get("GITHUB_ACTIONS") == "true" or environ.get("CI", "").strip().lower() not in ("", "0", "false"):
        return True
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return True


def _say(text: str) -> None:
    """One plain line (or block) to stdout, unwrapped; what its encoding cannot take is escaped, not fatal."""
    encoding = sys.stdout.encoding or "utf-8"
    with contextlib.suppress(LookupError):
        text = text.encode(encoding, "backslashreplace").decode(encoding)
    print(text, flush=True)


def pytest_args(args: argparse.Namespace) -> list[str]:
    reports = Path(args.reports)
    argv = [*args.paths, "--backend", args.backend, "--authflow-reports", str(reports), "--disable-plugin-autoload"]
    # no test modules to rewrite or collect (assertion, python), no output of tests to capture: what authflow
    # prints it prints itself (see UNUSED_BUILTINS)
    argv += ["-p", "harness.pytest_plugin", *(word for name in UNUSED_BUILTINS for word in ("-p", f"no:{name}"))]
    if not getattr(args, "no_allure", False) and importlib.util.find_spec("allure_pytest") is not None:
        # the plugin points allure at the run's fresh generation of the report set (no --clean-alluredir:
        # the previous results stay until the whole new set replaces them)
        argv += ["-p", "allure_pytest.plugin", "--alluredir", str(reports / "allure-results")]
    if args.keyword:
        argv += ["-k", args.keyword]
    if args.markers:
        argv += ["-m", args.markers]
    if args.workers:
        argv += ["-p", "xdist.plugin", "-n", str(args.workers)]
    return argv


def _nothing_selected(args: argparse.Namespace) -> str:
    """Why a filtered run ran nothing, with the tags there are to choose from (read only on this path)."""
    from harness.engine.library import discover

    tags = sorted({tag for path in args.paths for scenario in discover(path).scenarios for tag in scenario.tags})
    given = " and ".join(f"{flag} {value!r}" for flag, value in (("-m", args.markers), ("-k", args.keyword)) if value)
    shown = ", ".join(tags) if tags else "none"
    return (
        f"{given} selected none of the scenarios in {', '.join(args.paths)}. Their tags: {shown} "
        "(-m takes a tag as written, e.g. -m user-auth, or an expression such as -m 'mfa and not sms'; "
        "`authflow list --tag TAG` shows a tag's scenarios)"
    )


def run(args: argparse.Namespace) -> int:
    """`args.resume_gc` (when set): the caller paused the garbage collector for start-up; it resumes when
    collection starts."""
    from harness.report.redact import Redactor
    from harness.report.summary import interrupted_after
    from harness.report.terminal import plain_line

    if args.workers and importlib.util.find_spec("xdist") is None:
        print("-n needs pytest-xdist, which this environment lacks: pip install pytest-xdist", flush=True)
        return int(pytest.ExitCode.USAGE_ERROR)
    plain = plain_output(sys.stdout, os.environ)
    redactor = Redactor()  # one per run: a secret learnt from one scenario is masked in every later line
    console = None
    if not plain:
        from rich.console import Console

        console = Console()
    on_result = (lambda result: _say(plain_line(result, redactor))) if plain else None
    plugin = ProgressPlugin(console, on_result, resume_gc=bool(getattr(args, "resume_gc", False)))
    stopped = False
    try:
        code = int(pytest.main(pytest_args(args), plugins=[plugin]))
    except KeyboardInterrupt:  # while pytest starts (plugins, conftest files) or after the run (reports, cleanup)
        code, stopped = EXIT_INTERRUPTED, True
    finally:
        plugin.stop()
    outcome = plugin.outcome() or RunOutcome()
    interrupted = stopped or outcome.interrupted
    if code == int(pytest.ExitCode.USAGE_ERROR) and not plugin.results:
        return code  # pytest said what was wrong (its ERROR line) and nothing ran: no summary to add
    gc.freeze()  # the run's heap is done with: printing its results must not walk it (see pytest_plugin)
    try:
        if console is None:
            _print_plain(plugin, outcome, interrupted, redactor)
        else:
            _print_rich(console, plugin, outcome, interrupted)
    finally:
        gc.unfreeze()  # an in-process caller collects it as usual
    if code == int(pytest.ExitCode.NO_TESTS_COLLECTED) and (args.markers or args.keyword) and not interrupted:
        print(_nothing_selected(args), file=sys.stderr)
    if outcome.reports_unwritten is not None:  # the results were printed above; the previous reports stay
        print(f"reports not written: {outcome.reports_unwritten}", file=sys.stderr)
    if interrupted:
        # no count while starting up (imports, collection): nothing had run, and "0 of M" would suggest it had
        counted = interrupted_after(len(plugin.results), outcome.collected) if outcome.running else "interrupted"
        print(counted, file=sys.stderr)
        return EXIT_INTERRUPTED
    if outcome.reports_unwritten is not None:
        return EXIT_REPORTS_UNWRITTEN
    return code


def _print_plain(plugin: ProgressPlugin, outcome: RunOutcome, interrupted: bool, redactor: Redactor) -> None:
    """After the per-run lines: collection errors, each failure in full, GitHub annotations, cleanup, the
    headline and where the reports are; nothing wrapped."""
    from harness.report.cleanup import cleanup_lines
    from harness.report.terminal import github_annotations, plain_failure, plain_headline

    problems = [r for r in plugin.results if r.status in (Status.FAILED, Status.BROKEN)]
    for error in plugin.collection_errors:
        _say(redactor.redact_text(error))
    for result in problems:
        _say("")
        _say(plain_failure(result, redactor))
    if problems and os.environ.get("GITHUB_ACTIONS") == "true":
        workspace = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())
        for line in github_annotations(problems, redactor, workspace):
            _say(line)
    cleanup = cleanup_lines(outcome.cleanup)
    if plugin.results or cleanup:
        _say("")
    for line in cleanup:
        _say(line)
    if plugin.results:
        _say(plain_headline(plugin.results, redactor, outcome.run_info()))
    if outcome.reports is not None:
        _say(f"reports: {outcome.reports}" + (" (partial)" if interrupted else ""))
    elif not plugin.results and not plugin.collection_errors and not interrupted:
        _say("no scenarios ran")


def _print_rich(console: Console, plugin: ProgressPlugin, outcome: RunOutcome, interrupted: bool) -> None:
    """Today's terminal output: the result table (words for icons the terminal cannot show), then failures."""
    from harness.report.cleanup import cleanup_lines
    from harness.report.failure import describe_failure
    from harness.report.terminal import result_table

    for error in plugin.collection_errors:
        console.print(error, markup=False, highlight=False)
    if plugin.results:
        console.print(result_table(plugin.results, run_info=outcome.run_info(), encoding=sys.stdout.encoding))
        for result in plugin.results:
            if result.status in (Status.FAILED, Status.BROKEN):
                console.print(describe_failure(result), markup=False, highlight=False)
    for line in cleanup_lines(outcome.cleanup):  # not wrapped: a sweep command must stay copyable
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if outcome.reports is not None:
        console.print(f"reports: {outcome.reports}" + (" (partial)" if interrupted else ""), markup=False)
    elif not plugin.results and not plugin.collection_errors and not interrupted:
        console.print("no scenarios ran")
