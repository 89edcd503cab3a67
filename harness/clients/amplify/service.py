"""One Amplify API call in progress: the app's Amplify state, the clock, and Cognito called as Amplify calls it.

Cognito is reached through the ``call`` the client was given (the harness's fills ClientId and UserPoolId and
works on every backend); parameters Amplify leaves undefined are left out, and SECRET_HASH is never sent (Amplify
does not support app clients with a secret). A Cognito error becomes an :class:`AmplifyError` named after the
exception, which is how Amplify's AuthError reports it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from harness.clients.amplify.errors import AmplifyError
from harness.clients.amplify.state import AmplifyState
from harness.clients.passkey import SoftwareAuthenticator
from harness.cognito.outcome import Outcome
from harness.cognito.srp import SrpClient

CognitoCall = Callable[[str, dict[str, Any]], Outcome]
"""How the model reaches Cognito: (operation, parameters) -> the outcome."""


@dataclass(frozen=True)
class AmplifyWorld:
    """What an app's Amplify lives with: a way to call Cognito, a clock, its pool and the browser's passkeys."""

    call: CognitoCall
    clock: Callable[[], float]
    """The pool's clock: Amplify's Date.now() in this model (so clock steps age its state too)."""
    pool_id: str
    authenticator: SoftwareAuthenticator


class Amplify:
    """What an API implementation works with; records every Cognito call it makes for the step's report."""

    def __init__(self, world: AmplifyWorld, state: AmplifyState) -> None:
        self.world = world
        self.state = state
        self.calls: list[dict[str, Any]] = []
        self.retries = 0

    def now(self) -> float:
        return self.world.clock()

    def cognito(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Call one Cognito operation; undefined (None) parameters are left out, errors raise AmplifyError."""
        outcome = self.world.call(operation, {k: v for k, v in params.items() if v is not None})
        self.retries += outcome.retries
        self.calls.append({"operation": operation, "request": outcome.request, "response": outcome.response})
        if outcome.error is not None:
            raise AmplifyError(outcome.error["Code"], outcome.error["Message"])
        return outcome.response

    def timestamp_clock(self) -> datetime:
        """getNowString's clock: the pool's, as an aware datetime (for SRP TIMESTAMPs)."""
        return datetime.fromtimestamp(self.now(), UTC)

    def srp_client(self, username: str, password: str) -> SrpClient:
        """getAuthenticationHelper: a fresh SRP client; its TIMESTAMP comes from the pool's clock."""
        return SrpClient(self.world.pool_id, username, password, clock=self.timestamp_clock)


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
