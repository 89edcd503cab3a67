"""The fidelity table (emulator against moto) and the `authflow compare` command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.backends.emulator import EmulatorBackend
from harness.backends.moto_backend import MotoBackend
from harness.cli import main
from harness.compare import ASSERT, compare, fidelity_markdown
from harness.engine.library import discover
from harness.scenario.model import Library

REPO = Path(__file__).resolve().parents[2]
PICKED = ("flow-not-enabled", "session-expired", "custom-auth-without-password", "sign-up-session")


@pytest.fixture(scope="module")
def library() -> Library:
    found = discover(REPO / "scenarios")
    assert found.ok
    return found


@pytest.fixture(scope="module")
def table(library: Library) -> Iterator[str]:
    emulator, moto = EmulatorBackend(), MotoBackend()
    try:
        scenarios = [s for s in library.scenarios if s.id in PICKED]
        comparison = compare(scenarios, library.pools_for, [emulator, moto], mode=ASSERT, run_id="fid12345")
    finally:
        moto.close()
        emulator.close()
    yield fidelity_markdown(comparison, REPO / "docs" / "fidelity.md")


def _row(table: str, scenario: str, pool: str) -> list[str]:
    for line in table.splitlines():
        if line.startswith(f"| [{scenario}](../scenarios/{scenario}.yaml) | {pool} |"):
            return [cell.strip() for cell in line.strip("|").split(" | ")][2:]
    raise AssertionError(f"no row for {scenario} on {pool}:\n{table}")


def test_the_table_says_per_scenario_and_backend_whether_the_pitfall_is_reproduced(table: str) -> None:
    assert "| scenario | pool | emulator | moto |" in table
    assert _row(table, "flow-not-enabled", "password-only") == ["✅ reproduces", "✅ reproduces"]
    emulator, moto = _row(table, "flow-not-enabled", "srp-only")
    assert emulator == "✅ reproduces"
    assert moto == "❌ step 3 `call InitiateAuth`: error: expected InvalidParameterException, but the call succeeded"
    assert _row(table, "session-expired", "password-only") == [
        "✅ reproduces",
        "⏭️ cannot run: step 3 `clock advance 181s`: moto has no clock to move",
    ]
    emulator, moto = _row(table, "custom-auth-without-password", "custom-auth")
    assert emulator == "✅ reproduces" and moto.startswith("⏭️ cannot run: pool configuration 'custom-auth' has Lambda")
    emulator, moto = _row(table, "sign-up-session", "user-auth")
    assert emulator == "✅ reproduces" and moto.startswith("❌ step 1 `call SignUp`:")
    assert "**emulator** reproduces 6 of 6 (0 not, 0 cannot run); **moto** reproduces 2 of 6" in table


def test_the_command_writes_the_comparison(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["compare", str(REPO / "scenarios" / "user-existence-errors.yaml"), "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "user-existence-errors: 2 of 3 steps differ" in printed
    assert "hidden-users" in printed and "error NotAuthorizedException | Incorrect username or password." in printed
    document = json.loads((out / "compare.json").read_text())
    assert document["format"] == "authflow-compare" and document["mode"] == "observe"
    assert (out / "compare.md").read_text().startswith("# authflow compare (observe mode)")
    assert "<table>" in (out / "compare.html").read_text()


def test_the_command_with_pools_backends_and_fidelity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fidelity = tmp_path / "fidelity.md"
    argv = ["compare", str(REPO / "scenarios" / "flow-not-enabled.yaml"), "--pool", "srp-only", "--pool", "default",
            "--backend", "emulator", "--backend", "moto", "--out", str(tmp_path / "out"), "--fidelity", str(fidelity)]  # fmt: skip
    assert main(argv) == 0
    document = json.loads((tmp_path / "out" / "compare.json").read_text())
    [scenario] = document["scenarios"]
    assert [(c["backend"], c["pool"]) for c in scenario["columns"]] == [
        ("emulator", "srp-only"), ("emulator", "default"), ("moto", "srp-only"), ("moto", "default"),
    ]  # fmt: skip
    assert document["mode"] == "assert"
    assert "| srp-only | ✅ reproduces | ❌ step 3 `call InitiateAuth`" in fidelity.read_text()


def test_the_command_refuses_what_it_cannot_do(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(REPO / "scenarios" / "flow-not-enabled.yaml")
    assert main(["compare", scenario, "--pool", "no-such-pool"]) == 2
    assert "unknown pool configuration(s): no-such-pool" in capsys.readouterr().err
    assert main(["compare", scenario, "--backend", "aws", "--backend", "moto"]) == 2
    assert "moto intercepts every AWS call" in capsys.readouterr().err


def test_assert_mode_fails_when_an_expectation_does_not_hold(tmp_path: Path) -> None:
    (tmp_path / "pools").symlink_to(REPO / "scenarios" / "pools")
    (tmp_path / "wrong.yaml").write_text(
        "scenario: Wrong\npools: [password-only]\nsteps:\n  - call: InitiateAuth\n"
        "    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: nobody, PASSWORD: Whatever-9!}}\n"
    )
    out = str(tmp_path / "out")
    assert main(["compare", str(tmp_path / "wrong.yaml"), "--out", out]) == 0
    assert main(["compare", str(tmp_path / "wrong.yaml"), "--mode", "assert", "--out", out]) == 1
