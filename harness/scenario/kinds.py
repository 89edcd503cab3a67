"""What the loader knows of step kinds: the checks every step gets, and the table it is handed.

The kinds themselves live in ``harness/steps`` (one object each); the loader is given their table
(:data:`harness.steps.STEP_KINDS`) and asks the kind named by a step's key for its checks and its
:class:`Step`. This module holds what is the same for every kind: ``expect`` and ``save`` checks, the
client a step names, and where a step sits.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import jmespath
import jmespath.exceptions

from harness.cognito import service
from harness.scenario.errors import KeyPath, Problem, format_key_path
from harness.scenario.expectations import ResponseCheck, check_expect, forms
from harness.scenario.model import PoolConfig, Step
from harness.scenario.template import BUILTIN_NAMES
from harness.scenario.template_checks import NameScope
from harness.scenario.wording import closest, did_you_mean, one_of


@dataclass
class CheckContext:
    """What a step's checks need to know about the scenario around it."""

    pools: tuple[str, ...]
    """The scenario's pools (a misspelt one read as the pool it evidently meant: see ``__post_init__``)."""
    pool_configs: Mapping[str, PoolConfig | None] | None
    """Known pool files (None for a broken one), or None when no pool directory is known."""
    scope: NameScope

    def __post_init__(self) -> None:
        """A pool name the loader reported as unknown ('did you mean ...') is read as the pool it evidently
        meant, so the problem is reported once, at the name, and not again on every per-pool ``expect``."""
        if self.pool_configs:
            known = self.pool_configs
            self.pools = tuple(name if name in known else (closest(name, known) or [name])[0] for name in self.pools)


@dataclass(frozen=True)
class StepPlace:
    """Where a step sits: its index and 1-based position."""

    index: int
    line: int
    column: int


class StepType(Protocol):
    """What the loader needs of a step kind (harness.steps.kind.StepKind implements it)."""

    @property
    def key(self) -> str: ...
    @property
    def expect_keys(self) -> tuple[str, ...]: ...
    @property
    def saves(self) -> bool: ...
    @property
    def extra_errors(self) -> frozenset[str]: ...
    @property
    def schema(self) -> dict[str, Any]: ...
    @property
    def summary(self) -> str: ...

    def check(self, raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]: ...
    def response_check(self, raw: Mapping[str, Any]) -> ResponseCheck | None: ...
    def build(self, raw: Mapping[str, Any], place: StepPlace) -> Step: ...
    def editor_schema(self) -> tuple[dict[str, Any], dict[str, Any]]: ...


StepTypes = Mapping[str, StepType]
"""Step kinds by the YAML key that names them."""


def check_step(raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext, kinds: StepTypes) -> list[Problem]:
    """All semantic problems of one step, then define the names it saves for the steps after it."""
    named = [key for key in kinds if key in raw]
    if len(named) != 1:
        return []  # the schema reports it
    step_type = kinds[named[0]]
    problems = step_type.check(raw, path, ctx)
    if "expect" in raw and step_type.expect_keys:  # else the schema reports 'expect' as unknown
        problems += check_expectation_of(step_type, raw, raw["expect"], (*path, "expect"), ctx)
    save = raw.get("save")
    if isinstance(save, Mapping) and step_type.saves:
        problems += _check_save(save, (*path, "save"))
        for name in save:
            ctx.scope.define(str(name), f"{format_key_path(path)}.save")
    return problems


def check_expectation_of(
    step_type: StepType, raw: Mapping[str, Any], expect: Any, path: KeyPath, ctx: CheckContext
) -> list[Problem]:
    """Problems of an expectation of the step ``raw`` written at ``path``: its ``expect``, or a ``retry.until``."""
    problems = check_expect(
        expect, path, ctx.pools, step_type.expect_keys, ctx.scope, step_type.response_check(raw), step_type.key
    )
    return _allow_errors(problems, expect, path, step_type.extra_errors)


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


def build_step(raw: Mapping[str, Any], place: StepPlace, kinds: StepTypes) -> Step:
    """The :class:`Step` of a checked raw step."""
    return kinds[next(key for key in kinds if key in raw)].build(raw, place)


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
