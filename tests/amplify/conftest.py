"""An Amplify "app" on a pool of the emulator: call Amplify APIs and Cognito operations on one run's context."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.backends.emulator import EmulatorBackend
from harness.clients.amplify import AmplifyClient
from harness.cognito.outcome import Outcome
from harness.emulator import Emulator
from harness.emulator.server import EmulatorServer
from harness.engine.library import discover
from harness.scenario.model import Scenario
from harness.steps.context import RunContext

REPO = Path(__file__).resolve().parents[2]
POOLS = discover(REPO / "scenarios").pools
PASSWORD = "Correct-Horse-9!"


class App:
    """One scenario run's context on a provisioned pool, driven from Python."""

    def __init__(self, backend: EmulatorBackend, ctx: RunContext) -> None:
        self.backend = backend
        self.ctx = ctx
        self.client = AmplifyClient(
            call=ctx.call, clock=backend.now, pool_id=ctx.pool.pool_id, authenticator=ctx.authenticator
        )

    def amplify(self, api: str, **inputs: Any) -> Outcome:
        return self.client.call_api(api, inputs)

    def ok(self, api: str, **inputs: Any) -> dict[str, Any]:
        """An Amplify call that must succeed: its output."""
        outcome = self.amplify(api, **inputs)
        assert outcome.error is None, outcome.response
        return outcome.response

    def fails(self, api: str, **inputs: Any) -> dict[str, str]:
        """An Amplify call that must fail: its Error."""
        outcome = self.amplify(api, **inputs)
        assert outcome.error is not None, outcome.response
        return outcome.error

    def cognito(self, operation: str, **params: Any) -> dict[str, Any]:
        outcome = self.ctx.call(operation, params)
        assert outcome.error is None, outcome.response
        return outcome.response

    def code(self, destination: str) -> str:
        return str(self.backend.sent_messages(self.ctx.pool.pool_id, destination)[-1]["Code"])

    def user(self, username: str, password: str = PASSWORD, **attributes: str) -> None:
        """A confirmed user with a permanent password."""
        extra = [{"Name": name, "Value": value} for name, value in attributes.items()]
        self.cognito("AdminCreateUser", Username=username, MessageAction="SUPPRESS", UserAttributes=extra)
        self.cognito("AdminSetUserPassword", Username=username, Password=password, Permanent=True)

    def advance(self, seconds: float) -> None:
        self.backend.advance_clock(seconds)


@pytest.fixture(scope="module")
def backend() -> Iterator[EmulatorBackend]:
    running = EmulatorBackend()
    yield running
    running.close()


@pytest.fixture
def app(backend: EmulatorBackend) -> Iterator[Callable[..., App]]:
    """``app("custom-auth")``: an App on a fresh pool of that configuration (torn down after the test)."""
    pools = []

    def make(pool: str = "password-only", client: str | None = None) -> App:
        provisioned = backend.provision(POOLS[pool], run_id="amp")
        pools.append(provisioned)
        scenario = Scenario(id="amplify-test", path=Path("amplify-test.yaml"), title="amplify test")
        return App(backend, RunContext(scenario, backend, provisioned, provisioned.client(client), "amp"))

    yield make
    for provisioned in pools:
        backend.teardown(provisioned)


def operations(outcome: Outcome) -> list[str]:
    """The Cognito operations an Amplify call made, in order."""
    assert outcome.request is not None
    return [call["operation"] for call in outcome.request["calls"]]


def cognito_request(outcome: Outcome, index: int = -1) -> dict[str, Any]:
    assert outcome.request is not None
    request: dict[str, Any] = outcome.request["calls"][index]["request"]
    return request


@pytest.fixture
def emulator_server() -> Iterator[EmulatorServer]:
    """A fresh emulator on a loopback port, for the real Node clients (tests/amplify/node)."""
    running = EmulatorServer(Emulator(), "127.0.0.1", 0)
    running.start_in_thread()
    yield running
    running.stop()
