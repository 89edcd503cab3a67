"""The state of one scenario run as its steps see it: backend, provisioned pool, current client, variables.

Clients that keep state across the steps of a run (the Amplify model) keep it in ``stash``, keyed by their
type, so the context need not know them (pytest's Stash is the model).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.backends.base import Backend, ProvisionedClient, ProvisionedPool
from harness.clients.passkey import SoftwareAuthenticator
from harness.cognito import service
from harness.cognito.outcome import Outcome, call_boto3
from harness.scenario.model import Scenario
from harness.steps.builtins import builtins_for, mark_secret


class Variables(dict[str, Any]):
    """A run's variables: the value of a name the scenario lists in ``secrets`` is registered for redaction as
    it is set (by ``vars`` or a ``save``), before any report or attachment can show it.

    Constructed like a dict (``dataclasses.asdict`` and ``copy`` make copies so), with no secrets of its own:
    :meth:`for_scenario` makes the one a run uses."""

    secrets: frozenset[str] = frozenset()

    @classmethod
    def for_scenario(cls, secrets: tuple[str, ...], initial: dict[str, Any] | None = None) -> Variables:
        variables = cls()
        variables.secrets = frozenset(secrets)
        variables.update(initial or {})
        return variables

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, mark_secret(value) if name in self.secrets else value)

    def update(self, *args: Any, **kwargs: Any) -> None:  # every way in goes through __setitem__
        for name, value in dict(*args, **kwargs).items():
            self[name] = value

    def setdefault(self, name: str, default: Any = None) -> Any:
        if name not in self:
            self[name] = default
        return self[name]


@dataclass
class RunContext:
    scenario: Scenario
    backend: Backend
    pool: ProvisionedPool
    client: ProvisionedClient
    run_id: str
    variables: dict[str, Any] = field(default_factory=dict)
    authenticator: SoftwareAuthenticator = field(default_factory=SoftwareAuthenticator)  # this run's passkeys
    stash: dict[type, Any] = field(default_factory=dict)  # per-run state of stateful clients, by their type
    _builtins: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.variables, Variables):
            self.variables = Variables.for_scenario(self.scenario.secrets, self.variables)

    def scope(self) -> dict[str, Any]:
        """What templates can see: variables, the pool and client, and the built-in functions."""
        if self._builtins is None:  # made once per run: they read the context (its client, pool) when called
            self._builtins = builtins_for(self)
        return {
            **self._builtins,
            "pool": {"id": self.pool.pool_id, "name": self.pool.pool_name, "config": self.pool.config_name},
            "client": {"id": self.client.client_id, "name": self.client.name, "secret": self.client.secret},
            **self.variables,
        }

    def call(self, operation: str, params: dict[str, Any]) -> Outcome:
        """Call one Cognito operation on the run's backend, UserPoolId and ClientId filled in when left out."""
        return call_boto3(self.backend.cognito(), operation, self.with_defaults(operation, params))

    def with_defaults(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` with the pool's id and the current client's id where the operation takes them."""
        members = service.operation(operation).input_shape.members
        defaults = {"UserPoolId": self.pool.pool_id, "ClientId": self.client.client_id}
        filled = dict(params)
        for name in service.RUNNER_FILLED:
            if name in members and name not in filled:
                filled[name] = defaults[name]
        return filled
