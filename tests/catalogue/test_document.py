"""The Markdown document: index by tag, one section per scenario, outcomes from results, safe prose."""

from __future__ import annotations

from pathlib import Path

from harness.catalogue.pitfalls import render_catalogue
from harness.engine.results import ScenarioResult, Status
from tests.catalogue.grammar import diagrams, problems
from tests.catalogue.helpers import write_library

FULL = """\
    scenario: The full one [with brackets]
    description: |
      Why it matters, with `code <kept>` and a <tag>.
    symptom: NotAuthorizedException "Client <id> is configured with secret"
    cause: >
      A cause
      over two lines.
    fix: Do the right thing.
    refs:
      - https://github.com/aws-amplify/amplify-js/issues/14330
      - https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html
    tags: [session, mfa]
    pools: [a, b]
    steps:
      - call: ListUserPools
        params: {MaxResults: 1}
"""
BARE = """\
    scenario: A bare one
    pools: [a]
    steps:
      - call: ListUserPools
        params: {MaxResults: 1}
"""
SECOND = """\
    scenario: Another session one
    tags: [session]
    pools: [c]
    steps:
      - call: ListUserPools
        params: {MaxResults: 1}
"""


def _render(tmp_path: Path, results: list[ScenarioResult] | None = None) -> str:
    library = write_library(tmp_path, full=FULL, bare=BARE, second=SECOND)
    return render_catalogue(library, tmp_path / "docs", results, "`reports/results.json`")


def _section(text: str, anchor: str) -> str:
    start = text.index(f'<a id="{anchor}"></a>')
    end = text.find('<a id="', start + 1)
    return text[start : end if end > 0 else len(text)]


def test_the_index_groups_scenarios_by_tag_with_untagged_last(tmp_path: Path) -> None:
    text = _render(tmp_path)
    index = text[text.index("## Index by tag") : text.index('<a id="bare"></a>')]
    assert index.strip().split("\n")[2:] == [
        '- <a id="tag-mfa"></a>**mfa**',
        r"  - [The full one \[with brackets\]](#full)",
        '- <a id="tag-session"></a>**session**',
        r"  - [The full one \[with brackets\]](#full)",
        "  - [Another session one](#second)",
        '- <a id="tag-untagged"></a>**untagged**',
        "  - [A bare one](#bare)",
    ]


def test_sections_come_in_id_order_with_every_part(tmp_path: Path) -> None:
    text = _render(tmp_path)
    assert text.index('<a id="bare"></a>') < text.index('<a id="full"></a>') < text.index('<a id="second"></a>')
    section = _section(text, "full")
    assert "## The full one [with brackets]" in section
    assert (
        "Tags: [`session`](#tag-session), [`mfa`](#tag-mfa) · Pools: [`a`](../scenarios/pools/a.yaml), "
        "[`b`](../scenarios/pools/b.yaml) · Source: [full.yaml](../scenarios/full.yaml)"
    ) in section
    assert "Why it matters, with `code <kept>` and a &lt;tag>." in section  # code spans stay as written
    assert '- **Symptom**: NotAuthorizedException "Client &lt;id> is configured with secret"' in section
    assert "- **Cause**: A cause over two lines." in section
    assert "- **Fix**: Do the right thing." in section
    assert (
        "- **Refs**: [aws-amplify/amplify-js#14330](https://github.com/aws-amplify/amplify-js/issues/14330), "
        "<https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html>"
    ) in section
    (diagram,) = diagrams(section)
    assert problems(diagram) == []
    assert "participant Cognito as Cognito user pool (a, b)" in diagram


def test_empty_parts_are_left_out(tmp_path: Path) -> None:
    section = _section(_render(tmp_path), "bare")
    assert "Tags: [untagged](#tag-untagged) · Pools: [`a`](../scenarios/pools/a.yaml)" in section
    for part in ("Symptom", "Cause", "Fix", "Refs", "Last run"):
        assert part not in section
    assert "\n\n\n" not in section


def test_without_results_there_are_no_outcomes_and_no_dates(tmp_path: Path) -> None:
    text = _render(tmp_path)
    assert "Last run" not in text and "UTC" not in text and "Outcomes" not in text
    assert text == _render(tmp_path)  # deterministic


def _result(scenario: str, pool: str, backend: str, status: Status, started_at: float = 0.0) -> ScenarioResult:
    return ScenarioResult(f"{scenario}[{pool}]", scenario, f"scenarios/{scenario}.yaml", pool, backend, status,
                          started_at=started_at)  # fmt: skip


def test_results_show_the_last_outcome_per_backend_and_pool(tmp_path: Path) -> None:
    noon = 1_738_324_800.0  # 2025-01-31 12:00 UTC
    results = [
        _result("full", "a", "emulator", Status.FAILED, noon),
        _result("full", "a", "emulator", Status.PASSED, noon + 3600),  # an hour later: this one counts
        _result("full", "b", "emulator", Status.SKIPPED),  # no start time
        _result("full", "a", "aws", Status.BROKEN, noon),
        _result("gone", "a", "emulator", Status.FAILED),  # not in the library
    ]
    text = _render(tmp_path, results)
    assert "3 scenarios. Outcomes: the last run per backend and pool in `reports/results.json`." in text
    assert _section(text, "full").split("Last run:\n\n", 1)[1].strip().split("\n") == [
        "| backend | pool | outcome | when |",
        "|---|---|---|---|",
        "| aws | a | 💥 broken | 2025-01-31 12:00 UTC |",
        "| emulator | a | ✅ passed | 2025-01-31 13:00 UTC |",
        "| emulator | b | ⏭️ skipped | unknown |",
    ]
    assert "_Last run: no outcome for this scenario in the results file._" in _section(text, "bare")
    assert "gone" not in text and "❌" not in text


def test_anchors_are_unique_even_when_a_scenario_is_named_like_a_tag(tmp_path: Path) -> None:
    library = write_library(tmp_path, tag_session=SECOND)
    text = render_catalogue(library, tmp_path / "docs")
    assert '<a id="tag-session"></a>' in text and '<a id="tag-session-2"></a>' in text
    assert "](#tag-session-2)" in text


TABLE = """\
    scenario: One per row
    pools: [a]
    secrets: [pin]
    examples:
      - {name: short, vars: {word: "a|b", pin: "1234", count: 3}}
      - {name: long, vars: {word: "`tick`", pin: "5678", count: 30}}
    steps:
      - call: ListUserPools
        params: {MaxResults: "${{ count }}"}
"""


def test_a_table_scenario_lists_its_rows_with_secrets_masked(tmp_path: Path) -> None:
    library = write_library(tmp_path, table=TABLE)
    section = _section(render_catalogue(library, tmp_path / "docs", None, ""), "table")
    assert "| row | word | pin | count |" in section
    assert "| `short` | `a\\|b` | ‹secret› | `3` |" in section  # a pipe cannot split the cell
    assert "| `long` | `` `tick` `` | ‹secret› | `30` |" in section
    assert "1234" not in section and "5678" not in section
