"""Teardown on the emulator backends: a pool goes with one DeleteUserPool; one with a managed-login domain
(which Cognito refuses to delete) loses its domain first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.backends.emulator import EmulatorBackend
from harness.scenario.model import ClientConfig, PoolConfig

CONFIG = PoolConfig(name="plain", path=Path("plain.yaml"), clients=(ClientConfig(name="web"),))


def operations_of(backend: EmulatorBackend) -> list[str]:
    """Every operation the backend's client sends from now on (botocore's before-call event)."""
    sent: list[str] = []

    def record(model: Any, **_: Any) -> None:
        sent.append(model.name)

    backend.cognito().meta.events.register("before-call.cognito-idp", record)
    return sent


@pytest.mark.parametrize("http", [False, True], ids=["in-process", "http"])
def test_a_pool_without_a_domain_goes_with_one_call(http: bool) -> None:
    backend = EmulatorBackend(http=http)
    try:
        pool = backend.provision(CONFIG, run_id="t1")
        sent = operations_of(backend)
        backend.teardown(pool)
        assert sent == ["DeleteUserPool"]
        assert backend.cognito().list_user_pools(MaxResults=10)["UserPools"] == []
    finally:
        backend.close()


def test_a_pool_with_a_domain_loses_the_domain_first() -> None:
    backend = EmulatorBackend()
    try:
        pool = backend.provision(CONFIG, run_id="t2")
        backend.cognito().create_user_pool_domain(Domain="teardown-test", UserPoolId=pool.pool_id)
        sent = operations_of(backend)
        backend.teardown(pool)
        assert sent == ["DeleteUserPool", "DescribeUserPool", "DeleteUserPoolDomain", "DeleteUserPool"]
        assert backend.cognito().list_user_pools(MaxResults=10)["UserPools"] == []
    finally:
        backend.close()
