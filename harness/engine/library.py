"""Scenario loading with the harness's step kinds: what the commands, the plugin and compare load through.

The scenario layer is handed the table of step kinds (it sits below them); this is the one place it is.
"""

from __future__ import annotations

from pathlib import Path

from harness.scenario.loader import PoolIndex
from harness.scenario.loader import discover as discover_with
from harness.scenario.loader import load_scenario as load_scenario_with
from harness.scenario.model import Library, Scenario
from harness.steps import STEP_KINDS


def discover(root: Path | str) -> Library:
    """Every scenario under ``root`` and the pools they can use (see harness.scenario.loader.discover)."""
    return discover_with(root, kinds=STEP_KINDS)


def load_scenario(path: Path | str, pools: PoolIndex | None = None) -> Scenario:
    """One scenario, checked (see harness.scenario.loader.load_scenario); raises SpecError."""
    return load_scenario_with(path, pools, kinds=STEP_KINDS)
