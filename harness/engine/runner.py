"""Run one scenario against one pool configuration on one backend, producing a ScenarioResult.

An expectation that does not hold makes the scenario FAILED; anything else going wrong (provisioning, a
template that cannot be evaluated, a backend fault) makes it BROKEN. The pool is always torn down.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import jmespath

from harness.backends.base import Backend, TriggerLogSource, Unsupported
from harness.engine.expect import check, describe, render_expectation
from harness.engine.listener import Listener, SilentListener
from harness.engine.results import ScenarioResult, Status, StepResult
from harness.errors import AuthflowError
from harness.scenario.model import PoolConfig, Scenario, Step
from harness.scenario.template import TemplateError, render
from harness.steps import STEP_KINDS
from harness.steps.builtins import lacking_power
from harness.steps.context import RunContext

StepRunner = Callable[[Step, RunContext], StepResult]


class HarnessFault(AuthflowError):
    """Something other than an expectation went wrong: the result is BROKEN."""


def display_path(path: Path) -> str:
    """Scenario files are shown relative to the working directory when they are under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def scenario_id(scenario: Scenario, pool: str) -> str:
    return f"{scenario.id}[{pool}]"


def new_result(scenario: Scenario, pool: str, backend: str) -> ScenarioResult:
    """A scenario's result before its steps: PASSED until something says otherwise."""
    return ScenarioResult(
        scenario_id=scenario_id(scenario, pool),
        title=scenario.title,
        file=display_path(scenario.path),
        pool=pool,
        backend=backend,
        status=Status.PASSED,
        tags=list(scenario.tags),
        refs=list(scenario.refs),
        description=scenario.description,
        started_at=time.time(),
    )


def crashed_result(scenario: Scenario, pool: str, backend: str, error: BaseException) -> ScenarioResult:
    """The result of a run the harness itself failed to carry out: BROKEN, with the reason."""
    result = new_result(scenario, pool, backend)
    result.status = Status.BROKEN
    result.message = f"the harness crashed: {type(error).__name__}: {error}"
    return result


def run_scenario(
    scenario: Scenario,
    pool_config: PoolConfig,
    backend: Backend,
    *,
    run_id: str,
    listener: Listener | None = None,
    step_runner: StepRunner | None = None,
) -> ScenarioResult:
    """`step_runner` replaces how each step runs (compare's observe mode); the rest is the same run."""
    listener = listener or SilentListener()
    result = new_result(scenario, pool_config.name, backend.name)
    clock = time.perf_counter()
    try:
        pool = backend.provision(pool_config, run_id=run_id)
    except Unsupported as exc:  # the backend cannot run this configuration (e.g. node is not installed)
        result.status = Status.SKIPPED
        result.message = str(exc)
        result.duration_s = time.perf_counter() - clock
        return result
    except Exception as exc:  # noqa: BLE001 - any provisioning failure is reported, not raised
        result.status = Status.BROKEN
        result.message = f"could not provision pool {pool_config.name!r}: {type(exc).__name__}: {exc}"
        result.duration_s = time.perf_counter() - clock
        return result
    try:
        ctx = RunContext(scenario, backend, pool, pool.client(scenario.client), run_id)
        _run_steps(scenario, ctx, result, listener, step_runner or run_step)
    except (HarnessFault, TemplateError, KeyError) as exc:
        result.status = Status.BROKEN
        result.message = str(exc).strip("'\"")
    finally:
        try:
            backend.teardown(pool)
        except Exception as exc:  # noqa: BLE001 - a failed teardown is reported, not raised
            failure = f"could not tear down pool {pool.pool_id}: {exc}"
            if result.status is Status.PASSED:
                result.status = Status.BROKEN
                result.message = failure
            else:  # the scenario's own outcome stays, and the pool left behind is said too
                result.message = f"{result.message}\nteardown: {failure}" if result.message else f"teardown: {failure}"
        result.duration_s = time.perf_counter() - clock
    return result


def _run_steps(
    scenario: Scenario, ctx: RunContext, result: ScenarioResult, listener: Listener, step_runner: StepRunner
) -> None:
    for name, raw in scenario.vars.items():
        try:
            ctx.variables[name] = render(raw, ctx.scope())
        except (TemplateError, ValueError) as exc:
            raise HarnessFault(f"vars.{name}: {exc}") from None
    result.variables = ctx.variables
    for step in scenario.steps:
        if result.status is not Status.PASSED:
            not_run = StepResult(
                step.index,
                step.label,
                step.kind,
                step.line,
                Status.SKIPPED,
                message="not run: an earlier step did not pass",
            )
            with listener.step(step.label):
                listener.step_done(not_run)
            result.steps.append(not_run)
            continue
        with listener.step(step.label):
            step_result = step_runner(step, ctx)
            if step_result.request is not None:
                listener.attach_json("request", step_result.request)
            listener.attach_json("response", step_result.response)
            if step_result.logs:
                listener.attach_json("trigger logs", step_result.logs)
            listener.step_done(step_result)
        result.steps.append(step_result)
        if step_result.status is not Status.PASSED:
            # A skipped step (a power the backend lacks) skips the rest: later steps depend on it.
            result.status = step_result.status
            result.message = f"step {step.index + 1} ({step.label}, line {step.line}): {step_result.message}"


def run_step(step: Step, ctx: RunContext) -> StepResult:
    """Run one step; a step's own `client:` holds for the call and its checks (tokens: valid reads it)."""
    default_client = ctx.client
    try:
        result = _run_step(step, ctx)
    finally:
        ctx.client = default_client
    if isinstance(ctx.backend, TriggerLogSource):  # what the pool's trigger handlers printed during the step
        result.logs = ctx.backend.trigger_logs(ctx.pool.pool_id)
    return result


def _run_step(step: Step, ctx: RunContext) -> StepResult:
    started = time.perf_counter()
    expectation = step.expectation_for(ctx.pool.config_name)
    outcome_result = StepResult(
        step.index, step.label, step.kind, step.line, Status.PASSED, expected=describe(expectation)
    )
    kind = STEP_KINDS[step.kind]
    run_input = kind.run_input(step)
    lacking = kind.lacks(step, ctx.backend.powers) or lacking_power(
        [run_input, expectation.response, expectation.message], ctx.backend.powers
    )
    if lacking:  # declared up front: nothing of the step is sent
        outcome_result.status = Status.SKIPPED
        outcome_result.message = f"skipped: {lacking}"
        return outcome_result
    try:
        if step.client:
            ctx.client = ctx.pool.client(step.client)
        outcome = kind.run(step, ctx, render(run_input, ctx.scope()))
    except Unsupported as exc:  # refused at the last moment (the aws guard)
        outcome_result.status = Status.SKIPPED
        outcome_result.message = f"skipped: {exc}"
        return outcome_result
    except (AuthflowError, ValueError, KeyError) as exc:  # a template, an input or a client the step names
        outcome_result.status = Status.BROKEN
        outcome_result.message = str(exc).strip("'\"")
        return outcome_result
    except Exception as exc:  # noqa: BLE001 - a backend fault is a result, not a crash
        outcome_result.status = Status.BROKEN
        outcome_result.message = f"{type(exc).__name__}: {exc}"
        return outcome_result
    finally:
        outcome_result.duration_s = time.perf_counter() - started
    outcome_result.request = outcome.request
    outcome_result.response = outcome.response
    outcome_result.retries = outcome.retries
    try:
        expectation = render_expectation(expectation, ctx.scope())
    except (TemplateError, ValueError) as exc:
        outcome_result.status = Status.BROKEN
        outcome_result.message = f"expect: {exc}"
        return outcome_result
    problems = check(expectation, outcome, ctx)
    for name, path in step.save.items():
        value = jmespath.search(path, outcome.response)
        if value is None:
            problems.append(f"save: {name} = {path} found nothing in the response")
        else:
            ctx.variables[name] = value
    if problems:
        outcome_result.status = Status.FAILED
        outcome_result.message = "; ".join(problems)
    return outcome_result
