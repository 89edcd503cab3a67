"""Fixtures for the spec layer's tests: a scratch scenario folder with the shipped example pools."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.engine.library import load_scenario
from harness.scenario import SpecError
from harness.scenario.loader import PoolIndex, load_pool

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_POOLS = ("default", "password-only", "user-auth")


@pytest.fixture
def scenario_dir(tmp_path: Path) -> Path:
    """``<tmp>/scenarios`` holding ``pools/`` with copies of the example pools this layer ships."""
    folder = tmp_path / "scenarios"
    (folder / "pools").mkdir(parents=True)
    for name in EXAMPLE_POOLS:
        shutil.copy(REPO / "scenarios" / "pools" / f"{name}.yaml", folder / "pools" / f"{name}.yaml")
    return folder


@pytest.fixture
def pools(scenario_dir: Path) -> PoolIndex:
    return {name: load_pool(scenario_dir / "pools" / f"{name}.yaml") for name in EXAMPLE_POOLS}


@pytest.fixture
def issues_of(scenario_dir: Path, pools: PoolIndex) -> Callable[[str], list[str]]:
    """Write ``text`` as ``case.yaml`` and return its issues as strings, paths relative to the folder."""

    def run(text: str) -> list[str]:
        file = scenario_dir / "case.yaml"
        file.write_text(text, encoding="utf-8")
        try:
            load_scenario(file, pools)
        except SpecError as exc:
            return [str(issue).replace(f"{scenario_dir}/", "") for issue in exc.issues]
        return []

    return run
