"""What the flow constructs change in pytest collection: one item per examples row with a readable id and the
row's tags as markers; fragment files are never collected as scenarios."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

POOL = """\
clients:
  - name: web
    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH]
"""

TABLE = """\
scenario: Unknown and known users
tags: [demo]
pools: [one, two]
examples:
  - {name: unknown-user, vars: {who: nobody}}
  - {name: known-user, vars: {who: known}, tags: [known]}
steps:
  - use: user
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ who }}", PASSWORD: Wrong-Horse-9!}}
    expect: {error: UserNotFoundException}
"""

FRAGMENT = """\
fragment: The known user
steps:
  - call: AdminCreateUser
    params: {Username: known, MessageAction: SUPPRESS}
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    for name, text in {
        "scenarios/pools/one.yaml": POOL,
        "scenarios/pools/two.yaml": POOL,
        "scenarios/fragments/user.yaml": FRAGMENT,
        "scenarios/table.yaml": TABLE,
    }.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return pytester


def test_each_row_on_each_pool_is_an_item_with_a_readable_id(project: pytest.Pytester) -> None:
    result = project.runpytest("scenarios", "--collect-only", "-q")
    result.stdout.fnmatch_lines([
        "scenarios/table.yaml::table[[]one[]][[]unknown-user[]]",
        "scenarios/table.yaml::table[[]one[]][[]known-user[]]",
        "scenarios/table.yaml::table[[]two[]][[]unknown-user[]]",
        "scenarios/table.yaml::table[[]two[]][[]known-user[]]",
        "4 tests collected*",
    ])  # fmt: skip
    assert "fragments" not in result.stdout.str()


def test_row_tags_are_markers_and_each_row_runs(project: pytest.Pytester) -> None:
    result = project.runpytest("scenarios", "-m", "known", "--strict-markers", "-p", "no:randomly")
    result.assert_outcomes(failed=2, deselected=2)  # a known user's wrong password is NotAuthorizedException
    result.stdout.fnmatch_lines(["*scenario table on pool one, row known-user*", "*variables: who=?known?"])


def test_a_fragment_named_on_the_command_line_is_not_a_scenario(project: pytest.Pytester) -> None:
    """As a pool file: pytest collects nothing from it (and says "not found"), rather than a broken scenario."""
    result = project.runpytest("scenarios/fragments/user.yaml", "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: not found: */scenarios/fragments/user.yaml"])
