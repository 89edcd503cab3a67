"""A ``call:`` step: one cognito-idp operation, its parameters checked against the botocore model at load."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from harness.cognito import service
from harness.cognito.outcome import Outcome
from harness.scenario.errors import KeyPath, Problem
from harness.scenario.expectations import ResponseCheck
from harness.scenario.kinds import CheckContext
from harness.scenario.model import Step
from harness.scenario.operation_schema import call_editor_schema
from harness.scenario.shapes import check_response_keys, check_value
from harness.scenario.wording import did_you_mean
from harness.steps.context import RunContext
from harness.steps.kind import CLIENT_PROPERTY, NAME_PROPERTY, RESULT_PROPERTIES, StepKind


class Call(StepKind):
    key = "call"
    summary = "call (a Cognito operation)"
    input_key = "params"
    takes_client = True
    schema: ClassVar[dict[str, Any]] = {
        "title": "Cognito call",
        "description": "Call a cognito-idp operation and check the outcome.",
        "type": "object",
        "required": ["call"],
        "properties": {
            "call": {
                "title": "Operation",
                "description": "A cognito-idp operation, exactly as botocore names it (InitiateAuth, RespondToAuthChallenge, ...).",
                "type": "string",
                "minLength": 1,
            },
            "name": NAME_PROPERTY,
            "client": CLIENT_PROPERTY,
            "params": {
                "title": "Parameters",
                "description": "The operation's input members, checked against the model at load. UserPoolId and ClientId are filled in when left out.",
                "type": "object",
            },
            **RESULT_PROPERTIES,
        },
        "additionalProperties": False,
    }

    def check(self, raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
        problems = super().check(raw, path, ctx)
        name, params = raw.get("call"), raw.get("params", {})
        if not isinstance(name, str) or not name:
            return problems
        if name not in service.operation_names():
            return [
                *problems,
                Problem((*path, "call"), f"unknown operation {name!r}", did_you_mean(name, service.operation_names())),
            ]
        shape = service.operation(name).input_shape
        if isinstance(params, Mapping) and shape is not None:
            problems += check_value(shape, params, (*path, "params"), skip_required=service.RUNNER_FILLED)
        elif isinstance(params, Mapping) and params:
            problems.append(Problem((*path, "params"), f"{name} takes no parameters"))
        return problems

    def response_check(self, raw: Mapping[str, Any]) -> ResponseCheck | None:
        name = raw.get("call")
        if not isinstance(name, str) or name not in service.operation_names():
            return None
        output = service.operation(name).output_shape

        def check(expected: Any, path: KeyPath) -> list[Problem]:
            return check_response_keys(output, expected, path, name)

        return check

    def default_label(self, raw: Mapping[str, Any]) -> str:
        return f"call {raw['call']}"

    def editor_schema(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return call_editor_schema(self.schema)

    def fields(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        return {"operation": str(raw["call"]), "params": dict(raw.get("params") or {})}

    def run(self, step: Step, ctx: RunContext, rendered: Any) -> Outcome:
        assert step.operation is not None
        return ctx.call(step.operation, rendered or {})


KIND = Call()
