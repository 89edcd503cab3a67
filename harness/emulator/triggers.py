"""Lambda triggers as Python callables.

A pool's LambdaConfig names triggers by ARN, as in Cognito; the emulator resolves each ARN to a Python callable
registered with `TriggerRegistry.register` (the harness does this for the `triggers:` of a pool configuration,
ready-made recipes included). A trigger receives the event Cognito would send a Lambda function and returns it
with `response` filled in [DG "Customizing user pool workflows with Lambda triggers"].
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any, TypeGuard

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
    version: str = "1",
    arn: str | None = None,
) -> dict[str, Any] | None:
    """Call the pool's trigger `name` and return its `response`; None when the pool has no such trigger.

    The contract with a trigger: callable(event) -> event. What goes wrong is answered as Cognito does:
    - the trigger raises: UserLambdaValidationException "<name> failed with error <message>." (the period is
      added even after one [OBS aws-amplify/amplify-ui-android#314]);
    - it raises TimeoutError (Cognito gives up after 5 s and 3 attempts [DG "Customizing user pool workflows
      with Lambda triggers"]): UnexpectedLambdaException "<name> invocation failed due to error Socket timeout
      while invoking Lambda function." [OBS sst/sst#1815];
    - it returns something that is not a JSON object (a handler that forgot to return the event):
      InvalidLambdaResponseException "Invalid lambda function output : Invalid JSON" [OBS aws/aws-sdk-js#2692,
      aws-amplify/amplify-cli#4341]; an object without a `response` object: "Unrecognizable lambda output"
      [OBS amazon-cognito-identity-js#167];
    - nothing is registered under the ARN: UnexpectedLambdaException (the emulator's wording).
    `version` is the event's `version` ("1"; "2"/"3" for PreTokenGeneration V2_0/V3_0); `arn` overrides the
    LambdaConfig entry (PreTokenGenerationConfig.LambdaArn).
    """
    arn = arn or configured(pool, name)
    if arn is None:
        return None
    trigger = registry.resolve(arn)
    if trigger is None:
        raise CognitoError("UnexpectedLambdaException", errors.LAMBDA_NOT_REGISTERED.format(name=name, arn=arn))
    event: dict[str, Any] = {
        "version": version,
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
    except TimeoutError:
        raise CognitoError("UnexpectedLambdaException", errors.LAMBDA_TIMEOUT.format(name=name)) from None
    except Exception as exc:  # noqa: BLE001 - any failure of user code is reported as Cognito does
        raise CognitoError("UserLambdaValidationException", errors.LAMBDA_FAILED.format(name=name, error=exc)) from None
    if not _is_json_object(result):
        raise CognitoError("InvalidLambdaResponseException", errors.LAMBDA_INVALID_JSON)
    response = result.get("response")
    if not isinstance(response, dict):
        raise CognitoError("InvalidLambdaResponseException", errors.LAMBDA_UNRECOGNIZABLE)
    return response


def _is_json_object(value: Any) -> TypeGuard[dict[str, Any]]:
    """What a Lambda function's reply must be for Cognito to read it: a JSON object."""
    if not isinstance(value, dict):
        return False
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def pre_token_config(pool: UserPool) -> tuple[str | None, str]:
    """The PreTokenGeneration function and its event version: "1" for LambdaConfig.PreTokenGeneration, "2"/"3"
    when PreTokenGenerationConfig asks for V2_0/V3_0 [DG "Pre token generation Lambda trigger", event versions;
    BC LambdaConfigType]."""
    config = pool.settings.get("LambdaConfig", {})
    versioned = config.get("PreTokenGenerationConfig") or {}
    arn = versioned.get("LambdaArn") or config.get("PreTokenGeneration")
    version = {"V2_0": "2", "V3_0": "3"}.get(str(versioned.get("LambdaVersion")), "1")
    return (str(arn) if arn else None), version
