"""Run one scenario against one pool configuration on one backend, producing a ScenarioResult.

An expectation that does not hold makes the scenario FAILED; anything else going wrong (provisioning, a
template that cannot be evaluated, a backend fault) makes it BROKEN. The pool is always torn down.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jmespath

from harness.backends.base import Backend, TriggerLogSource, Unsupported
from harness.cognito.outcome import Outcome
from harness.engine.expect import check, describe, render_expectation
from harness.engine.listener import Listener, SilentListener
from harness.engine.results import ScenarioResult, Status, StepResult
from harness.errors import AuthflowError
from harness.scenario.flow import REPEAT
from harness.scenario.model import Example, Expectation, FragmentFrame, PoolConfig, Retry, Scenario, SourcePlace, Step
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


def scenario_id(scenario: Scenario, pool: str, example: Example | None = None) -> str:
    """``sign-in[default]``, or ``sign-in[default][wrong-password]`` for a row of an examples table."""
    row = f"[{example.name}]" if example is not None else ""
    return f"{scenario.id}[{pool}]{row}"


def new_result(scenario: Scenario, pool: str, backend: str, example: Example | None = None) -> ScenarioResult:
    """A scenario's result before its steps: PASSED until something says otherwise."""
    return ScenarioResult(
        scenario_id=scenario_id(scenario, pool, example),
        title=scenario.title,
        file=display_path(scenario.path),
        pool=pool,
        backend=backend,
        status=Status.PASSED,
        tags=list(scenario.tags_for(example)),
        refs=list(scenario.refs),
        description=scenario.description,
        started_at=time.time(),
    )


def crashed_result(
    scenario: Scenario, pool: str, backend: str, error: BaseException, example: Example | None = None
) -> ScenarioResult:
    """The result of a run the harness itself failed to carry out: BROKEN, with the reason."""
    result = new_result(scenario, pool, backend, example)
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
    example: Example | None = None,
) -> ScenarioResult:
    """`step_runner` replaces how each step runs (compare's observe mode); the rest is the same run. `example`
    is the row of the scenario's examples table to run (None: its first row, for callers that know no rows)."""
    listener = listener or SilentListener()
    if example is None and scenario.examples:
        example = scenario.examples[0]
    result = new_result(scenario, pool_config.name, backend.name, example)
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
        _run_steps(scenario, example, ctx, result, listener, step_runner or run_step)
    except (HarnessFault, TemplateError, KeyError) as exc:
        result.status = Status.BROKEN
        result.message = reason_of(exc)
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


def reason_of(exc: Exception) -> str:
    """An exception's text for a reader. A KeyError's str() is the repr of its key (quoted): take the key's
    own text instead of stripping quotes, which would also cut a message's closing quote."""
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    return str(exc)


def _run_steps(
    scenario: Scenario,
    example: Example | None,
    ctx: RunContext,
    result: ScenarioResult,
    listener: Listener,
    step_runner: StepRunner,
) -> None:
    row_vars = example.vars if example is not None else {}
    for where, variables in (("examples", row_vars), ("vars", scenario.vars)):
        for name, raw in variables.items():
            try:
                ctx.variables[name] = render(raw, ctx.scope())
            except (TemplateError, ValueError) as exc:
                raise HarnessFault(f"{where}.{name}: {exc}") from None
    result.variables = ctx.variables
    frames = _Frames(ctx)
    for step in scenario.steps:
        if result.status is not Status.PASSED:
            stopped_at = next((s.index for s in result.steps if s.status is not Status.PASSED), None)
            because = "an earlier step did not pass" if stopped_at is None else f"step {stopped_at + 1} did not pass"
            not_run = StepResult(
                step.index,
                step.label,
                step.kind,
                step.line,
                Status.SKIPPED,
                message=f"not run: {because}",
            )
            with listener.step(step.label):
                listener.step_done(not_run)
            result.steps.append(not_run)
            continue
        with listener.step(step.label):
            try:
                frames.enter(step)
            except _EntryFailed as exc:
                step_result = StepResult(step.index, step.label, step.kind, step.line, exc.status, message=exc.message)
            else:
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
            written = f"line {step.line}, {_shown(step.source)}" if step.source else f"line {step.line}"
            result.message = f"step {step.index + 1} ({step.label}, {written}): {step_result.message}"
    if result.status is Status.PASSED:
        frames.leave_all()


def _shown(place: SourcePlace) -> str:
    return f"{display_path(place.path)}:{place.line}:{place.column}"


class _EntryFailed(Exception):
    """A fragment's arguments could not be rendered: the step that enters it ends so, without running."""

    def __init__(self, status: Status, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Frames:
    """The fragment uses the run is inside (``Step.frames``), each with its own variables.

    Before a step runs, the uses it is not in are left (their returned values copied to the scope around them)
    and the ones it is in are entered (their arguments rendered in the scope around them, then the defaults of
    the others in their own); ``ctx.variables`` is then the innermost scope, with the step's ``repeat`` values.
    """

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.top = ctx.variables
        self.open: list[tuple[FragmentFrame, dict[str, Any]]] = []

    def current(self) -> dict[str, Any]:
        return self.open[-1][1] if self.open else self.top

    def enter(self, step: Step) -> None:
        shared = 0
        while shared < min(len(self.open), len(step.frames)) and self.open[shared][0] is step.frames[shared]:
            shared += 1
        while len(self.open) > shared:
            self._leave()
        for frame in step.frames[shared:]:
            self._enter(frame)
        variables = self.current()
        variables.pop(REPEAT, None)
        variables.update(step.bindings)
        self.ctx.variables = variables

    def leave_all(self) -> None:
        while self.open:
            self._leave()

    def _enter(self, frame: FragmentFrame) -> None:
        around = {**self.current(), **frame.bindings}
        own: dict[str, Any] = {}
        for name, raw in frame.args.items():
            own[name] = self._render(raw, around, f"use {frame.fragment}: with.{name}")
        for name, raw in frame.defaults.items():
            own[name] = self._render(raw, own, f"use {frame.fragment}: args.{name}.default")
        self.open.append((frame, own))
        self.ctx.variables = own

    def _render(self, raw: Any, variables: dict[str, Any], where: str) -> Any:
        lacking = lacking_power(raw, self.ctx.backend.powers)
        if lacking:
            raise _EntryFailed(Status.SKIPPED, f"skipped: {lacking}")
        self.ctx.variables = variables
        try:
            return render(raw, self.ctx.scope())
        except (AuthflowError, ValueError, KeyError) as exc:
            raise _EntryFailed(Status.BROKEN, f"{where}: {reason_of(exc)}") from None

    def _leave(self) -> None:
        frame, own = self.open.pop()
        around = self.current()
        for name, returned in frame.returns.items():
            if returned in own:
                around[name] = own[returned]
        self.ctx.variables = around


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
    until = step.retry.until_for(ctx.pool.config_name, expectation) if step.retry else None
    lacking = kind.lacks(step, ctx.backend.powers) or lacking_power(
        [run_input, expectation.response, expectation.message, *_templates_of(until)], ctx.backend.powers
    )
    if step.retry and not lacking and not ctx.backend.powers.consistent:
        reason = ctx.backend.powers.lacks_clock(step.retry.every_s)
        lacking = f"retry every {step.retry.every_s:g}s: {reason}" if reason else None
    if lacking:  # declared up front: nothing of the step is sent
        outcome_result.status = Status.SKIPPED
        outcome_result.message = f"skipped: {lacking}"
        return outcome_result
    poll = _Poll(step.retry, until, ctx) if step.retry and until is not None else None
    while True:
        try:
            if step.client:
                ctx.client = ctx.pool.client(step.client)
            outcome = kind.run(step, ctx, render(run_input, ctx.scope()))
            if poll is None or poll.holds(outcome) or not poll.may_wait():
                break
        except Unsupported as exc:  # refused at the last moment (the aws guard)
            outcome_result.status = Status.SKIPPED
            outcome_result.message = f"skipped: {exc}"
            return outcome_result
        except (AuthflowError, ValueError, KeyError) as exc:  # a template, an input or a client the step names
            outcome_result.status = Status.BROKEN
            outcome_result.message = reason_of(exc)
            return outcome_result
        except Exception as exc:  # noqa: BLE001 - a backend fault is a result, not a crash
            outcome_result.status = Status.BROKEN
            outcome_result.message = f"{type(exc).__name__}: {exc}"
            return outcome_result
        finally:
            outcome_result.duration_s = time.perf_counter() - started
        poll.wait()
    outcome_result.request = outcome.request
    outcome_result.response = outcome.response
    outcome_result.retries = outcome.retries + (poll.attempts - 1 if poll else 0)
    try:
        expectation = render_expectation(expectation, ctx.scope())
    except (TemplateError, ValueError) as exc:
        outcome_result.status = Status.BROKEN
        outcome_result.message = f"expect: {exc}"
        return outcome_result
    problems = check(expectation, outcome, ctx)
    if poll is not None and poll.unmet:
        problems = poll.explain(problems)
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


def _templates_of(expectation: Expectation | None) -> list[Any]:
    return [expectation.response, expectation.message] if expectation is not None else []


class _Poll:
    """A ``retry:`` in progress: whether ``until`` holds, and whether there is time to try again.

    It waits with the backend's clock (a real pool's waits in real time); on a backend whose answers are
    consistent at once it never waits, so the step runs once there.
    """

    def __init__(self, retry: Retry, until: Expectation, ctx: RunContext) -> None:
        self.retry = retry
        self.until = until
        self.ctx = ctx
        self.own_until = retry.until is not None or bool(retry.until_by_pool)
        self.started = ctx.backend.now()
        self.attempts = 0
        self.unmet: list[str] = []

    def holds(self, outcome: Outcome) -> bool:
        """Whether ``until`` holds for this attempt's outcome (a template it cannot render raises)."""
        self.attempts += 1
        self.unmet = check(render_expectation(self.until, self.ctx.scope()), outcome, self.ctx)
        return not self.unmet

    def may_wait(self) -> bool:
        if self.ctx.backend.powers.consistent:
            return False
        return self.ctx.backend.now() - self.started + self.retry.every_s <= self.retry.for_s

    def wait(self) -> None:
        self.ctx.backend.advance_clock(self.retry.every_s)

    def explain(self, problems: list[str]) -> list[str]:
        """The step's problems, saying that retrying did not help (and why, on a consistent backend)."""
        if self.ctx.backend.powers.consistent:
            how = (
                f"retry: checked once ({self.ctx.backend.name} answers are consistent at once, "
                "so waiting would not change this one)"
            )
        else:
            elapsed = self.ctx.backend.now() - self.started
            how = f"retry: still not so after {self.attempts} attempts in {elapsed:.0f}s"
        if self.own_until:  # what until already said is not said again (until and expect are often the same)
            rest = [problem for problem in problems if problem not in self.unmet]
            return [f"{how}: until: {'; '.join(self.unmet)}", *rest]
        if problems:
            return [f"{how}: {problems[0]}", *problems[1:]]
        return [how]
