"""`authflow compare` over the shipped pools: the matrix shows what each configuration produced, step by step,
and marks the steps that differ, in observe mode (no expectations) and assert mode."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.backends.emulator import EmulatorBackend
from harness.compare import (
    ASSERT,
    OBSERVE,
    Comparison,
    ScenarioMatrix,
    compare,
    to_html,
    to_json,
    to_markdown,
)
from harness.engine.library import discover
from harness.engine.results import Status
from harness.scenario.model import Library

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library() -> Library:
    found = discover(REPO / "scenarios")
    assert found.ok, "\n".join(map(str, found.issues))
    return found


@pytest.fixture(scope="module")
def backend() -> Iterator[EmulatorBackend]:
    running = EmulatorBackend()
    yield running
    running.close()


def _compare(library: Library, backend: EmulatorBackend, scenario_id: str, pools: list[str], mode: str) -> Comparison:
    scenario = next(s for s in library.scenarios if s.id == scenario_id)
    return compare([scenario], lambda _: [library.pools[p] for p in pools], [backend], mode=mode, run_id="cmp12345")


def _texts(matrix: ScenarioMatrix) -> list[list[tuple[str, str, str]]]:
    return [[(cell.kind, cell.code, cell.message) for cell in row.cells] for row in matrix.rows]


@pytest.mark.parametrize("mode", [OBSERVE, ASSERT])
def test_flow_not_enabled_over_srp_only_and_password_only(
    library: Library, backend: EmulatorBackend, mode: str
) -> None:
    comparison = _compare(library, backend, "flow-not-enabled", ["srp-only", "password-only"], mode)
    [matrix] = comparison.matrices
    assert [c.pool for c in matrix.columns] == ["srp-only", "password-only"]
    assert [row.differs for row in matrix.rows] == [False, False, True]
    refused, signed_in = matrix.rows[2].cells
    assert (refused.kind, refused.code, refused.message) == (
        "error",
        "InvalidParameterException",
        "USER_PASSWORD_AUTH flow not enabled for this client",
    )
    assert (signed_in.kind, signed_in.fields["AuthenticationResult"]) == (
        "ok",
        "tokens: AccessToken, IdToken, RefreshToken",
    )
    assert matrix.rows[2].highlighted() == [False, True]
    assert matrix.statuses == [Status.PASSED, Status.PASSED]  # the scenario's expectations hold on both
    # the user created in step 1 is the same on both pools once ids and names are placeholders
    assert matrix.rows[0].cells[0] == matrix.rows[0].cells[1]


def test_user_existence_errors_over_password_only_and_hidden_users(library: Library, backend: EmulatorBackend) -> None:
    comparison = _compare(library, backend, "user-existence-errors", ["password-only", "hidden-users"], OBSERVE)
    [matrix] = comparison.matrices
    assert [row.differs for row in matrix.rows] == [True, True, False]
    assert _texts(matrix)[:2] == [
        [("error", "UserNotFoundException", "User does not exist."),
         ("error", "NotAuthorizedException", "Incorrect username or password.")],
        [("error", "UserNotFoundException", "Username/client id combination not found."), ("ok", "", "")],
    ]  # fmt: skip
    hidden = matrix.rows[1].cells[1]
    assert hidden.fields == {
        "CodeDeliveryDetails.AttributeName": "email",
        "CodeDeliveryDetails.DeliveryMedium": "EMAIL",
        "CodeDeliveryDetails.Destination": "present",
    }
    assert matrix.rows[2].cells[0].fields == {"Messages": "0 items", "Count": "0"}


OBSERVED = """\
scenario: Expectations that do not hold
pools: [password-only]
vars:
  username: ${{ unique("user") }}
steps:
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: Whatever-9!}}
    expect: {challenge: SMS_MFA}
  - call: AdminCreateUser
    params: {Username: "${{ username }}", MessageAction: SUPPRESS}
    expect: {error: UsernameExistsException}
"""


def test_observe_mode_ignores_expectations_and_keeps_going(
    library: Library, backend: EmulatorBackend, tmp_path: Path
) -> None:
    (tmp_path / "pools").symlink_to(REPO / "scenarios" / "pools")
    (tmp_path / "observed.yaml").write_text(OBSERVED)
    [scenario] = discover(tmp_path / "observed.yaml").scenarios
    pools = lambda _: [library.pools["password-only"]]  # noqa: E731
    observed = compare([scenario], pools, [backend], mode=OBSERVE, run_id="obs12345")
    asserted = compare([scenario], pools, [backend], mode=ASSERT, run_id="obs12345")
    [seen], [checked] = observed.matrices, asserted.matrices
    assert seen.statuses == [Status.PASSED]
    assert [(row.cells[0].status, row.cells[0].headline) for row in seen.rows] == [
        (Status.PASSED, "error UserNotFoundException"),
        (Status.PASSED, "ok"),
    ]
    assert checked.statuses == [Status.FAILED]
    assert [(row.cells[0].status, row.cells[0].kind) for row in checked.rows] == [
        (Status.FAILED, "error"),
        (Status.SKIPPED, "not run"),
    ]
    assert "challenge: expected SMS_MFA" in checked.rows[0].cells[0].note


def test_reports_show_the_differences(library: Library, backend: EmulatorBackend) -> None:
    comparison = _compare(library, backend, "flow-not-enabled", ["srp-only", "password-only"], ASSERT)
    markdown = to_markdown(comparison)
    assert "| step | srp-only | password-only |" in markdown
    assert "| *scenario* | ✅ passed | ✅ passed |" in markdown
    assert (
        "| **3. call InitiateAuth** ⚠️ | ✅ error InvalidParameterException<br>USER_PASSWORD_AUTH flow not enabled "
        "for this client | **✅ ok**<br>**ChallengeParameters: empty**<br>" in markdown
    )
    assert "1 of 3 steps differ" in markdown
    html = to_html(comparison)
    assert html.count('class="highlight"') == 1 and html.count('<tr class="differs">') == 1
    assert "USER_PASSWORD_AUTH flow not enabled for this client" in html
    document = json.loads(json.dumps(to_json(comparison)))
    [scenario] = document["scenarios"]
    assert [c["status"] for c in scenario["columns"]] == ["passed", "passed"]
    assert [row["differs"] for row in scenario["rows"]] == [False, False, True]
    assert scenario["rows"][2]["cells"][0]["code"] == "InvalidParameterException"
    assert [cell["highlighted"] for cell in scenario["rows"][2]["cells"]] == [False, True]


SECRETS = """\
scenario: Secrets never reach the comparison
pools: [password-only]
vars:
  username: ${{ unique("user") }}
  password: Secret-Horse-9!
steps:
  - call: AdminCreateUser
    params: {Username: "${{ username }}", TemporaryPassword: "${{ password }}", MessageAction: SUPPRESS}
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
  - call: RespondToAuthChallenge
    params: {ChallengeName: NEW_PASSWORD_REQUIRED, Session: "${{ username }}", ChallengeResponses: {}}
"""


def test_no_secret_or_run_specific_value_is_written(library: Library, backend: EmulatorBackend, tmp_path: Path) -> None:
    (tmp_path / "pools").symlink_to(REPO / "scenarios" / "pools")
    (tmp_path / "s.yaml").write_text(SECRETS)
    [scenario] = discover(tmp_path / "s.yaml").scenarios
    comparison = compare(
        [scenario], lambda _: [library.pools["password-only"]], [backend], mode=OBSERVE, run_id="sec12345"
    )
    [result] = comparison.results
    challenge, created = result.steps[1].response or {}, result.steps[0].request or {}
    written = to_markdown(comparison) + to_html(comparison) + json.dumps(to_json(comparison))
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    for secret in ("Secret-Horse-9!", challenge["Session"], result.variables["username"], created["UserPoolId"]):
        assert secret not in written
    assert "challenge NEW_PASSWORD_REQUIRED" in written and "Session: present" in to_markdown(comparison)


def test_sign_up_session_over_the_user_auth_on_and_off_pools(library: Library, backend: EmulatorBackend) -> None:
    comparison = _compare(library, backend, "sign-up-session", ["user-auth", "password-only"], OBSERVE)
    [matrix] = comparison.matrices
    [sign_up] = matrix.rows
    assert sign_up.differs
    with_user_auth, without = sign_up.cells
    assert (with_user_auth.kind, without.kind) == ("ok", "ok")
    assert "Session" in with_user_auth.fields and "Session" not in without.fields
    assert sign_up.highlighted() == [False, True]


def test_a_clock_step_is_not_a_difference(library: Library, backend: EmulatorBackend) -> None:
    """Each run's clock reads a different time; what a clock step did (ok) is the same on both pools."""
    comparison = _compare(library, backend, "session-expired", ["user-auth", "password-only"], OBSERVE)
    [matrix] = comparison.matrices
    clock_rows = [row for row in matrix.rows if row.label.startswith("clock")]
    assert clock_rows and not any(row.differs for row in clock_rows)
    assert clock_rows[0].cells[0].fields == {"Now": "present"}


def test_only_the_lines_that_differ_are_marked_and_consequences_say_so(
    library: Library, backend: EmulatorBackend
) -> None:
    comparison = _compare(library, backend, "email-otp", ["user-auth", "password-only"], OBSERVE)
    [matrix] = comparison.matrices
    assert [row.label for row in matrix.rows][2] == "outbox to <email>"  # not the raw ${{ email }}
    markdown = to_markdown(comparison)
    created = next(line for line in markdown.splitlines() if line.startswith("| **1. ") and "AdminCreateUser" in line)
    # one field differs: only it is bold, the rest of the cell is plain
    assert "**User.UserStatus: FORCE_CHANGE_PASSWORD**" in created
    assert "<br>User.Enabled: true<br>" in created.split(" | ")[2]
    # the InitiateAuth answer differs in kind; every later differing step names it as the likely cause
    assert [row.follows for row in matrix.rows] == [None, None, 1, 1, 1]
    assert "*(after step 2 differed)*" in markdown
    html = to_html(comparison)
    assert html.count("line field changed") >= 1 and "after step 2 differed" in html
    # a message ending in a quote keeps it (it used to be stripped: "unknown variable 'session")
    broken = matrix.rows[3].cells[1]
    assert broken.kind == "broken" and broken.message == "unknown variable 'session'"


def test_fidelity_cells_keep_reasons_whole() -> None:
    from harness.compare.fidelity import _short

    long_first = "message: expected '" + "x" * 200 + "', got 'y'"
    assert _short(long_first) == long_first  # never cut inside a quote
    assert _short("a: 1; b: 2; " + "c" * 200) == "a: 1; b: 2 (+1 more)"


def test_compare_progress_gives_the_reason_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    from harness.cli.compare import _progress
    from harness.engine.results import ScenarioResult, StepResult

    result = ScenarioResult("x", "t", "x.yaml", "pool", "emulator", Status.FAILED)
    result.message = "step 1 (call X, line 3): expected 'Hunter-22!', got nothing"
    sent = {"AuthParameters": {"USERNAME": "someone", "PASSWORD": "Hunter-22!"}}
    result.steps = [StepResult(0, "call X", "call", 3, Status.FAILED, request=sent)]
    _progress(result)
    line = capsys.readouterr().err
    assert line.startswith("  x on emulator: failed: step 1 (call X, line 3)")
    assert "Hunter-22!" not in line


@pytest.mark.parametrize("mode", [OBSERVE, ASSERT])
def test_each_row_of_an_examples_table_is_a_matrix_of_its_own(
    library: Library, backend: EmulatorBackend, mode: str
) -> None:
    comparison = _compare(library, backend, "password-policy", ["password-only"], mode)
    assert [matrix.scenario_id for matrix in comparison.matrices] == [
        "password-policy[too-short]",
        "password-policy[no-upper-case]",
        "password-policy[no-symbol]",
    ]
    assert [r.scenario_id for r in comparison.results] == [
        "password-policy[password-only][too-short]",
        "password-policy[password-only][no-upper-case]",
        "password-policy[password-only][no-symbol]",
    ]
    errors = [result.steps[0].response["Error"]["Message"] for result in comparison.results]  # each row's password
    assert errors == [f"Password did not conform with policy: Password {rule}" for rule in (
        "not long enough", "must have uppercase characters", "must have symbol characters")]  # fmt: skip
    assert all(result.status is Status.PASSED for result in comparison.results)
