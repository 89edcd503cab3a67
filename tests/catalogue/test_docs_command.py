"""`authflow docs`: writes the catalogue, shows outcomes from a results file, and --check finds a stale one."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.engine.results import ScenarioResult, Status
from harness.report.json_results import write_json
from harness.report.redact import Redactor
from tests.catalogue.helpers import write_library

SCENARIO = """\
    scenario: A pitfall
    symptom: It fails.
    tags: [demo]
    pools: [a]
    steps:
      - call: ListUserPools
        params: {MaxResults: 1}
"""


def test_docs_writes_the_catalogue_and_check_finds_it_current_then_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_library(tmp_path, pitfall=SCENARIO)
    scenarios, out = tmp_path / "scenarios", tmp_path / "docs" / "pitfalls.md"
    assert main(["docs", str(scenarios), "--out", str(out)]) == 0
    assert "## A pitfall" in out.read_text() and "- **Symptom**: It fails." in out.read_text()
    assert main(["docs", str(scenarios), "--out", str(out), "--check"]) == 0

    (scenarios / "pitfall.yaml").write_text(SCENARIO.replace("It fails.", "It fails differently."))
    capsys.readouterr()
    assert main(["docs", str(scenarios), "--out", str(out), "--check"]) == 1
    assert f"run `authflow docs {scenarios}/ --out {out}`" in capsys.readouterr().err
    assert "It fails differently." not in out.read_text()  # --check writes nothing


def test_docs_shows_the_outcomes_of_a_results_file(tmp_path: Path) -> None:
    write_library(tmp_path, pitfall=SCENARIO)
    results = tmp_path / "results.json"
    run = ScenarioResult("pitfall[a]", "A pitfall", "scenarios/pitfall.yaml", "a", "emulator", Status.PASSED,
                         started_at=1_738_324_800.0)  # fmt: skip
    write_json([run], results, run_info={}, redactor=Redactor())
    out = tmp_path / "docs" / "pitfalls.md"
    assert main(["docs", str(tmp_path / "scenarios"), "--out", str(out), "--results", str(results)]) == 0
    assert "| emulator | a | ✅ passed | 2025-01-31 12:00 UTC |" in out.read_text()


def test_docs_refuses_a_library_with_problems_and_an_unreadable_results_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_library(tmp_path, pitfall=SCENARIO)
    scenarios, out = tmp_path / "scenarios", tmp_path / "pitfalls.md"
    assert main(["docs", str(scenarios), "--out", str(out), "--results", str(tmp_path / "none.json")]) == 2
    (scenarios / "broken.yaml").write_text("scenario: Broken\nsteps: []\n")
    assert main(["docs", str(scenarios), "--out", str(out)]) == 1
    assert "broken.yaml" in capsys.readouterr().err
    assert not out.exists()


def test_a_team_gives_its_catalogue_its_own_title_and_introduction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_library(tmp_path, pitfall=SCENARIO)
    scenarios, out = tmp_path / "scenarios", tmp_path / "docs" / "sign-in.md"
    intro = tmp_path / "intro.md"
    intro.write_text("Our sign-in flows, as the **Acme** web app uses them.\n")
    options = ["--out", str(out), "--title", "Acme sign-in", "--intro", str(intro)]
    assert main(["docs", str(scenarios), *options]) == 0
    text = out.read_text()
    assert text.startswith("# Acme sign-in\n")
    assert "Cognito and Amplify pitfalls" not in text
    assert "Our sign-in flows, as the **Acme** web app uses them." in text
    assert f"one scenario of `{scenarios}/`" in text  # the team's library, not this repository's
    assert f"--title 'Acme sign-in' --intro {intro}" in text  # how to regenerate it, exactly
    assert main(["docs", str(scenarios), *options, "--check"]) == 0
    assert main(["docs", str(scenarios), "--out", str(out), "--check"]) == 1  # another title is another page

    capsys.readouterr()
    assert main(["docs", str(scenarios), "--out", str(out), "--intro", str(tmp_path / "missing.md")]) == 2
    assert "cannot read the introduction" in capsys.readouterr().err
