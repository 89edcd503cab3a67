"""One Cognito call as every caller sees it: the request as sent and the response as received.

A service error is an outcome too (``{"Error": {"Code", "Message"}}``), never an exception: scenarios expect
errors as often as successes, and the Amplify model turns them into its own errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError


@dataclass(frozen=True)
class Outcome:
    """The request as sent and the response as received; errors appear as {"Error": {"Code", "Message"}}."""

    request: dict[str, Any] | None
    response: dict[str, Any]
    retries: int = 0

    @property
    def error(self) -> dict[str, str] | None:
        error = self.response.get("Error")
        return error if isinstance(error, dict) else None


def call_boto3(client: Any, operation: str, params: dict[str, Any]) -> Outcome:
    """Call one operation on a boto3 cognito-idp client; an AWS error is an outcome, not an exception."""
    method = getattr(client, xform_name(operation))
    try:
        response = dict(method(**params))
    except ClientError as exc:
        error = exc.response.get("Error", {})
        metadata = exc.response.get("ResponseMetadata", {})
        return Outcome(
            params,
            {"Error": {"Code": error.get("Code", ""), "Message": error.get("Message", "")}},
            int(metadata.get("RetryAttempts", 0)),
        )
    metadata = response.pop("ResponseMetadata", {})
    return Outcome(params, response, int(metadata.get("RetryAttempts", 0)))
