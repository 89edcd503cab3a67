"""The language's own steps and step keys: fragments (``use:``), repeats (``repeat:``, groups) and ``retry:``.

Checking walks the steps as written, fragments included, with the names each point can see; building unrolls
them into the flat tuple of :class:`Step` the engine runs, every step knowing the fragment uses around it
(:class:`FragmentFrame`), its ``repeat`` values and its retry. Reports, diagrams and comparisons see plain
steps; only the runner looks at frames.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from harness.scenario.durations import parse_duration
from harness.scenario.errors import KeyPath, Problem, SpecIssue, format_key_path
from harness.scenario.expectations import build_expect
from harness.scenario.fragments import FragmentFile, FragmentFinder, fragment_folders
from harness.scenario.kinds import (
    CheckContext,
    StepPlace,
    StepTypes,
    build_step,
    check_expectation_of,
    check_step,
)
from harness.scenario.model import FragmentFrame, PoolConfig, Retry, SourcePlace, Step
from harness.scenario.template import BUILTIN_NAMES
from harness.scenario.template_checks import NameScope, check_templates
from harness.scenario.wording import did_you_mean, one_of
from harness.scenario.yaml_marks import YamlDocument

REPEAT = "repeat"
"""The name templates read a repeat's turn from (``repeat.index``); no variable may take it."""
MODIFIERS = ("repeat", "retry")
"""Keys any step may carry besides its kind's own."""
DEFAULT_EVERY = "1s"
MAX_STEPS = 1000
"""A scenario unrolls to at most this many steps (repeats and fragments counted out)."""


def reserved_name_problem(name: Any, path: KeyPath) -> Problem | None:
    """A variable, save or argument may not be named like a built-in or ``repeat``."""
    if name in BUILTIN_NAMES:
        return Problem(path, f"{name!r} is a built-in name", "choose another name", on_key=True)
    return _repeat_name(name, path)


def flow_form(raw: Mapping[str, Any], kinds: StepTypes) -> str:
    """``use``, ``steps`` (a group) or ``kind``: which sort of step ``raw`` is."""
    if any(key in raw for key in kinds):
        return "kind"
    if "use" in raw:
        return "use"
    if "steps" in raw:
        return "steps"
    return "kind"


def later_names(steps: Any, kinds: StepTypes) -> Iterator[tuple[str, KeyPath]]:
    """Names the steps define (saves, kept returns), with where, for "only defined later" hints."""
    for i, raw in enumerate(steps if isinstance(steps, list) else []):
        if not isinstance(raw, Mapping):
            continue
        if flow_form(raw, kinds) == "steps":
            for name, path in later_names(raw.get("steps"), kinds):
                yield name, (i, "steps", *path)
        elif isinstance(raw.get("save"), Mapping):
            for name in raw["save"]:
                yield str(name), (i, "save")


@dataclass
class FlowChecker:
    """Semantic checks of a list of steps, written in one file (a scenario or a fragment).

    Problems are returned in that file's key paths; problems found in fragments it uses are placed in the
    fragment's file and collected in ``issues`` (shared with the checkers of nested fragments).
    """

    kinds: StepTypes
    finder: FragmentFinder
    pools: tuple[str, ...]
    pool_configs: Mapping[str, PoolConfig | None] | None
    home: Path
    """The folder ``use:`` steps of this file are looked up from."""
    stack: tuple[str, ...] = ()
    """The fragments being checked, outermost first (a use of one of them is a recursion)."""
    issues: list[SpecIssue] = field(default_factory=list)
    checked: dict[tuple[int, tuple[str, ...]], list[SpecIssue]] = field(default_factory=dict)
    """Fragment bodies already checked in this load (by fragment and stack): a fragment used twice is one."""

    def check_steps(self, steps: Any, path: KeyPath, scope: NameScope) -> list[Problem]:
        problems: list[Problem] = []
        for i, raw in enumerate(steps if isinstance(steps, list) else []):
            if isinstance(raw, Mapping):
                problems += self._check_step(raw, (*path, i), scope)
        return problems

    def _check_step(self, raw: Mapping[str, Any], path: KeyPath, scope: NameScope) -> list[Problem]:
        repeated = isinstance(raw.get("repeat"), int)
        outer = scope.known.get(REPEAT)
        if repeated:
            scope.known[REPEAT] = f"{format_key_path(path)}.repeat"
        form = flow_form(raw, self.kinds)
        if form == "use":
            problems = self._check_use(raw, path, scope)
        elif form == "steps":
            problems = self.check_steps(raw.get("steps"), (*path, "steps"), scope)
        else:
            problems = self._check_kind_step(raw, path, scope)
        if repeated:
            if outer is None:
                scope.known.pop(REPEAT, None)
            else:
                scope.known[REPEAT] = outer
        return problems

    def _context(self, scope: NameScope) -> CheckContext:
        return CheckContext(self.pools, self.pool_configs, scope)

    def _check_kind_step(self, raw: Mapping[str, Any], path: KeyPath, scope: NameScope) -> list[Problem]:
        bare = {key: value for key, value in raw.items() if key not in MODIFIERS}
        problems: list[Problem] = []
        named = [key for key in self.kinds if key in raw]
        retry = raw.get("retry")
        if len(named) == 1 and isinstance(retry, Mapping):
            step_type = self.kinds[named[0]]
            if "until" in retry and step_type.expect_keys:
                until_path = (*path, "retry", "until")
                problems += check_expectation_of(step_type, bare, retry["until"], until_path, self._context(scope))
            for key in ("every", "for"):
                if key in retry and _seconds(retry[key]) == 0:
                    problems.append(Problem((*path, "retry", key), f"retry.{key} must be more than 0"))
        save = raw.get("save")
        if isinstance(save, Mapping):
            # check_step refuses built-in names; 'repeat' is this module's
            problems += [p for name in save if (p := _repeat_name(name, (*path, "save", name)))]
        return problems + check_step(bare, path, self._context(scope), self.kinds)

    def _check_use(self, raw: Mapping[str, Any], path: KeyPath, scope: NameScope) -> list[Problem]:
        name = raw.get("use")
        args: Mapping[str, Any] = raw["with"] if isinstance(raw.get("with"), Mapping) else {}
        save: Mapping[str, Any] = raw["save"] if isinstance(raw.get("save"), Mapping) else {}
        problems = [p for key, value in args.items() for p in check_templates(value, (*path, "with", key), scope)]
        problems += [p for new in save if (p := reserved_name_problem(new, (*path, "save", new)))]
        if not isinstance(name, str):
            return problems
        fragment = self.finder.find(name, self.home)
        if fragment is None:
            problems.append(Problem((*path, "use"), f"unknown fragment {name!r}", self._where_fragments(name)))
            _define(scope, save, path)
            return problems
        if name in self.stack:
            chain = " -> ".join((*self.stack, name))
            problems.append(Problem((*path, "use"), f"fragment {name!r} uses itself: {chain}", "a fragment cannot"))
            return problems
        if fragment.issues:
            self.issues += fragment.issues
            problems.append(Problem((*path, "use"), f"fragment {name!r} does not load", f"see {fragment.path}"))
            _define(scope, save, path)
            return problems
        problems += self._check_arguments(fragment, args, path)
        returns = fragment.returns
        for new, returned in save.items():
            if returned not in returns:
                said = f"it returns {one_of(returns)}" if returns else "it returns nothing"
                hint = did_you_mean(str(returned), returns) or f"{said}, declared at {fragment.where('returns')}"
                problems.append(Problem((*path, "save", new), f"fragment {name!r} returns no {returned!r}", hint))
        body = self._fragment_issues(fragment)
        if body:
            self.issues += body
            count = f"{len(body)} problem{'s' if len(body) > 1 else ''}"
            problems.append(Problem((*path, "use"), f"fragment {name!r} has {count}", f"see {fragment.path}"))
        _define(scope, save or dict(zip(returns, returns, strict=True)), path)
        return problems

    def _where_fragments(self, name: str) -> str:
        hint = did_you_mean(name, self.finder.names(self.home))
        if hint:
            return hint
        folders = fragment_folders(self.home)
        looked = ", ".join(str(f) for f in folders) if folders else f"no fragments/ folder above {self.home}"
        return f"a fragment is fragments/{name}.yaml; looked in {looked}"

    def _check_arguments(self, fragment: FragmentFile, given: Mapping[str, Any], path: KeyPath) -> list[Problem]:
        declared = fragment.args
        problems: list[Problem] = []
        for key in given:
            if key not in declared:
                takes = f"it takes {one_of(list(declared))}" if declared else "it takes no arguments"
                hint = did_you_mean(str(key), declared) or f"{takes}, declared at {fragment.where('args')}"
                problems.append(
                    Problem((*path, "with", key), f"fragment {fragment.name!r} has no argument {key!r}", hint, True)
                )
        where = (*path, "with") if "with" in given or given else (*path, "use")
        for arg, spec in declared.items():
            if arg not in given and "default" not in spec:
                message = f"fragment {fragment.name!r} needs the argument {arg!r}"
                problems.append(Problem(where, message, f"declared at {fragment.where('args', arg)}"))
        return problems

    def _fragment_issues(self, fragment: FragmentFile) -> list[SpecIssue]:
        """The problems of a fragment's body, in its own file, as this caller's pools see them."""
        key = (id(fragment), self.stack)
        if key in self.checked:
            return self.checked[key]
        scope = NameScope()
        problems: list[Problem] = []
        for arg, spec in fragment.args.items():
            reserved = reserved_name_problem(arg, ("args", arg))
            if reserved:
                problems.append(reserved)
            if "default" in spec:
                problems += check_templates(spec["default"], ("args", arg, "default"), scope)
            scope.define(arg, "args")
        steps = fragment.raw.get("steps")
        for name, where in later_names(steps, self.kinds):
            scope.later.setdefault(name, format_key_path(("steps", *where)))
        nested = FlowChecker(
            self.kinds,
            self.finder,
            self.pools,
            self.pool_configs,
            fragment.home,
            (*self.stack, fragment.name),
            checked=self.checked,
        )
        problems += nested.check_steps(steps, ("steps",), scope)
        for i, name in enumerate(fragment.returns):
            if name not in scope.known or scope.known[name] == "built-in":
                message = f"{name!r} is neither an argument nor saved by a step"
                problems.append(Problem(("returns", i), message, scope_hint(name, scope)))
        found = sorted({fragment.doc.marks.issue(fragment.path, p) for p in problems}, key=_issue_order)
        self.checked[key] = [*nested.issues, *found]
        return self.checked[key]


def scope_hint(name: str, scope: NameScope) -> str:
    return did_you_mean(name, [n for n, where in scope.known.items() if where != "built-in"])


def _issue_order(issue: SpecIssue) -> tuple[int, int, str]:
    return issue.line, issue.col, issue.message


def _repeat_name(name: Any, path: KeyPath) -> Problem | None:
    if name == REPEAT:
        return Problem(path, "'repeat' is reserved for the repeat index", "choose another name", on_key=True)
    return None


def _define(scope: NameScope, names: Mapping[Any, Any], path: KeyPath) -> None:
    for name in names:
        scope.define(str(name), f"{format_key_path(path)}.save")


def _seconds(value: Any) -> float | None:
    try:
        return parse_duration(value)
    except ValueError:
        return None  # the schema reports it


# --- unrolling ------------------------------------------------------------------------------------------


def unrolled_count(steps: Any, kinds: StepTypes, finder: FragmentFinder, home: Path) -> int:
    """How many steps ``steps`` (checked, without recursion) unroll to."""
    total = 0
    for raw in steps if isinstance(steps, list) else []:
        turns = int(raw.get("repeat") or 1)
        form = flow_form(raw, kinds)
        if form == "steps":
            total += turns * unrolled_count(raw["steps"], kinds, finder, home)
        elif form == "use":
            fragment = finder.find(str(raw["use"]), home)
            assert fragment is not None  # checked
            total += turns * unrolled_count(fragment.raw["steps"], kinds, finder, fragment.home)
        else:
            total += turns
        if total > MAX_STEPS:
            return total
    return total


@dataclass
class Unroller:
    """Builds the flat steps of checked raw steps (see the module's docstring)."""

    kinds: StepTypes
    finder: FragmentFinder
    steps: list[Step] = field(default_factory=list)

    def unroll(
        self,
        raw_steps: list[Any],
        path: KeyPath,
        doc: YamlDocument,
        *,
        home: Path,
        file: Path,
        anchor: tuple[int, int] | None = None,
        frames: tuple[FragmentFrame, ...] = (),
        bindings: Mapping[str, Any] | None = None,
        prefix: str = "",
        suffix: str = "",
    ) -> None:
        """Append the steps of ``raw_steps`` (at ``path`` in ``doc``, written in ``file``, using fragments from
        ``home``). ``anchor`` is the position in the scenario of the outermost ``use:`` around them, None for
        the scenario's own steps. Labels get ``prefix`` (``confirmed-user: ``) and ``suffix`` (`` (2/5)``)."""
        for i, raw in enumerate(raw_steps):
            mark = doc.marks.locate((*path, i))
            place = anchor or (mark.line, mark.col)
            turns = raw.get("repeat")
            for turn in range(turns or 1):
                here = dict(bindings or {})
                turn_words = ""
                if turns:
                    here[REPEAT] = {"index": turn, "number": turn + 1, "count": turns}
                    turn_words = f" ({turn + 1}/{turns})"
                form = flow_form(raw, self.kinds)
                if form == "steps":
                    named = f"{raw['name']}{turn_words}: " if raw.get("name") else ""
                    self.unroll(
                        raw["steps"], (*path, i, "steps"), doc, home=home, file=file, anchor=anchor, frames=frames,
                        bindings=here, prefix=prefix + named, suffix=suffix + ("" if named else turn_words),
                    )  # fmt: skip
                elif form == "use":
                    fragment = self.finder.find(str(raw["use"]), home)
                    assert fragment is not None  # checked
                    frame = _frame(fragment, raw, here, SourcePlace(file, mark.line, mark.col))
                    self.unroll(
                        list(fragment.raw["steps"]), ("steps",), fragment.doc, home=fragment.home,
                        file=fragment.path, anchor=place, frames=(*frames, frame), bindings={},
                        prefix=f"{prefix}{raw.get('name') or fragment.name}{turn_words}: ", suffix=suffix,
                    )  # fmt: skip
                else:
                    bare = {key: value for key, value in raw.items() if key not in MODIFIERS}
                    step = build_step(bare, StepPlace(len(self.steps), *place), self.kinds)
                    source = SourcePlace(file, mark.line, mark.col) if anchor else None
                    self.steps.append(
                        replace(
                            step,
                            label=f"{prefix}{step.label}{suffix}{turn_words}",
                            source=source,
                            frames=frames,
                            bindings=here,
                            retry=build_retry(raw.get("retry")),
                        )
                    )


def _frame(
    fragment: FragmentFile, raw: Mapping[str, Any], bindings: dict[str, Any], place: SourcePlace
) -> FragmentFrame:
    """One use of ``fragment`` as the step ``raw`` writes it."""
    given = dict(raw.get("with") or {})
    save = raw.get("save")
    defaults = {arg: spec["default"] for arg, spec in fragment.args.items() if "default" in spec}
    return FragmentFrame(
        fragment=fragment.name,
        args=given,
        defaults={arg: value for arg, value in defaults.items() if arg not in given},
        returns=dict(save) if isinstance(save, Mapping) else {name: name for name in fragment.returns},
        bindings=bindings,
        place=place,
    )


def build_retry(raw: Any) -> Retry | None:
    if not isinstance(raw, Mapping):
        return None
    until, until_by_pool = build_expect(raw["until"]) if "until" in raw else (None, {})
    return Retry(
        every_s=parse_duration(raw.get("every", DEFAULT_EVERY)),
        for_s=parse_duration(raw["for"]),
        until=until,
        until_by_pool=until_by_pool,
    )
