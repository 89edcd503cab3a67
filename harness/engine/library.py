"""Scenario loading with the harness's step kinds: what the commands, the plugin and compare load through.

The scenario layer is handed the table of step kinds (it sits below them); this is the one place it is. A
plugin that could not be used (harness/steps/plugins.py) is an issue of every load, so it never fails silently.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.scenario.errors import SpecError, SpecIssue
from harness.scenario.loader import PoolIndex, load_pools_folder, nearest_pools_dir
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


class FolderCache:
    """Loads scenario files one at a time, each as `discover(file)` would, looking up and loading the pools
    of each folder once instead of once per file (pytest collects file by file).

    What it has read it keeps for its lifetime, edits made meanwhile unseen: make one per run.
    """

    def __init__(self) -> None:
        self._pools_dir: dict[Path, Path | None] = {}
        self._pools: dict[Path, tuple[PoolIndex, tuple[SpecIssue, ...]]] = {}

    def load(self, file: Path) -> Library:
        """The one scenario in ``file`` (or its problems, its pools' included) with the pools it can use."""
        pools_dir = self._nearest_pools_dir(file.parent)
        index: PoolIndex | None = None
        issues: list[SpecIssue] = []
        if pools_dir is not None:
            if pools_dir not in self._pools:
                found, problems = load_pools_folder(pools_dir)
                self._pools[pools_dir] = (found, tuple(problems))
            index, pool_issues = self._pools[pools_dir]
            issues += pool_issues
        scenarios: tuple[Scenario, ...] = ()
        try:
            scenarios = (load_scenario(file, index),)
        except SpecError as exc:
            issues += exc.issues
        issues = sorted(dict.fromkeys(issues), key=lambda i: (str(i.path), i.line, i.col))  # shared fragments: once
        pools = {name: config for name, config in (index or {}).items() if config is not None}
        return Library(scenarios, pools, tuple(issues))

    def _nearest_pools_dir(self, folder: Path) -> Path | None:
        if folder not in self._pools_dir:
            found = nearest_pools_dir(folder)
            self._pools_dir[folder] = found.resolve() if found is not None else None
        return self._pools_dir[folder]
