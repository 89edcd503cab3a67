"""The allure listener: a no-op unless allure records, redacted when it does, harmless without allure."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import allure_commons
import pytest

from harness.report import allure_adapter
from harness.report.allure_adapter import AllureListener, allure_active
from tests.report.planted import PASSWORD, SESSION


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    @allure_commons.hookimpl
    def start_step(self, uuid: Any, title: str, params: Any) -> None:
        self.events.append(("start_step", title))

    @allure_commons.hookimpl
    def stop_step(self, uuid: Any, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        self.events.append(("stop_step", exc_type))

    @allure_commons.hookimpl
    def attach_data(self, body: Any, name: str, attachment_type: Any, extension: Any) -> None:
        self.events.append(("attach", (name, body, attachment_type.mime_type)))

    @allure_commons.hookimpl
    def add_title(self, test_title: str) -> None:
        self.events.append(("title", test_title))

    @allure_commons.hookimpl
    def add_description(self, test_description: str) -> None:
        self.events.append(("description", test_description))

    @allure_commons.hookimpl
    def add_label(self, label_type: Any, labels: Any) -> None:
        self.events.append(("label", (str(label_type), tuple(labels))))

    @allure_commons.hookimpl
    def add_link(self, url: str, link_type: Any, name: str) -> None:
        self.events.append(("link", (url, name)))

    @allure_commons.hookimpl
    def add_parameter(self, name: str, value: Any, excluded: Any, mode: Any) -> None:
        self.events.append(("parameter", (name, value)))


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    plugin = Recorder()
    allure_commons.plugin_manager.register(plugin)
    try:
        yield plugin
    finally:
        allure_commons.plugin_manager.unregister(plugin)


def test_without_a_listener_every_call_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not allure_active()
    listener = AllureListener()

    def no_redaction(_: Any) -> Any:
        raise AssertionError("nothing is redacted when nobody records")

    monkeypatch.setattr(listener.redactor, "redact", no_redaction)
    with listener.step("call InitiateAuth"):
        listener.attach_json("request", {"Password": PASSWORD})
    listener.label_scenario("t", "d", ["a"], ["https://x"], "pool", "emulator")


def test_steps_attachments_and_labels_when_allure_records(recorder: Recorder) -> None:
    assert allure_active()
    listener = AllureListener()
    listener.label_scenario(
        "Session reuse", "Replaying fails.", ["session"], ["https://example.com/1"], "p1", "emulator"
    )
    with listener.step("call InitiateAuth"):
        listener.attach_json("request", {"AuthParameters": {"USERNAME": "ada", "PASSWORD": PASSWORD}})
        listener.attach_json("response", {"Session": SESSION})
    events = recorder.events
    assert ("title", "Session reuse [p1]") in events and ("description", "Replaying fails.") in events
    assert ("label", ("tag", ("session",))) in events
    assert ("link", ("https://example.com/1", "https://example.com/1")) in events
    assert ("parameter", ("pool", "p1")) in events and ("parameter", ("backend", "emulator")) in events
    kinds = [kind for kind, _ in events]
    assert kinds[-4:] == ["start_step", "attach", "attach", "stop_step"]
    attachments = [body for kind, body in events if kind == "attach"]
    assert attachments[0][0] == "request" and attachments[0][2] == "application/json"
    assert PASSWORD not in attachments[0][1] and '"USERNAME": "ada"' in attachments[0][1]
    assert SESSION not in attachments[1][1] and "‹session:" in attachments[1][1]


def test_a_failing_step_is_closed_with_its_exception(recorder: Recorder) -> None:
    with pytest.raises(RuntimeError), AllureListener().step("boom"):
        raise RuntimeError("x")
    assert recorder.events[-1] == ("stop_step", RuntimeError)


def test_the_adapter_works_when_allure_cannot_be_imported() -> None:
    code = (
        "import sys; sys.modules['allure'] = None; sys.modules['allure_commons'] = None\n"
        "from harness.report.allure_adapter import AllureListener, ALLURE_INSTALLED, allure_active\n"
        "assert not ALLURE_INSTALLED and not allure_active()\n"
        "listener = AllureListener()\n"
        "with listener.step('s'):\n"
        "    listener.attach_json('request', {'Password': 'x'})\n"
        "listener.label_scenario('t', 'd', ['a'], ['https://x'], 'p', 'b')\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
    assert allure_adapter.ALLURE_INSTALLED  # this process is untouched
