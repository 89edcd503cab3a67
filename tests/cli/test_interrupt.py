"""Ctrl-C of `authflow run`: a real process, a real SIGINT. Mid-run it says how far it got, marks the reports
partial and exits 130; while starting up it prints one line, no traceback, and exits 130 too.

The window for the signal comes from a conftest.py beside the scenarios: the emulator's clock then waits in
real time (as a real pool's does), or start-up blocks. Each test waits for a file the process writes once it
is inside that window (generous limits: a loaded CI machine is slow), so nothing depends on timing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")

AUTHFLOW = [sys.executable, "-m", "harness.cli"]
POOL = "clients:\n  - name: web\n"
QUICK = (
    "scenario: No such user\nsteps:\n  - call: AdminGetUser\n    params: {Username: nobody}\n"
    "    expect: {error: UserNotFoundException}\n"
)
WAITS = "scenario: Waits for the clock\nsteps:\n  - clock: {advance: 5m}\n"
READY = "ready"

WAIT_IN_REAL_TIME = f"""\
import pathlib
import time

from harness.backends.emulator import EmulatorBackend


def advance_in_real_time(self, seconds):
    pathlib.Path(__file__).with_name({READY!r}).write_text("waiting")
    time.sleep(seconds)


EmulatorBackend.advance_clock = advance_in_real_time
"""


def _library(root: Path, scenarios: dict[str, str], conftest: str) -> Path:
    folder = root / "scenarios"
    (folder / "pools").mkdir(parents=True)
    (folder / "pools" / "default.yaml").write_text(POOL)
    for name, text in scenarios.items():
        (folder / name).write_text(text)
    (folder / "conftest.py").write_text(conftest)
    return folder


def _interrupt_when_ready(command: list[str], ready: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Start `command`, send SIGINT once `ready` exists, and return what the process printed and its code."""
    child = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "200", "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            if child.poll() is not None:
                out, err = child.communicate()
                raise AssertionError(f"exited with {child.returncode} before the window:\n{out}\n{err}")
            assert time.monotonic() < deadline, "the window never opened"
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return subprocess.CompletedProcess(command, child.returncode, out, err)


def test_ctrl_c_mid_run_says_how_far_it_got_marks_the_reports_partial_and_exits_130(tmp_path: Path) -> None:
    scenarios = _library(tmp_path, {"a-quick.yaml": QUICK, "b-waits.yaml": WAITS}, WAIT_IN_REAL_TIME)
    out = tmp_path / "out"
    done = _interrupt_when_ready([*AUTHFLOW, "run", str(scenarios), "--reports", str(out)], scenarios / READY, tmp_path)
    assert done.returncode == 130, done.stdout + done.stderr
    assert done.stderr.strip().splitlines()[-1] == "interrupted after 1 of 2 scenario runs"
    assert "Traceback" not in done.stdout + done.stderr
    # the result table must not read as a whole run
    shown = " ".join(done.stdout.split())  # the table's title wraps at the table's width
    assert "authflow: 1 scenario run: 1 passed (partial: interrupted after 1 of 2 scenario runs)" in shown
    assert f"reports: {out} (partial)" in done.stdout
    run = json.loads((out / "results.json").read_text())["run"]
    assert run["interrupted"] is True and run["collected"] == 2 and run["total"] == 1
    assert "partial: interrupted after 1 of 2 scenario runs" in (out / "summary.html").read_text()
    assert "partial: interrupted after 1 of 2 scenario runs" in (out / "summary.md").read_text()


def test_a_run_that_is_not_interrupted_says_so_in_its_reports(tmp_path: Path) -> None:
    scenarios = _library(tmp_path, {"a-quick.yaml": QUICK}, "")
    out = tmp_path / "out"
    done = subprocess.run(
        [*AUTHFLOW, "run", str(scenarios), "--reports", str(out)], capture_output=True, text=True, cwd=tmp_path,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    run = json.loads((out / "results.json").read_text())["run"]
    assert run["interrupted"] is False and run["collected"] == 1
    assert "partial:" not in (out / "summary.html").read_text() + (out / "summary.md").read_text()


BLOCK_ON_IMPORT = f"""\
import pathlib
import time

pathlib.Path(__file__).with_name({READY!r}).write_text("importing")
time.sleep(300)
"""

BLOCK_IN_COLLECTION = f"""\
import pathlib
import time


def pytest_collection_modifyitems(items):
    pathlib.Path(__file__).with_name({READY!r}).write_text("collecting")
    time.sleep(300)
"""


@pytest.mark.parametrize("conftest", [BLOCK_ON_IMPORT, BLOCK_IN_COLLECTION], ids=["start-up", "collection"])
def test_ctrl_c_while_starting_up_prints_one_line_and_exits_130(tmp_path: Path, conftest: str) -> None:
    scenarios = _library(tmp_path, {"a-quick.yaml": QUICK}, conftest)
    out = tmp_path / "out"
    done = _interrupt_when_ready([*AUTHFLOW, "run", str(scenarios), "--reports", str(out)], scenarios / READY, tmp_path)
    assert done.returncode == 130, done.stdout + done.stderr
    assert done.stderr == "interrupted\n", done.stderr
    assert done.stdout.strip() == ""
    assert not (out / "results.json").exists()  # nothing ran: no report set (an earlier one would stay as it was)


def test_ctrl_c_anywhere_in_a_command_is_one_line_and_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """E.g. while `authflow run` imports pytest, boto3 and the harness, before pytest has started."""
    import harness.cli.run

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(harness.cli.run, "run", interrupted)
    assert main(["run", "scenarios"]) == 130
    captured = capsys.readouterr()
    assert captured.err == "interrupted\n" and captured.out == ""
