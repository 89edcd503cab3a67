"""Observe mode: run a scenario's steps and record what came back, whatever its expectations say.

Comparing pool configurations is often done before anyone knows what to expect. So every step runs as if it
had no `expect`, and an error answer is an observation, not a failure: the run goes on, and later steps show
what happens after it. Only a step the backend cannot do (skipped) or one that cannot run at all (broken: a
template naming a value an earlier step did not produce) stops the run, as in the runner.
"""

from __future__ import annotations

from dataclasses import replace

from harness.backends.base import Backend
from harness.engine.results import ScenarioResult, Status, StepResult
from harness.engine.runner import run_scenario, run_step
from harness.scenario.model import Example, Expectation, PoolConfig, Scenario, Step
from harness.steps.context import RunContext

OBSERVE = "observe"
ASSERT = "assert"
MODES = (OBSERVE, ASSERT)


def _without_expectations(step: Step) -> Step:
    return replace(step, expect=Expectation(), expect_by_pool={})


def observe_step(step: Step, ctx: RunContext) -> StepResult:
    """Run a step as if it had no `expect`: an error answer, or a save that found nothing, is an observation."""
    observed = run_step(_without_expectations(step), ctx)
    if observed.status is Status.FAILED:
        observed.status = Status.PASSED
        observed.message = ""
    observed.expected = None
    return observed


def observe_scenario(
    scenario: Scenario, pool_config: PoolConfig, backend: Backend, *, run_id: str, example: Example | None = None
) -> ScenarioResult:
    """Like :func:`run_scenario`, but every executed step is PASSED ("observed") unless skipped or broken."""
    return run_scenario(scenario, pool_config, backend, run_id=run_id, step_runner=observe_step, example=example)


def run_one(
    scenario: Scenario,
    pool_config: PoolConfig,
    backend: Backend,
    *,
    run_id: str,
    mode: str,
    example: Example | None = None,
) -> ScenarioResult:
    """One (scenario, pool, backend) run, of one row of its examples table when it has one, in the given mode:
    observe, or assert (the runner as it is)."""
    if mode == OBSERVE:
        return observe_scenario(scenario, pool_config, backend, run_id=run_id, example=example)
    if mode == ASSERT:
        return run_scenario(scenario, pool_config, backend, run_id=run_id, example=example)
    raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
