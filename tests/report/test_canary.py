"""The canary: write every report, the terminal table and the allure attachments of a run full of planted
secrets, then read back every byte written and find none of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import allure_commons
import pytest
from rich.console import Console

from harness.report import REPORT_FILES, write_reports
from harness.report.allure_adapter import AllureListener
from harness.report.redact import fingerprint
from harness.report.summary import redacted_results
from harness.report.terminal import result_table
from tests.report.planted import OTHER_SESSION, SECRETS, SESSION, planted_results


class AllureRecorder:
    """Stands in for allure-pytest's listener: writes what allure would write, as files the canary reads."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.count = 0

    @allure_commons.hookimpl
    def start_step(self, uuid: Any, title: str, params: Any) -> None:
        self._write("step", title)

    @allure_commons.hookimpl
    def stop_step(self, uuid: Any, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        if exc_val is not None:  # the step's status message, which allure writes into its statusDetails
            self._write("status", exc_val)

    @allure_commons.hookimpl
    def attach_data(self, body: Any, name: str, attachment_type: Any, extension: Any) -> None:
        self._write(name, body)

    @allure_commons.hookimpl
    def add_title(self, test_title: str) -> None:
        self._write("title", test_title)

    @allure_commons.hookimpl
    def add_description(self, test_description: str) -> None:
        self._write("description", test_description)

    def _write(self, name: str, body: Any) -> None:
        self.count += 1
        (self.directory / f"{self.count:03d}-{name}.txt").write_text(str(body), encoding="utf-8")


@pytest.fixture
def recorder(tmp_path: Path) -> Iterator[AllureRecorder]:
    directory = tmp_path / "allure"
    directory.mkdir()
    plugin = AllureRecorder(directory)
    allure_commons.plugin_manager.register(plugin)
    try:
        yield plugin
    finally:
        allure_commons.plugin_manager.unregister(plugin)


def test_no_planted_secret_reaches_any_file(tmp_path: Path, recorder: AllureRecorder) -> None:
    results = planted_results()
    run_info = {"backend": "emulator", "note": f"replayed {SESSION}"}
    written = write_reports(results, tmp_path / "reports", run_info=run_info)
    assert set(written) == set(REPORT_FILES) and all(path.is_file() for path in written.values())

    console = Console(record=True, width=200, color_system=None)
    console.print(result_table(results))
    (tmp_path / "terminal.txt").write_text(console.export_text(), encoding="utf-8")

    for result in results:  # what the engine and the plugin do through the listener during a run
        listener = AllureListener()
        listener.label_scenario(result.title, result.description, result.tags, result.refs, result.pool, result.backend)
        for step in result.steps:
            with listener.step(step.label):
                listener.attach_json("request", step.request)
                listener.attach_json("response", step.response)
                listener.step_done(step)
        [redacted] = redacted_results([result], listener.redactor)
        listener.attach_steps(redacted["steps"])
    assert recorder.count > 10

    files = {str(p.relative_to(tmp_path)): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert len(files) == len(REPORT_FILES) + 1 + recorder.count
    for name, content in files.items():
        for what, secret in SECRETS.items():
            assert secret.encode() not in content, f"the {what} leaked into {name}"


def test_the_same_session_shows_the_same_fingerprint_everywhere(tmp_path: Path) -> None:
    written = write_reports(planted_results(), tmp_path, run_info={"backend": "emulator"})
    marker = f"‹session:{fingerprint(SESSION)}›"
    other = f"‹session:{fingerprint(OTHER_SESSION)}›"
    document = json.loads(written["json"].read_text(encoding="utf-8"))
    failed, broken = document["results"][0], document["results"][1]
    assert failed["steps"][0]["response"]["Session"] == marker  # handed out...
    assert failed["steps"][1]["request"]["Session"] == marker  # ...and used: the same marker
    assert failed["steps"][1]["response"]["Session"] == other != marker
    assert failed["steps"][2]["request"]["Session"] == other
    assert failed["variables"]["first_session"] == marker
    assert broken["steps"][0]["response"]["Session"] == marker  # same value in another scenario: same marker
    html = written["html"].read_text(encoding="utf-8")
    assert html.count(marker) >= 4 and html.count(other) >= 2


def test_readable_values_stay_readable(tmp_path: Path) -> None:
    written = write_reports(planted_results(), tmp_path, run_info={"backend": "emulator"})
    document = json.loads(written["json"].read_text(encoding="utf-8"))
    failed, broken = document["results"][0], document["results"][1]
    assert failed["steps"][0]["request"]["AuthParameters"]["USERNAME"] == "ada"
    assert failed["steps"][0]["request"]["ClientId"] == "client-abc"
    assert failed["steps"][3]["expected"] == {
        "response": {"UserPoolClient": {"ClientSecret": "absent"}},
        "tokens": "valid",
    }
    assert failed["variables"]["username"] == "ada"
    assert broken["steps"][1]["response"]["Error"]["Code"] == "InternalErrorException"
    assert "Invalid verification code ‹redacted:confirmationcode› provided" in broken["message"]
    assert broken["steps"][2]["response"]["Messages"][0]["Destination"] == "bob@example.com"
    assert (
        broken["steps"][2]["response"]["Messages"][0]["Code"] == "‹redacted:confirmationcode›"
    )  # one value, one marker
