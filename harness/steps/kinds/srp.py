"""An ``srp:`` step: a whole SRP sign-in (InitiateAuth with SRP_A, then PASSWORD_VERIFIER) as one step."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from harness.cognito.outcome import Outcome
from harness.cognito.secret_hash import secret_hash
from harness.cognito.srp import SrpClient
from harness.scenario.model import Step
from harness.steps.context import RunContext
from harness.steps.kind import CLIENT_PROPERTY, NAME_PROPERTY, RESULT_PROPERTIES, StepKind
from harness.steps.words import show_templates

_FLOW_EXTRAS = {"CUSTOM_AUTH": {"CHALLENGE_NAME": "SRP_A"}, "USER_AUTH": {"PREFERRED_CHALLENGE": "PASSWORD_SRP"}}


class Srp(StepKind):
    key = "srp"
    summary = "srp (an SRP sign-in)"
    input_key = "srp"
    takes_client = True
    schema: ClassVar[dict[str, Any]] = {
        "title": "SRP sign-in",
        "description": "Sign in with Cognito's SRP in one step: InitiateAuth with SRP_A, then the PASSWORD_VERIFIER answer (SECRET_HASH added for a client with a secret). expect/save see the last response.",
        "type": "object",
        "required": ["srp"],
        "properties": {
            "srp": {
                "type": "object",
                "required": ["username", "password"],
                "properties": {
                    "username": {"description": "The username (templates allowed).", "type": "string", "minLength": 1},
                    "password": {"description": "The password (templates allowed).", "type": "string", "minLength": 1},
                    "flow": {
                        "description": "USER_SRP_AUTH (default), CUSTOM_AUTH (CUSTOM_WITH_SRP) or USER_AUTH (PASSWORD_SRP).",
                        "enum": ["USER_SRP_AUTH", "CUSTOM_AUTH", "USER_AUTH"],
                    },
                },
                "additionalProperties": False,
                "description": "Who signs in, with which password and flow.",
            },
            "name": NAME_PROPERTY,
            "client": CLIENT_PROPERTY,
            **RESULT_PROPERTIES,
        },
        "additionalProperties": False,
    }

    def default_label(self, raw: Mapping[str, Any]) -> str:
        return f"SRP sign-in ({raw['srp'].get('flow', 'USER_SRP_AUTH')})"

    def run(self, step: Step, ctx: RunContext, rendered: Any) -> Outcome:
        username, password = str(rendered["username"]), str(rendered["password"])
        flow = str(rendered.get("flow", "USER_SRP_AUTH"))
        client = SrpClient(
            ctx.pool.pool_id, username, password, clock=lambda: datetime.fromtimestamp(ctx.backend.now(), UTC)
        )
        proof: dict[str, str] = {}
        if ctx.client.secret:
            proof["SECRET_HASH"] = secret_hash(ctx.client.client_id, ctx.client.secret, username)
        parameters = {"USERNAME": username, "SRP_A": client.srp_a_hex, **_FLOW_EXTRAS.get(flow, {}), **proof}
        started = ctx.call("InitiateAuth", {"AuthFlow": flow, "AuthParameters": parameters})
        request: dict[str, Any] = {"flow": flow, "USERNAME": username, "PASSWORD": password}
        if started.error or started.response.get("ChallengeName") != "PASSWORD_VERIFIER":
            return Outcome(request, started.response, started.retries)
        challenge = started.response
        user_id = challenge["ChallengeParameters"].get("USER_ID_FOR_SRP", username)
        answer = client.respond(challenge["ChallengeParameters"])
        if ctx.client.secret:
            answer["SECRET_HASH"] = secret_hash(ctx.client.client_id, ctx.client.secret, user_id)
        verified = ctx.call(
            "RespondToAuthChallenge",
            {
                "ChallengeName": "PASSWORD_VERIFIER",
                "Session": challenge.get("Session", ""),
                "ChallengeResponses": answer,
            },
        )
        return Outcome(request, verified.response, started.retries + verified.retries)

    def request_label(self, step: Step) -> str | None:
        flow = show_templates(step.params.get("flow", "USER_SRP_AUTH"))
        return f"SRP sign-in: InitiateAuth ({flow}), RespondToAuthChallenge (PASSWORD_VERIFIER)"


KIND = Srp()
