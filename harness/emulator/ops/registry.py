"""Which Python function answers which Cognito operation.

Each module of this package registers its operations with `@operation` when it is imported. `handler()` and
`implemented()` first import every module of the package (found on disk, so a new module cannot be left out of a
hand-kept list), once per process, under a lock: the flag that lets later callers skip the work is set only
after every import has finished, so concurrent first requests all see the complete table.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import harness.emulator.ops as _ops_package
from harness.cognito import service

# (the Emulator, the request) -> the response. The emulator is Any because harness.emulator.emulator imports this
# module (naming it here would make the two a circle); `operation` keeps each handler's own, exact signature.
Handler = Callable[[Any, dict[str, Any]], dict[str, Any]]
AnyHandler = TypeVar("AnyHandler", bound=Handler)
_HANDLERS: dict[str, Handler] = {}
# Reentrant: a module that asked for a handler while being imported would otherwise deadlock its own thread.
_load_lock = threading.RLock()
_loaded = False


def operation(name: str) -> Callable[[AnyHandler], AnyHandler]:
    """Register a handler; the name must be an operation of the botocore model."""
    if not service.is_operation(name):
        raise ValueError(f"{name} is not a cognito-idp operation")

    def register(function: AnyHandler) -> AnyHandler:
        _HANDLERS[name] = function
        return function

    return register


def handler(name: str) -> Handler | None:
    _load_all()
    return _HANDLERS.get(name)


def implemented() -> frozenset[str]:
    _load_all()
    return frozenset(_HANDLERS)


def operation_modules() -> list[str]:
    """Every module of the operations package, by its full name."""
    prefix = _ops_package.__name__ + "."
    return sorted(prefix + module.name for module in pkgutil.iter_modules(_ops_package.__path__))


def _load_all() -> None:
    """Import every operation module once, so their decorators have run before any lookup."""
    global _loaded
    if _loaded:  # set only when the table is complete
        return
    with _load_lock:
        if _loaded:
            return
        for module in operation_modules():
            importlib.import_module(module)
        _loaded = True
