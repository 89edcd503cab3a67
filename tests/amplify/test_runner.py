"""amplify steps through the runner: templated input, expectations, save, per-run state, and what reports show."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from harness.backends.emulator import EmulatorBackend
from harness.engine.library import discover
from harness.engine.results import ScenarioResult, Status
from harness.engine.runner import run_scenario
from harness.report.redact import Redactor

from .conftest import REPO

HEADER = """\
scenario: t
pools: [{pool}]
vars:
  username: ${{{{ unique("user") }}}}
  password: Correct-Horse-9!
steps:
  - call: AdminCreateUser
    params: {{Username: "${{{{ username }}}}", MessageAction: SUPPRESS}}
  - call: AdminSetUserPassword
    params: {{Username: "${{{{ username }}}}", Password: "${{{{ password }}}}", Permanent: true}}
"""


def run(tmp_path: Path, steps: str, pool: str = "custom-auth") -> ScenarioResult:
    (tmp_path / "pools").mkdir(exist_ok=True)
    shutil.copy(REPO / "scenarios" / "pools" / f"{pool}.yaml", tmp_path / "pools")
    # the pool's trigger handler files sit beside it, as Lambda code does
    shutil.copytree(REPO / "scenarios" / "pools" / "lambdas", tmp_path / "pools" / "lambdas", dirs_exist_ok=True)
    (tmp_path / "s.yaml").write_text(HEADER.format(pool=pool) + steps)
    library = discover(tmp_path / "s.yaml")
    assert library.ok, "\n".join(map(str, library.issues))
    [scenario] = library.scenarios
    backend = EmulatorBackend()
    try:
        return run_scenario(scenario, library.pools[pool], backend, run_id="t")
    finally:
        backend.close()


def test_a_custom_challenge_sign_in_through_the_runner(tmp_path: Path) -> None:
    result = run(tmp_path, """\
  - amplify: signIn
    input: {username: "${{ username }}", options: {authFlowType: CUSTOM_WITHOUT_SRP}}
    expect: {response: {nextStep: {signInStep: CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE}}}
    save: {hint: nextStep.additionalInfo.hint}
  - amplify: confirmSignIn
    input: {challengeResponse: "4242"}
    expect: {response: {isSignedIn: true}}
  - amplify: fetchAuthSession
    save: {access: tokens.accessToken.toString}
  - call: GetUser
    params: {AccessToken: "${{ access }}"}
    expect: {response: {Username: "${{ username }}"}}
""")  # fmt: skip
    assert result.status is Status.PASSED, result.message
    assert result.variables["hint"] == "the agreed answer"
    sign_in = result.steps[2]
    assert sign_in.kind == "amplify" and sign_in.label == "amplify signIn"
    assert sign_in.request is not None and sign_in.request["api"] == "signIn"
    assert [c["operation"] for c in sign_in.request["calls"]] == ["InitiateAuth"]


def test_an_unmet_amplify_expectation_fails_the_scenario(tmp_path: Path) -> None:
    result = run(tmp_path, """\
  - amplify: signIn
    input: {username: "${{ username }}"}
    expect: {error: CustomAuthSignInPassword}
""")  # fmt: skip
    assert result.status is Status.FAILED
    assert result.steps[2].message == (
        "error: expected CustomAuthSignInPassword, got EmptySignInPassword: password is required to signIn"
    )


def test_each_run_has_its_own_amplify_state(tmp_path: Path) -> None:
    """A second run of the same scenario starts signed out, with no sign-in to confirm."""
    steps = """\
  - amplify: confirmSignIn
    input: {challengeResponse: "4242"}
    expect: {error: SignInException}
  - amplify: signIn
    input: {username: "${{ username }}", password: "${{ password }}"}
"""
    assert run(tmp_path, steps).status is Status.PASSED
    assert run(tmp_path, steps).status is Status.PASSED


def test_reports_never_show_amplify_secrets(tmp_path: Path) -> None:
    result = run(tmp_path, """\
  - amplify: signIn
    input: {username: "${{ username }}", password: "${{ password }}", options: {authFlowType: CUSTOM_WITH_SRP}}
  - amplify: confirmSignIn
    input: {challengeResponse: "4242"}
  - amplify: signOut
  - amplify: signIn
    input: {username: "${{ username }}", options: {authFlowType: CUSTOM_WITHOUT_SRP}}
  - amplify: confirmSignIn
    input: {challengeResponse: "4242"}
  - amplify: fetchAuthSession
""", pool="custom-auth")  # fmt: skip
    assert result.status is Status.PASSED, result.message
    shown = json.dumps(
        Redactor().redact([[s.request, s.response] for s in result.steps]), default=str, ensure_ascii=False
    )
    assert "Correct-Horse-9!" not in shown and "4242" not in shown
    fetched = result.steps[-1].response
    assert fetched is not None
    assert fetched["tokens"]["accessToken"]["toString"] not in shown
    assert '"challengeResponse": "‹redacted:challengeresponse›"' in shown
