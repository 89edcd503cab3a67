"""What the runner needs from a place where pools live: provisioning, a client, and optional powers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from harness.errors import AuthflowError
from harness.scenario.model import PoolConfig


class Unsupported(AuthflowError):
    """The backend refuses this call (e.g. the aws guard); the step is skipped with this reason."""


@dataclass(frozen=True)
class Powers:
    """What a backend can do besides the Cognito API, declared up front so the runner can skip a step that
    needs more before it runs anything, with the backend's own reason."""

    clock_max_s: float
    """How far a clock step may move the pool's clock: unbounded on the emulator; on a real pool as far as
    the run may wait in real time; 0 where time cannot pass for the pool (moto)."""
    clock_why: str = ""
    """Why a longer clock step is skipped; ``{seconds}`` stands for the step's."""
    outbox_why: str | None = None
    """None when the pool's sent codes can be read; else why not."""
    consistent: bool = False
    """Whether every answer already reflects every earlier call (the emulator, moto): a ``retry:`` step then
    runs once, as waiting cannot change the answer. False (a real pool) polls in real time."""
    domain_why: str | None = None
    """None when the OAuth endpoints of a pool's domain (/oauth2/token, ...) can be reached; else why not."""
    managed_login_why: str | None = None
    """None when a step can sign a user in through the domain's login page without a person; else why not."""
    issuer_why: str | None = None
    """None when the pool's issuer URL (``issuer()``) serves its keys and OpenID configuration to an HTTP client
    (``<issuer>/.well-known/...``); else why not."""

    def lacks_clock(self, seconds: float) -> str | None:
        """The reason a clock step of ``seconds`` cannot run here, or None."""
        return self.clock_why.format(seconds=seconds) if seconds > self.clock_max_s else None

    def lacks_outbox(self) -> str | None:
        return self.outbox_why

    def lacks_issuer(self) -> str | None:
        return self.issuer_why


EMULATOR_POWERS = Powers(clock_max_s=float("inf"), consistent=True)


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
    """A place to run scenarios; what it can do besides the API is in ``powers``."""

    name: str
    powers: Powers

    def cognito(self) -> Any:
        """A boto3 cognito-idp client."""

    def provision(self, config: PoolConfig, *, run_id: str) -> ProvisionedPool: ...

    def teardown(self, pool: ProvisionedPool) -> None: ...

    def now(self) -> float:
        """The pool's idea of the current time (epoch seconds)."""

    def advance_clock(self, seconds: float) -> None:
        """Move (or wait out) the pool's clock; only called within ``powers.clock_max_s``."""

    def sent_messages(self, pool_id: str, to: str | None) -> list[dict[str, Any]]:
        """Codes the pool sent: dicts with Destination, Medium, Code, Purpose (and Link, a sign-up confirmation
        link, when the pool confirms by link); only called when
        ``powers.outbox_why`` is None."""

    def jwks(self, pool_id: str) -> dict[str, Any]: ...

    def issuer(self, pool_id: str) -> str: ...

    def close(self) -> None: ...


@runtime_checkable
class TriggerLogSource(Protocol):
    """A backend that can tell what a pool's Lambda trigger handlers printed (the emulators, which run them)."""

    def trigger_logs(self, pool_id: str) -> list[str]:
        """Lines printed since the last call, each "<Trigger>: <line>", secrets of the events masked."""
