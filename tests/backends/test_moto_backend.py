"""The moto backend: pools in moto's mock for the backend's lifetime, no clock or outbox powers (skipped, never
passed), and the code behaviour docs/fidelity.md describes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.backends import create_backend
from harness.backends.base import Unsupported
from harness.backends.moto_backend import MotoBackend
from harness.engine.results import Status
from harness.engine.runner import run_scenario
from harness.scenario.model import Library


@pytest.fixture
def moto() -> Iterator[MotoBackend]:
    backend = create_backend("moto")
    assert isinstance(backend, MotoBackend)
    yield backend
    backend.close()


def test_a_scenario_runs_and_its_pool_is_deleted(moto: MotoBackend, library: Library) -> None:
    scenario = next(s for s in library.scenarios if s.id == "flow-not-enabled")
    passed = run_scenario(scenario, library.pools["password-only"], moto, run_id="moto1234")
    assert passed.status is Status.PASSED, passed.message
    assert passed.backend == "moto"
    # moto does not check ExplicitAuthFlows: the pitfall is not reproduced
    missed = run_scenario(scenario, library.pools["srp-only"], moto, run_id="moto1234")
    assert missed.status is Status.FAILED
    assert "expected InvalidParameterException, but the call succeeded" in missed.message
    assert moto.cognito().list_user_pools(MaxResults=60)["UserPools"] == []


def test_clock_and_outbox_steps_are_skipped_with_the_reason(moto: MotoBackend, library: Library) -> None:
    scenario = next(s for s in library.scenarios if s.id == "session-expired")
    result = run_scenario(scenario, library.pools["password-only"], moto, run_id="moto1234")
    assert result.status is Status.SKIPPED and "moto has no clock to move" in result.message
    with pytest.raises(Unsupported, match="no outbox"):
        moto.sent_messages("us-east-1_x", None)


def test_emulator_triggers_cannot_be_provisioned(moto: MotoBackend, library: Library) -> None:
    with pytest.raises(Unsupported, match="moto cannot run"):
        moto.provision(library.pools["custom-auth"], run_id="moto1234")


def test_moto_confirm_sign_up_accepts_any_code(moto: MotoBackend, library: Library) -> None:
    """What docs/fidelity.md says: moto checks no sign-up code, so scenarios about codes cannot fail there."""
    pool = moto.provision(library.pools["password-only"], run_id="moto1234")
    cognito = moto.cognito()
    client_id = pool.client(None).client_id
    cognito.sign_up(ClientId=client_id, Username="someone", Password="Correct-Horse-9!")
    cognito.confirm_sign_up(ClientId=client_id, Username="someone", ConfirmationCode="not-a-code")
    user = cognito.admin_get_user(UserPoolId=pool.pool_id, Username="someone")
    assert user["UserStatus"] == "CONFIRMED"
    moto.teardown(pool)


def test_tokens_verify_against_motos_published_keys(moto: MotoBackend, library: Library) -> None:
    scenario = next(s for s in library.scenarios if s.id == "flow-not-enabled")
    result = run_scenario(scenario, library.pools["password-only"], moto, run_id="moto1234")
    assert result.steps[-1].expected == {"success": True, "tokens": "valid"}
    assert result.status is Status.PASSED
