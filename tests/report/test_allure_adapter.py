"""The allure listener: a no-op unless allure records, redacted when it does, harmless without allure."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import allure_commons
import pytest
from allure_commons.utils import format_exception
from allure_pytest.utils import get_status

from harness.engine.results import ScenarioResult, Status, StepResult
from harness.report import allure_adapter
from harness.report.allure_adapter import AllureListener, allure_active
from harness.report.redact import Redactor
from harness.report.summary import redacted_results
from tests.report.planted import PASSWORD, SESSION


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self.closed_with: list[BaseException | None] = []

    @allure_commons.hookimpl
    def start_step(self, uuid: Any, title: str, params: Any) -> None:
        self.events.append(("start_step", title))

    @allure_commons.hookimpl
    def stop_step(self, uuid: Any, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        self.events.append(("stop_step", exc_type))
        self.closed_with.append(exc_val)

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
        listener.step_done(StepResult(0, "call InitiateAuth", "call", 1, Status.FAILED, message=PASSWORD))
    listener.label_scenario("t", "d", ["a"], ["https://x"], "pool", "emulator", symptom="s", cause="c", fix="f")


def test_steps_one_attachment_and_labels_when_allure_records(recorder: Recorder) -> None:
    assert allure_active()
    listener = AllureListener()
    listener.label_scenario(
        "Session reuse", "Replaying fails.", ["session"], ["https://example.com/1"], "p1", "emulator"
    )
    step = StepResult(
        0, "call InitiateAuth", "call", 1, Status.PASSED,
        request={"AuthParameters": {"USERNAME": "ada", "PASSWORD": PASSWORD}}, response={"Session": SESSION},
    )  # fmt: skip
    with listener.step("call InitiateAuth"):
        listener.attach_json("request", step.request)  # as the runner does: nothing is attached per step
        listener.attach_json("response", step.response)
        listener.step_done(step)
    [redacted] = redacted_results([ScenarioResult("s", "t", "f", "p1", "emulator", Status.PASSED, [step])], Redactor())
    listener.attach_steps(redacted["steps"])
    events = recorder.events
    assert ("title", "Session reuse [p1]") in events and ("description", "Replaying fails.") in events
    assert ("label", ("tag", ("session",))) in events
    assert ("link", ("https://example.com/1", "https://example.com/1")) in events
    assert ("parameter", ("pool", "p1")) in events and ("parameter", ("backend", "emulator")) in events
    kinds = [kind for kind, _ in events]
    assert kinds[-3:] == ["start_step", "stop_step", "attach"]  # one attachment, for the scenario
    [(name, body, mime)] = [body for kind, body in events if kind == "attach"]
    assert (name, mime) == ("steps.json", "application/json")
    [attached] = json.loads(body)
    assert attached["request"]["AuthParameters"]["USERNAME"] == "ada" and attached["label"] == "call InitiateAuth"
    assert PASSWORD not in body and SESSION not in body and attached["response"]["Session"].startswith("‹session:")


def test_a_failing_step_is_closed_with_its_exception(recorder: Recorder) -> None:
    with pytest.raises(RuntimeError), AllureListener().step("boom"):
        raise RuntimeError("x")
    assert recorder.events[-1] == ("stop_step", RuntimeError)


@pytest.mark.parametrize("status", list(Status))
def test_a_step_closes_with_its_status_and_redacted_message(recorder: Recorder, status: Status) -> None:
    listener = AllureListener()
    with listener.step("call InitiateAuth"):
        listener.step_done(
            StepResult(
                0, "call InitiateAuth", "call", 1, status, response={"Session": SESSION}, message=f"got {SESSION}"
            )
        )
    [closed] = recorder.closed_with
    assert get_status(closed) == status.value  # what allure-pytest writes as the step's status
    if status is Status.PASSED:
        assert closed is None
    else:
        message = format_exception(type(closed), closed)  # allure-pytest's statusDetails.message
        assert "got ‹session:" in message and SESSION not in message
        assert message.startswith(f"{status.value.capitalize()}: ")


def test_a_message_quoting_an_earlier_steps_secret_is_redacted(recorder: Recorder) -> None:
    listener = AllureListener()
    with listener.step("call InitiateAuth"):
        listener.step_done(StepResult(0, "call InitiateAuth", "call", 1, Status.PASSED, response={"Session": SESSION}))
    with listener.step("call RespondToAuthChallenge"):
        listener.step_done(
            StepResult(1, "call RespondToAuthChallenge", "call", 2, Status.FAILED, message=f"sent {SESSION} again")
        )
    message = format_exception(type(recorder.closed_with[-1]), recorder.closed_with[-1])
    assert "sent ‹session:" in message and SESSION not in message


def test_symptom_cause_and_fix_join_the_description_and_a_tag_is_said_once(recorder: Recorder) -> None:
    AllureListener().label_scenario("t", "Replaying fails.", ["a-b", "a-b", "c"], symptom="S.", cause="C.", fix="F.")
    assert ("description", "Replaying fails.\n\n**Symptom:** S.\n\n**Cause:** C.\n\n**Fix:** F.") in recorder.events
    assert ("label", ("tag", ("a-b", "c"))) in recorder.events


def test_the_adapter_works_when_allure_cannot_be_imported() -> None:
    code = (
        "import sys; sys.modules['allure'] = None; sys.modules['allure_commons'] = None\n"
        "from harness.report.allure_adapter import AllureListener, ALLURE_INSTALLED, allure_active\n"
        "assert not ALLURE_INSTALLED and not allure_active()\n"
        "listener = AllureListener()\n"
        "with listener.step('s'):\n"
        "    listener.attach_json('request', {'Password': 'x'})\n"
        "    listener.step_done(None)\n"
        "listener.label_scenario('t', 'd', ['a'], ['https://x'], 'p', 'b')\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
    assert allure_adapter.ALLURE_INSTALLED  # this process is untouched
