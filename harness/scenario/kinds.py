"""Step kinds: what each checks at load time and how it becomes a :class:`Step`.

A kind is a :class:`StepType` in :data:`STEP_TYPES`, keyed by the YAML key that names it. Adding one
(``amplify:``, ``srp:``) means a schema branch in ``schemas/scenario.schema.json``, a value of
:data:`harness.spec.model.StepKind`, and an entry here; the loader does not change.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import jmespath
import jmespath.exceptions

from harness.amplify.apis import API_NAMES, INPUTS, OUTPUTS, check_input, check_output_keys
from harness.amplify.errors import AMPLIFY_ERROR_NAMES
from harness.spec import service
from harness.spec.durations import parse_duration
from harness.spec.errors import KeyPath, Problem, format_key_path
from harness.spec.expectations import ResponseCheck, build_expect, check_expect, forms
from harness.spec.model import PoolConfig, Step
from harness.spec.shapes import check_response_keys, check_value
from harness.spec.template import BUILTIN_NAMES
from harness.spec.template_checks import NameScope, check_templates
from harness.spec.wording import did_you_mean, one_of


@dataclass
class CheckContext:
    """What a step's checks need to know about the scenario around it."""

    pools: tuple[str, ...]
    """The scenario's pools."""
    pool_configs: Mapping[str, PoolConfig | None] | None
    """Known pool files (None for a broken one), or None when no pool directory is known."""
    scope: NameScope


@dataclass(frozen=True)
class StepPlace:
    """Where a step sits: its index and 1-based position."""

    index: int
    line: int
    column: int


@dataclass(frozen=True)
class StepType:
    """One step kind: its YAML key, what its ``expect``/``save`` may hold, its checks and its builder."""

    key: str
    """The YAML key naming the kind (``call``)."""
    expect_keys: tuple[str, ...]
    """The expectation keys that make sense for this kind."""
    check: Callable[[Mapping[str, Any], KeyPath, CheckContext], list[Problem]]
    """Kind-specific problems (templates of the kind's own keys included)."""
    response_check: Callable[[Mapping[str, Any]], ResponseCheck | None]
    """A check of ``expect.response`` keys for this step, when the kind knows its response shape."""
    build: Callable[[Mapping[str, Any], StepPlace], Step]
    saves: bool = True
    """Whether the kind has a response that ``save`` can read."""
    extra_errors: frozenset[str] = frozenset()
    """Error names ``expect.error`` may name besides Cognito's (an Amplify step's EmptySignInPassword, ...)."""


def check_step(raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
    """All semantic problems of one step, then define the names it saves for the steps after it."""
    kinds = [key for key in STEP_TYPES if key in raw]
    if len(kinds) != 1:
        return []  # the schema reports it
    step_type = STEP_TYPES[kinds[0]]
    problems = step_type.check(raw, path, ctx)
    if "expect" in raw and step_type.expect_keys:  # else the schema reports 'expect' as unknown
        expect_problems = check_expect(
            raw["expect"],
            (*path, "expect"),
            ctx.pools,
            step_type.expect_keys,
            ctx.scope,
            step_type.response_check(raw),
            step_type.key,
        )
        problems += _allow_errors(expect_problems, raw["expect"], (*path, "expect"), step_type.extra_errors)
    save = raw.get("save")
    if isinstance(save, Mapping) and step_type.saves:
        problems += _check_save(save, (*path, "save"))
        for name in save:
            ctx.scope.define(str(name), f"{format_key_path(path)}.save")
    return problems


def _allow_errors(problems: list[Problem], expect: Any, path: KeyPath, extra: frozenset[str]) -> list[Problem]:
    """Accept a kind's own error names in ``expect.error``; an unknown one gets a hint from both lists.

    Replaces check_expect's "unknown error code" problem (its wording, at the ``error`` key) for such steps.
    """
    if not extra:
        return problems
    for _, sub, sub_path in forms(expect, path):
        error = sub.get("error") if isinstance(sub, Mapping) else None
        if not isinstance(error, str):
            continue
        where = (*sub_path, "error")
        problems = [p for p in problems if not (p.path == where and p.message.startswith("unknown error code"))]
        if error not in extra and error not in service.error_codes():
            hint = did_you_mean(error, [*extra, *service.error_codes()])
            problems.append(Problem(where, f"unknown error code {error!r}", hint))
    return problems


def saved_names(raw: Any) -> list[str]:
    """Names a raw step saves (for 'defined later' hints)."""
    save = raw.get("save") if isinstance(raw, Mapping) else None
    return [str(name) for name in save] if isinstance(save, Mapping) else []


def build_step(raw: Mapping[str, Any], place: StepPlace) -> Step:
    """The :class:`Step` of a checked raw step."""
    kind = next(key for key in STEP_TYPES if key in raw)
    return STEP_TYPES[kind].build(raw, place)


def _check_save(save: Mapping[str, Any], path: KeyPath) -> list[Problem]:
    problems: list[Problem] = []
    for name, expression in save.items():
        if name in BUILTIN_NAMES:
            problems.append(Problem((*path, name), f"{name!r} is a built-in name", "choose another name", on_key=True))
        if isinstance(expression, str) and expression:
            try:
                jmespath.compile(expression)
            except jmespath.exceptions.JMESPathError as exc:
                problems.append(Problem((*path, name), f"invalid JMESPath {expression!r}: {_jmespath_reason(exc)}"))
    return problems


def _jmespath_reason(exc: jmespath.exceptions.JMESPathError) -> str:
    """jmespath's messages span lines with a caret; say the same in one line."""
    if isinstance(exc, jmespath.exceptions.IncompleteExpressionError):
        return "the expression ends too early"
    if isinstance(exc, jmespath.exceptions.LexerError):
        reason, position = str(exc.message), exc.lexer_position
    elif isinstance(exc, jmespath.exceptions.ParseError):
        reason, position = str(exc.msg), exc.lex_position
    else:
        return str(exc).splitlines()[0]
    reason = reason[:1].lower() + reason[1:]
    return f"{reason} at character {position + 1}" if isinstance(position, int) else reason


def _check_client(raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
    client = raw.get("client")
    if not isinstance(client, str):
        return []
    return check_client_exists(client, (*path, "client"), ctx.pools, ctx.pool_configs)


def check_client_exists(
    client: str, path: KeyPath, pools: Collection[str], configs: Mapping[str, PoolConfig | None] | None
) -> list[Problem]:
    """A named client must exist in every pool the scenario runs on."""
    problems: list[Problem] = []
    for pool in pools:
        config = configs.get(pool) if configs else None
        if config is None:
            continue
        names = [c.name for c in config.clients]
        if client not in names:
            hint = did_you_mean(client, names) or f"its clients are {one_of(names)}"
            problems.append(Problem(path, f"pool {pool!r} has no client {client!r}", hint))
    return problems


# --- call -----------------------------------------------------------------------------------------------


def _check_call(raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
    problems = _check_client(raw, path, ctx)
    params = raw.get("params", {})
    problems += check_templates(params, (*path, "params"), ctx.scope)
    name = raw.get("call")
    if not isinstance(name, str) or not name:
        return problems
    if name not in service.operation_names():
        hint = did_you_mean(name, service.operation_names())
        return [*problems, Problem((*path, "call"), f"unknown operation {name!r}", hint)]
    shape = service.operation(name).input_shape
    if isinstance(params, Mapping) and shape is not None:
        problems += check_value(shape, params, (*path, "params"), skip_required=service.RUNNER_FILLED)
    elif isinstance(params, Mapping) and params:
        problems.append(Problem((*path, "params"), f"{name} takes no parameters"))
    return problems


def _call_response_check(raw: Mapping[str, Any]) -> ResponseCheck | None:
    name = raw.get("call")
    if not isinstance(name, str) or name not in service.operation_names():
        return None
    output = service.operation(name).output_shape

    def check(expected: Any, path: KeyPath) -> list[Problem]:
        return check_response_keys(output, expected, path, name)

    return check


def _build_call(raw: Mapping[str, Any], place: StepPlace) -> Step:
    operation = str(raw["call"])
    expect, by_pool = build_expect(raw.get("expect"))
    return Step(
        index=place.index,
        line=place.line,
        column=place.column,
        kind="call",
        label=str(raw.get("name") or f"call {operation}"),
        operation=operation,
        params=dict(raw.get("params") or {}),
        client=raw.get("client"),
        expect=expect,
        expect_by_pool=by_pool,
        save=dict(raw.get("save") or {}),
    )


# --- clock ----------------------------------------------------------------------------------------------


def _check_clock(raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
    return []  # the schema checks the duration's form


def _build_clock(raw: Mapping[str, Any], place: StepPlace) -> Step:
    advance = raw["clock"]["advance"]
    return Step(
        index=place.index,
        line=place.line,
        column=place.column,
        kind="clock",
        label=str(raw.get("name") or f"clock advance {advance}"),
        clock_advance_s=parse_duration(advance),
    )


# --- outbox ---------------------------------------------------------------------------------------------


def _check_outbox(raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
    return check_templates(raw.get("outbox"), (*path, "outbox"), ctx.scope)


def _build_outbox(raw: Mapping[str, Any], place: StepPlace) -> Step:
    to = raw["outbox"]["to"]
    expect, by_pool = build_expect(raw.get("expect"))
    return Step(
        index=place.index,
        line=place.line,
        column=place.column,
        kind="outbox",
        label=str(raw.get("name") or f"outbox to {to}"),
        expect=expect,
        expect_by_pool=by_pool,
        save=dict(raw.get("save") or {}),
        outbox_to=to,
    )


def _no_response_check(raw: Mapping[str, Any]) -> ResponseCheck | None:
    return None


# --- srp ------------------------------------------------------------------------------------------------


def _check_srp(raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
    return _check_client(raw, path, ctx) + check_templates(raw.get("srp"), (*path, "srp"), ctx.scope)


def _build_srp(raw: Mapping[str, Any], place: StepPlace) -> Step:
    expect, by_pool = build_expect(raw.get("expect"))
    inputs = dict(raw["srp"])
    return Step(
        index=place.index,
        line=place.line,
        column=place.column,
        kind="srp",
        label=str(raw.get("name") or f"SRP sign-in ({inputs.get('flow', 'USER_SRP_AUTH')})"),
        params=inputs,
        client=raw.get("client"),
        expect=expect,
        expect_by_pool=by_pool,
        save=dict(raw.get("save") or {}),
    )


# --- amplify --------------------------------------------------------------------------------------------


def _check_amplify(raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
    problems = _check_client(raw, path, ctx)
    inputs = raw.get("input", {})
    problems += check_templates(inputs, (*path, "input"), ctx.scope)
    api = raw.get("amplify")
    if not isinstance(api, str) or not api:
        return problems
    if api not in API_NAMES:
        hint = did_you_mean(api, API_NAMES) or f"the APIs are {one_of(API_NAMES, limit=20)}"
        return [*problems, Problem((*path, "amplify"), f"unknown Amplify API {api!r}", hint)]
    return problems + check_input(INPUTS[api], inputs, (*path, "input"), api)


def _amplify_response_check(raw: Mapping[str, Any]) -> ResponseCheck | None:
    api = raw.get("amplify")
    if not isinstance(api, str) or api not in OUTPUTS:
        return None
    output = OUTPUTS[api]

    def check(expected: Any, path: KeyPath) -> list[Problem]:
        return check_output_keys(output, expected, path, api)

    return check


def _build_amplify(raw: Mapping[str, Any], place: StepPlace) -> Step:
    api = str(raw["amplify"])
    expect, by_pool = build_expect(raw.get("expect"))
    return Step(
        index=place.index,
        line=place.line,
        column=place.column,
        kind="amplify",
        label=str(raw.get("name") or f"amplify {api}"),
        operation=api,
        params=dict(raw.get("input") or {}),
        client=raw.get("client"),
        expect=expect,
        expect_by_pool=by_pool,
        save=dict(raw.get("save") or {}),
    )


STEP_TYPES: dict[str, StepType] = {
    "call": StepType(
        "call",
        ("challenge", "error", "message", "response", "tokens"),
        _check_call,
        _call_response_check,
        _build_call,
    ),
    "clock": StepType("clock", (), _check_clock, _no_response_check, _build_clock, saves=False),
    "outbox": StepType("outbox", ("response",), _check_outbox, _no_response_check, _build_outbox),
    "srp": StepType(
        "srp", ("challenge", "error", "message", "response", "tokens"), _check_srp, _no_response_check, _build_srp
    ),
    "amplify": StepType(
        "amplify",
        ("error", "message", "response"),
        _check_amplify,
        _amplify_response_check,
        _build_amplify,
        extra_errors=AMPLIFY_ERROR_NAMES,
    ),
}
