"""Observe mode: run a scenario's steps and record what came back, whatever its expectations say.

Comparing pool configurations is often done before anyone knows what to expect. So every step runs as if it
had no `expect`, and an error answer is an observation, not a failure: the run goes on, and later steps show
what happens after it. Only a step the backend cannot do (skipped) or one that cannot run at all (broken: a
template naming a value an earlier step did not produce) stops the run, as in the runner.
"""

from __future__ import annotations

import time
from dataclasses import replace

from harness.backends.base import Backend
from harness.engine.context import RunContext
from harness.engine.results import ScenarioResult, Status, StepResult
from harness.engine.runner import new_result, run_scenario, run_step
from harness.spec.model import Expectation, PoolConfig, Scenario, Step
from harness.spec.template import TemplateError, render

OBSERVE = "observe"
ASSERT = "assert"
MODES = (OBSERVE, ASSERT)


def _without_expectations(step: Step) -> Step:
    return replace(step, expect=Expectation(), expect_by_pool={})


def _not_run(step: Step) -> StepResult:
    message = "not run: an earlier step was skipped or broken"
    return StepResult(step.index, step.label, step.kind, step.line, Status.SKIPPED, message=message)


def observe_scenario(scenario: Scenario, pool_config: PoolConfig, backend: Backend, *, run_id: str) -> ScenarioResult:
    """Like :func:`run_scenario`, but every executed step is PASSED ("observed") unless skipped or broken."""
    result = new_result(scenario, pool_config.name, backend.name)
    clock = time.perf_counter()
    try:
        pool = backend.provision(pool_config, run_id=run_id)
    except Exception as exc:  # noqa: BLE001 - a provisioning failure is an observation too
        result.status = Status.BROKEN
        result.message = f"could not provision pool {pool_config.name!r}: {type(exc).__name__}: {exc}"
        result.duration_s = time.perf_counter() - clock
        return result
    try:
        ctx = RunContext(scenario, backend, pool, pool.client(scenario.client), run_id)
        for name, raw in scenario.vars.items():
            ctx.variables[name] = render(raw, ctx.scope())
        result.variables = ctx.variables
        for step in scenario.steps:
            if result.status is not Status.PASSED:
                result.steps.append(_not_run(step))
                continue
            observed = run_step(_without_expectations(step), ctx)
            if observed.status is Status.FAILED:  # an error answer, or a save that found nothing: observed
                observed.status = Status.PASSED
                observed.message = ""
            observed.expected = None
            result.steps.append(observed)
            if observed.status is not Status.PASSED:
                result.status = observed.status
                result.message = f"step {step.index + 1} ({step.label}, line {step.line}): {observed.message}"
    except (TemplateError, ValueError, KeyError) as exc:
        result.status = Status.BROKEN
        result.message = str(exc).strip("'\"")
    finally:
        try:
            backend.teardown(pool)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            if result.status is Status.PASSED:
                result.status = Status.BROKEN
                result.message = f"could not tear down pool {pool.pool_id}: {exc}"
        result.duration_s = time.perf_counter() - clock
    return result


def run_one(scenario: Scenario, pool_config: PoolConfig, backend: Backend, *, run_id: str, mode: str) -> ScenarioResult:
    """One (scenario, pool, backend) run in the given mode: observe, or assert (the runner as it is)."""
    if mode == OBSERVE:
        return observe_scenario(scenario, pool_config, backend, run_id=run_id)
    if mode == ASSERT:
        return run_scenario(scenario, pool_config, backend, run_id=run_id)
    raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
