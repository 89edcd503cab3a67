"""allure's results written off the test thread (harness/report/allure_writer.py): the same files allure's own
file logger writes, each as it was when handed over, a failed write said with its file, and allure's logger put
back after the run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import allure_commons
import pytest
from allure_commons import model2  # its Test* classes imported by name would look like test classes to pytest
from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import Attachment, Label, Parameter, Status, StatusDetails

from harness.cli import main
from harness.report.allure_writer import AllureResultsUnwritten, AllureResultsWriter, write_in_background
from tests.folders import one_passing_scenario


def _result() -> model2.TestResult:
    step = model2.TestStepResult(
        name="call SignUp", status=Status.FAILED, statusDetails=StatusDetails(message="Ünïcode")
    )
    return model2.TestResult(
        uuid="u-1",
        name="Sign in [web]",
        fullName="scenarios.sign-in#sign-in",
        status=Status.PASSED,
        steps=[step],
        labels=[Label(name="pool", value="web")],
        parameters=[Parameter(name="backend", value="emulator")],
        attachments=[Attachment(name="steps.json", source="a-attachment.json", type="application/json")],
        start=1,
        stop=2,
    )


def _hand_over(logger: Any, source: Path) -> None:
    """The same items, in the same order, through allure's developer hooks."""
    logger.report_result(_result())
    logger.report_container(model2.TestResultContainer(uuid="c-1", children=["u-1"], start=1, stop=2))
    logger.report_attached_data(body='[\n{"step": 1}\n]\n', file_name="a-attachment.json")
    logger.report_attached_data(body=b"\x00\x01bytes", file_name="b-attachment.bin")
    logger.report_attached_file(source=str(source), file_name="c-attachment.txt")


def _written(directory: Path) -> dict[str, Any]:
    """Each file by what follows its random prefix (or by name for attachments): JSON parsed, the rest bytes."""
    files: dict[str, Any] = {}
    for path in directory.iterdir():
        if path.name.endswith(("-result.json", "-container.json")):
            files[path.name.rsplit("-", 1)[-1]] = json.loads(path.read_text(encoding="utf-8"))
        else:
            files[path.name] = path.read_bytes()
    return files


def test_writes_the_files_allure_writes_itself(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("a file attached by path")
    ours, allures = tmp_path / "ours", tmp_path / "allures"
    ours.mkdir()
    writer = AllureResultsWriter(ours)
    _hand_over(writer, source)
    writer.close()
    _hand_over(AllureFileLogger(allures), source)
    assert _written(ours) == _written(allures)
    assert len(list(ours.iterdir())) == 5
    assert not any(path.suffix == ".tmp" for path in ours.iterdir())


def test_an_item_is_written_as_it_was_when_handed_over(tmp_path: Path) -> None:
    writer = AllureResultsWriter(tmp_path)
    result = _result()
    writer.report_result(result)
    result.status = Status.BROKEN  # allure-pytest is done with it; a later change is not what was reported
    source = tmp_path / "gone.txt"
    source.write_text("before")
    writer.report_attached_file(source=str(source), file_name="x-attachment.txt")
    source.unlink()
    writer.close()
    (written,) = tmp_path.glob("*-result.json")
    assert json.loads(written.read_text())["status"] == "passed"
    assert (tmp_path / "x-attachment.txt").read_text() == "before"


def test_a_file_that_cannot_be_written_fails_close_with_its_name_and_reason(tmp_path: Path) -> None:
    writer = AllureResultsWriter(tmp_path / "missing")
    writer.report_attached_data(body="x", file_name="q-attachment.txt")
    with pytest.raises(AllureResultsUnwritten) as raised:
        writer.close()
    assert "q-attachment.txt" in str(raised.value) and "No such file or directory" in str(raised.value)
    assert str(tmp_path / "missing") in str(raised.value)


def test_takes_the_file_loggers_place_and_puts_it_back_under_its_name(tmp_path: Path) -> None:
    manager = allure_commons.plugin_manager
    logger = AllureFileLogger(tmp_path / "allures")
    manager.register(logger, "the-file-logger")
    try:
        swapped = write_in_background(tmp_path / "allures-too")
        assert swapped is not None
        writer, restore = swapped
        (tmp_path / "allures-too").mkdir()
        manager.hook.report_attached_data(body="hello", file_name="h-attachment.txt")
        restore()
        assert (tmp_path / "allures-too" / "h-attachment.txt").read_text() == "hello"
        assert not (tmp_path / "allures" / "h-attachment.txt").exists()
        assert manager.get_plugin("the-file-logger") is logger
        assert not manager.is_registered(writer)
    finally:
        if manager.is_registered(logger):
            manager.unregister(logger)


def test_without_a_file_logger_nothing_is_swapped(tmp_path: Path) -> None:
    assert not any(isinstance(p, AllureFileLogger) for p in allure_commons.plugin_manager.get_plugins())
    assert write_in_background(tmp_path) is None


def test_a_run_writes_allure_results_and_leaves_no_logger_behind(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(one_passing_scenario(tmp_path)), "--reports", str(out)]) == 0
    (result,) = (out / "allure-results").glob("*-result.json")
    data = json.loads(result.read_text())
    assert data["status"] == "passed" and data["name"] == "No such user [default]"
    (attachment,) = data["attachments"]
    assert json.loads((out / "allure-results" / attachment["source"]).read_text())[0]["label"] == "call AdminGetUser"
    loggers = (AllureResultsWriter, AllureFileLogger)  # allure-pytest's clean-up unregistered its logger
    assert not any(isinstance(plugin, loggers) for plugin in allure_commons.plugin_manager.get_plugins())


# The allure-results directory of the run's generation vanishes once the session starts: every write fails.
ALLURE_DIR_GOES = """\
import shutil

def pytest_collection_finish(session):
    shutil.rmtree(session.config.option.allure_report_dir)
"""
# The run's generation (every run-* but the one published) vanishes before its reports are written.
GENERATION_GOES = """\
import shutil
from pathlib import Path

import pytest

@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    state = Path(session.config.getoption("authflow_reports")) / ".authflow"
    for generation in state.glob("run-*"):
        if generation.resolve() != (state / "current").resolve():
            shutil.rmtree(generation)
"""


def _second_run_fails_to_write(tmp_path: Path, capsys: pytest.CaptureFixture[str], conftest: str, *flags: str) -> str:
    """A good run, then one whose conftest takes its files' place away: that run exits 74, says why after its
    results, and the first run's reports stay. Returns what the second run wrote to stderr."""
    out = tmp_path / "out"
    assert main(["run", str(one_passing_scenario(tmp_path / "good")), "--reports", str(out)]) == 0
    previous = (out / "results.json").read_text()
    capsys.readouterr()
    code = main(["run", str(one_passing_scenario(tmp_path / "bad", conftest)), "--reports", str(out), *flags])
    captured = capsys.readouterr()
    assert code == 74, captured.out + captured.err
    assert "1 passed" in captured.out  # the results are still told
    assert (out / "results.json").read_text() == previous
    assert "Traceback" not in captured.out + captured.err
    return captured.err


def test_unwritable_allure_results_fail_the_run_with_the_file_and_keep_the_previous_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _second_run_fails_to_write(tmp_path, capsys, ALLURE_DIR_GOES)
    assert "reports not written: allure results could not be written to " in said
    assert "-result.json: No such file or directory" in said or "-attachment.json: No such file" in said


def test_reports_that_cannot_be_written_fail_the_run_and_keep_the_previous_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _second_run_fails_to_write(tmp_path, capsys, GENERATION_GOES, "--no-allure")
    assert f"reports not written: reports could not be written to {tmp_path / 'out'}" in said


def test_a_reports_directory_that_cannot_be_made_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    code = main(["run", str(one_passing_scenario(tmp_path)), "--reports", str(blocker / "reports")])
    captured = capsys.readouterr()
    assert code == pytest.ExitCode.USAGE_ERROR
    assert f"the reports cannot be written to {blocker / 'reports'}" in captured.err
    assert "no scenarios ran" not in captured.out  # nothing to add to pytest's one line
    assert "INTERNALERROR" not in captured.out + captured.err
