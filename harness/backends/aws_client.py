"""A boto3 cognito-idp client for real accounts: a concurrency limit, and a guard that sees every call.

Cognito's request quotas are low (tens of requests per second per category and account), so besides
botocore's adaptive retries the harness never has more than a few calls in flight per process. Every call
also passes a guard, which is how the aws backend refuses to touch what it does not own and learns what a
run created (pools, users) the moment the service confirms it, so an interrupt cannot hide it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

READ_ONLY_PREFIXES = ("Describe", "Get", "List", "AdminGet", "AdminList")


def is_read_only(operation: str) -> bool:
    """Operations that only read (Describe*, Get*, List*, AdminGet*, AdminList*) are never refused."""
    return operation.startswith(READ_ONLY_PREFIXES)


class CallGuard(Protocol):
    """Decides whether a call may go out, and hears about every call that succeeded."""

    def check(self, operation: str, params: dict[str, Any]) -> None:
        """Raise (harness.backends.base.Unsupported) to refuse the call before anything is sent."""

    def record(self, operation: str, params: dict[str, Any], response: dict[str, Any]) -> None: ...


class GuardedClient:
    """Looks like the boto3 client it wraps; operation methods go through the guard and the semaphore."""

    def __init__(self, client: Any, guard: CallGuard, *, max_concurrency: int) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self._client = client
        self._guard = guard
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._operations: dict[str, str] = dict(client.meta.method_to_api_mapping)

    @property
    def raw(self) -> Any:
        """The unguarded client (for the backend's own bookkeeping calls)."""
        return self._client

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        operation = self._operations.get(name)
        if operation is None:
            return attribute  # meta, exceptions, can_paginate, get_paginator, ...
        return self._guarded(operation, attribute)

    def _guarded(self, operation: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(**params: Any) -> Any:
            self._guard.check(operation, params)
            with self._slots:
                response = method(**params)
            self._guard.record(operation, params, response)
            return response

        call.__name__ = method.__name__
        return call
