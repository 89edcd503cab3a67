"""Step kinds: one object each (see :class:`harness.steps.kind.StepKind`), one module each under ``kinds/``, and
those installed packages add (entry points, ``authflow.steps``: harness/steps/plugins.py).

The built-in table is read from the modules of ``harness/steps/kinds`` that define ``KIND``, so a new kind is one
new module (plus its tests and docs). Reading a module's ``KIND`` is not registration by side effect: the table is
built here, in one place, from what the modules define. A plugin's kind is checked as the built-ins' schemas
are; one that breaks a rule is left out and reported (``PLUGIN_PROBLEMS``) wherever scenarios are loaded.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from harness.steps import kinds
from harness.steps.context import RunContext
from harness.steps.kind import StepKind
from harness.steps.plugins import STEPS_GROUP, Loaded, PluginProblem, load_group, plugin_functions

STEP_LEVEL_KEYS = frozenset({"name", "expect", "save", "client"})
"""Keys every kind may use besides its own: a kind cannot be named like one."""


def _read_kinds() -> Mapping[str, StepKind]:
    found: dict[str, StepKind] = {}
    for module_info in sorted(pkgutil.iter_modules(kinds.__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{kinds.__name__}.{module_info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, StepKind):
            if kind.key in found:
                raise RuntimeError(f"two step kinds are named {kind.key!r}")
            found[kind.key] = kind
    return MappingProxyType(found)


def _plugin_kind_problem(item: Loaded) -> str | None:
    """Why a plugin's object is not a usable step kind, or None."""
    kind: Any = item.value
    name = item.entry.name
    if not isinstance(kind, StepKind):
        return f"{item.entry.value} is not a StepKind instance (got {type(kind).__name__}); see harness/steps/kind.py"
    if getattr(kind, "key", None) != name:
        return f"its key is {getattr(kind, 'key', None)!r}, but the entry point names it {name!r}: they must be equal"
    schema = getattr(kind, "schema", None)
    if not isinstance(schema, dict):
        return "it has no schema (a dict: its branch of the scenario schema)"
    from jsonschema import Draft202012Validator  # here: only installed plugins' kinds are checked so
    from jsonschema.exceptions import SchemaError  # (imported at start-up, it would cost every run ~50 ms)

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return f"its schema is not a valid JSON Schema: {exc.message}"
    required = schema.get("required")
    if schema.get("type") != "object" or not isinstance(required, list) or not required or required[0] != name:
        return f'its schema must be {{"type": "object", "required": ["{name}", ...], ...}}: the key names the kind'
    if not isinstance(getattr(kind, "summary", None), str):
        return "it has no summary (a few words for the schema's description)"
    return None


def _read_plugin_kinds(builtin: Mapping[str, StepKind]) -> tuple[Mapping[str, StepKind], tuple[PluginProblem, ...]]:
    taken = {**dict.fromkeys(STEP_LEVEL_KEYS, "a key of every step"), **dict.fromkeys(builtin, "a built-in step kind")}
    found: dict[str, StepKind] = {}
    problems: list[PluginProblem] = []
    for item in load_group(STEPS_GROUP, taken):
        why = None if item.problem is not None else _plugin_kind_problem(item)
        if item.problem is not None:
            problems.append(item.problem)
        elif why is not None:
            problems.append(item.fail(why))
        else:
            found[item.entry.name] = item.value
    return MappingProxyType(found), tuple(problems)


BUILTIN_STEP_KINDS: Mapping[str, StepKind] = _read_kinds()
"""The harness's own step kinds by YAML key (the committed schemas/scenario.schema.json is made of these)."""
_PLUGIN_KINDS, _KIND_PROBLEMS = _read_plugin_kinds(BUILTIN_STEP_KINDS)

STEP_KINDS: Mapping[str, StepKind] = MappingProxyType({**BUILTIN_STEP_KINDS, **_PLUGIN_KINDS})
"""Every step kind by its YAML key: the built-ins, then those of installed plugins."""

PLUGIN_PROBLEMS: tuple[PluginProblem, ...] = (*_KIND_PROBLEMS, *plugin_functions()[1])
"""Plugins left out, and why: reported by every scenario load (harness/engine/library.py)."""

__all__ = ["BUILTIN_STEP_KINDS", "PLUGIN_PROBLEMS", "STEP_KINDS", "RunContext", "StepKind"]
