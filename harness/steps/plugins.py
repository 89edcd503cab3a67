"""Extensions from installed packages: template functions (``authflow.functions``) and step kinds
(``authflow.steps``), declared as Python entry points.

A team's package declares, in its ``pyproject.toml``::

    [project.entry-points."authflow.functions"]
    api_key_for = "acme_authflow.functions:api_key_for"
    [project.entry-points."authflow.steps"]
    graphql = "acme_authflow.graphql:KIND"

The entry point's name is what a scenario writes (``${{ api_key_for("staging") }}``, ``- graphql: ...``). Each
is loaded once per process and checked as the built-ins are; a plugin that cannot be loaded or breaks a rule is
not used, and becomes a :class:`PluginProblem`: a located issue (the line of the package's
``entry_points.txt``) that every scenario load reports, naming the package, so nothing fails silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from harness.scenario.entry_points import entry_points
from harness.scenario.errors import SpecIssue
from harness.scenario.template import BUILTIN_VALUES, FUNCTIONS_GROUP, OWN_FUNCTIONS, TemplateFunction, is_plugin_name

STEPS_GROUP = "authflow.steps"


@dataclass(frozen=True)
class PluginProblem:
    """A plugin that is not used, and why, with where it is declared."""

    group: str
    name: str
    value: str
    """The entry point's target, ``module:attribute``."""
    distribution: str
    """The declaring package, ``name version``."""
    message: str
    declared_in: Path | None = None
    line: int = 1

    def issue(self) -> SpecIssue:
        where = self.declared_in or Path(f"<plugin {self.distribution}>")
        message = f"plugin {self.distribution} ({self.name} = {self.value}): {self.message}"
        return SpecIssue(where, self.line, 1, f"{self.group}.{self.name}", message)


@dataclass(frozen=True)
class Loaded:
    """An entry point's object, or the problem that kept it from loading."""

    entry: metadata.EntryPoint
    value: Any = None
    problem: PluginProblem | None = None

    def fail(self, message: str) -> PluginProblem:
        return problem_of(self.entry, message)


def _distribution(entry: metadata.EntryPoint) -> metadata.Distribution | None:
    return getattr(entry, "dist", None)


def _declared_at(entry: metadata.EntryPoint) -> tuple[Path | None, int]:
    """The package's ``entry_points.txt`` and the line declaring ``entry`` (1 when it cannot be found)."""
    dist = _distribution(entry)
    folder = getattr(dist, "_path", None)  # a PathDistribution's .dist-info folder
    if not isinstance(folder, Path):
        return None, 1
    file = folder / "entry_points.txt"
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return file, 1
    section = ""
    for number, text in enumerate(lines, start=1):
        stripped = text.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
        elif section == entry.group and stripped.partition("=")[0].strip() == entry.name:
            return file, number
    return file, 1


def problem_of(entry: metadata.EntryPoint, message: str) -> PluginProblem:
    dist = _distribution(entry)
    who = f"{dist.metadata['Name']} {dist.version}" if dist is not None else "(unknown package)"
    file, line = _declared_at(entry)
    return PluginProblem(entry.group, entry.name, entry.value, who, message, file, line)


def load_group(group: str, taken: Mapping[str, str]) -> list[Loaded]:
    """Every entry point of ``group``, loaded, in name order; ``taken`` names the built-ins it may not reuse
    (name -> what it is). A name declared twice is a problem for each declaration."""
    entries = sorted(entry_points(group), key=lambda entry: (entry.name, entry.value))
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.name] = counts.get(entry.name, 0) + 1
    loaded: list[Loaded] = []
    for entry in entries:
        if not is_plugin_name(entry.name):
            problem = problem_of(entry, f"{entry.name!r} is not a valid name (lower-case letters, digits and _)")
        elif entry.name in taken:
            problem = problem_of(entry, f"{entry.name!r} is already {taken[entry.name]}")
        elif counts[entry.name] > 1:
            problem = problem_of(entry, f"{entry.name!r} is declared by more than one entry point")
        else:
            try:
                loaded.append(Loaded(entry, entry.load()))
            except Exception as exc:  # noqa: BLE001 - any failure of a plugin's import is reported, not raised
                loaded.append(Loaded(entry, problem=problem_of(entry, f"cannot load it: {type(exc).__name__}: {exc}")))
            continue
        loaded.append(Loaded(entry, problem=problem))
    return loaded


@cache
def plugin_functions() -> tuple[Mapping[str, TemplateFunction], tuple[PluginProblem, ...]]:
    """Template functions from ``authflow.functions`` and the problems of those that are not used.

    An entry point names a callable taking data and returning data, or a :class:`TemplateFunction` (to let it
    take ``env()`` or ``sensitive()`` values: ``takes_exposed=True``, for a function that shows nothing of them).
    """
    taken = dict.fromkeys(BUILTIN_VALUES | OWN_FUNCTIONS, "a built-in name")
    functions: dict[str, TemplateFunction] = {}
    problems: list[PluginProblem] = []
    for item in load_group(FUNCTIONS_GROUP, taken):
        if item.problem is not None:
            problems.append(item.problem)
        elif isinstance(item.value, TemplateFunction):
            declared: TemplateFunction = item.value
            functions[item.entry.name] = TemplateFunction(item.entry.name, declared.function, declared.takes_exposed)
        elif callable(item.value) and not isinstance(item.value, type):
            function: Callable[..., Any] = item.value
            functions[item.entry.name] = TemplateFunction(item.entry.name, function)
        else:
            problems.append(item.fail(f"{item.entry.value} is not a function (got {type(item.value).__name__})"))
    return functions, tuple(problems)
