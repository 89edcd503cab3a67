"""Which Python function answers which Cognito operation."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness.emulator import service_model

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

Handler = Callable[["Emulator", dict[str, Any]], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}
_loaded = False


def operation(name: str) -> Callable[[Handler], Handler]:
    """Register a handler; the name must be an operation of the botocore model."""
    if name not in service_model.operation_names():
        raise ValueError(f"{name} is not a cognito-idp operation")

    def register(function: Handler) -> Handler:
        _HANDLERS[name] = function
        return function

    return register


def handler(name: str) -> Handler | None:
    _load_all()
    return _HANDLERS.get(name)


def implemented() -> frozenset[str]:
    _load_all()
    return frozenset(_HANDLERS)


# The modules whose decorators register operations; a new module of operations is added here.
OPERATION_MODULES = (
    "pools", "users", "auth", "choice_auth", "srp_auth", "custom_auth", "mfa", "passkeys", "password_ops", "token_ops",
    "tags",
)  # fmt: skip


def _load_all() -> None:
    """Import the operation modules once, so their decorators run."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in OPERATION_MODULES:
        importlib.import_module(f"harness.emulator.ops.{module}")
