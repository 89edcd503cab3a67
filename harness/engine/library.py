"""Scenario loading with the harness's step kinds: what the commands, the plugin and compare load through.

The scenario layer is handed the table of step kinds (it sits below them); this is the one place it is. A
plugin that could not be used (harness/steps/plugins.py) is an issue of every load, so it never fails silently.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.scenario.errors import SpecError
from harness.scenario.loader import PoolIndex
from harness.scenario.loader import discover as discover_with
from harness.scenario.loader import load_scenario as load_scenario_with
from harness.scenario.model import Library, Scenario
from harness.steps import PLUGIN_PROBLEMS, STEP_KINDS


def discover(root: Path | str) -> Library:
    """Every scenario under ``root`` and the pools they can use (see harness.scenario.loader.discover)."""
    library = discover_with(root, kinds=STEP_KINDS)
    if not PLUGIN_PROBLEMS:
        return library
    return replace(library, issues=(*(problem.issue() for problem in PLUGIN_PROBLEMS), *library.issues))


def load_scenario(path: Path | str, pools: PoolIndex | None = None) -> Scenario:
    """One scenario, checked (see harness.scenario.loader.load_scenario); raises SpecError."""
    plugin_issues = [problem.issue() for problem in PLUGIN_PROBLEMS]
    try:
        scenario = load_scenario_with(path, pools, kinds=STEP_KINDS)
    except SpecError as exc:
        raise SpecError([*plugin_issues, *exc.issues]) from None
    if plugin_issues:
        raise SpecError(plugin_issues)
    return scenario
