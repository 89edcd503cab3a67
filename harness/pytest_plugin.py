"""Collect scenario YAML files as pytest items (public pytest API only).

A file is a scenario when it has a top-level `scenario:` key or points at scenario.schema.json, and is not
inside a `pools/` folder. Each (scenario, pool) pair is one item, `<file stem>[<pool>]`, marked with the
scenario's tags (dashes become underscores: `-m user_auth`). A bad file is one BROKEN item, `<file stem>[file]`,
listing every problem as `file:line:col key.path: message`, and the other files still run. A YAML file named on the
command line, or one that is not UTF-8 text (its head cannot be read), is collected too, so that `authflow run`
reports it with the same message as `authflow validate` instead of "not found" or nothing.

Reports: the controller process writes the whole report set of the run into a fresh generation and switches
it in at the end (harness.report.report_set); allure-pytest, when its --alluredir is the report set's
allure-results, is pointed at that generation before it opens the directory (workers too).

Per scenario the work is done once: the result is redacted once (that copy travels to the controller, the
terminal and every report, and its steps are the scenario's one allure attachment); files are loaded with
their folder's pools looked up once per folder; nothing is recomputed per item that a run knows already.
When collection starts, when it is over, and once the backend exists, what is alive is frozen out of the
garbage collector (`gc.freeze`): the modules, the botocore model and the loaded scenarios live for the whole
run, and every full collection would otherwise walk them again (`pytest_unconfigure` unfreezes it all).

pytest loads this module in every run where authflow is installed, scenarios or not: it imports only light
modules, and the scenario layer, the engine, the reports (with botocore, YAML and allure) load when a scenario
file is collected or a scenario runs. A run that reports nothing leaves no reports folder behind.

`AUTHFLOW_TIMESTAMPS=<file>`: each process appends `first-scenario <epoch seconds>` when its first scenario
starts (its backend ready), and the controller `scenarios-done <epoch seconds>` when the run is over and its
backend closed, then `reports-written <epoch seconds>` once the report set is switched in;
benchmarks/bench_process.py measures start-up, reports and exit with them.
"""

from __future__ import annotations

import codecs
import gc
import os
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from harness.backends import BACKEND_NAMES as BACKENDS
from harness.backends.options import add_to_pytest as add_aws_options
from harness.backends.options import backend_keywords
from harness.engine.results import ScenarioResult, Status, result_from_dict
from harness.errors import AuthflowError
from harness.fixtures import *  # noqa: F403 - the fixtures for a team's own tests (harness/fixtures.py)
from harness.report.cleanup import Cleanup, backend_cleanup
from harness.report.report_set import ALLURE_DIR, ReportSet
from harness.scenario.names import SUPPORT_DIRS, YAML_SUFFIXES

if TYPE_CHECKING:
    from harness.engine.library import FolderCache
    from harness.report.allure_writer import AllureResultsWriter  # imported when allure records (it imports allure)
    from harness.report.redact import Redactor
    from harness.scenario.errors import SpecIssue
    from harness.scenario.model import Example, PoolConfig, Scenario

_SCENARIO_FILE = re.compile(r"^scenario\s*:|scenario\.schema\.json", re.MULTILINE)
_HEAD_BYTES = 4096
_RESULT_PROPERTY = "authflow_result"
_TEARDOWN_PROPERTY = "authflow_teardown"
_WORKER_ALLURE_DIR = "authflow_allure_dir"  # workerinput: where the controller's generation wants allure files
_WORKER_CLEANUP = "authflow_cleanup"  # workeroutput: what a worker's backend could not clean up
_WORKER_UNWRITTEN = "authflow_unwritten"  # workeroutput: why a worker's allure files could not all be written
TIMESTAMPS_ENV = "AUTHFLOW_TIMESTAMPS"


def note_time(event: str) -> None:
    """Append `<event> <epoch seconds>` to the file $AUTHFLOW_TIMESTAMPS names, if it names one (benchmarks)."""
    target = os.environ.get(TIMESTAMPS_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as file:
            file.write(f"{event} {time.time():.6f}\n")


_last_read: tuple[dict[str, Any], ScenarioResult] | None = None
"""The last result read from a report: several hooks read the same report's result one after the other."""


def load_scenario_layer() -> None:
    """Load now what this plugin loads when it first collects or runs a scenario: for callers that will run
    scenarios anyway and would rather pay at start-up (`authflow run`, with the garbage collector paused), or that
    must load them before pytester's in-process runs, which drop the modules first imported inside them."""
    import harness.engine.library
    import harness.engine.runner
    import harness.report.allure_adapter
    import harness.report.failure
    import harness.report.json_results
    import harness.report.write  # noqa: F401


def published_of(report: pytest.TestReport) -> tuple[dict[str, Any], ScenarioResult] | None:
    """The scenario result a test report carries, as its redacted JSON data and as the result read from it
    (user_properties travel from xdist workers too). Every reader of one report gets the same objects: treat
    them as read-only."""
    global _last_read
    if report.when != "call":
        return None
    for name, value in report.user_properties:
        if name == _RESULT_PROPERTY and isinstance(value, dict):
            if _last_read is None or _last_read[0] is not value:
                _last_read = (value, result_from_dict(value))
            return _last_read
    return None


def result_of(report: pytest.TestReport) -> ScenarioResult | None:
    """The scenario result a test report carries (see `published_of`)."""
    published = published_of(report)
    return published[1] if published is not None else None


def tag_marker(tag: str) -> str:
    return re.sub(r"\W", "_", tag)


def is_scenario_file(path: Path) -> bool:
    """A YAML file outside pools/ whose head says it is a scenario, or whose head is not UTF-8 text (then the
    loader says so, as `authflow validate` does). Only the head is read: a huge file costs nothing here."""
    if not _yaml_outside_pools(path) or not path.is_file():
        return False
    try:
        with path.open("rb") as file:
            raw = file.read(_HEAD_BYTES)
    except OSError:
        return False
    try:  # an incremental decoder keeps a character cut at the end of the head for later instead of failing
        head = codecs.getincrementaldecoder("utf-8-sig")().decode(raw, final=False)
    except UnicodeDecodeError:
        return True
    return _SCENARIO_FILE.search(head) is not None


def _yaml_outside_pools(path: Path) -> bool:
    return path.suffix in YAML_SUFFIXES and not any(folder in path.parts for folder in SUPPORT_DIRS)


def _named_on_command_line(config: pytest.Config, path: Path) -> bool:
    """Whether a YAML file outside pools/ was given as an argument: then it is loaded as a scenario whatever
    its head says, and a problem is reported as `authflow validate` reports it rather than as "not found"."""
    if not _yaml_outside_pools(path):
        return False
    state = config.stash.get(_STATE, None)
    named = state.named_paths() if state is not None else _paths_named(config)
    return os.path.abspath(path) in named


def _paths_named(config: pytest.Config) -> frozenset[str]:
    base = Path(config.invocation_params.dir)
    return frozenset(os.path.abspath(base / str(arg).split("::")[0]) for arg in config.args)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("authflow", "authflow scenarios")
    group.addoption(
        "--backend", default="emulator", choices=BACKENDS, help="where scenarios run (default: the in-process emulator)"
    )
    group.addoption(
        "--authflow-reports",
        default=None,
        metavar="DIR",
        help="write results.json, summary.md, summary.html and junit.xml here (default: reports/ under the rootdir)",
    )
    add_aws_options(parser)  # --backend aws: where the account is, and optionally existing pools


@dataclass
class RunOutcome:
    """How a run went beyond its results, for the reports and for `authflow run` to print."""

    interrupted: bool = False
    """Ctrl-C (KeyboardInterrupt) stopped the run: its reports are partial."""
    collected: int | None = None
    """Scenario runs selected to run (None until collection finished)."""
    running: bool = False
    """Collection is over and scenarios started: an interrupt from here on has a count to tell."""
    cleanup: Cleanup = field(default_factory=Cleanup)
    reports: Path | None = None
    """The reports directory once this run's report set is switched in; None when nothing was written."""
    reports_unwritten: str | None = None
    """Why this run's reports were not switched in: a file could not be written (the disk full, a permission);
    the previous set stays."""

    def run_info(self) -> dict[str, Any]:
        return {"interrupted": self.interrupted, "collected": self.collected, "cleanup": self.cleanup.to_dict()}


class _RunState:
    """Per-process state: one backend, created on first use, the results seen by this process, and (in the
    controller) the run's report set."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        workerinput = getattr(config, "workerinput", None)
        self.is_worker = workerinput is not None
        self.run_id = str(workerinput["testrunuid"])[:8] if workerinput else uuid.uuid4().hex[:8]
        self._backend: Any = None
        self._closed = False
        self.results: list[ScenarioResult] = []
        self.published: list[dict[str, Any]] = []  # each result's redacted JSON data, as it travelled
        self.outcome = RunOutcome()
        self.report_set: ReportSet | None = None
        self.backend_name = str(config.getoption("backend"))
        self._files: FolderCache | None = None
        self.markers: set[str] = set()  # tag markers registered so far
        self._named: frozenset[str] | None = None
        self._started = False
        self.allure_dir: Path | None = None  # the generation's allure-results, once allure is pointed there
        self._allure_writer: AllureResultsWriter | None = None  # when it writes there (pytest_sessionstart)

    @property
    def files(self) -> FolderCache:
        """Each folder's pools looked up and loaded once per run (the scenario layer loads with the first file)."""
        if self._files is None:
            from harness.engine.library import FolderCache

            self._files = FolderCache()
        return self._files

    def named_paths(self) -> frozenset[str]:
        """The absolute paths named on the command line (asked once per file pytest visits)."""
        if self._named is None:
            self._named = _paths_named(self.config)
        return self._named

    def scenario_starts(self) -> None:
        """The first scenario of this process is about to run: the backend is ready."""
        if not self._started:
            self._started = True
            gc.freeze()  # the backend (botocore client, emulator) lives for the run, like the modules
            note_time("first-scenario")

    def reports_dir(self) -> Path:
        option = self.config.getoption("authflow_reports")
        if option:
            return Path(self.config.invocation_params.dir) / str(option)
        return Path(self.config.rootpath) / "reports"

    def start_report_set(self) -> None:
        """Sweep what killed runs left, and point allure at this run's generation when it writes into the set."""
        self.report_set = ReportSet(self.reports_dir(), self.run_id)
        try:
            self.report_set.sweep()
            begun = self.report_set.begin()
        except OSError as exc:  # before anything runs: a usage error, said in one line
            root, self.report_set = self.report_set.root, None  # nothing of it to discard
            raise pytest.UsageError(f"the reports cannot be written to {root}: {exc}") from None
        option = self.config.option
        alluredir = getattr(option, "allure_report_dir", None)
        # realpath on both sides: once published, the entry is a link into the generation allure must not touch
        if alluredir and os.path.realpath(alluredir) == os.path.realpath(self.report_set.root / ALLURE_DIR):
            self.allure_dir = begun / ALLURE_DIR
            option.allure_report_dir = str(self.allure_dir)
            option.clean_alluredir = False  # a fresh directory; the old results go when the new set is in

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """allure-pytest, configured by now, writes into the generation on a thread of its own (allure_writer)."""
        if self.allure_dir is None:
            return
        from harness.report.allure_writer import write_in_background

        swapped = write_in_background(self.allure_dir)
        if swapped is not None:
            self._allure_writer, restore = swapped
            self.config.add_cleanup(restore)  # runs before allure-pytest's own clean-up, added earlier

    def backend(self) -> Any:
        if self._backend is None:
            from harness.backends import create_backend

            option = self.config.getoption
            self._backend = create_backend(option("backend"), **backend_keywords(option))
        return self._backend

    def close(self) -> Cleanup:
        """Close the backend (once): what its close() cleaned up and what it could not."""
        if self._backend is None or self._closed:
            return Cleanup()
        self._closed = True
        self._backend.close()
        return backend_cleanup(self._backend)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Gather results from this process or, under xdist, from the workers (user_properties travel)."""
        published = published_of(report)
        if published is not None:
            self.published.append(published[0])
            self.results.append(published[1])
        for name, value in report.user_properties if report.when == "call" else ():  # every phase carries them
            if name == _TEARDOWN_PROPERTY and isinstance(value, list):
                self.outcome.cleanup.teardown_failures += [dict(item) for item in value]

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session: pytest.Session) -> None:
        gc.freeze()  # the modules and plugins live for the run: no full collection walks them again

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.outcome.collected = len(session.items)
        gc.freeze()  # nor the loaded scenarios

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> None:
        self.outcome.running = True

    @pytest.hookimpl(optionalhook=True)  # pytest-xdist's: the controller does not collect, its workers do
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self.outcome.collected = max(self.outcome.collected or 0, len(ids))

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        # Ctrl-C, not pytest's own Interrupted (collection errors, --maxfail) nor pytest.exit(), which land here too
        value = excinfo.value
        if isinstance(value, KeyboardInterrupt) and not isinstance(value, pytest.Session.Interrupted):
            self.outcome.interrupted = True

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """Workers write allure files into this run's generation too."""
        if self.report_set is not None and self.report_set.begun:
            node.workerinput[_WORKER_ALLURE_DIR] = self.config.option.allure_report_dir

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """A worker's backend cleanup comes back with the worker's output."""
        output = getattr(node, "workeroutput", {})
        data = output.get(_WORKER_CLEANUP)
        if isinstance(data, dict):
            self.outcome.cleanup.add(Cleanup.from_dict(data))
        unwritten = output.get(_WORKER_UNWRITTEN)
        if isinstance(unwritten, str) and self.outcome.reports_unwritten is None:
            self.outcome.reports_unwritten = unwritten

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Close the backend first (its cleanup belongs in the reports), then write and switch in the reports."""
        cleanup = self.close()
        try:
            if self._allure_writer is not None:
                self._allure_writer.close()  # every allure file written before the reports are
        except OSError as exc:
            self.outcome.reports_unwritten = str(exc)
        if self.is_worker:
            output = self.config.workeroutput  # type: ignore[attr-defined]
            output[_WORKER_CLEANUP] = cleanup.to_dict()
            if self.outcome.reports_unwritten is not None:
                output[_WORKER_UNWRITTEN] = self.outcome.reports_unwritten
            return
        self.outcome.cleanup.add(cleanup)
        note_time("scenarios-done")
        self.publish_reports()

    def publish_reports(self) -> None:
        """The whole set goes into this run's generation, then in at once; on any failure the previous stays."""
        report_set = self.report_set
        if report_set is None:
            return
        if not self.results or self.outcome.reports_unwritten is not None:
            report_set.discard()
            return
        from harness.report.write import write_reports

        run_info = {"backend": self.backend_name, "run_id": self.run_id, **self.outcome.run_info()}
        try:
            # every result here is a scenario's published copy, redacted once where it ran
            write_reports(self.results, report_set.begin(), run_info=run_info, published=self.published)
            self.outcome.reports = report_set.publish()
        except OSError as exc:
            report_set.discard()
            self.outcome.reports_unwritten = f"reports could not be written to {report_set.root}: {exc}"
            return
        except BaseException:
            report_set.discard()
            raise
        note_time("reports-written")


_STATE = pytest.StashKey[_RunState]()


@pytest.hookimpl(tryfirst=True)  # before allure-pytest's, which opens its results directory
def pytest_configure(config: pytest.Config) -> None:
    state = _RunState(config)
    config.stash[_STATE] = state
    config.pluginmanager.register(state, "authflow-run-state")
    if state.is_worker:
        allure_dir = config.workerinput.get(_WORKER_ALLURE_DIR)  # type: ignore[attr-defined]
        if allure_dir:
            state.allure_dir = Path(allure_dir)
            config.option.allure_report_dir = allure_dir
            config.option.clean_alluredir = False  # the controller made it; cleaning would race other workers
    else:
        state.start_report_set()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Close the backend and drop an unwritten generation if the session never reached its finish."""
    state = config.stash.get(_STATE, None)
    if state is not None:
        try:
            state.close()
        finally:
            if state.report_set is not None and state.outcome.reports is None:
                state.report_set.discard()
            gc.unfreeze()  # a process that goes on (pytester, an in-process `authflow run`) collects the run's heap


def run_outcome(config: pytest.Config) -> RunOutcome | None:
    """How the run of `config` went (interrupted, collected, cleanup, where the reports are)."""
    state = config.stash.get(_STATE, None)
    return state.outcome if state is not None else None


def pytest_itemcollected(item: pytest.Item) -> None:
    """A tag selects as written too: `-m user-auth` as `authflow list --tag user-auth` does, besides the marker
    with underscores (`-m user_auth`, a Python name). Each tag marker gets a twin named like the tag."""
    if not isinstance(item, ScenarioItem):
        return
    for mark in list(item.iter_markers()):
        tag = mark.kwargs.get("tag")
        if isinstance(tag, str) and tag != mark.name:
            item.config.addinivalue_line("markers", f"{tag}: scenarios tagged {tag}")  # before use: --strict-markers
            item.add_marker(getattr(pytest.mark, tag)(tag=tag))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_scenario_file(file_path) or _named_on_command_line(parent.config, file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from harness.engine.runner import scenario_id

        state = self.config.stash[_STATE]
        library = state.files.load(self.path)
        if library.issues:  # a broken file is a BROKEN result in every report; the other files still run
            yield BrokenFileItem.from_parent(self, name=f"{self.path.stem}[file]", issues=list(library.issues))
            return
        [scenario] = library.scenarios
        pools = {pool.name: pool for pool in library.pools_for(scenario)}
        for tag in dict.fromkeys([*scenario.tags, *(t for row in scenario.examples for t in row.tags)]):
            if tag not in state.markers:
                state.markers.add(tag)
                self.config.addinivalue_line("markers", f"{tag_marker(tag)}: scenarios tagged {tag}")
        for pool_name, example in ((pool, row) for pool in scenario.pools for row in scenario.rows()):
            item = ScenarioItem.from_parent(
                self,
                name=scenario_id(scenario, pool_name, example),
                scenario=scenario,
                pool=pools[pool_name],
                example=example,
            )
            for tag in item.tags:  # with an argument: allure-pytest makes tags of argument-less markers only,
                item.add_marker(getattr(pytest.mark, tag_marker(tag))(tag=tag))  # and the allure tag is the real one
            yield item


class _TeardownWatch:
    """The run's backend, remembering teardown failures for the run's cleanup section (the runner puts each
    in its scenario's message too)."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend
        self.failures: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    def teardown(self, pool: Any) -> None:
        try:
            self._backend.teardown(pool)
        except Exception as exc:
            self.failures.append(f"could not tear down pool {pool.pool_id}: {exc}")  # the runner's words
            raise


class ScenarioFailed(AssertionError):
    """An expectation did not hold (allure: failed)."""


class ScenarioBroken(AuthflowError):
    """The harness or the backend failed (allure: broken)."""


class _ResultItem(pytest.Item):
    """An item whose outcome is a ScenarioResult: carried to every report, and the test ends as it did."""

    def publish(self, result: ScenarioResult, redactor: Redactor) -> dict[str, Any]:
        """The result, redacted once: what travels to the controller, the terminal and every report."""
        from harness.report.json_results import redacted_results

        # user_properties travel to the xdist controller but also into JUnit and allure files: redacted only.
        [redacted] = redacted_results([result], redactor)
        self.user_properties.append((_RESULT_PROPERTY, redacted))
        return redacted

    def end_as(self, result: ScenarioResult) -> None:
        if result.status is Status.PASSED:
            return
        from harness.report.failure import describe_failure
        from harness.report.redact import Redactor

        # The exception text reaches terminals, JUnit and allure: it is the redacted failure description.
        text = describe_failure(result)
        if result.status is Status.FAILED:
            raise ScenarioFailed(text)
        if result.status is Status.BROKEN:
            raise ScenarioBroken(text)
        pytest.skip(Redactor().redact_text(result.message))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, (ScenarioFailed, ScenarioBroken)):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class BrokenFileItem(_ResultItem):
    """A scenario file that does not load: one BROKEN result carrying every located problem of the file."""

    def __init__(self, *, issues: list[SpecIssue], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.issues = issues

    def runtest(self) -> None:
        from harness.engine.runner import display_path
        from harness.report.redact import Redactor

        result = ScenarioResult(
            scenario_id=self.path.stem,
            title=f"{self.path.name} does not load",
            file=display_path(self.path),
            pool="-",
            backend=self.config.stash[_STATE].backend_name,
            status=Status.BROKEN,
            message="\n".join(str(issue) for issue in self.issues),
            started_at=time.time(),
        )
        self.publish(result, Redactor())
        self.end_as(result)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario file {self.path.name}"


class ScenarioItem(_ResultItem):
    def __init__(self, *, scenario: Scenario, pool: PoolConfig, example: Example | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.pool = pool
        self.example = example  # a row of the scenario's examples table, or None
        self.tags = scenario.tags_for(example)
        self.result: ScenarioResult | None = None

    def runtest(self) -> None:
        from harness.engine.runner import crashed_result, run_scenario
        from harness.report.allure_adapter import AllureListener

        state = self.config.stash[_STATE]
        backend_name = state.backend_name
        listener = AllureListener()
        listener.label_scenario(
            self.scenario.title,
            self.scenario.description,
            self.tags,
            self.scenario.refs,
            self.pool.name,
            backend_name,
            symptom=self.scenario.symptom,
            cause=self.scenario.cause,
            fix=self.scenario.fix,
        )
        watched = _TeardownWatch(None)
        try:
            watched = _TeardownWatch(state.backend())
            state.scenario_starts()
            self.result = run_scenario(
                self.scenario, self.pool, watched, run_id=state.run_id, listener=listener, example=self.example
            )
        except Exception as exc:  # noqa: BLE001 - a harness crash is still a result, in every report
            self.result = crashed_result(self.scenario, self.pool.name, backend_name, exc, self.example)
        redactor = listener.redactor  # it has learnt from the labels; it learns the whole result now
        redacted = self.publish(self.result, redactor)
        listener.attach_steps(redacted["steps"])
        if watched.failures:
            failures = [{"scenario_id": self.result.scenario_id, "message": redactor.redact_text(failure)}
                        for failure in watched.failures]  # fmt: skip
            self.user_properties.append((_TEARDOWN_PROPERTY, failures))
        self.end_as(self.result)

    def reportinfo(self) -> tuple[Path, int, str]:
        row = f", row {self.example.name}" if self.example is not None else ""
        return self.path, 0, f"scenario {self.scenario.id} on pool {self.pool.name}{row}"
