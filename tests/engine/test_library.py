"""FolderCache: each scenario file loaded as discover(file) loads it, each folder's pools read once."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.engine import library
from harness.engine.library import FolderCache, discover

REPO = Path(__file__).resolve().parents[2]
POOL = "clients:\n  - name: web\n    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH]\n"
SCENARIO = "scenario: {title}\npools: [{pool}]\nsteps:\n  - call: AdminGetUser\n    params: {{Username: nobody}}\n"


@pytest.mark.parametrize("file", sorted((REPO / "scenarios").glob("*.yaml")), ids=lambda path: path.stem)
def test_each_shipped_scenario_loads_as_discover_loads_it(file: Path) -> None:
    # compared by their full text: a fragment's frame is equal only to itself (two uses are two frames), so two
    # loads of one file are never ==, yet must be the same in every field and value
    assert repr(FolderCache().load(file)) == repr(discover(file))


def test_a_folders_pools_are_read_once_and_their_problems_reach_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pools").mkdir()
    (tmp_path / "pools" / "good.yaml").write_text(POOL)
    (tmp_path / "pools" / "bad.yaml").write_text("clients: nope\n")
    (tmp_path / "a.yaml").write_text(SCENARIO.format(title="A", pool="good"))
    (tmp_path / "b.yaml").write_text(SCENARIO.format(title="B", pool="bad"))
    (tmp_path / "c.yaml").write_text(SCENARIO.format(title="C", pool="missing"))
    reads: list[Path] = []
    real = library.load_pools_folder

    def counted(folder: Path) -> object:
        reads.append(folder)
        return real(folder)

    monkeypatch.setattr(library, "load_pools_folder", counted)
    cache = FolderCache()
    loaded = {name: cache.load(tmp_path / f"{name}.yaml") for name in "abc"}
    assert reads == [(tmp_path / "pools").resolve()]
    for name, found in loaded.items():
        assert found == discover(tmp_path / f"{name}.yaml")
        assert any(issue.path.name == "bad.yaml" for issue in found.issues)  # as discover(file) says it
    assert not any("unknown pool" in issue.message for issue in loaded["b"].issues)  # it exists, it is broken
    assert any("unknown pool 'missing'" in issue.message for issue in loaded["c"].issues)


def test_a_file_without_a_pools_folder_loads_without_pools(tmp_path: Path) -> None:
    (tmp_path / "lonely.yaml").write_text(SCENARIO.format(title="Lonely", pool="default"))
    assert FolderCache().load(tmp_path / "lonely.yaml") == discover(tmp_path / "lonely.yaml")
