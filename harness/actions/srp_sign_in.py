"""An `srp:` step: a whole SRP sign-in (InitiateAuth with SRP_A, then PASSWORD_VERIFIER) as one step."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from harness.actions.base import Outcome
from harness.actions.call import call_operation
from harness.secret_hash import secret_hash
from harness.srp import SrpClient

if TYPE_CHECKING:
    from harness.engine.context import RunContext
    from harness.spec.model import Step

_FLOW_EXTRAS = {"CUSTOM_AUTH": {"CHALLENGE_NAME": "SRP_A"}, "USER_AUTH": {"PREFERRED_CHALLENGE": "PASSWORD_SRP"}}


def run_srp(step: Step, ctx: RunContext, inputs: Any) -> Outcome:
    username, password = str(inputs["username"]), str(inputs["password"])
    flow = str(inputs.get("flow", "USER_SRP_AUTH"))
    client = SrpClient(
        ctx.pool.pool_id, username, password, clock=lambda: datetime.fromtimestamp(ctx.backend.now(), UTC)
    )
    proof: dict[str, str] = {}
    if ctx.client.secret:
        proof["SECRET_HASH"] = secret_hash(ctx.client.client_id, ctx.client.secret, username)
    parameters = {"USERNAME": username, "SRP_A": client.srp_a_hex, **_FLOW_EXTRAS.get(flow, {}), **proof}
    started = call_operation(ctx, "InitiateAuth", {"AuthFlow": flow, "AuthParameters": parameters})
    request: dict[str, Any] = {"flow": flow, "USERNAME": username, "PASSWORD": password}
    if started.error or started.response.get("ChallengeName") != "PASSWORD_VERIFIER":
        return Outcome(request, started.response, started.retries)
    challenge = started.response
    user_id = challenge["ChallengeParameters"].get("USER_ID_FOR_SRP", username)
    answer = client.respond(challenge["ChallengeParameters"])
    if ctx.client.secret:
        answer["SECRET_HASH"] = secret_hash(ctx.client.client_id, ctx.client.secret, user_id)
    verified = call_operation(
        ctx,
        "RespondToAuthChallenge",
        {"ChallengeName": "PASSWORD_VERIFIER", "Session": challenge.get("Session", ""), "ChallengeResponses": answer},
    )
    return Outcome(request, verified.response, started.retries + verified.retries)
