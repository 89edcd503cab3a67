"""The `authflow` command line: validate, list, schema, run and the standalone emulator."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest

from harness.cli import main
from tests.folders import one_passing_scenario

REPO = Path(__file__).resolve().parents[2]
AUTHFLOW = [sys.executable, "-m", "harness.cli"]


def test_validate_the_shipped_library(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(REPO / "scenarios")]) == 0
    assert "no problems" in capsys.readouterr().out


def test_validate_reports_every_problem_with_its_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.yaml").write_text("scenario: Bad\nsteps:\n  - call: SignUpp\n    paramz: {}\n")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{tmp_path / 'bad.yaml'}:3:" in out and "unknown operation 'SignUpp'" in out and "did you mean 'SignUp'" in out
    )
    assert "Traceback" not in out


def test_list_filters_by_tag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", str(REPO / "scenarios"), "--tag", "lockout"]) == 0
    out = capsys.readouterr().out
    assert "lockout" in out and "session-reuse" not in out


def test_list_off_a_terminal_prints_whole_ids_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", str(REPO / "scenarios")]) == 0  # captured: not a terminal
    lines = capsys.readouterr().out.splitlines()
    ids = sorted(path.stem for path in (REPO / "scenarios").glob("*.yaml"))
    assert sorted(line.split("\t")[0] for line in lines) == ids
    assert all(len(line.split("\t")) == 4 for line in lines)  # id, pools, tags, title: nothing wrapped


def test_list_in_a_narrow_terminal_never_cuts_an_id(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    import rich.console

    screen = io.StringIO()
    monkeypatch.setattr("harness.cli.run.plain_output", lambda stream, environ: False)
    real_console = rich.console.Console
    monkeypatch.setattr(rich.console, "Console", lambda: real_console(file=screen, width=60))
    assert main(["list", str(REPO / "scenarios")]) == 0
    assert "amplify-auto-sign-in-without-password" in screen.getvalue()


def test_schema_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert main(["schema", "--pool"]) == 0
    assert "clients" in json.loads(capsys.readouterr().out)["properties"]


def test_run_writes_reports_and_fails_on_a_failing_scenario(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "default.yaml").write_text(
        "clients:\n  - name: web\n    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]\n"
    )
    (scenarios / "wrong.yaml").write_text(
        "scenario: Wrong expectation\nsteps:\n  - call: InitiateAuth\n"
        "    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: nobody, PASSWORD: Secret-Horse-9!}}\n"
    )
    done = subprocess.run(
        [*AUTHFLOW, "run", str(scenarios), "--reports", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "wrong[default]" in done.stdout and "UserNotFoundException" in done.stdout
    assert "Secret-Horse-9!" not in done.stdout
    assert json.loads((tmp_path / "out" / "results.json").read_text())["run"]["counts"]["failed"] == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_emulator_serves_and_stops_cleanly(stop: signal.Signals) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [*AUTHFLOW, "emulator", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert "listening on http://127.0.0.1:" in process.stdout.readline()
        cognito = boto3.client(
            "cognito-idp",
            region_name="us-east-1",
            endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        pool_id = cognito.create_user_pool(PoolName="cli")["UserPool"]["Id"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{pool_id}/.well-known/jwks.json") as response:
            assert json.load(response)["keys"][0]["alg"] == "RS256"
    finally:
        process.send_signal(stop)
        _, err = process.communicate(timeout=60)  # generous: a loaded 2-core CI machine
    assert process.returncode == 0, err
    assert "Traceback" not in err
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)


def test_run_works_when_pytest_xdist_is_not_loaded(tmp_path: Path) -> None:
    """The progress plugin implements an xdist hook; without xdist pluggy refused it and nothing ran."""
    scenarios = one_passing_scenario(tmp_path)
    argv = [sys.executable, "-c", "import sys; from harness.cli import main; sys.exit(main(sys.argv[1:]))"]
    env = {**os.environ, "PYTEST_ADDOPTS": "-p no:xdist"}
    done = subprocess.run(
        [*argv, "run", str(scenarios), "--reports", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "INTERNALERROR" not in done.stdout + done.stderr
    assert json.loads((tmp_path / "out" / "results.json").read_text())["run"]["counts"]["passed"] == 1


def test_no_allure_leaves_allure_results_empty_and_writes_the_rest(tmp_path: Path) -> None:
    """`--no-allure`: allure-pytest is not loaded, so its results directory stays empty; every other report is
    written as usual (and without the flag, allure records the scenario)."""
    scenarios = one_passing_scenario(tmp_path)
    for flags, out in ((["--no-allure"], tmp_path / "without"), ([], tmp_path / "with")):
        assert main(["run", str(scenarios), "--reports", str(out), *flags]) == 0
        assert json.loads((out / "results.json").read_text())["run"]["counts"]["passed"] == 1
        assert (out / "summary.html").is_file() and (out / "junit.xml").is_file()
    assert list((tmp_path / "without" / "allure-results").iterdir()) == []
    assert any(path.name.endswith("-result.json") for path in (tmp_path / "with" / "allure-results").iterdir())


def test_run_with_workers_but_no_xdist_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "xdist" else real_find_spec(name, *a)
    )
    scenarios = one_passing_scenario(tmp_path)
    assert main(["run", str(scenarios), "-n", "2", "--reports", str(tmp_path / "out")]) == pytest.ExitCode.USAGE_ERROR
    assert "pip install pytest-xdist" in capsys.readouterr().out


def test_schema_write_regenerates_the_committed_pool_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness.scenario import schemas

    (tmp_path / "pool.schema.json").write_text("{}")
    monkeypatch.setattr(schemas, "SCHEMA_DIR", tmp_path)
    try:
        assert main(["schema", "--write"]) == 0
        written = json.loads((tmp_path / "pool.schema.json").read_text())
        assert written["$id"] == "urn:authflow:schemas:pool" and "clients" in written["properties"]
        assert "wrote" in capsys.readouterr().out
    finally:
        schemas.pool_schema.cache_clear()


def _sparse(path: Path, size: int, head: bytes) -> Path:
    """A file of `size` bytes that costs no disk or time: its head, then a hole."""
    with path.open("wb") as file:
        file.write(head)
        file.truncate(size)
    return path


def test_run_and_validate_say_the_same_of_a_binary_or_an_oversized_file(tmp_path: Path) -> None:
    """`authflow run` said "not found" for a binary file (validate: "not UTF-8"), and read a huge one whole."""
    from harness.scenario.loader import MAX_SPEC_FILE_BYTES

    scenarios = tmp_path / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "default.yaml").write_text("clients:\n  - name: web\n")
    binary = scenarios / "binary.yaml"
    binary.write_bytes(b"\xff\xfe" + "scenario: x\n".encode("utf-16-le"))  # e.g. saved as UTF-16 by an editor
    huge = _sparse(scenarios / "huge.yaml", 50 * 1024 * 1024, b"scenario: big\nsteps:\n")
    expected = {
        binary: f"{binary}:1:1 <root>: the file is not UTF-8 text",
        huge: f"{huge}:1:1 <root>: too large ({50 * 1024 * 1024} bytes; the limit is {MAX_SPEC_FILE_BYTES})",
    }

    def authflow(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*AUTHFLOW, *argv], capture_output=True, text=True, cwd=tmp_path, timeout=120,
            env={**os.environ, "COLUMNS": "1000"},
        )  # fmt: skip

    for target, line in expected.items():
        validated = authflow("validate", str(target))
        ran = authflow("run", str(target), "--reports", str(tmp_path / "out"))
        assert validated.returncode == 1 and line in validated.stdout.splitlines(), validated.stdout
        assert ran.returncode == pytest.ExitCode.TESTS_FAILED, ran.stdout + ran.stderr  # a BROKEN result
        assert line in [shown.strip() for shown in ran.stdout.splitlines()], ran.stdout
        assert "not found" not in ran.stdout + ran.stderr
    ran = authflow("run", str(scenarios), "--reports", str(tmp_path / "out"))  # found in a folder too
    assert set(expected.values()) <= {shown.strip() for shown in ran.stdout.splitlines()}, ran.stdout


def test_a_filter_that_selects_nothing_says_which_tags_there_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", str(REPO / "scenarios" / "lockout.yaml"), "-m", "nosuchtag", "--reports", str(tmp_path)])
    assert code == 5  # pytest's "no tests collected"
    err = capsys.readouterr().err
    assert "-m 'nosuchtag' selected none of the scenarios" in err
    assert "Their tags: " in err and "lockout" in err and "-m user-auth" in err
