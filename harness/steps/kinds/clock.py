"""A ``clock:`` step: move the emulated pool's clock (a backend without a clock waits or skips the step)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from harness.backends.base import Powers
from harness.cognito.outcome import Outcome
from harness.scenario.durations import parse_duration
from harness.scenario.model import Step
from harness.steps.context import RunContext
from harness.steps.kind import NAME_PROPERTY, StepKind
from harness.steps.words import duration_words


class Clock(StepKind):
    key = "clock"
    summary = "clock (move the emulator's clock)"
    expect_keys = ()
    saves = False
    schema: ClassVar[dict[str, Any]] = {
        "title": "Clock (emulator)",
        "description": "Move the emulated pool's clock forward; skipped on a real pool.",
        "type": "object",
        "required": ["clock"],
        "properties": {
            "clock": {
                "description": "How to move the clock.",
                "type": "object",
                "required": ["advance"],
                "properties": {
                    "advance": {
                        "description": "How far to move it: 90s, 3m, 1h, 2d or seconds (a literal, not a template).",
                        "$ref": "#/$defs/duration",
                    }
                },
                "additionalProperties": False,
            },
            "name": NAME_PROPERTY,
        },
        "additionalProperties": False,
    }

    def default_label(self, raw: Mapping[str, Any]) -> str:
        return f"clock advance {raw['clock']['advance']}"

    def fields(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        return {"params": {"advance_s": parse_duration(raw["clock"]["advance"])}}

    def lacks(self, step: Step, powers: Powers) -> str | None:
        return powers.lacks_clock(float(step.params["advance_s"]))

    def run_input(self, step: Step) -> Any:
        return None

    def run(self, step: Step, ctx: RunContext, rendered: Any) -> Outcome:
        seconds = float(step.params["advance_s"])
        ctx.backend.advance_clock(seconds)
        return Outcome({"advance_s": seconds}, {"Now": ctx.backend.now()})

    def request_label(self, step: Step) -> str | None:
        return None

    def note(self, step: Step) -> str | None:
        note = duration_words(float(step.params["advance_s"])) + " later"
        return f"{note}: {step.label}" if step.named else note


KIND = Clock()
