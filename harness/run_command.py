"""`authflow run`: pytest with the authflow plugin underneath, a rich progress bar and result table on top.

Running through pytest keeps one way to run scenarios: the same items, ids, markers, xdist support and
reports whether a user types `authflow run` or `pytest`.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from harness.engine.results import ScenarioResult, Status
from harness.pytest_plugin import result_of


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
        "--alluredir", str(reports / "allure-results"), "--clean-alluredir",
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
    from harness.engine.failure import describe_failure
    from harness.report.terminal import result_table

    console = Console()
    if args.workers and importlib.util.find_spec("xdist") is None:
        console.print("-n needs pytest-xdist, which this environment lacks: pip install pytest-xdist", markup=False)
        return int(pytest.ExitCode.USAGE_ERROR)
    plugin = ProgressPlugin(console)
    code = pytest.main(pytest_args(args), plugins=[plugin])
    for error in plugin.collection_errors:
        console.print(error, markup=False, highlight=False)
    if plugin.results:
        console.print(result_table(plugin.results))
        for result in plugin.results:
            if result.status in (Status.FAILED, Status.BROKEN):
                console.print(describe_failure(result), markup=False, highlight=False)
        console.print(f"reports: {Path(args.reports).resolve()}")
    elif not plugin.collection_errors:
        console.print("no scenarios ran")
    return int(code)
