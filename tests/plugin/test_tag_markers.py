"""Tags select scenarios as written (`-m user-auth`) and as Python names (`-m user_auth`), like `list --tag`."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SCENARIO = """\
scenario: {title}
tags: [{tags}]
steps:
  - call: ListUsers
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    folder = pytester.path / "scenarios"
    (folder / "pools").mkdir(parents=True)
    (folder / "pools" / "default.yaml").write_text("clients:\n  - name: web\n")
    (folder / "tagged.yaml").write_text(SCENARIO.format(title="Tagged", tags="user-auth, demo"))
    (folder / "other.yaml").write_text(SCENARIO.format(title="Other", tags="session"))
    return pytester


@pytest.mark.parametrize("expression", ["user-auth", "user_auth", "user-auth and demo", "not session"])
def test_a_tag_selects_as_written_and_with_underscores(project: pytest.Pytester, expression: str) -> None:
    result = project.runpytest("scenarios", "-m", expression, "--strict-markers", "--authflow-reports", "out")
    result.assert_outcomes(passed=1, deselected=1)


def test_an_unknown_tag_selects_nothing(project: pytest.Pytester) -> None:
    result = project.runpytest("scenarios", "-m", "user-oauth", "--authflow-reports", "out")
    result.assert_outcomes(deselected=2)
