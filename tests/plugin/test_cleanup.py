"""What a run could not clean up is never swallowed: a failed teardown is noted on the scenario whatever its
status, and the pools a backend left behind (with the command that removes each) are printed by `authflow
run` and land in a cleanup section of results.json, summary.html and summary.md - redacted like the rest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from harness.report.cleanup import Cleanup, backend_cleanup, cleanup_lines

pytest_plugins = ["pytester"]

AUTHFLOW = [sys.executable, "-m", "harness.cli"]
POOL = "clients:\n  - name: web\n    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]\n"
PASSES = (
    "scenario: Passes\nsteps:\n  - call: AdminGetUser\n    params: {Username: nobody}\n"
    "    expect: {error: UserNotFoundException}\n"
)
FAILS = (
    "scenario: Fails\nsteps:\n  - call: AdminGetUser\n    params: {Username: nobody}\n"
    "    expect: {error: NotAuthorizedException}\n"
)
# A JWT-shaped string in the backend's error text: reports and terminals must show a marker, not the token.
TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsZWZ0b3ZlciJ9.c2lnbmF0dXJlLWxlZnRvdmVy"
SWEEP = "authflow aws sweep --pool-id us-east-1_Left0ver"
# The emulator backend made to fail its teardowns and to report a leftover, as the aws backend does.
FAILING_CLEANUP = f"""\
from dataclasses import dataclass

from harness.backends.emulator import EmulatorBackend


@dataclass(frozen=True)
class Leftover:
    kind: str
    pool_id: str
    name: str
    reason: str
    command: str


def teardown(self, pool):
    raise RuntimeError("pool is busy")


def leftovers(self):
    return [Leftover("pool", "us-east-1_Left0ver", "authflow-run-default", "Throttled {TOKEN}", {SWEEP!r})]


EmulatorBackend.teardown = teardown
EmulatorBackend.leftovers = leftovers
EmulatorBackend.cleanup_log = ["could not delete pool us-east-1_Left0ver (authflow-run-default): Throttled"]
"""


def _library(root: Path) -> Path:
    scenarios = root / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "default.yaml").write_text(POOL)
    (scenarios / "passes.yaml").write_text(PASSES)
    (scenarios / "fails.yaml").write_text(FAILS)
    (scenarios / "conftest.py").write_text(FAILING_CLEANUP)
    return scenarios


def _reports_say_it(out: Path, leftovers: int) -> dict[str, dict[str, object]]:
    document = json.loads((out / "results.json").read_text())
    results = {r["scenario_id"]: r for r in document["results"]}
    cleanup = document["run"]["cleanup"]
    assert sorted(f["scenario_id"] for f in cleanup["teardown_failures"]) == ["fails[default]", "passes[default]"]
    assert len(cleanup["leftovers"]) == leftovers
    assert cleanup["leftovers"][0]["command"] == SWEEP and cleanup["leftovers"][0]["pool_id"] == "us-east-1_Left0ver"
    for name in ("summary.md", "summary.html"):
        text = (out / name).read_text()
        assert "Cleanup" in text and SWEEP in text and "us-east-1_Left0ver" in text and "pool is busy" in text
    for path in out.rglob("*"):
        if path.is_file():
            assert TOKEN not in path.read_text(errors="replace"), path
    return results


def test_a_failed_teardown_is_noted_on_a_failed_scenario_too(pytester: pytest.Pytester) -> None:
    _library(pytester.path)
    # a subprocess: the conftest patches the emulator backend, which must not leak into this test process
    result = pytester.runpytest_subprocess("scenarios", "--authflow-reports", "out")
    result.assert_outcomes(failed=2)
    results = _reports_say_it(pytester.path / "out", leftovers=1)
    failed = results["fails[default]"]
    assert failed["status"] == "failed"  # still the expectation's verdict...
    assert "UserNotFoundException" in str(failed["message"])
    assert "\nteardown: could not tear down pool " in str(failed["message"])  # ...with the teardown noted
    assert str(failed["message"]).endswith(": pool is busy")
    passed = results["passes[default]"]
    assert passed["status"] == "broken" and "could not tear down pool" in str(passed["message"])
    assert str(passed["message"]).count("could not tear down pool") == 1  # the runner's words, not repeated
    junit = ElementTree.parse(pytester.path / "out" / "junit.xml").getroot()
    [case] = [c for c in junit.iter("testcase") if c.get("name") == "fails[default]"]
    assert case.find("failure") is not None
    assert str(case.findtext("system-err")).startswith("teardown: could not tear down pool ")


def test_worker_cleanup_reaches_the_reports_under_xdist(pytester: pytest.Pytester) -> None:
    _library(pytester.path)
    result = pytester.runpytest_subprocess("scenarios", "-n", "2", "--authflow-reports", "out")
    result.assert_outcomes(failed=2)
    document = json.loads((pytester.path / "out" / "results.json").read_text())
    cleanup = document["run"]["cleanup"]
    assert len(cleanup["teardown_failures"]) == 2
    assert 1 <= len(cleanup["leftovers"]) <= 2  # one per worker that made a backend
    assert all(item["command"] == SWEEP for item in cleanup["leftovers"])


def test_authflow_run_prints_the_cleanup(tmp_path: Path) -> None:
    scenarios = _library(tmp_path)
    out = tmp_path / "out"
    done = subprocess.run(
        [*AUTHFLOW, "run", str(scenarios), "--reports", str(out)], capture_output=True, text=True, cwd=tmp_path,
        timeout=120, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "emulator: could not delete pool us-east-1_Left0ver (authflow-run-default): Throttled" in done.stdout
    assert "teardown failed: fails[default]: could not tear down pool " in done.stdout
    assert "left behind (1):" in done.stdout
    assert "emulator: pool us-east-1_Left0ver (authflow-run-default): Throttled ‹jwt:" in done.stdout
    assert f"; remove with: {SWEEP}" in done.stdout
    assert TOKEN not in done.stdout + done.stderr
    _reports_say_it(out, leftovers=1)


class _Quiet:
    name = "emulator"

    def close(self) -> None:
        pass


def test_a_backend_without_the_api_has_nothing_to_report() -> None:
    assert backend_cleanup(_Quiet()) == Cleanup() and not Cleanup()
    assert cleanup_lines(Cleanup()) == []


def test_cleanup_lines_are_redacted() -> None:
    cleanup = Cleanup(log=[f"aws: could not delete pool p: {TOKEN}"], leftovers=[{"pool_id": "p", "reason": TOKEN}])
    lines = cleanup_lines(cleanup)
    assert lines[0].startswith("aws: could not delete pool p: ‹jwt:") and TOKEN not in "".join(lines)
