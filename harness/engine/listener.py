"""How the runner tells the outside world (allure, a progress bar) what it is doing, without knowing them."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any, Protocol

from harness.engine.results import StepResult


class Listener(Protocol):
    def step(self, label: str) -> AbstractContextManager[Any]:
        """Wraps one step's execution (allure draws a step around it)."""

    def attach_json(self, name: str, payload: Any) -> None:
        """Attach data to the current step; the listener redacts before it writes."""

    def step_done(self, result: StepResult) -> None:
        """The current step's result, told before its `step` context closes: the step ends with its status and
        message. A step not run (after an earlier failure) is opened and told its skipped result too."""


class SilentListener:
    """The default: nobody is listening."""

    def step(self, label: str) -> AbstractContextManager[Any]:
        return nullcontext()

    def attach_json(self, name: str, payload: Any) -> None:
        return None

    def step_done(self, result: StepResult) -> None:
        return None
