"""What allure-pytest writes for scenarios, read from the allure-results of a real pytest run: every step with
its own status and message, steps not run as skipped steps, no pseudo-step for the scenario's failure, each
tag once, the refs as links and the symptom, cause and fix in the description."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest_plugins = ["pytester"]

POOL = "clients:\n  - name: web\n    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]\n"
REF = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html"
FAILS = f"""\
scenario: Fails at the second step
description: The second expectation is wrong.
symptom: UserNotFoundException where NotAuthorizedException was expected
cause: The user was never created.
fix: Create the user first.
refs: [{REF}]
tags: [demo-failure, admin]
steps:
  - call: AdminGetUser
    params: {{Username: nobody}}
    expect: {{error: UserNotFoundException}}
  - call: AdminGetUser
    params: {{Username: nobody}}
    expect: {{error: NotAuthorizedException}}
  - call: AdminGetUser
    params: {{Username: nobody}}
  - clock: {{advance: 10s}}
"""
# A backend that cannot move its clock: the clock step is skipped with the backend's reason, the rest not run.
NO_CLOCK = """\
from harness.backends.base import Powers
from harness.backends.emulator import EmulatorBackend

EmulatorBackend.powers = Powers(clock_max_s=0, clock_why="this backend cannot wait {seconds:g}s")
"""
POWERLESS = """\
scenario: Needs a clock
steps:
  - call: AdminGetUser
    params: {Username: nobody}
    expect: {error: UserNotFoundException}
  - clock: {advance: 10s}
  - call: AdminGetUser
    params: {Username: nobody}
"""


def _allure_run(pytester: pytest.Pytester, *scenarios: tuple[str, str], conftest: str = "") -> dict[str, Any]:
    """Run the scenarios with --alluredir; their allure results by scenario file stem."""
    folder = pytester.path / "scenarios"
    (folder / "pools").mkdir(parents=True)
    (folder / "pools" / "default.yaml").write_text(POOL)
    for stem, text in scenarios:
        (folder / f"{stem}.yaml").write_text(text)
    if conftest:
        (folder / "conftest.py").write_text(conftest)
    pytester.runpytest_subprocess("scenarios", "--alluredir", "allure-results", "-p", "no:cacheprovider")
    results = {}
    for path in (pytester.path / "allure-results").glob("*-result.json"):
        data = json.loads(path.read_text())
        results[data["fullName"].rsplit("#", 1)[-1]] = data
    assert sorted(results) == sorted(stem for stem, _ in scenarios)
    return results


def _steps(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(s["name"], s["status"], (s.get("statusDetails") or {}).get("message", "")) for s in result["steps"]]


def test_each_step_has_its_own_status_and_the_steps_not_run_are_skipped(pytester: pytest.Pytester) -> None:
    result = _allure_run(pytester, ("fails", FAILS))["fails"]
    assert result["status"] == "failed"
    steps = _steps(result)
    assert [(name, status) for name, status, _ in steps] == [
        ("call AdminGetUser", "passed"),
        ("call AdminGetUser", "failed"),
        ("call AdminGetUser", "skipped"),
        ("clock advance 10s", "skipped"),
    ]
    assert steps[0][2] == ""
    assert "expected NotAuthorizedException, got UserNotFoundException" in steps[1][2]
    assert all("not run: step 2 did not pass" in message for _, _, message in steps[2:])
    assert not any("ScenarioFailed" in step["name"] for step in result["steps"])
    # one attachment for the scenario: every step with its request and response; the failure is the test's own
    assert not any(step.get("attachments") for step in result["steps"])
    [attachment] = result["attachments"]
    assert attachment["name"] == "steps.json" and attachment["type"] == "application/json"
    attached = json.loads((pytester.path / "allure-results" / attachment["source"]).read_text())
    assert [(step["label"], step["status"]) for step in attached] == [(name, status) for name, status, _ in steps]
    assert attached[1]["request"]["Username"] == "nobody" and attached[1]["response"]["Error"]["Code"] == (
        "UserNotFoundException"
    )
    assert "step 2: call AdminGetUser" in result["statusDetails"]["message"]


def test_tags_once_refs_as_links_and_symptom_cause_fix_in_the_description(pytester: pytest.Pytester) -> None:
    result = _allure_run(pytester, ("fails", FAILS))["fails"]
    tags = [label["value"] for label in result["labels"] if label["name"] == "tag"]
    assert sorted(tags) == ["admin", "demo-failure"]
    assert [link["url"] for link in result["links"]] == [REF]
    description = result["description"]
    assert description.startswith("The second expectation is wrong.")
    for text in ("UserNotFoundException where NotAuthorizedException", "never created", "Create the user first."):
        assert text in description


def test_a_step_the_backend_lacks_the_power_for_is_a_skipped_step(pytester: pytest.Pytester) -> None:
    result = _allure_run(pytester, ("powerless", POWERLESS), conftest=NO_CLOCK)["powerless"]
    assert result["status"] == "skipped"
    steps = _steps(result)
    assert [(name, status) for name, status, _ in steps] == [
        ("call AdminGetUser", "passed"),
        ("clock advance 10s", "skipped"),
        ("call AdminGetUser", "skipped"),
    ]
    assert "this backend cannot wait 10s" in steps[1][2]
    assert "not run" in steps[2][2]
