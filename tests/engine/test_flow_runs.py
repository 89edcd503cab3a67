"""Fragments, repeats, retries and examples tables run on the in-process emulator (and, for retry, on a
backend that is not consistent at once: the emulator with that power withdrawn, waiting on its clock)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from harness.backends.emulator import EmulatorBackend
from harness.engine.library import discover
from harness.engine.results import ScenarioResult, Status
from harness.engine.runner import run_scenario
from harness.scenario.model import Scenario

POOL = """\
clients:
  - name: web
    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
"""

USER = """\
fragment: A confirmed user
args:
  username:
  password: {default: "Correct-${{ username }}-9!"}
returns: [sub, password]
steps:
  - call: AdminCreateUser
    params: {Username: "${{ username }}", MessageAction: SUPPRESS}
    save: {sub: "User.Attributes[?Name=='sub'] | [0].Value"}
  - call: AdminSetUserPassword
    params: {Username: "${{ username }}", Password: "${{ password }}", Permanent: true}
"""

SIGN_IN = """\
fragment: Sign in with a password
args: {username: , password: }
returns: [access]
steps:
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
    expect: {tokens: valid}
    save: {access: AuthenticationResult.AccessToken}
"""

HEADER = """\
scenario: test
vars:
  username: ${{ unique("user") }}
"""


@pytest.fixture(scope="module")
def backend() -> Iterator[EmulatorBackend]:
    running = EmulatorBackend()
    yield running
    running.close()


class SlowlyConsistent(EmulatorBackend):
    """The emulator as a backend that is not consistent at once: a retry polls it, waiting on its clock
    (a real pool waits in real time), so a test can watch polling without waiting."""

    name = "slowly-consistent"

    def __init__(self) -> None:
        super().__init__()
        self.powers = replace(self.powers, consistent=False)
        self.waits: list[float] = []

    def now(self) -> float:
        """Only waits move this clock, so the polling's arithmetic does not depend on how fast the test runs."""
        return 1_000_000.0 + self.emulator.clock.offset

    def advance_clock(self, seconds: float) -> None:
        self.waits.append(seconds)
        super().advance_clock(seconds)


def scenario_in(tmp_path: Path, text: str) -> Scenario:
    (tmp_path / "pools").mkdir(exist_ok=True)
    (tmp_path / "fragments").mkdir(exist_ok=True)
    (tmp_path / "pools" / "default.yaml").write_text(POOL)
    (tmp_path / "fragments" / "user.yaml").write_text(USER)
    (tmp_path / "fragments" / "sign-in.yaml").write_text(SIGN_IN)
    (tmp_path / "s.yaml").write_text(HEADER + textwrap.dedent(text))
    library = discover(tmp_path / "s.yaml")
    assert library.ok, "\n".join(map(str, library.issues))
    [scenario] = library.scenarios
    return scenario


def run(tmp_path: Path, backend: EmulatorBackend, text: str) -> ScenarioResult:
    scenario = scenario_in(tmp_path, text)
    [pool] = discover(tmp_path / "s.yaml").pools_for(scenario)
    return run_scenario(scenario, pool, backend, run_id="t")


def test_fragments_take_arguments_and_return_values(tmp_path: Path, backend: EmulatorBackend) -> None:
    result = run(tmp_path, backend, """\
        steps:
          - use: user
            with: {username: "${{ username }}"}
          - use: sign-in
            with: {username: "${{ username }}", password: "${{ password }}"}
          - call: GetUser
            params: {AccessToken: "${{ access }}"}
            expect: {response: {Username: "${{ username }}", UserAttributes: [{Name: sub, Value: "${{ sub }}"}]}}
    """)  # fmt: skip
    assert result.status is Status.PASSED, result.message
    assert [s.label for s in result.steps] == [
        "user: call AdminCreateUser", "user: call AdminSetUserPassword", "sign-in: call InitiateAuth", "call GetUser"
    ]  # fmt: skip
    # the default argument was rendered in the fragment's scope, and came back as a returned value
    assert result.variables["password"] == f"Correct-{result.variables['username']}-9!"
    assert set(result.variables) == {"username", "sub", "password", "access"}  # nothing else leaks out


def test_a_failure_inside_a_fragment_names_the_use_and_the_fragment_line(
    tmp_path: Path, backend: EmulatorBackend
) -> None:
    result = run(tmp_path, backend, """\
        steps:
          - use: sign-in
            with: {username: nobody, password: Wrong-Horse-9!}
    """)  # fmt: skip
    assert result.status is Status.FAILED
    assert result.steps[0].line == 5  # the use, in the scenario file
    assert result.message.startswith(
        f"step 1 (sign-in: call InitiateAuth, line 5, {tmp_path / 'fragments' / 'sign-in.yaml'}:5:5): "
    )
    assert "UserNotFoundException" in result.message


def test_arguments_that_cannot_be_rendered_break_the_first_step_of_the_use(
    tmp_path: Path, backend: EmulatorBackend
) -> None:
    result = run(tmp_path, backend, """\
        steps:
          - use: user
            with: {username: "${{ env('AUTHFLOW_TEST_SURELY_UNSET') }}"}
    """)  # fmt: skip
    assert result.status is Status.BROKEN
    assert result.steps[0].status is Status.BROKEN and result.steps[1].status is Status.SKIPPED
    assert result.message.endswith(
        "use user: with.username: env(...) failed: the environment variable 'AUTHFLOW_TEST_SURELY_UNSET' is not set"
    )


def test_repeat_runs_a_step_and_a_group_with_the_turn_in_templates(tmp_path: Path, backend: EmulatorBackend) -> None:
    result = run(tmp_path, backend, """\
        steps:
          - call: AdminCreateUser
            repeat: 3
            params: {Username: "${{ username }}-${{ repeat.number }}", MessageAction: SUPPRESS}
          - repeat: 2
            steps:
              - use: user
                with: {username: "${{ username }}-x${{ repeat.index }}"}
              - call: AdminGetUser
                params: {Username: "${{ username }}-x${{ repeat.index }}"}
                expect: {response: {UserStatus: CONFIRMED}}
          - call: ListUsers
            expect:
              response:
                Users:
                  - {Username: "${{ username }}-1"}
                  - {Username: "${{ username }}-3"}
                  - {Username: "${{ username }}-x0"}
                  - {Username: "${{ username }}-x1"}
    """)  # fmt: skip
    assert result.status is Status.PASSED, result.message
    assert len(result.steps) == 3 + 2 * 3 + 1
    assert "repeat" not in result.variables  # a turn's values are gone once the repeat is over


def test_five_wrong_passwords_in_a_repeat_lock_the_user_out(tmp_path: Path, backend: EmulatorBackend) -> None:
    result = run(tmp_path, backend, """\
        steps:
          - use: user
            with: {username: "${{ username }}"}
          - call: InitiateAuth
            repeat: 5
            params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: Wrong-Horse-9!}}
            expect: {error: NotAuthorizedException, message: Incorrect username or password.}
          - call: InitiateAuth
            params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
            expect: {error: NotAuthorizedException, message: Password attempts exceeded}
    """)  # fmt: skip
    assert result.status is Status.PASSED, result.message
    assert [s.label for s in result.steps][2:7] == [f"call InitiateAuth ({n}/5)" for n in range(1, 6)]


LOCKED_OUT_THEN_RETRY = """\
    steps:
      - use: user
        with: {username: "${{ username }}"}
      - call: InitiateAuth
        repeat: 5
        params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: Wrong-Horse-9!}}
        expect: {error: NotAuthorizedException}
      - name: the right password, until the lockout is over
        call: InitiateAuth
        params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
        retry: {until: {tokens: valid}, every: 1s, for: %s}
        expect: {tokens: valid}
"""


def test_retry_checks_once_on_the_emulator_and_says_why(tmp_path: Path, backend: EmulatorBackend) -> None:
    before = backend.now()
    result = run(tmp_path, backend, LOCKED_OUT_THEN_RETRY % "30s")
    assert result.status is Status.FAILED
    last = result.steps[-1]
    assert last.retries == 0
    assert last.message == (  # until and expect are the same here: what until said is not said again
        "retry: checked once (emulator answers are consistent at once, so waiting would not change this one): "
        "until: expected success, got NotAuthorizedException: Password attempts exceeded; "
        "tokens: no IdToken in AuthenticationResult; tokens: no AccessToken in AuthenticationResult"
    )
    assert backend.now() - before < 5  # nothing waited, the pool's clock did not move


def test_retry_polls_a_backend_that_is_not_consistent_at_once(tmp_path: Path) -> None:
    slow = SlowlyConsistent()
    try:
        result = run(tmp_path, slow, LOCKED_OUT_THEN_RETRY % "30s")
        assert result.status is Status.PASSED, result.message
        assert slow.waits == [1.0] and result.steps[-1].retries == 1  # the 1 s lockout was waited out once
        timed_out = run(
            tmp_path, slow, LOCKED_OUT_THEN_RETRY.replace('PASSWORD: "${{ password }}"', "PASSWORD: nope") % "3s"
        )
    finally:
        slow.close()
    assert timed_out.status is Status.FAILED
    assert timed_out.steps[-1].message.startswith("retry: still not so after 4 attempts in 3s: until: expected success")
    assert slow.waits == [1.0, 1.0, 1.0, 1.0]


def test_retry_without_until_waits_for_the_expectation(tmp_path: Path, backend: EmulatorBackend) -> None:
    result = run(tmp_path, backend, """\
        steps:
          - use: user
            with: {username: "${{ username }}"}
          - call: AdminGetUser
            params: {Username: "${{ username }}"}
            retry: {for: 10s}
            expect: {response: {UserStatus: CONFIRMED}}
    """)  # fmt: skip
    assert result.status is Status.PASSED, result.message


def test_examples_run_once_per_row_with_readable_ids_and_row_tags(tmp_path: Path, backend: EmulatorBackend) -> None:
    scenario = scenario_in(tmp_path, """\
        tags: [demo]
        examples:
          - {name: unknown-user, vars: {who: nobody}}
          - {name: wrong-password, vars: {who: known-user}, tags: [password]}
        steps:
          - use: user
            with: {username: known-user}
          - call: InitiateAuth
            params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ who }}", PASSWORD: Wrong-Horse-9!}}
            expect: {error: UserNotFoundException}
    """)  # fmt: skip
    [pool] = discover(tmp_path / "s.yaml").pools_for(scenario)
    results = [run_scenario(scenario, pool, backend, run_id="t", example=row) for row in scenario.rows()]
    assert [r.scenario_id for r in results] == ["s[default][unknown-user]", "s[default][wrong-password]"]
    assert [r.tags for r in results] == [["demo"], ["demo", "password"]]
    assert [r.status for r in results] == [Status.PASSED, Status.FAILED]  # the second row's answer differs
    assert "got NotAuthorizedException" in results[1].message
    assert [r.variables["who"] for r in results] == ["nobody", "known-user"]


def test_a_retry_that_would_wait_longer_than_the_backend_may_is_skipped(tmp_path: Path) -> None:
    slow = SlowlyConsistent()
    slow.powers = replace(slow.powers, clock_max_s=0.5, clock_why="waiting {seconds:g}s exceeds the limit")
    try:
        result = run(tmp_path, slow, LOCKED_OUT_THEN_RETRY % "30s")
    finally:
        slow.close()
    assert result.status is Status.SKIPPED
    assert result.steps[-1].message == "skipped: retry every 1s: waiting 1s exceeds the limit"
    assert slow.waits == []


def test_fragments_inside_fragments_pass_values_out_through_each_level(
    tmp_path: Path, backend: EmulatorBackend
) -> None:
    (tmp_path / "fragments").mkdir(exist_ok=True)
    (tmp_path / "fragments" / "signed-in-user.yaml").write_text(textwrap.dedent("""\
        fragment: A user, signed in
        args: {name: }
        returns: [token, user_sub]
        steps:
          - use: user
            with: {username: "${{ name }}"}
            save: {user_sub: sub, password: password}  # only what save lists comes back
          - use: sign-in
            with: {username: "${{ name }}", password: "${{ password }}"}
            save: {token: access}
    """))  # fmt: skip
    result = run(tmp_path, backend, """\
        steps:
          - use: signed-in-user
            repeat: 2
            with: {name: "${{ username }}-${{ repeat.number }}"}
          - call: GetUser
            params: {AccessToken: "${{ token }}"}
            expect: {response: {Username: "${{ username }}-2", UserAttributes: [{Name: sub, Value: "${{ user_sub }}"}]}}
    """)  # fmt: skip
    assert result.status is Status.PASSED, result.message
    assert result.steps[0].label == "signed-in-user (1/2): user: call AdminCreateUser"
    assert set(result.variables) == {"username", "token", "user_sub"}
