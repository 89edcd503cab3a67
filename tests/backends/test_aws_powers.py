"""Emulator powers on a real pool: a short clock step waits in real time, a long one is skipped with the
reason; codes come from the code source the user configures, or the step is skipped. Never a silent pass."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from harness.backends.aws import AwsBackend
from harness.backends.base import Unsupported
from harness.emulator.server import EmulatorServer
from harness.engine.results import Status
from harness.engine.runner import run_scenario
from harness.scenario.model import Library
from tests.backends.conftest import side_door_codes


def test_a_short_clock_step_waits_in_real_time(make_backend: Callable[..., AwsBackend]) -> None:
    backend = make_backend(max_wait_s=1)
    started = time.monotonic()
    backend.advance_clock(0.3)
    assert time.monotonic() - started >= 0.3
    with pytest.raises(
        Unsupported, match=r"waiting 181s exceeds the limit of 1s \(raise it with AUTHFLOW_AWS_MAX_WAIT"
    ):
        backend.advance_clock(181)


def test_a_long_clock_step_skips_the_scenario(library: Library, make_backend: Callable[..., AwsBackend]) -> None:
    scenario = next(s for s in library.scenarios if s.id == "session-expired")
    result = run_scenario(scenario, library.pools["password-only"], make_backend(), run_id="wait1234")
    assert result.status is Status.SKIPPED
    assert "a real pool's clock cannot be moved" in result.message


def test_an_outbox_step_without_a_code_source_skips(library: Library, make_backend: Callable[..., AwsBackend]) -> None:
    scenario = next(s for s in library.scenarios if s.id == "sign-up-and-confirm")
    result = run_scenario(scenario, library.pools["password-only"], make_backend(), run_id="code1234")
    assert result.status is Status.SKIPPED
    assert "AUTHFLOW_CODE_SOURCE" in result.message


def test_with_a_code_source_the_codes_are_read_and_the_scenario_passes(
    library: Library, server: EmulatorServer, make_backend: Callable[..., AwsBackend]
) -> None:
    scenario = next(s for s in library.scenarios if s.id == "sign-up-and-confirm")
    backend = make_backend(code_source=side_door_codes(server.url))
    result = run_scenario(scenario, library.pools["password-only"], backend, run_id="code5678")
    assert result.status is Status.PASSED, result.message
