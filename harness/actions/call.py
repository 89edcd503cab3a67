"""A `call:` step: one Cognito API operation through boto3."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore import xform_name
from botocore.exceptions import ClientError

from harness.actions.base import Outcome
from harness.emulator.service_model import operation as operation_model

if TYPE_CHECKING:
    from harness.engine.context import RunContext
    from harness.spec.model import Step

_FILLED_IN = ("UserPoolId", "ClientId")


def with_defaults(operation: str, params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Fill UserPoolId and ClientId from the scenario's pool and client when the operation takes them."""
    members = operation_model(operation).input_shape.members
    filled = dict(params)
    defaults = {"UserPoolId": ctx.pool.pool_id, "ClientId": ctx.client.client_id}
    for name in _FILLED_IN:
        if name in members and name not in filled:
            filled[name] = defaults[name]
    return filled


def run_call(step: Step, ctx: RunContext, params: Any) -> Outcome:
    assert step.operation is not None
    return call_operation(ctx, step.operation, params or {})


def call_operation(ctx: RunContext, operation: str, params: dict[str, Any]) -> Outcome:
    """Call one operation with the pool's ids filled in; an AWS error is an outcome, not an exception."""
    request = with_defaults(operation, params, ctx)
    method = getattr(ctx.backend.cognito(), xform_name(operation))
    try:
        response = dict(method(**request))
    except ClientError as exc:
        error = exc.response.get("Error", {})
        metadata = exc.response.get("ResponseMetadata", {})
        return Outcome(
            request,
            {"Error": {"Code": error.get("Code", ""), "Message": error.get("Message", "")}},
            int(metadata.get("RetryAttempts", 0)),
        )
    metadata = response.pop("ResponseMetadata", {})
    return Outcome(request, response, int(metadata.get("RetryAttempts", 0)))
