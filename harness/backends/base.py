"""What the runner needs from a place where pools live: provisioning, a client, and optional powers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from harness.spec.model import PoolConfig


class Unsupported(Exception):
    """The backend cannot do this (e.g. move the clock of a real pool); the step is skipped with this reason."""


@dataclass(frozen=True)
class ProvisionedClient:
    name: str
    client_id: str
    secret: str | None


@dataclass(frozen=True)
class ProvisionedPool:
    """A pool created from a configuration, with its app clients by name (the first is the default)."""

    config_name: str
    pool_id: str
    pool_name: str
    clients: dict[str, ProvisionedClient] = field(default_factory=dict)

    def client(self, name: str | None) -> ProvisionedClient:
        if name is None:
            return next(iter(self.clients.values()))
        try:
            return self.clients[name]
        except KeyError:
            known = ", ".join(self.clients) or "none"
            raise KeyError(f"pool {self.config_name!r} has no app client {name!r} (it has: {known})") from None


class Backend(Protocol):
    """A place to run scenarios. Emulator powers raise Unsupported where a backend lacks them."""

    name: str

    def cognito(self) -> Any:
        """A boto3 cognito-idp client."""

    def provision(self, config: PoolConfig, *, run_id: str) -> ProvisionedPool: ...

    def teardown(self, pool: ProvisionedPool) -> None: ...

    def now(self) -> float:
        """The pool's idea of the current time (epoch seconds)."""

    def advance_clock(self, seconds: float) -> None: ...

    def sent_messages(self, pool_id: str, to: str | None) -> list[dict[str, Any]]:
        """Codes the pool sent: dicts with Destination, Medium, Code, Purpose."""

    def jwks(self, pool_id: str) -> dict[str, Any]: ...

    def issuer(self, pool_id: str) -> str: ...

    def close(self) -> None: ...
