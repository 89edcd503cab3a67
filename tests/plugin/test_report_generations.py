"""A run killed while it writes its reports (kill -9) leaves the previous report set whole: every report and
allure-results from one run, never a mix. What the killed run left is removed by the next run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AUTHFLOW = [sys.executable, "-m", "harness.cli"]
POOL = "clients:\n  - name: web\n"
QUICK = (
    "scenario: No such user {n}\nsteps:\n  - call: AdminGetUser\n    params: {{Username: nobody}}\n"
    "    expect: {{error: UserNotFoundException}}\n"
)
# The run dies (os._exit: no cleanup, no finally) halfway through the second report file it writes: results.json
# is complete by then, summary.md is half-written to its temporary file.
KILLED_WHILE_WRITING = """\
import os

import harness.report.markdown as markdown
from harness.report import atomic


def killed(path, data):
    handle, _ = atomic._create_temporary(path.parent, path.name)
    os.write(handle, data.encode()[: len(data) // 2])
    os._exit(9)


markdown.write_atomic = killed
"""
ENTRIES = ("summary.html", "summary.md", "junit.xml", "results.json", "allure-results")


def _run(scenarios: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*AUTHFLOW, "run", str(scenarios), "--reports", str(out)], capture_output=True, text=True,
        cwd=scenarios.parent, timeout=120,
    )  # fmt: skip


def _visible(out: Path) -> dict[str, bytes | dict[str, bytes]]:
    """What a reader of the report paths sees (links followed), whatever the layout behind them."""
    seen: dict[str, bytes | dict[str, bytes]] = {}
    for name in ENTRIES:
        path = out / name
        if path.is_dir():
            seen[name] = {p.name: p.read_bytes() for p in path.iterdir()}
        elif path.exists():
            seen[name] = path.read_bytes()
    return seen


def _files(out: Path) -> list[str]:
    """The names of every regular file under `out`, links not followed."""
    return [name for root, _, names in os.walk(out) for name in names if not os.path.islink(os.path.join(root, name))]


def test_a_run_killed_while_writing_reports_leaves_the_previous_set_whole(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "default.yaml").write_text(POOL)
    (scenarios / "first.yaml").write_text(QUICK.format(n=1))
    out = tmp_path / "reports"
    first = _run(scenarios, out)
    assert first.returncode == 0, first.stdout + first.stderr
    before = _visible(out)
    assert set(before) == set(ENTRIES) and before["allure-results"]
    assert json.loads(before["results.json"])["run"]["total"] == 1  # type: ignore[arg-type]

    (scenarios / "second.yaml").write_text(QUICK.format(n=2))
    (scenarios / "conftest.py").write_text(KILLED_WHILE_WRITING)
    killed = _run(scenarios, out)
    assert killed.returncode == 9, killed.stdout + killed.stderr
    assert _visible(out) == before  # every report, and allure's results, still from the first run

    (scenarios / "conftest.py").unlink()
    stale = out / ".results.json.0123abcd.tmp"  # what the atomic writer of a killed older run left
    stale.write_text("{")
    third = _run(scenarios, out)
    assert third.returncode == 0, third.stdout + third.stderr
    after = _visible(out)
    assert json.loads(after["results.json"])["run"]["total"] == 2  # type: ignore[arg-type]
    assert "2 scenario runs" in after["summary.md"].decode()  # type: ignore[union-attr]
    assert b'tests="2"' in after["junit.xml"]  # type: ignore[operator]
    assert not stale.exists()
    assert not [name for name in _files(out) if name.endswith(".tmp")]  # the killed run's temporaries are gone
    assert _files(out).count("results.json") == 1  # and so is its half-written generation


def test_a_run_with_nothing_to_report_keeps_the_previous_set(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "default.yaml").write_text(POOL)
    (scenarios / "first.yaml").write_text(QUICK.format(n=1))
    out = tmp_path / "reports"
    assert _run(scenarios, out).returncode == 0
    before = _visible(out)
    done = subprocess.run(
        [*AUTHFLOW, "run", str(scenarios), "--reports", str(out), "-k", "no-such-scenario"],
        capture_output=True, text=True, cwd=scenarios.parent, timeout=120,
    )  # fmt: skip
    assert done.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, done.stdout + done.stderr  # nothing ran
    assert _visible(out) == before  # allure-results was not emptied either
    assert _files(out).count("results.json") == 1  # the run's empty generation is gone


def test_other_files_in_the_reports_directory_are_left_alone(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "default.yaml").write_text(POOL)
    (scenarios / "first.yaml").write_text(QUICK.format(n=1))
    out = tmp_path / "reports"
    (out / "compare").mkdir(parents=True)
    (out / "compare" / "compare.html").write_text("compare")
    (out / ".gitkeep").write_text("")
    (out / "results.json").write_text('{"old": true}')  # a set written by an older authflow: plain files
    for _ in range(2):
        assert _run(scenarios, out).returncode == 0
    assert (out / "compare" / "compare.html").read_text() == "compare" and (out / ".gitkeep").exists()
    assert json.loads((out / "results.json").read_text())["run"]["total"] == 1
    assert sorted(os.listdir(out)) == sorted([".authflow", ".gitkeep", "compare", *ENTRIES])
