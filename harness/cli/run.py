"""`authflow run`: pytest with the authflow plugin underneath, a rich progress bar and result table on top.

Running through pytest keeps one way to run scenarios: the same items, ids, markers, xdist support and
reports whether a user types `authflow run` or `pytest`.

Exit codes: pytest's (0 all passed, 1 a scenario failed or broke, 2 collection errors, 3 internal error,
4 usage error, 5 no scenario collected), except that Ctrl-C is `EXIT_INTERRUPTED` (130, the shell's 128 +
SIGINT) wherever it lands: pytest reports an interrupt as 2, the same code as a bad scenario file.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from harness.cli.exit_codes import EXIT_INTERRUPTED
from harness.engine.results import ScenarioResult, Status
from harness.pytest_plugin import RunOutcome, result_of, run_outcome


class ProgressPlugin:
    """Counts finished scenarios into a progress bar and keeps their results for the table."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.results: list[ScenarioResult] = []
        self.collection_errors: list[str] = []
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
        self.progress.start()

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if session.items:
            self.progress.update(self.task, total=len(session.items), description="running")

    @pytest.hookimpl(optionalhook=True)  # declared by pytest-xdist; pluggy refuses undeclared hooks otherwise
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self.progress.update(self.task, total=len(ids), description="running")

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(str(report.longrepr))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.progress.advance(self.task)
            result = result_of(report)
            if result is not None:
                self.results.append(result)
                self.progress.update(self.task, description=result.scenario_id)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.progress.stop()


def pytest_args(args: argparse.Namespace) -> list[str]:
    reports = Path(args.reports)
    argv = [
        *args.paths, "--backend", args.backend, "--authflow-reports", str(reports),
        # the plugin points allure at the run's fresh generation of the report set (no --clean-alluredir:
        # the previous results stay until the whole new set replaces them)
        "--alluredir", str(reports / "allure-results"),
        "-p", "no:terminal", "-p", "no:cacheprovider",
    ]  # fmt: skip
    if args.keyword:
        argv += ["-k", args.keyword]
    if args.markers:
        argv += ["-m", args.markers]
    if args.workers:
        argv += ["-n", str(args.workers)]
    return argv


def run(args: argparse.Namespace) -> int:
    from harness.report.cleanup import cleanup_lines
    from harness.report.failure import describe_failure
    from harness.report.summary import interrupted_after
    from harness.report.terminal import result_table

    console = Console()
    if args.workers and importlib.util.find_spec("xdist") is None:
        console.print("-n needs pytest-xdist, which this environment lacks: pip install pytest-xdist", markup=False)
        return int(pytest.ExitCode.USAGE_ERROR)
    plugin = ProgressPlugin(console)
    stopped = False
    try:
        code = int(pytest.main(pytest_args(args), plugins=[plugin]))
    except KeyboardInterrupt:  # while pytest starts (plugins, conftest files) or after the run (reports, cleanup)
        code, stopped = EXIT_INTERRUPTED, True
    finally:
        plugin.progress.stop()
    outcome = plugin.outcome() or RunOutcome()
    interrupted = stopped or outcome.interrupted
    for error in plugin.collection_errors:
        console.print(error, markup=False, highlight=False)
    if plugin.results:
        console.print(result_table(plugin.results, run_info=outcome.run_info()))
        for result in plugin.results:
            if result.status in (Status.FAILED, Status.BROKEN):
                console.print(describe_failure(result), markup=False, highlight=False)
    for line in cleanup_lines(outcome.cleanup):  # not wrapped: a sweep command must stay copyable
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if outcome.reports is not None:
        console.print(f"reports: {outcome.reports}" + (" (partial)" if interrupted else ""), markup=False)
    elif not plugin.results and not plugin.collection_errors and not interrupted:
        console.print("no scenarios ran")
    if interrupted:
        # no count while starting up (imports, collection): nothing had run, and "0 of M" would suggest it had
        counted = interrupted_after(len(plugin.results), outcome.collected) if outcome.running else "interrupted"
        print(counted, file=sys.stderr)
        return EXIT_INTERRUPTED
    return code
