"""`authflow run` off a terminal (a pipe, CI): plain unwrapped lines, failures in full, GitHub annotations."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

AUTHFLOW = [sys.executable, "-m", "harness.cli"]
POOL = "a-pool-name-long-enough-to-wrap-at-forty"
PASSWORD = "Canary-Pass-9!"


def _library(root: Path) -> Path:
    """One passing and one failing scenario (the failure at line 8) on a pool with a long name."""
    scenarios = root / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / f"{POOL}.yaml").write_text(
        "clients:\n  - name: web\n    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]\n"
    )
    (scenarios / "a-passing-scenario-with-a-long-name.yaml").write_text(
        f"scenario: No such user\npools: [{POOL}]\nsteps:\n  - call: AdminGetUser\n"
        "    params: {Username: nobody}\n    expect: {error: UserNotFoundException}\n"
    )
    (scenarios / "b-failing-scenario-with-a-long-name.yaml").write_text(
        f"scenario: Wrong expectation\npools: [{POOL}]\nsteps:\n  - call: AdminGetUser\n"
        "    params: {Username: nobody}\n    expect: {error: UserNotFoundException}\n\n"
        "  - call: InitiateAuth\n"
        f"    params: {{AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {{USERNAME: nobody, PASSWORD: {PASSWORD}}}}}\n"
    )
    return scenarios


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "GITHUB_WORKSPACE")}
    return subprocess.run(
        [*AUTHFLOW, "run", str(_library(tmp_path)), "--reports", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, env={**base, "COLUMNS": "40", **env},
    )  # fmt: skip


def _everything(tmp_path: Path, done: subprocess.CompletedProcess[str]) -> str:
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    return done.stdout + done.stderr + "".join(p.read_text(errors="replace") for p in files)


def test_off_a_terminal_every_id_and_place_is_whole_on_one_line(tmp_path: Path) -> None:
    done = _run(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    passing = f"a-passing-scenario-with-a-long-name[{POOL}]"
    failing = f"b-failing-scenario-with-a-long-name[{POOL}]"
    assert any(line.startswith(f"PASSED   {passing}  pool={POOL}  ") for line in lines), done.stdout
    assert any(line.startswith(f"FAILED   {failing}  pool={POOL}  ") for line in lines), done.stdout
    assert any("scenarios/b-failing-scenario-with-a-long-name.yaml:8  step 2" in line for line in lines)
    assert "authflow: 2 scenario runs: 1 passed, 1 failed" in lines
    assert f"reports: {tmp_path / 'out'}" in lines
    assert not any(box in done.stdout for box in "┃│━")  # no rich table
    assert "::error" not in done.stdout  # not on GitHub Actions
    assert PASSWORD not in _everything(tmp_path, done)


def test_on_github_actions_each_failure_is_one_error_command(tmp_path: Path) -> None:
    done = _run(tmp_path, GITHUB_ACTIONS="true", CI="true", GITHUB_WORKSPACE=str(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    commands = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == 1, done.stdout
    [command] = commands
    prefix = "::error file=scenarios/b-failing-scenario-with-a-long-name.yaml,line=8,"
    assert command.startswith(prefix + f"title=b-failing-scenario-with-a-long-name[{POOL}]::"), command
    assert "UserNotFoundException" in command and "\r" not in command
    assert "a-passing-scenario" not in command
    assert PASSWORD not in _everything(tmp_path, done)


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_plain_output_off_a_terminal_or_on_ci_only() -> None:
    from harness.cli.run import plain_output

    assert plain_output(_Stream(tty=False), {})
    assert plain_output(_Stream(tty=True), {"CI": "true"})
    assert plain_output(_Stream(tty=True), {"GITHUB_ACTIONS": "true"})
    assert not plain_output(_Stream(tty=True), {})
    assert not plain_output(_Stream(tty=True), {"CI": "false"})
