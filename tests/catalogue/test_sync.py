"""docs/pitfalls.md is generated from scenarios/ and committed: it must cover every scenario and be current.

When this fails, regenerate it with the command in the message and commit the result.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.catalogue.pitfalls import COMMAND, render_catalogue
from harness.engine.library import discover
from harness.scenario.model import Library
from tests.catalogue.grammar import diagrams, problems

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "docs" / "pitfalls.md"
MERMAID_CHECK = Path(__file__).with_name("mermaid_parse.mjs")


def _library() -> Library:
    library = discover(REPO / "scenarios")
    assert library.ok, "scenarios/ has problems:\n" + "\n".join(str(issue) for issue in library.issues)
    return library


def test_the_committed_catalogue_is_in_sync_with_the_scenarios() -> None:
    assert CATALOGUE.is_file(), f"docs/pitfalls.md is missing: run `{COMMAND}`"
    expected = render_catalogue(_library(), CATALOGUE.parent)
    actual = CATALOGUE.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(actual.splitlines(), expected.splitlines(), "committed", "regenerated", lineterm="")
        shown = "\n".join(list(diff)[:40])
        pytest.fail(f"docs/pitfalls.md is out of date with scenarios/: run `{COMMAND}`\n{shown}", pytrace=False)


def test_every_scenario_has_a_section_an_index_entry_and_a_diagram() -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    library = _library()
    for scenario in library.scenarios:
        assert f'<a id="{scenario.id}"></a>' in text, f"no section for {scenario.id}: run `{COMMAND}`"
        assert f"](#{scenario.id})" in text, f"no index entry for {scenario.id}: run `{COMMAND}`"
    assert len(diagrams(text)) == len(library.scenarios)


def test_every_committed_diagram_fits_the_grammar() -> None:
    for diagram in diagrams(CATALOGUE.read_text(encoding="utf-8")):
        assert problems(diagram) == [], diagram.split("\n", 3)[2]


@pytest.mark.skipif(
    not (shutil.which("node") and os.environ.get("AUTHFLOW_MERMAID_DIR")),
    reason="set AUTHFLOW_MERMAID_DIR to a folder where `npm install mermaid jsdom` ran, to parse with Mermaid itself",
)
def test_every_committed_diagram_parses_with_mermaid() -> None:
    run = subprocess.run(
        ["node", str(MERMAID_CHECK), str(CATALOGUE)], capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
