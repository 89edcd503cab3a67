"""Allure, when it is recording: each scenario step becomes an allure step with its own status and message (a
step not run is a skipped step), and the scenario has one attachment, `steps.json`: every step with its request
and response, as results.json holds them (redacted). One attachment per scenario rather than two per step: each
is a file written, and a scenario's steps read best side by side. Tags become tags (once: the plugin's tag
markers carry an argument, so allure-pytest does not make a second tag of them), refs links, the description,
symptom, cause and fix the description, the pool and backend parameters and labels.

A step's status reaches allure-pytest the only public way there is: the step is closed with an exception of
the kind allure reads as that status (pytest's `Failed` and `Skipped`, `Broken` here), made, never raised.

allure is optional: without the `allure` package, or when allure-pytest is not writing results (no
`--alluredir`), every call is a cheap no-op (no JSON is built, nothing is redacted).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from harness.engine.results import Status, StepResult
from harness.report.redact import Redactor

try:
    import allure
    import allure_commons
    import pytest

    ALLURE_INSTALLED = True
except ImportError:  # allure is optional at run time: everything below becomes a no-op
    ALLURE_INSTALLED = False


def allure_active() -> bool:
    """Whether an allure listener is registered (allure-pytest registers one only with --alluredir)."""
    if not ALLURE_INSTALLED:
        return False
    return bool(allure_commons.plugin_manager.hook.start_step.get_hookimpls())


class Broken(Exception):  # named for the status it gives a step: "Broken: <message>"
    """Closes an allure step as broken (allure-pytest reads any exception but a failure or a skip so)."""

    __module__ = "builtins"  # as pytest's Failed and Skipped: allure's message starts "Broken: ", not a path


def description_of(description: str = "", symptom: str = "", cause: str = "", fix: str = "") -> str:
    """The allure description (Markdown): the scenario's description, then its symptom, cause and fix."""
    parts = [description.strip()] if description.strip() else []
    parts += [f"**{name}:** {text.strip()}" for name, text in (("Symptom", symptom), ("Cause", cause), ("Fix", fix))
              if text.strip()]  # fmt: skip
    return "\n\n".join(parts)


STEPS_ATTACHMENT = "steps.json"


class AllureListener:
    """The engine's Listener for allure; one per scenario run (it owns that run's Redactor)."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        self.redactor = redactor or Redactor()
        self._done: StepResult | None = None  # the open step's result, once the runner has it
        self._unlearnt: list[StepResult] = []  # steps done whose requests and responses the redactor has not read
        self.active = allure_active()  # whether allure records: asked once per scenario, not on every call

    def step(self, label: str) -> AbstractContextManager[Any]:
        if not self.active:
            return nullcontext()
        return self._step(self.redactor.redact_text(label))

    @contextmanager
    def _step(self, title: str) -> Iterator[None]:
        context = allure.step(title)
        self._done = None
        context.__enter__()
        try:
            yield
        except BaseException as exc:  # a crash inside the step: it closes with that exception, as before
            context.__exit__(type(exc), exc, exc.__traceback__)
            raise
        outcome = self._outcome(self._done)
        self._done = None
        context.__exit__(type(outcome) if outcome else None, outcome, None)

    def step_done(self, result: StepResult) -> None:
        """The open step's result: the step closes with its status and (redacted) message."""
        self._done = result
        if self.active and result is not None:
            self._unlearnt.append(result)

    def _outcome(self, result: StepResult | None) -> BaseException | None:
        """The exception allure-pytest turns into the step's status and statusDetails (None: passed).

        A message is the only free text a step shows, and it may quote a secret of this step or an earlier
        one (a session handed out two steps before): the secrets of every step so far are learnt first. Only
        then, so a scenario whose steps all pass reads none of its data here."""
        if result is None or result.status is Status.PASSED:
            return None
        for done in self._unlearnt:
            self.redactor.learn(done.request, done.response)
        self._unlearnt.clear()
        message = self.redactor.redact_text(result.message) or result.status.value
        if result.status is Status.FAILED:
            return pytest.fail.Exception(message)
        if result.status is Status.SKIPPED:
            return pytest.skip.Exception(message)
        return Broken(message)

    def attach_json(self, name: str, payload: Any) -> None:
        """Nothing per step: the steps' requests and responses are attached once per scenario (`attach_steps`)."""
        return None

    def attach_steps(self, redacted_steps: list[dict[str, Any]]) -> None:
        """The scenario's one attachment, `steps.json`: its steps as results.json holds them. They come
        redacted (the plugin redacts each result once, for every report): they are written as they are."""
        if not self.active:
            return
        # One step a line: readable, and written by json's C encoder (an indent would make it the Python one).
        lines = (json.dumps(step, ensure_ascii=False, default=str) for step in redacted_steps)
        text = "[\n" + ",\n".join(lines) + "\n]\n"
        allure.attach(text, name=STEPS_ATTACHMENT, attachment_type=allure.attachment_type.JSON)

    def label_scenario(
        self,
        title: str,
        description: str = "",
        tags: Iterable[str] = (),
        refs: Iterable[str] = (),
        pool: str = "",
        backend: str = "",
        *,
        symptom: str = "",
        cause: str = "",
        fix: str = "",
    ) -> None:
        """Title, description (with symptom, cause and fix), tags, links and parameters of the running test (call
        it inside the test)."""
        if not self.active:
            return
        text = self.redactor.redact_text
        allure.dynamic.title(text(f"{title} [{pool}]" if pool else title))
        description = description_of(description, symptom, cause, fix)
        if description:
            allure.dynamic.description(text(description))
        tags = list(dict.fromkeys(text(tag) for tag in tags))
        if tags:
            allure.dynamic.tag(*tags)
        for ref in refs:
            allure.dynamic.link(text(ref), name=text(ref))
        if pool:
            allure.dynamic.parameter("pool", pool)
            allure.dynamic.label("pool", pool)
        if backend:
            allure.dynamic.parameter("backend", backend)
            allure.dynamic.label("backend", backend)
