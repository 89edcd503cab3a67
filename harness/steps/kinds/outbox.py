"""An ``outbox:`` step: read what the emulated pool sent to an address (codes, links)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from harness.backends.base import Powers
from harness.cognito.outcome import Outcome
from harness.scenario.model import Expectation, Step
from harness.steps.context import RunContext
from harness.steps.kind import NAME_PROPERTY, RESULT_PROPERTIES, StepKind
from harness.steps.words import Reply, expected_response, response_facts, show_templates


class Outbox(StepKind):
    key = "outbox"
    summary = "outbox (read the emulator's outbox)"
    input_key = "outbox"
    expect_keys = ("response",)
    schema: ClassVar[dict[str, Any]] = {
        "title": "Outbox (emulator)",
        "description": "Read the messages the emulated pool sent to an address; expect/save see {Messages: [{Destination, Medium, Code, Purpose}], Count}. Skipped on a real pool.",
        "type": "object",
        "required": ["outbox"],
        "properties": {
            "outbox": {
                "description": "Which messages to read.",
                "type": "object",
                "required": ["to"],
                "properties": {
                    "to": {
                        "description": "The destination address (email or phone number); templates allowed.",
                        "type": "string",
                        "minLength": 1,
                    }
                },
                "additionalProperties": False,
            },
            "name": NAME_PROPERTY,
            **RESULT_PROPERTIES,
        },
        "additionalProperties": False,
    }

    def default_label(self, raw: Mapping[str, Any]) -> str:
        return f"outbox to {raw['outbox']['to']}"

    def lacks(self, step: Step, powers: Powers) -> str | None:
        return powers.lacks_outbox()

    def run_input(self, step: Step) -> Any:
        return step.params["to"]

    def run(self, step: Step, ctx: RunContext, rendered: Any) -> Outcome:
        to = None if rendered is None else str(rendered)
        messages = ctx.backend.sent_messages(ctx.pool.pool_id, to)
        return Outcome({"to": to}, {"Messages": messages, "Count": len(messages)})

    def request_label(self, step: Step) -> str | None:
        return None

    def reply(self, step: Step, expectation: Expectation) -> Reply:
        facts = response_facts(expected_response(expectation))
        return Reply(False, (f"reads the codes sent to {show_templates(step.params['to'])}", *facts), note=True)


KIND = Outbox()
