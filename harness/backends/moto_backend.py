"""moto's Cognito mock as a backend: a peer to compare the emulator with, not a substitute for it.

``moto.mock_aws`` runs for the backend's lifetime and intercepts every AWS call of this process (it also puts
fake credentials in the environment meanwhile), so it cannot share a process with the aws backend unless that
one talks to a local endpoint. moto has no clock to move and sends no messages, so clock and outbox steps are
skipped. Its ConfirmSignUp accepts any code, and its ConfirmForgotPassword checks only codes that start with
``moto-confirmation-code:``; neither is an outbox, so the backend does not pretend to have one.
"""

from __future__ import annotations

import time
from typing import Any

import boto3
from botocore.config import Config

from harness.backends.base import Powers, ProvisionedPool, Unsupported
from harness.backends.provision import delete_pool, provision_pool
from harness.scenario.model import PoolConfig

CLIENT_CONFIG = Config(parameter_validation=False, retries={"mode": "standard", "max_attempts": 1})


class MotoBackend:
    """Pools in moto's in-memory Cognito (``moto[cognitoidp]``, a dev dependency)."""

    name = "moto"
    powers = Powers(
        clock_max_s=0.0,
        clock_why="moto has no clock to move",
        outbox_why="moto sends no messages and keeps no outbox to read codes from",
        consistent=True,
        domain_why="moto serves no user pool domain (no /oauth2 endpoints)",
        managed_login_why="moto serves no managed login page",
        issuer_why="moto serves no issuer endpoints (.well-known/jwks.json, openid-configuration) to other clients",
    )

    def __init__(self, *, region: str = "us-east-1") -> None:
        try:
            from moto import mock_aws
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError("the moto backend needs moto: pip install 'moto[cognitoidp]'") from exc
        self.region = region
        self._mock = mock_aws()
        self._mock.start()
        self._client = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
        ).client("cognito-idp", config=CLIENT_CONFIG)
        self._closed = False

    def cognito(self) -> Any:
        return self._client

    def provision(self, config: PoolConfig, *, run_id: str) -> ProvisionedPool:
        if config.triggers:
            raise Unsupported(
                f"pool configuration {config.name!r} has Lambda triggers ({', '.join(config.triggers)}), which "
                "moto cannot run"
            )
        return provision_pool(self._client, config, run_id=run_id)

    def teardown(self, pool: ProvisionedPool) -> None:
        delete_pool(self._client, pool.pool_id)

    def now(self) -> float:
        return time.time()

    def advance_clock(self, seconds: float) -> None:
        raise Unsupported(self.powers.clock_why)

    def sent_messages(self, pool_id: str, to: str | None) -> list[dict[str, Any]]:
        raise Unsupported(self.powers.outbox_why or "")

    def jwks(self, pool_id: str) -> dict[str, Any]:
        """moto signs every pool's tokens with one key pair that ships with it."""
        from moto.utilities.utils import load_resource

        keys: dict[str, Any] = load_resource("cognitoidp/resources/jwks-public.json")
        return keys

    def issuer(self, pool_id: str) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{pool_id}"

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._mock.stop()
