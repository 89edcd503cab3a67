"""The pitfalls catalogue: in sync with the scenarios, every scenario covered, Mermaid that parses."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from harness.catalogue.mermaid import sequence_diagram
from harness.catalogue.pitfalls import render_catalogue
from harness.engine.results import ScenarioResult, Status
from harness.spec.loader import discover

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "docs" / "pitfalls.md"
COMMAND = ".venv/bin/authflow docs scenarios --out docs/pitfalls.md"

# The statement forms the generator writes, as Mermaid's sequence-diagram grammar reads them.
_MESSAGE = r"[^;#\n]*(#(35|59|lt|gt);[^;#\n]*)*"
STATEMENTS = [
    re.compile(r"^sequenceDiagram$"),
    re.compile(r"^  participant App$"),
    re.compile(rf"^  participant Cognito as {_MESSAGE}$"),
    re.compile(rf"^  (App->>Cognito|Cognito-->>App|Cognito--xApp): {_MESSAGE}$"),
    re.compile(rf"^  Note (over App,Cognito|right of App): {_MESSAGE}$"),
    re.compile(rf"^  (alt|else) {_MESSAGE}$"),
    re.compile(rf"^    Cognito(-->>|--x)App: {_MESSAGE}$"),
    re.compile(r"^  end$"),
]


def library() -> list:
    found = discover(REPO / "scenarios")
    assert found.ok, found.issues
    return list(found.scenarios)


def test_the_committed_catalogue_is_in_sync_with_the_scenarios() -> None:
    expected = render_catalogue(library(), CATALOGUE.parent)
    assert CATALOGUE.exists(), f"docs/pitfalls.md is missing: run `{COMMAND}`"
    assert CATALOGUE.read_text() == expected, f"docs/pitfalls.md is out of date with scenarios/: run `{COMMAND}`"


def test_every_scenario_has_a_section_and_an_index_entry() -> None:
    text = CATALOGUE.read_text()
    for scenario in library():
        assert f'<a id="{scenario.id}"></a>' in text
        assert f"](#{scenario.id})" in text


def test_every_diagram_line_is_a_statement_mermaid_reads() -> None:
    diagrams = re.findall(r"```mermaid\n(.*?)```", CATALOGUE.read_text(), re.S)
    assert len(diagrams) == len(library())
    for diagram in diagrams:
        for line in diagram.rstrip("\n").split("\n"):
            assert any(form.match(line) for form in STATEMENTS), f"not a Mermaid statement: {line!r}"
        opened = sum(line.strip().startswith("alt ") for line in diagram.split("\n"))
        assert opened == diagram.count("\n  end"), "every alt block ends"


def _scenario(tmp_path: Path, body: str):  # type: ignore[no-untyped-def]
    (tmp_path / "pools").mkdir()
    for pool in ("a", "b"):
        (tmp_path / "pools" / f"{pool}.yaml").write_text("clients:\n  - name: web\n")
    (tmp_path / "s.yaml").write_text(textwrap.dedent(body))
    found = discover(tmp_path / "s.yaml")
    assert found.ok, found.issues
    return found.scenarios[0]


def test_diagram_of_per_pool_expectations_clock_and_outbox(tmp_path: Path) -> None:
    scenario = _scenario(
        tmp_path,
        """\
        scenario: Demo
        pools: [a, b]
        vars: {password: Secret-Horse-9!}
        steps:
          - call: InitiateAuth
            params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: ada, PASSWORD: "${{ password }}"}}
            expect:
              a: {error: NotAuthorizedException, message: "Invalid session; really #1"}
              b: {challenge: NEW_PASSWORD_REQUIRED}
          - clock: {advance: 181s}
          - name: the code
            outbox: {to: "${{ password }}@example.com"}
        """,
    )
    diagram = sequence_diagram(scenario)
    assert diagram.split("\n") == [
        "sequenceDiagram",
        "  participant App",
        "  participant Cognito as Cognito user pool (a, b)",
        "  App->>Cognito: InitiateAuth (USER_PASSWORD_AUTH)",
        "  alt pool a",
        "    Cognito--xApp: NotAuthorizedException<br/>Invalid session#59; really #35;1",
        "  else pool b",
        "    Cognito-->>App: challenge NEW_PASSWORD_REQUIRED",
        "  end",
        "  Note over App,Cognito: 181s later",
        "  Note over App,Cognito: read the codes sent to ‹password›@example.com",
    ]
    assert "Secret-Horse-9!" not in diagram  # parameter values are never drawn


def test_results_show_the_last_outcome_per_backend_and_pool(tmp_path: Path) -> None:
    scenario = _scenario(
        tmp_path, "scenario: Demo\npools: [a]\nsteps:\n  - call: ListUserPools\n    params: {MaxResults: 1}\n"
    )
    results = [
        ScenarioResult("s[a]", "Demo", "s.yaml", "a", "emulator", Status.PASSED),
        ScenarioResult("s[a]", "Demo", "s.yaml", "a", "aws", Status.FAILED),
        ScenarioResult("other[a]", "Other", "o.yaml", "a", "emulator", Status.BROKEN),
    ]
    text = render_catalogue([scenario], tmp_path, results)
    assert "| aws | a | ❌ failed |" in text and "| emulator | a | ✅ passed |" in text
    assert "broken" not in text
