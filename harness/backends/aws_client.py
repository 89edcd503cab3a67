"""A boto3 cognito-idp client for real accounts: a concurrency limit, and a guard that sees every call.

Cognito's request quotas are low (tens of requests per second per category and account), so besides
botocore's adaptive retries the harness never has more than a few calls in flight per process. Every call
(paginated ones included) also passes a guard, which is how the aws backend refuses to touch what it does not
own and learns what a run created (pools, clients, tokens, users) the moment the service confirms it, so an
interrupt cannot hide it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, Protocol

READ_ONLY_PREFIXES = ("Describe", "Get", "List", "AdminGet", "AdminList")


def is_read_only(operation: str) -> bool:
    """Operations named as reads (Describe*, Get*, List*, AdminGet*, AdminList*).

    Only a naming convention: the guard still refuses a read of anything the run does not own (reading a
    foreign pool's users is data exposure), and uses this only for the existing-pool user rule.
    """
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
            return attribute  # meta, exceptions, can_paginate, ...
        return self._guarded(operation, attribute)

    def get_paginator(self, name: str) -> GuardedPaginator:
        """A paginator whose calls pass the guard too (botocore's own would call the unguarded client)."""
        return GuardedPaginator(self._client.get_paginator(name), self._operations[name], self._guard, self._slots)

    def _guarded(self, operation: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(**params: Any) -> Any:
            self._guard.check(operation, params)
            with self._slots:
                response = method(**params)
            self._guard.record(operation, params, response)
            return response

        call.__name__ = method.__name__
        return call


class GuardedPaginator:
    """``paginate(**params)`` like botocore's: checked once before the first page, each page recorded.

    The pages differ only in their pagination token, which addresses nothing, so one check covers them all.
    """

    def __init__(self, paginator: Any, operation: str, guard: CallGuard, slots: threading.BoundedSemaphore) -> None:
        self._paginator = paginator
        self._operation = operation
        self._guard = guard
        self._slots = slots

    def paginate(self, **params: Any) -> Iterator[dict[str, Any]]:
        self._guard.check(self._operation, params)  # now, not at the first next(): refused before anything is sent
        return self._pages(params)

    def _pages(self, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        pages = iter(self._paginator.paginate(**params))
        while True:
            with self._slots:  # the page's request goes out inside next()
                page = next(pages, None)
            if page is None:
                return
            self._guard.record(self._operation, params, page)
            yield page
