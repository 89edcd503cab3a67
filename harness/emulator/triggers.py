"""Lambda triggers as Python callables.

A pool's LambdaConfig names triggers by ARN, as in Cognito; the emulator resolves each ARN to a Python callable
registered with `TriggerRegistry.register` (the harness does this for the `triggers:` of a pool configuration,
ready-made recipes included). A trigger receives the event Cognito would send a Lambda function and returns it
with `response` filled in [DG "Customizing user pool workflows with Lambda triggers"].
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError
from harness.emulator.state import User, UserPool

Trigger = Callable[[dict[str, Any]], dict[str, Any]]


class TriggerRegistry:
    """ARN -> callable, for the whole emulator (ARNs are global, like Lambda functions)."""

    def __init__(self) -> None:
        self._by_arn: dict[str, Trigger] = {}
        self._lock = threading.Lock()

    def register(self, arn: str, trigger: Trigger) -> str:
        with self._lock:
            self._by_arn[arn] = trigger
        return arn

    def resolve(self, arn: str) -> Trigger | None:
        with self._lock:
            return self._by_arn.get(arn)

    def clear(self) -> None:
        with self._lock:
            self._by_arn.clear()


def configured(pool: UserPool, name: str) -> str | None:
    """The ARN of the pool's trigger `name` (e.g. DefineAuthChallenge), if one is configured."""
    arn = pool.settings.get("LambdaConfig", {}).get(name)
    return str(arn) if arn else None


def invoke(
    registry: TriggerRegistry,
    pool: UserPool,
    name: str,
    trigger_source: str,
    *,
    client_id: str | None,
    user: User | None,
    username: str,
    request: dict[str, Any],
) -> dict[str, Any] | None:
    """Call the pool's trigger `name` and return its `response`; None when the pool has no such trigger.

    A trigger that raises gives UserLambdaValidationException "<name> failed with error <message>." [DG]; an
    ARN nothing is registered under, or a reply that is not an event, gives the Lambda errors Cognito uses.
    """
    arn = configured(pool, name)
    if arn is None:
        return None
    trigger = registry.resolve(arn)
    if trigger is None:
        raise CognitoError("UnexpectedLambdaException", f"{name} invocation failed: no function {arn} is registered.")
    event: dict[str, Any] = {
        "version": "1",
        "region": pool.region,
        "userPoolId": pool.pool_id,
        "userName": user.username if user else username,
        "callerContext": {"awsSdkVersion": "authflow-emulator", "clientId": client_id or "CLIENT_ID_NOT_APPLICABLE"},
        "triggerSource": trigger_source,
        "request": {"userAttributes": dict(user.attributes) if user else {}, **request},
        "response": {},
    }
    try:
        result = trigger(event)
    except CognitoError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of user code is reported as Cognito does
        raise CognitoError("UserLambdaValidationException", f"{name} failed with error {exc}.") from None
    response = result.get("response") if isinstance(result, dict) else None
    if not isinstance(response, dict):
        raise CognitoError("InvalidLambdaResponseException", errors.INVALID_LAMBDA_RESPONSE.format(name=name))
    return response
