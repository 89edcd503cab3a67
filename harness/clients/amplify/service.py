"""One Amplify API call in progress: the run's Amplify state, the clock, and Cognito called as Amplify calls it.

Calls go through :func:`harness.actions.call.call_operation`, so they work on every backend and fill ClientId and
UserPoolId; parameters Amplify leaves undefined are left out, and SECRET_HASH is never sent (Amplify does not
support app clients with a secret). A Cognito error becomes an :class:`AmplifyError` named after the exception,
which is how Amplify's AuthError reports it.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from harness.actions.call import call_operation
from harness.amplify.errors import AmplifyError
from harness.srp import SrpClient

if TYPE_CHECKING:
    from harness.amplify.state import AmplifyState
    from harness.engine.context import RunContext


class Amplify:
    """What an API implementation works with; records every Cognito call it makes for the step's report."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.calls: list[dict[str, Any]] = []
        self.retries = 0

    @property
    def state(self) -> AmplifyState:
        return self.ctx.amplify

    def now(self) -> float:
        """The pool's clock: Amplify's Date.now() in this model (so clock steps age its state too)."""
        return self.ctx.backend.now()

    def cognito(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Call one Cognito operation; undefined (None) parameters are left out, errors raise AmplifyError."""
        outcome = call_operation(self.ctx, operation, {k: v for k, v in params.items() if v is not None})
        self.retries += outcome.retries
        self.calls.append({"operation": operation, "request": outcome.request, "response": outcome.response})
        if outcome.error is not None:
            raise AmplifyError(outcome.error["Code"], outcome.error["Message"])
        return outcome.response

    def srp_client(self, username: str, password: str) -> SrpClient:
        """getAuthenticationHelper: a fresh SRP client; its TIMESTAMP comes from the pool's clock."""
        return SrpClient(
            self.ctx.pool.pool_id, username, password, clock=lambda: datetime.fromtimestamp(self.now(), UTC)
        )


def first(*values: Any) -> Any:
    """JavaScript's ``a ?? b ?? c``: the first value that is not None."""
    return next((value for value in values if value is not None), None)


def compact(value: dict[str, Any]) -> dict[str, Any]:
    """The JSON an Amplify output becomes: keys whose value is undefined (None) disappear, at every level."""
    return {key: compact(item) if isinstance(item, dict) else item for key, item in value.items() if item is not None}


def jwt_payload(token: str) -> dict[str, Any]:
    """decodeJWT's payload (no verification, as Amplify does not verify either)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("Invalid token")
    padded = parts[1] + "=" * (-len(parts[1]) % 4)
    payload = json.loads(base64.urlsafe_b64decode(padded))
    if not isinstance(payload, dict):
        raise ValueError("Invalid token payload")
    return payload
