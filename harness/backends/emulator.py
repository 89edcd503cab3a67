"""The embedded emulator as a backend: in-process (default) or over a loopback HTTP server."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from botocore.config import Config

from harness.backends.base import EMULATOR_POWERS, Powers, ProvisionedPool, Unsupported
from harness.backends.provision import delete_pool, provision_pool
from harness.cognito import service
from harness.emulator import Emulator
from harness.emulator.lambda_runtime import TRIGGER_LOGS, HandlerFunction, RuntimeMissing, handler_function, is_handler
from harness.emulator.recipes import register_triggers
from harness.scenario.model import PoolConfig

if TYPE_CHECKING:  # imported when a run asks for the HTTP server (emulator-http): ~15 ms otherwise spent
    from harness.emulator.server import EmulatorServer

# The runner lets the service validate parameters, so scenarios can show what Cognito says about bad input.
CLIENT_CONFIG = Config(parameter_validation=False, retries={"mode": "standard", "total_max_attempts": 1})


class EmulatorBackend:
    """Pools in an embedded emulator; `http=True` puts a real loopback server between boto3 and it."""

    powers: Powers = EMULATOR_POWERS

    def __init__(self, *, http: bool = False) -> None:
        self.name = "emulator-http" if http else "emulator"
        self.emulator = Emulator()
        self._server: EmulatorServer | None = None
        if http:
            from harness.emulator.server import EmulatorServer

            self._server = EmulatorServer(self.emulator, "127.0.0.1", 0)
            self._server.start_in_thread()
            self._client = service.client(
                region_name=self.emulator.region,
                endpoint_url=self._server.url,
                aws_access_key_id="authflow",
                aws_secret_access_key="authflow",
                config=CLIENT_CONFIG,
            )
        else:
            self._client = self.emulator.client(config=CLIENT_CONFIG)
        # Handler triggers: one function (and worker process) per configuration for the backend's life, as a
        # run's deployment on AWS; configuration name -> (trigger -> ARN), and every function to close.
        self._handler_arns: dict[str, dict[str, str]] = {}  # key: the configuration's name and handler entries
        self._functions: list[HandlerFunction] = []

    def cognito(self) -> Any:
        return self._client

    def provision(self, config: PoolConfig, *, run_id: str) -> ProvisionedPool:
        if config.triggers:  # handlers, recipes and Python callables become LambdaConfig ARNs the emulator resolves
            others = {name: spec for name, spec in config.triggers.items() if not is_handler(spec)}
            lambda_config = {**self._handlers(config), **register_triggers(self.emulator, config.name, others)}
            merged = {**config.pool_params.get("LambdaConfig", {}), **lambda_config}
            config = replace(config, pool_params={**config.pool_params, "LambdaConfig": merged})
        return provision_pool(self._client, config, run_id=run_id)

    def _handlers(self, config: PoolConfig) -> dict[str, str]:
        """The ARNs of the configuration's handler triggers, registered on first use; Unsupported (the scenario
        is skipped) when a handler's runtime is not installed."""
        handlers = {name: spec for name, spec in config.triggers.items() if is_handler(spec)}
        key = json.dumps([config.name, handlers], sort_keys=True, default=str)
        if key not in self._handler_arns:
            made: dict[str, HandlerFunction] = {}
            try:
                for name, spec in handlers.items():
                    made[name] = handler_function(name, spec, region=self.emulator.region, label=config.name)
            except RuntimeMissing as exc:
                raise Unsupported(str(exc)) from None
            self._functions += made.values()
            self._handler_arns[key] = {
                name: self.emulator.triggers.register(function.arn, function) for name, function in made.items()
            }
        return self._handler_arns[key]

    def trigger_logs(self, pool_id: str) -> list[str]:
        """What the pool's handlers printed since the last time this was asked (each line "<Trigger>: ...")."""
        return TRIGGER_LOGS.take(pool_id)

    def teardown(self, pool: ProvisionedPool) -> None:
        TRIGGER_LOGS.take(pool.pool_id)
        delete_pool(self._client, pool.pool_id)

    def now(self) -> float:
        return self.emulator.clock.now()

    def advance_clock(self, seconds: float) -> None:
        self.emulator.advance_clock(seconds)

    def sent_messages(self, pool_id: str, to: str | None) -> list[dict[str, Any]]:
        return [
            {"Destination": m.destination, "Medium": m.medium, "Code": m.code, "Purpose": m.purpose}
            | ({"Link": m.link} if m.link else {})
            for m in self.emulator.outbox.messages(to=to, pool_id=pool_id)
        ]

    def jwks(self, pool_id: str) -> dict[str, Any]:
        return self.emulator.jwks(pool_id)

    def issuer(self, pool_id: str) -> str:
        return self.emulator.issuer(pool_id)

    def close(self) -> None:
        """Stop the server and every handler's worker process."""
        for function in self._functions:
            function.close()
        if self._server is not None:
            self._server.stop()
