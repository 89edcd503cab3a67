"""The pytest plugin, through pytester: collection, ids, markers, collection errors, reports, xdist."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

POOL = """\
name: {name}
pool:
  AutoVerifiedAttributes: [email]
clients:
  - name: web
    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
    PreventUserExistenceErrors: {prevent}
"""

GOOD = """\
scenario: Unknown users, by pool
refs: [https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html]
tags: [user-existence, demo]
pools: [legacy, hidden]
steps:
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: nobody, PASSWORD: Whatever-Horse-9!}}
    expect:
      legacy: {error: UserNotFoundException}
      hidden: {error: NotAuthorizedException}
"""

FAILING = """\
scenario: Expects the wrong thing
tags: [demo]
pools: [legacy]
vars:
  password: Secret-Horse-9!
steps:
  - call: AdminCreateUser  # its response has dates, which must travel between xdist processes
    params: {Username: "${{ unique('someone') }}", MessageAction: SUPPRESS}
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: nobody, PASSWORD: "${{ password }}"}}
    expect: {error: NotAuthorizedException}
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pools = pytester.path / "scenarios" / "pools"
    pools.mkdir(parents=True)
    (pools / "legacy.yaml").write_text(POOL.format(name="legacy", prevent="LEGACY"))
    (pools / "hidden.yaml").write_text(POOL.format(name="hidden", prevent="ENABLED"))
    (pytester.path / "scenarios" / "unknown-user.yaml").write_text(GOOD)
    return pytester


def test_each_pool_is_an_item_with_a_readable_id(project: pytest.Pytester) -> None:
    result = project.runpytest("scenarios", "--collect-only", "-q")
    result.stdout.fnmatch_lines(
        ["scenarios/unknown-user.yaml::unknown-user[legacy]", "scenarios/unknown-user.yaml::unknown-user[hidden]"]
    )
    assert result.ret == 0


def test_scenarios_pass_and_reports_are_written(project: pytest.Pytester) -> None:
    result = project.runpytest("scenarios", "--authflow-reports", "out")
    result.assert_outcomes(passed=2)
    document = json.loads((project.path / "out" / "results.json").read_text())
    assert sorted(r["scenario_id"] for r in document["results"]) == ["unknown-user[hidden]", "unknown-user[legacy]"]
    assert (project.path / "out" / "summary.html").exists() and (project.path / "out" / "junit.xml").exists()


def test_tags_are_markers(project: pytest.Pytester) -> None:
    (project.path / "scenarios" / "failing.yaml").write_text(FAILING)
    result = project.runpytest("scenarios", "-m", "user_existence", "--strict-markers")
    result.assert_outcomes(passed=2, deselected=1)


def test_a_failed_expectation_is_an_assertion_failure_with_the_step(project: pytest.Pytester) -> None:
    (project.path / "scenarios" / "failing.yaml").write_text(FAILING)
    result = project.runpytest("scenarios/failing.yaml")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*FAILED: Expects the wrong thing  [[]pool legacy, backend emulator[]]*",
        "*at scenarios/failing.yaml:9  step 2: call InitiateAuth*",
        "*why:      error: expected NotAuthorizedException, got UserNotFoundException: User does not exist.*",
    ])  # fmt: skip
    assert "Secret-Horse-9!" not in result.stdout.str()  # the password variable is redacted


def test_a_bad_file_is_a_broken_result_listing_every_problem_and_the_rest_runs(project: pytest.Pytester) -> None:
    bad = textwrap.dedent("""\
        scenario: Broken
        pools: [nosuchpool]
        steps:
          - call: InitiateAuthh
            paramz: {}
        """)
    (project.path / "scenarios" / "bad.yaml").write_text(bad)
    result = project.runpytest("scenarios", "--authflow-reports", "out", "--alluredir", "out/allure-results")
    result.assert_outcomes(passed=2, failed=1)  # the good scenario still ran on both pools
    output = result.stdout.str()
    assert "Traceback" not in output
    result.stdout.fnmatch_lines([
        "*scenarios/bad.yaml:2:* pools*: unknown pool 'nosuchpool'*",
        "*scenarios/bad.yaml:4:* steps[[]0[]].call: unknown operation 'InitiateAuthh'*InitiateAuth*",
    ])  # fmt: skip
    document = json.loads((project.path / "out" / "results.json").read_text())
    [broken] = [r for r in document["results"] if r["status"] == "broken"]
    assert broken["scenario_id"] == "bad" and "unknown operation 'InitiateAuthh'" in broken["message"]
    for name in ("results.json", "summary.html", "summary.md", "junit.xml"):
        assert "InitiateAuthh" in (project.path / "out" / name).read_text(), name
    assert any((project.path / "out" / "allure-results").glob("*-result.json"))


def test_runs_under_xdist(project: pytest.Pytester) -> None:
    (project.path / "scenarios" / "failing.yaml").write_text(FAILING)
    # in a subprocess: an inline xdist session inside this (possibly xdist) test process would share its state
    result = project.runpytest_subprocess("scenarios", "-n", "2", "--authflow-reports", "out")
    result.assert_outcomes(passed=2, failed=1)
    document = json.loads((project.path / "out" / "results.json").read_text())
    assert document["run"]["counts"]["passed"] == 2 and document["run"]["counts"]["failed"] == 1


def test_the_http_backend(project: pytest.Pytester) -> None:
    result = project.runpytest("scenarios", "--backend", "emulator-http")
    result.assert_outcomes(passed=2)


def test_a_yaml_file_that_is_not_a_scenario_is_ignored(project: pytest.Pytester, tmp_path: Path) -> None:
    (project.path / "scenarios" / "docker-compose.yml").write_text("services: {}\n")
    result = project.runpytest("scenarios", "--collect-only", "-q")
    assert result.ret == 0


CANARY = """\
scenario: Canary - secrets planted in every kind of value
pools: [legacy]
vars:
  username: ${{ unique("canary") }}
  email: ${{ username }}@example.com
  password: Canary-Password-9!
steps:
  - call: SignUp
    params: {Username: "${{ username }}", Password: "${{ password }}", UserAttributes: [{Name: email, Value: "${{ email }}"}]}
  - outbox: {to: "${{ email }}"}
    save: {code: "Messages[0].Code"}
  - call: ConfirmSignUp
    params: {Username: "${{ username }}", ConfirmationCode: "${{ code }}"}
  - call: AdminCreateUser
    params: {Username: "${{ username }}-2", TemporaryPassword: "${{ password }}", MessageAction: SUPPRESS}
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}-2", PASSWORD: "${{ password }}"}}
    save: {session: Session}
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
    save: {access: AuthenticationResult.AccessToken, refresh: AuthenticationResult.RefreshToken}
  - name: fails on purpose, so that the failure message carries the secrets too
    call: GetUser
    params: {AccessToken: "${{ access }}"}
    expect: {response: {Username: "${{ session }} ${{ code }} ${{ refresh }} ${{ password }}"}}
"""


def test_canary_no_secret_anywhere_under_reports_after_a_run(project: pytest.Pytester) -> None:
    (project.path / "scenarios" / "canary.yaml").write_text(CANARY)
    result = project.runpytest_subprocess(
        "scenarios/canary.yaml", "--authflow-reports", "reports", "--alluredir", "reports/allure-results",
        "--junitxml", "reports/pytest-junit.xml",
    )  # fmt: skip
    result.assert_outcomes(failed=1)
    document = json.loads((project.path / "reports" / "results.json").read_text())
    [canary] = document["results"]
    assert canary["steps"][-1]["status"] == "failed"
    # the secrets as the run produced them, read from the one place that saw them raw: the step results in memory
    # are gone, so reconstruct them from the emulator-independent facts we know: the password, and the markers.
    variables = canary["variables"]
    assert variables["password"].startswith("‹") and variables["session"].startswith("‹session:")
    assert variables["code"].startswith("‹") and variables["access"].startswith("‹jwt:")
    assert variables["refresh"].startswith("‹refresh:")
    texts = [p.read_bytes() for p in (project.path / "reports").rglob("*") if p.is_file()]
    assert texts and not any(b"Canary-Password-9!" in text for text in texts)
    assert not any(b"eyJ" in text for text in texts)  # no JWT (they all start with a base64 '{"')
    assert not any(b"afrt." in text for text in texts)  # no refresh token
    for text in texts:
        for session_like in __import__("re").findall(rb"[A-Za-z0-9_-]{150,}", text):
            raise AssertionError(f"a long opaque value (a session?) leaked: {session_like[:20]!r}")
    stdout = result.stdout.str()
    assert "Canary-Password-9!" not in stdout and "eyJ" not in stdout and "afrt." not in stdout


def test_a_harness_crash_is_a_broken_result_in_every_report(project: pytest.Pytester) -> None:
    project.makeconftest(
        """
        import harness.engine.runner as runner

        def crash(*args, **kwargs):
            raise RuntimeError("the engine fell over")

        runner.run_scenario = crash  # the plugin looks it up when a scenario runs
        """
    )
    result = project.runpytest_subprocess("scenarios", "--authflow-reports", "out")
    result.assert_outcomes(failed=2)
    document = json.loads((project.path / "out" / "results.json").read_text())
    assert [r["status"] for r in document["results"]] == ["broken", "broken"]
    assert document["results"][0]["message"] == "the harness crashed: RuntimeError: the engine fell over"
    root = __import__("xml.etree.ElementTree", fromlist=["parse"]).parse(project.path / "out" / "junit.xml").getroot()
    assert len(list(root.iter("error"))) == 2
    assert "the engine fell over" in (project.path / "out" / "summary.md").read_text()


def test_the_plugin_loads_nothing_heavy_until_a_scenario_is_collected() -> None:
    """pytest imports the plugin in every run of a project that has authflow installed: a run without scenarios
    must not load the scenario layer, the engine, the emulator, botocore, YAML or allure for it."""
    heavy = ("harness.scenario.loader", "harness.engine.runner", "harness.emulator", "harness.report.redact",
             "botocore", "yaml", "allure_commons", "jinja2")  # fmt: skip
    code = (
        "import sys, pytest, harness.pytest_plugin\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r} or m.startswith({heavy!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_a_pytest_run_without_scenarios_leaves_no_reports_folder(pytester: pytest.Pytester) -> None:
    """A project's own tests, run by pytest where authflow is installed, get no reports/ folder from it."""
    pytester.makepyfile(test_own="def test_own():\n    assert True\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert not (pytester.path / "reports").exists()
