"""The runner against the in-process emulator: templating, save, expectations, pools, statuses."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.backends.base import Powers, ProvisionedPool
from harness.backends.emulator import EmulatorBackend
from harness.engine.library import discover
from harness.engine.results import ScenarioResult, Status
from harness.engine.runner import run_scenario

POOL = """\
name: {name}
pool:
  AutoVerifiedAttributes: [email]
clients:
  - name: web
    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
    PreventUserExistenceErrors: {prevent}
  - name: confidential
    GenerateSecret: true
    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
"""

HEADER = """\
scenario: test
refs: [https://example.com/ref]
tags: [demo-tag]
pools: [{pools}]
vars:
  username: ${{{{ unique("user") }}}}
  password: Correct-Horse-9!
  email: ${{{{ username }}}}@example.com
steps:
"""

CREATE_USER = """\
  - call: AdminCreateUser
    params: {Username: "${{ username }}", MessageAction: SUPPRESS, UserAttributes: [{Name: email, Value: "${{ email }}"}]}
  - call: AdminSetUserPassword
    params: {Username: "${{ username }}", Password: "${{ password }}", Permanent: true}
"""


@pytest.fixture(scope="module")
def backend() -> Iterator[EmulatorBackend]:
    running = EmulatorBackend()
    yield running
    running.close()


def run(tmp_path: Path, backend: EmulatorBackend, steps: str, pools: str = "legacy") -> list[ScenarioResult]:
    (tmp_path / "pools").mkdir(exist_ok=True)
    (tmp_path / "pools" / "legacy.yaml").write_text(POOL.format(name="legacy", prevent="LEGACY"))
    (tmp_path / "pools" / "hidden.yaml").write_text(POOL.format(name="hidden", prevent="ENABLED"))
    (tmp_path / "s.yaml").write_text(HEADER.format(pools=pools) + textwrap.dedent(steps))
    library = discover(tmp_path / "s.yaml")
    assert library.ok, "\n".join(map(str, library.issues))
    [scenario] = library.scenarios
    return [run_scenario(scenario, pool, backend, run_id="t") for pool in library.pools_for(scenario)]


def test_templates_save_and_tokens(tmp_path: Path, backend: EmulatorBackend) -> None:
    [result] = run(tmp_path, backend, CREATE_USER + """\
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
    expect: {tokens: valid, response: {AuthenticationResult: {TokenType: Bearer}}}
    save: {access: AuthenticationResult.AccessToken}
  - call: GetUser
    params: {AccessToken: "${{ access }}"}
    expect: {response: {Username: "${{ username }}", UserAttributes: [{Name: email, Value: "${{ email }}"}]}}
""")  # fmt: skip
    assert result.status is Status.PASSED, result.message
    assert [s.status for s in result.steps] == [Status.PASSED] * 4
    # ClientId and UserPoolId are filled in where the operation takes them
    assert len(result.steps[2].request["ClientId"]) == 26 and "UserPoolId" not in result.steps[2].request
    assert result.steps[0].request["UserPoolId"].startswith("us-east-1_")
    assert result.variables["username"].startswith("user-t-")
    assert result.scenario_id == "s[legacy]"


def test_an_unmet_expectation_fails_and_skips_the_rest(tmp_path: Path, backend: EmulatorBackend) -> None:
    [result] = run(tmp_path, backend, CREATE_USER + """\
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: Wrong-Horse-9!}}
  - call: GetUser
    params: {AccessToken: "x"}
""")  # fmt: skip
    assert result.status is Status.FAILED
    assert result.steps[2].status is Status.FAILED
    assert result.steps[2].message == "expected success, got NotAuthorizedException: Incorrect username or password."
    assert result.steps[3].status is Status.SKIPPED
    assert result.message.startswith("step 3 (call InitiateAuth, line ")


def test_error_and_message_expectations(tmp_path: Path, backend: EmulatorBackend) -> None:
    [result] = run(tmp_path, backend, """\
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
    expect: {error: UserNotFoundException, message: {regex: "^User does not"}}
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
    expect: {error: UserNotFoundException, message: User does not exist}
""")  # fmt: skip
    assert result.steps[0].status is Status.PASSED
    assert result.steps[1].status is Status.FAILED
    assert result.steps[1].message == "message: expected 'User does not exist', got 'User does not exist.'"


def test_one_run_per_pool_with_per_pool_expectations(tmp_path: Path, backend: EmulatorBackend) -> None:
    results = run(tmp_path, backend, """\
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: nobody, PASSWORD: "${{ password }}"}}
    expect:
      legacy: {error: UserNotFoundException}
      hidden: {error: NotAuthorizedException, message: Incorrect username or password.}
""", pools="legacy, hidden")  # fmt: skip
    assert [(r.pool, r.status) for r in results] == [("legacy", Status.PASSED), ("hidden", Status.PASSED)]


def test_clock_outbox_and_secret_hash(tmp_path: Path, backend: EmulatorBackend) -> None:
    [result] = run(tmp_path, backend, """\
  - call: SignUp
    client: confidential
    params: {Username: "${{ username }}", Password: "${{ password }}", SecretHash: "${{ secret_hash(username) }}",
             UserAttributes: [{Name: email, Value: "${{ email }}"}]}
  - outbox: {to: "${{ email }}"}
    expect: {response: {Count: 1, Messages: [{Purpose: SignUp, Code: {regex: "^[0-9]{6}$"}}]}}
    save: {code: "Messages[0].Code"}
  - clock: {advance: 25h}
  - call: ConfirmSignUp
    client: confidential
    params: {Username: "${{ username }}", ConfirmationCode: "${{ code }}", SecretHash: "${{ secret_hash(username) }}"}
    expect: {error: ExpiredCodeException}
""")  # fmt: skip
    assert result.status is Status.PASSED, result.message


def test_outbox_link_needs_a_pool_that_confirms_by_link(tmp_path: Path, backend: EmulatorBackend) -> None:
    """The pool here confirms by code: asking for the link is a broken scenario that says why."""
    [result] = run(tmp_path, backend, """\
  - call: SignUp
    params: {Username: "${{ username }}", Password: "${{ password }}", UserAttributes: [{Name: email, Value: "${{ email }}"}]}
  - call: ConfirmSignUp
    params: {Username: "${{ username }}", ConfirmationCode: "${{ outbox_link(email) }}"}
""")  # fmt: skip
    assert result.status is Status.BROKEN
    assert "holds a code, not a link (CONFIRM_WITH_CODE)" in result.message


def test_a_template_error_at_run_time_is_broken(tmp_path: Path, backend: EmulatorBackend) -> None:
    [result] = run(tmp_path, backend, """\
  - call: SignUp
    params: {Username: "${{ username }}", Password: "${{ password }}", SecretHash: "${{ secret_hash(username) }}"}
""")  # fmt: skip
    assert result.status is Status.BROKEN
    assert "has no secret" in result.message


def test_secret_hash_over_a_secret_given_and_an_empty_one(tmp_path: Path, backend: EmulatorBackend) -> None:
    [result] = run(tmp_path, backend, CREATE_USER + """\
  - call: AddUserPoolClientSecret
    client: confidential
    save: {second: ClientSecretDescriptor.ClientSecretValue}
  - call: InitiateAuth
    client: confidential
    params:
      AuthFlow: USER_PASSWORD_AUTH
      AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}", SECRET_HASH: "${{ secret_hash(username, second) }}"}
    expect: {tokens: valid}
  - call: InitiateAuth
    client: confidential
    params:
      AuthFlow: USER_PASSWORD_AUTH
      AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}", SECRET_HASH: "${{ secret_hash(username, '') }}"}
""")  # fmt: skip
    assert result.status is Status.BROKEN
    assert [step.status for step in result.steps][-2:] == [Status.PASSED, Status.BROKEN]
    assert "the secret given is empty" in result.message
    [not_text] = run(tmp_path, backend, """\
  - call: InitiateAuth
    client: confidential
    params:
      AuthFlow: USER_PASSWORD_AUTH
      AuthParameters: {USERNAME: someone, PASSWORD: x, SECRET_HASH: "${{ secret_hash('someone', 123) }}"}
""")  # fmt: skip
    assert not_text.status is Status.BROKEN and "the secret must be text, not int" in not_text.message


def test_a_missing_save_path_fails(tmp_path: Path, backend: EmulatorBackend) -> None:
    [result] = run(tmp_path, backend, CREATE_USER + """\
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
    save: {session: Session}
""")  # fmt: skip
    assert result.status is Status.FAILED
    assert result.steps[2].message == "save: session = Session found nothing in the response"


def test_pools_are_torn_down(tmp_path: Path, backend: EmulatorBackend) -> None:
    before = set(backend.emulator.pools)
    run(tmp_path, backend, CREATE_USER)
    assert set(backend.emulator.pools) == before


def test_a_steps_own_client_holds_for_its_checks(tmp_path: Path, backend: EmulatorBackend) -> None:
    [result] = run(tmp_path, backend, CREATE_USER + """\
  - call: InitiateAuth
    client: confidential
    params:
      AuthFlow: USER_PASSWORD_AUTH
      AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}", SECRET_HASH: "${{ secret_hash(username) }}"}
    expect: {tokens: valid}
""")  # fmt: skip
    assert result.status is Status.PASSED, result.message  # the id token's aud is the confidential client


class _NoOutbox(EmulatorBackend):
    """A backend without the outbox power, like a real pool: it says so up front and is never asked."""

    powers = Powers(clock_max_s=float("inf"), outbox_why="this backend cannot read the codes a pool sends")

    def sent_messages(self, pool_id: str, to: str | None) -> list[dict[str, str]]:
        raise AssertionError("a backend that declared no outbox was asked for it")


def test_a_builtin_needing_a_missing_power_skips_the_step(tmp_path: Path) -> None:
    backend = _NoOutbox()
    try:
        [result] = run(tmp_path, backend, """\
  - call: SignUp
    params: {Username: "${{ username }}", Password: "${{ password }}", UserAttributes: [{Name: email, Value: "${{ email }}"}]}
  - call: ConfirmSignUp
    params: {Username: "${{ username }}", ConfirmationCode: "${{ outbox_code(email) }}"}
""")  # fmt: skip
    finally:
        backend.close()
    assert result.status is Status.SKIPPED
    assert result.steps[1].message == "skipped: this backend cannot read the codes a pool sends"


class _NoTeardown(EmulatorBackend):
    """A backend whose pools cannot be deleted (AccessDenied on a real account)."""

    def teardown(self, pool: ProvisionedPool) -> None:
        raise RuntimeError("AccessDeniedException: not allowed")


@pytest.mark.parametrize(
    ("steps", "status"),
    [
        (
            "  - call: AdminGetUser\n    params: {Username: nobody}\n    expect: {error: UserNotFoundException}\n",
            Status.BROKEN,
        ),
        ("  - call: AdminGetUser\n    params: {Username: nobody}\n", Status.FAILED),
    ],
)
def test_a_failed_teardown_is_said_whatever_the_scenarios_own_outcome(
    tmp_path: Path, steps: str, status: Status
) -> None:
    backend = _NoTeardown()
    try:
        [result] = run(tmp_path, backend, steps)
    finally:
        backend.close()
    assert result.status is status  # a passing scenario becomes broken; a failed one stays failed
    assert "could not tear down pool us-east-1_" in result.message and "AccessDeniedException" in result.message
