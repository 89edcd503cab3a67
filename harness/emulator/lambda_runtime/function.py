"""A handler trigger: the callable the TriggerRegistry holds for a `handler:` of a pool file.

It invokes the handler with the event Cognito sends and answers as Cognito answers [facts file, "Sourced
2026-11-29"]:

- a function error (the handler throws, rejects, calls back with an error, exits) is returned as an exception
  whose text is Lambda's ``errorMessage``; ``triggers.invoke`` turns it into UserLambdaValidationException
  "<Trigger> failed with error <message>." [C: amplify-ui-android#314];
- Cognito waits 5 s for the function [D]; a handler still running then gives UnexpectedLambdaException
  "<Trigger> invocation failed due to error Socket timeout while invoking Lambda function." [C: sst#1815]. A
  function timeout shorter than that ends the call first, with Lambda's own message "<time> <request id> Task timed
  out after 1.00 seconds" [C: alexa-samples/skill-sample-nodejs-smarthome-switch#18] as the function error
  (UNCONFIRMED: that Cognito reports a function timeout like any function error). A call Cognito stopped waiting
  for is made again, three calls in all, before the socket timeout is the answer [D] (`COGNITO_ATTEMPTS`);
- a reply that is not JSON, or null (an async handler that returns nothing), gives InvalidLambdaResponseException
  "Invalid lambda function output : Invalid JSON" [C: amplify-cli#4341, aws-sdk-js#2692]; a JSON value that is not
  an event with a ``response`` object: "Unrecognizable lambda output" [C: amazon-cognito-identity-js#167]
  (UNCONFIRMED which of the two a given bad shape gets);
- a runtime that exits (``sys.exit``, ``process.exit``, a crash) is a function error "RequestId: <id> Error: Runtime
  exited with error: exit status <n>", Lambda's Runtime.ExitError text (UNCONFIRMED as Cognito shows it).

What the handler logs during a call is kept per pool in :data:`TRIGGER_LOGS`, each line prefixed by the trigger's
name, with the secrets of the event (answers, private challenge parameters, passwords, codes) masked.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from harness.emulator.errors import CognitoError
from harness.emulator.lambda_runtime.spec import HandlerSpec
from harness.emulator.lambda_runtime.worker import Reply, Worker, worker_command, worker_environment

COGNITO_WAIT_S = 5.0
"""How long Cognito waits for a trigger's function [D: developer guide, "Lambda triggers": 5 seconds]."""
COGNITO_ATTEMPTS = 3
"""How many times Cognito calls a function that does not answer in time: "If it doesn't and if the call can be
retried, Amazon Cognito retries the call. After three unsuccessful attempts, the function times out" [D:
developer guide, "Lambda triggers"]; seen as a cold-start trigger that "fires three times, sending three different
codes" [C: aws-amplify/amplify-js#4805]. UNCONFIRMED which calls "can be retried": here every one."""
INVALID_JSON = "Invalid lambda function output : Invalid JSON"
UNRECOGNIZABLE = "Unrecognizable lambda output"
SOCKET_TIMEOUT = "{name} invocation failed due to error Socket timeout while invoking Lambda function."
LOG_LINES_KEPT = 2000
"""Per pool, lines not yet taken by a step: a run that never reads them does not grow without bound."""

# Event members whose values are secrets: masked wherever they show up in a handler's logs.
SECRET_EVENT_KEYS = frozenset({"password", "challengeAnswer", "codeParameter", "privateChallengeParameters"})


class FunctionError(Exception):
    """A function error of a handler: its text is Lambda's errorMessage (invoke words the Cognito error)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


class TriggerLogs:
    """What handlers printed, per pool, until a step takes it: thread-safe, bounded."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def add(self, pool_id: str, lines: Iterable[str]) -> None:
        with self._lock:
            kept = self._lines.setdefault(pool_id, [])
            kept.extend(lines)
            del kept[:-LOG_LINES_KEPT]

    def take(self, pool_id: str) -> list[str]:
        with self._lock:
            return self._lines.pop(pool_id, [])


TRIGGER_LOGS = TriggerLogs()
"""The handlers' logs of every emulator in this process, by pool id (pool ids are unique)."""


def _secrets_of(value: Any, secret: bool = False) -> Iterable[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _secrets_of(item, secret or key in SECRET_EVENT_KEYS)
    elif isinstance(value, list):
        for item in value:
            yield from _secrets_of(item, secret)
    elif secret and isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value):
        yield str(value)


def mask_secrets(lines: list[str], *data: Any) -> list[str]:
    """``lines`` with each secret value of ``data`` (an event, a response) replaced by ‹redacted:trigger› where it
    stands as a whole word: short answers such as "4242" are masked without shredding other numbers."""
    secrets = sorted({s for item in data for s in _secrets_of(item)}, key=len, reverse=True)
    if not secrets:
        return lines
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(s)}(?!\w)" for s in secrets))
    return [pattern.sub("‹redacted:trigger›", line) for line in lines]


class HandlerFunction:
    """The trigger callable for one handler of one pool configuration: invoke(event) -> event."""

    def __init__(self, spec: HandlerSpec, trigger: str, *, function_name: str, arn: str, region: str) -> None:
        self.spec = spec
        self.trigger = trigger
        self.function_name = function_name
        self.arn = arn
        self._worker = Worker(
            worker_command(spec), worker_environment(spec, function_name, region), cwd=spec.file.parent
        )

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs (tests check that none outlives its run)."""
        return self._worker.pid

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        for _ in range(COGNITO_ATTEMPTS):
            request_id, reply = self._invoke(event)
            own_timeout = reply.timed_out and self.spec.timeout_s < COGNITO_WAIT_S
            if not reply.timed_out or own_timeout:
                break  # an answer, or the function's own timeout (a function error): not retried
        else:  # Cognito stopped waiting every time
            raise CognitoError("UnexpectedLambdaException", SOCKET_TIMEOUT.format(name=self.trigger))
        if reply.timed_out:
            stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            message = f"{stamp} {request_id} Task timed out after {self.spec.timeout_s:.2f} seconds"
            raise FunctionError("Sandbox.Timedout", message)
        if reply.exit_code is not None:
            message = f"RequestId: {request_id} Error: Runtime exited with error: exit status {reply.exit_code}"
            raise FunctionError("Runtime.ExitError", message)
        if not reply.ok:
            raise FunctionError(reply.error_type, reply.error_message)
        result = reply.result
        if result is None:
            raise CognitoError("InvalidLambdaResponseException", INVALID_JSON)
        if not isinstance(result, dict) or not isinstance(result.get("response"), dict):
            raise CognitoError("InvalidLambdaResponseException", UNRECOGNIZABLE)
        return result

    def _invoke(self, event: dict[str, Any]) -> tuple[str, Reply]:
        """One invocation, as Lambda runs it for Cognito: its request id and reply (its logs kept). The wait is the
        function's own timeout or Cognito's, whichever is shorter (read at the call: tests shorten Cognito's)."""
        request_id = str(uuid.uuid4())
        request = {
            "event": event,
            "requestId": request_id,
            "functionName": self.function_name,
            "functionArn": self.arn,
            "timeoutMs": int(self.spec.timeout_s * 1000),
        }
        reply = self._worker.call(request, min(self.spec.timeout_s, COGNITO_WAIT_S))
        self._keep_logs(event, reply)
        return request_id, reply

    def _keep_logs(self, event: dict[str, Any], reply: Reply) -> None:
        if not reply.logs:
            return
        lines = mask_secrets(reply.logs, event, reply.result)
        TRIGGER_LOGS.add(str(event.get("userPoolId", "")), (f"{self.trigger}: {line}" for line in lines))

    def close(self) -> None:
        """Stop the worker (a later call would start a new one)."""
        self._worker.close()
