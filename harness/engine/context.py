"""The state of one scenario run: backend, provisioned pool, current client and variables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.amplify.state import AmplifyState
from harness.authenticator import SoftwareAuthenticator
from harness.backends.base import Backend, ProvisionedClient, ProvisionedPool
from harness.engine.builtins import builtins_for
from harness.spec.model import Scenario


@dataclass
class RunContext:
    scenario: Scenario
    backend: Backend
    pool: ProvisionedPool
    client: ProvisionedClient
    run_id: str
    variables: dict[str, Any] = field(default_factory=dict)
    authenticator: SoftwareAuthenticator = field(default_factory=SoftwareAuthenticator)  # this run's passkeys
    amplify: AmplifyState = field(default_factory=AmplifyState)  # Amplify JS's state, for amplify steps

    def scope(self) -> dict[str, Any]:
        """What templates can see: variables, the pool and client, and the built-in functions."""
        return {
            **builtins_for(self),
            "pool": {"id": self.pool.pool_id, "name": self.pool.pool_name, "config": self.pool.config_name},
            "client": {"id": self.client.client_id, "name": self.client.name, "secret": self.client.secret},
            **self.variables,
        }
