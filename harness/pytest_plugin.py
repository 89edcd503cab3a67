"""Collect scenario YAML files as pytest items (public pytest API only).

A file is a scenario when it has a top-level `scenario:` key or points at scenario.schema.json, and is not
inside a `pools/` folder. Each (scenario, pool) pair is one item, `<file stem>[<pool>]`, marked with the
scenario's tags (dashes become underscores: `-m user_auth`). A bad file is a collection error listing every
problem as `file:line:col key.path: message`, so `pytest --collect-only` is a linter.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.backends import BACKEND_NAMES as BACKENDS
from harness.engine.failure import describe_failure
from harness.engine.results import ScenarioResult, Status, result_from_dict
from harness.engine.runner import crashed_result, run_scenario
from harness.report.json_results import redacted_results
from harness.report.redact import Redactor
from harness.spec.errors import SpecError
from harness.spec.loader import discover
from harness.spec.model import PoolConfig, Scenario

_SCENARIO_FILE = re.compile(r"^scenario\s*:|scenario\.schema\.json", re.MULTILINE)
_RESULT_PROPERTY = "authflow_result"


def result_of(report: pytest.TestReport) -> ScenarioResult | None:
    """The scenario result a test report carries (user_properties travel from xdist workers too)."""
    if report.when != "call":
        return None
    for name, value in report.user_properties:
        if name == _RESULT_PROPERTY and isinstance(value, dict):
            return result_from_dict(value)
    return None


def tag_marker(tag: str) -> str:
    return re.sub(r"\W", "_", tag)


def is_scenario_file(path: Path) -> bool:
    if path.suffix not in (".yaml", ".yml") or "pools" in path.parts:
        return False
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return False
    return _SCENARIO_FILE.search(head) is not None


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
    # --backend aws: where the account is, and optionally an existing pool to use instead of creating pools.
    group.addoption("--endpoint-url", default=None, help="aws backend: a Cognito-compatible endpoint instead of AWS")
    group.addoption("--aws-region", default=None, help="aws backend: the region (default: the AWS chain's)")
    group.addoption("--aws-profile", default=None, help="aws backend: a profile (default: the standard AWS chain)")
    group.addoption("--pool-id", default=None, help="aws backend: an existing pool (or a YAML/JSON file of pools)")
    group.addoption("--client-id", default=None, help="aws backend: the existing pool's app client")
    group.addoption(
        "--allow-untagged-pool",
        action="store_true",
        default=False,
        help="aws backend: use an existing pool that is not tagged managed-by=authflow",
    )


class _RunState:
    """Per-process state: one backend, created on first use, and the results seen by this process."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        workerinput = getattr(config, "workerinput", None)
        self.run_id = str(workerinput["testrunuid"])[:8] if workerinput else uuid.uuid4().hex[:8]
        self._backend: Any = None
        self.results: list[ScenarioResult] = []

    def backend(self) -> Any:
        if self._backend is None:
            from harness.backends import create_backend

            option = self.config.getoption
            self._backend = create_backend(
                option("backend"),
                endpoint_url=option("endpoint_url"),
                region=option("aws_region"),
                profile=option("aws_profile"),
                pool_id=option("pool_id"),
                client_id=option("client_id"),
                allow_untagged_pool=option("allow_untagged_pool"),
            )
        return self._backend

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Gather results from this process or, under xdist, from the workers (user_properties travel)."""
        result = result_of(report)
        if result is not None:
            self.results.append(result)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if getattr(self.config, "workerinput", None) is not None or not self.results:
            return
        from harness.report import write_reports

        option = self.config.getoption("authflow_reports")
        out = Path(option) if option else Path(self.config.rootpath) / "reports"
        write_reports(self.results, out, run_info={"backend": self.config.getoption("backend")})


_STATE = pytest.StashKey[_RunState]()


def pytest_configure(config: pytest.Config) -> None:
    state = _RunState(config)
    config.stash[_STATE] = state
    config.pluginmanager.register(state, "authflow-run-state")


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is not None:
        state.close()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_scenario_file(file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        library = discover(self.path)
        if library.issues:
            raise SpecError(library.issues)
        [scenario] = library.scenarios
        pools = {pool.name: pool for pool in library.pools_for(scenario)}
        for tag in scenario.tags:
            self.config.addinivalue_line("markers", f"{tag_marker(tag)}: scenarios tagged {tag}")
        for pool_name in scenario.pools:
            item = ScenarioItem.from_parent(
                self, name=f"{scenario.id}[{pool_name}]", scenario=scenario, pool=pools[pool_name]
            )
            for tag in scenario.tags:
                item.add_marker(tag_marker(tag))
            yield item

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, SpecError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class ScenarioFailed(AssertionError):
    """An expectation did not hold (allure: failed)."""


class ScenarioBroken(Exception):
    """The harness or the backend failed (allure: broken)."""


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, pool: PoolConfig, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.pool = pool
        self.result: ScenarioResult | None = None

    def runtest(self) -> None:
        from harness.report.allure_adapter import AllureListener

        state = self.config.stash[_STATE]
        backend_name = str(self.config.getoption("backend"))
        listener = AllureListener()
        listener.label_scenario(
            self.scenario.title,
            self.scenario.description,
            self.scenario.tags,
            self.scenario.refs,
            self.pool.name,
            backend_name,
        )
        try:
            self.result = run_scenario(
                self.scenario, self.pool, state.backend(), run_id=state.run_id, listener=listener
            )
        except Exception as exc:  # noqa: BLE001 - a harness crash is still a result, in every report
            self.result = crashed_result(self.scenario, self.pool.name, backend_name, exc)
        # user_properties travel to the xdist controller but also into JUnit and allure files: redacted only.
        [redacted] = redacted_results([self.result], Redactor())
        self.user_properties.append((_RESULT_PROPERTY, redacted))
        if self.result.status is Status.PASSED:
            return
        # The exception text reaches terminals, JUnit and allure: it is the redacted failure description.
        text = describe_failure(self.result)
        if self.result.status is Status.FAILED:
            raise ScenarioFailed(text)
        if self.result.status is Status.BROKEN:
            raise ScenarioBroken(text)
        pytest.skip(Redactor().redact_text(self.result.message))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, (ScenarioFailed, ScenarioBroken)):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario {self.scenario.id} on pool {self.pool.name}"
