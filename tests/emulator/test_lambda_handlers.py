"""Lambda triggers from handler source: a team's Node.js and Python files next to a pool file drive CUSTOM_AUTH on
the emulator, their failures are Cognito's errors, their logs land in the step's report, and no worker process
outlives its backend."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from harness.backends.emulator import EmulatorBackend
from harness.emulator.lambda_runtime import HandlerSpecError, parse_spec
from harness.emulator.lambda_runtime import function as lambda_function
from harness.emulator.lambda_runtime import worker as lambda_worker
from harness.engine.library import discover
from harness.engine.results import ScenarioResult, Status
from harness.engine.runner import run_scenario
from harness.report import write_reports
from harness.report.failure import describe_failure
from harness.scenario.errors import SpecError
from harness.scenario.loader import load_pool
from harness.scenario.model import Library
from tests.emulator.conftest import PASSWORD

HANDLERS = Path(__file__).parent / "handlers"
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node not found: install Node.js 18+")

SCENARIO = """\
scenario: Custom auth with the team's own triggers
pools: [{pool}]
vars:
  username: ${{{{ unique("user") }}}}
steps:
  - call: AdminCreateUser
    params: {{Username: "${{{{ username }}}}", MessageAction: SUPPRESS}}
  - call: InitiateAuth
    params: {{AuthFlow: CUSTOM_AUTH, AuthParameters: {{USERNAME: "${{{{ username }}}}"}}}}
    expect: {{challenge: CUSTOM_CHALLENGE, response: {{ChallengeParameters: {{hint: the agreed answer}}}}}}
    save: {{first: Session}}
  - name: a wrong answer
    call: RespondToAuthChallenge
    params: {{ChallengeName: CUSTOM_CHALLENGE, Session: "${{{{ first }}}}", ChallengeResponses: {{USERNAME: "${{{{ username }}}}", ANSWER: "0000"}}}}
    expect: {{challenge: CUSTOM_CHALLENGE}}
    save: {{second: Session}}
  - name: the right answer
    call: RespondToAuthChallenge
    params: {{ChallengeName: CUSTOM_CHALLENGE, Session: "${{{{ second }}}}", ChallengeResponses: {{USERNAME: "${{{{ username }}}}", ANSWER: "4242"}}}}
    expect: {{tokens: valid}}
"""

NODE_POOL = """\
clients:
  - name: web
    ExplicitAuthFlows: [ALLOW_CUSTOM_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
triggers:
  DefineAuthChallenge: {handler: lambdas/define.mjs:handler, environment: {MAX_ATTEMPTS: 3}}
  CreateAuthChallenge: {handler: lambdas/create.cjs:handler, environment: {ANSWER: "4242"}, timeout: 2}
  VerifyAuthChallengeResponse: {handler: lambdas/verify.js:handler}
"""

PYTHON_POOL = """\
clients:
  - name: web
    ExplicitAuthFlows: [ALLOW_CUSTOM_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
triggers:
  DefineAuthChallenge: {handler: lambdas/define.py:handler}
  CreateAuthChallenge: {handler: lambdas/create.py:handler, environment: {ANSWER: "4242"}}
  VerifyAuthChallengeResponse: {handler: lambdas/verify.py:handler}
"""


def team_project(root: Path, language: str, pool_text: str) -> Library:
    """What a team does: its trigger files next to a pool file, and a scenario naming the pool."""
    (root / "pools").mkdir(parents=True)
    shutil.copytree(HANDLERS / language, root / "pools" / "lambdas")
    (root / "pools" / f"{language}-auth.yaml").write_text(pool_text)
    (root / "custom.yaml").write_text(SCENARIO.format(pool=f"{language}-auth"))
    found = discover(root)
    assert found.ok, found.issues
    return found


@pytest.fixture
def backend() -> Iterator[EmulatorBackend]:
    made = EmulatorBackend()
    yield made
    made.close()


def _run(library: Library, backend: EmulatorBackend) -> ScenarioResult:
    [scenario] = library.scenarios
    return run_scenario(scenario, library.pools[scenario.pools[0]], backend, run_id="hand1234")


@needs_node
def test_node_handlers_drive_a_full_custom_auth_scenario(tmp_path: Path, backend: EmulatorBackend) -> None:
    result = _run(team_project(tmp_path, "node", NODE_POOL), backend)
    assert result.status is Status.PASSED, result.message
    start, wrong, right = result.steps[1:]
    assert start.logs == [
        "DefineAuthChallenge: node define: 0 answered, source DefineAuthChallenge_Authentication",
        f"CreateAuthChallenge: node create for {result.variables['username']} in "
        "authflow-node-auth-CreateAuthChallenge, answer ‹redacted:trigger›",
    ]
    assert wrong.logs[0] == "VerifyAuthChallengeResponse: node verify: got ‹redacted:trigger›, correct false"
    assert right.logs[-1] == "DefineAuthChallenge: node define: 2 answered, source DefineAuthChallenge_Authentication"


def test_python_handlers_drive_a_full_custom_auth_scenario(tmp_path: Path, backend: EmulatorBackend) -> None:
    result = _run(team_project(tmp_path, "python", PYTHON_POOL), backend)
    assert result.status is Status.PASSED, result.message
    start, wrong, right = result.steps[1:]
    assert start.logs == [
        "DefineAuthChallenge: python define: 0 answered, source DefineAuthChallenge_Authentication",
        f"CreateAuthChallenge: [WARNING] python create for {result.variables['username']} in "
        "authflow-python-auth-CreateAuthChallenge, answer ‹redacted:trigger›",
    ]
    assert wrong.logs[0] == "VerifyAuthChallengeResponse: python verify: got ‹redacted:trigger›"
    assert "VerifyAuthChallengeResponse: python verify: got ‹redacted:trigger›" in right.logs


def test_over_http_the_handlers_logs_reach_the_step_too(tmp_path: Path) -> None:
    """emulator-http: the triggers run in the server's threads; the logs are the step's all the same."""
    backend = EmulatorBackend(http=True)
    try:
        result = _run(team_project(tmp_path, "python", PYTHON_POOL), backend)
    finally:
        backend.close()
    assert result.status is Status.PASSED, result.message
    assert result.steps[1].logs[0].startswith("DefineAuthChallenge: python define: 0 answered")


def test_the_shipped_custom_auth_pool_runs_python_handlers(backend: EmulatorBackend) -> None:
    library = discover(Path(__file__).resolve().parents[2] / "scenarios" / "custom-auth-without-password.yaml")
    result = _run(library, backend)
    assert result.status is Status.PASSED, result.message
    assert "VerifyAuthChallengeResponse: wrong answer" in result.steps[2].logs


def test_the_logs_are_in_every_report_and_secrets_stay_out(tmp_path: Path, backend: EmulatorBackend) -> None:
    result = _run(team_project(tmp_path / "project", "python", PYTHON_POOL), backend)
    out = tmp_path / "reports"
    write_reports([result], out, run_info={"backend": "emulator"})
    [data] = json.loads((out / "results.json").read_text())["results"]
    assert data["steps"][1]["logs"][0].startswith("DefineAuthChallenge: python define: 0 answered")
    html = (out / "summary.html").read_text()
    assert "trigger logs (2)" in html and "python define: 0 answered" in html
    for report in ("results.json", "summary.html", "summary.md", "junit.xml"):
        assert "answer 4242" not in (out / report).read_text(), report


def test_a_failed_step_shows_the_handlers_logs_in_its_failure(tmp_path: Path, backend: EmulatorBackend) -> None:
    library = team_project(tmp_path / "project", "python", PYTHON_POOL)
    scenario_file = tmp_path / "project" / "custom.yaml"
    scenario_file.write_text(
        scenario_file.read_text().replace("expect: {tokens: valid}", "expect: {challenge: SMS_MFA}")
    )
    result = _run(discover(tmp_path / "project"), backend)
    assert library.scenarios and result.status is Status.FAILED
    text = describe_failure(result)
    assert "  trigger logs:\n    VerifyAuthChallengeResponse: python verify: got ‹redacted:trigger›" in text
    write_reports([result], tmp_path / "reports", run_info={"backend": "emulator"})
    markdown = (tmp_path / "reports" / "summary.md").read_text()
    assert "<details><summary>trigger logs</summary>" in markdown and "python define: 2 answered" in markdown


# --- failures, as Cognito reports them ----------------------------------------------------------------------


def _pool_with(tmp_path: Path, backend: EmulatorBackend, define: dict[str, Any]) -> tuple[str, str]:
    """A pool whose DefineAuthChallenge is the given handler entry (the other two never run)."""
    shutil.copytree(HANDLERS, tmp_path / "lambdas")
    pool_file = tmp_path / "broken-auth.yaml"
    triggers = {"DefineAuthChallenge": define, "CreateAuthChallenge": {"handler": "lambdas/python/create.py:handler"}}
    pool_file.write_text(
        json.dumps({"clients": [{"name": "web", "ExplicitAuthFlows": ["ALLOW_CUSTOM_AUTH"]}], "triggers": triggers})
    )
    pool = backend.provision(load_pool(pool_file), run_id="fail1234")
    cognito = backend.cognito()
    cognito.admin_create_user(UserPoolId=pool.pool_id, Username="ada", TemporaryPassword=PASSWORD)
    return pool.pool_id, pool.client(None).client_id


def _start(backend: EmulatorBackend, client_id: str) -> dict[str, str]:
    """InitiateAuth CUSTOM_AUTH: the error it answers, as {Code, Message}."""
    with pytest.raises(ClientError) as caught:
        backend.cognito().initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "ada"})
    return {key: caught.value.response["Error"][key] for key in ("Code", "Message")}


def _lambda_validation(message: str) -> dict[str, str]:
    return {"Code": "UserLambdaValidationException", "Message": f"DefineAuthChallenge failed with error {message}."}


FAILURES = [
    ("python/misbehave.py:throws", _lambda_validation("Bad password.")),
    (
        "python/misbehave.py:returns_nothing",
        {"Code": "InvalidLambdaResponseException", "Message": lambda_function.INVALID_JSON},
    ),
    (
        "python/misbehave.py:returns_list",
        {"Code": "InvalidLambdaResponseException", "Message": lambda_function.UNRECOGNIZABLE},
    ),
    (
        "python/misbehave.py:not_json",
        _lambda_validation("Unable to marshal response: Object of type object is not JSON serializable"),
    ),
    ("python/misbehave.py:missing", _lambda_validation("Handler 'missing' missing on module 'misbehave'")),
    pytest.param("node/misbehave.mjs:throws", _lambda_validation("not allowed."), marks=needs_node),
    pytest.param("node/misbehave.mjs:callsBackWithError", _lambda_validation("refused by callback"), marks=needs_node),
    pytest.param(
        "node/misbehave.mjs:returnsNothing",
        {"Code": "InvalidLambdaResponseException", "Message": lambda_function.INVALID_JSON},
        marks=needs_node,
    ),
    pytest.param(
        "node/misbehave.mjs:returnsString",
        {"Code": "InvalidLambdaResponseException", "Message": lambda_function.UNRECOGNIZABLE},
        marks=needs_node,
    ),
    pytest.param(
        "node/misbehave.mjs:missing",
        _lambda_validation("misbehave.missing is undefined or not exported"),
        marks=needs_node,
    ),
]


@pytest.mark.parametrize(("handler", "error"), FAILURES)
def test_a_failing_handler_gives_cognitos_error(
    handler: str, error: dict[str, str], tmp_path: Path, backend: EmulatorBackend
) -> None:
    _, client_id = _pool_with(tmp_path, backend, {"handler": f"lambdas/{handler}"})
    assert _start(backend, client_id) == error


@pytest.mark.parametrize(
    ("handler", "status"),
    [
        ("python/misbehave.py:exits", 3),
        ("python/misbehave.py:crashes", 9),
        pytest.param("node/misbehave.mjs:exits", 7, marks=needs_node),
    ],
)
def test_a_handler_that_ends_its_runtime_is_a_function_error_and_the_next_call_gets_a_new_one(
    handler: str, status: int, tmp_path: Path, backend: EmulatorBackend
) -> None:
    _, client_id = _pool_with(tmp_path, backend, {"handler": f"lambdas/{handler}"})
    for _ in range(2):  # the run survives, and the second call starts a fresh runtime that exits again
        error = _start(backend, client_id)
        assert error["Code"] == "UserLambdaValidationException"
        assert error["Message"].startswith("DefineAuthChallenge failed with error RequestId: ")
        assert error["Message"].endswith(f" Error: Runtime exited with error: exit status {status}.")


@pytest.mark.parametrize(
    "handler", ["python/misbehave.py:hangs", pytest.param("node/misbehave.mjs:spins", marks=needs_node)]
)
def test_a_handler_past_its_own_timeout_is_a_task_timeout(
    handler: str, tmp_path: Path, backend: EmulatorBackend
) -> None:
    _, client_id = _pool_with(tmp_path, backend, {"handler": f"lambdas/{handler}", "timeout": 1})
    error = _start(backend, client_id)
    assert error["Code"] == "UserLambdaValidationException"
    assert error["Message"].startswith("DefineAuthChallenge failed with error 20")
    assert error["Message"].endswith(" Task timed out after 1.00 seconds.")


@pytest.mark.parametrize(
    "handler", ["python/misbehave.py:hangs", pytest.param("node/misbehave.mjs:hangs", marks=needs_node)]
)
def test_a_handler_cognito_stops_waiting_for_is_an_unexpected_lambda_exception(
    handler: str, tmp_path: Path, backend: EmulatorBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lambda_function, "COGNITO_WAIT_S", 0.5)  # Cognito's 5 s, shortened for the test
    _, client_id = _pool_with(tmp_path, backend, {"handler": f"lambdas/{handler}", "timeout": 30})
    assert _start(backend, client_id) == {
        "Code": "UnexpectedLambdaException",
        "Message": "DefineAuthChallenge invocation failed due to error Socket timeout while invoking Lambda function.",
    }


@pytest.mark.parametrize(("answer_on", "answered"), [(3, True), (4, False)])
def test_cognito_calls_a_function_that_does_not_answer_in_time_three_times(
    answer_on: int, answered: bool, tmp_path: Path, backend: EmulatorBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[D: developer guide "Lambda triggers", C: aws-amplify/amplify-js#4805]: a call Cognito stopped waiting for is
    made again, three calls in all; the third one's answer counts, and only after three is it the socket timeout."""
    monkeypatch.setattr(lambda_function, "COGNITO_WAIT_S", 1.0)  # Cognito's 5 s, shortened for the test
    calls = tmp_path / "calls.txt"
    handler = {
        "handler": "lambdas/python/misbehave.py:slow_until_third",
        "timeout": 30,
        "environment": {"CALLS_FILE": str(calls), "ANSWER_ON": str(answer_on)},
    }
    _, client_id = _pool_with(tmp_path, backend, handler)
    error = _start(backend, client_id)
    if answered:  # DefineAuthChallenge's third answer was taken: the flow went on to CreateAuthChallenge
        assert error["Message"].startswith("CreateAuthChallenge failed with error"), error
    else:
        assert error["Code"] == "UnexpectedLambdaException", error
    assert calls.read_text().splitlines() == ["call"] * 3


@pytest.mark.parametrize(
    "handler", ["python/misbehave.py:counts", pytest.param("node/misbehave.mjs:counts", marks=needs_node)]
)
def test_one_long_lived_worker_serves_every_call(handler: str, tmp_path: Path, backend: EmulatorBackend) -> None:
    """Module state survives between calls (a warm Lambda environment); one process, stopped by close()."""
    pool_id, client_id = _pool_with(tmp_path, backend, {"handler": f"lambdas/{handler}"})
    for _ in range(3):  # Define's response lacks what Cognito needs, so each call fails after counting
        _start(backend, client_id)
        assert backend._functions[0].pid is not None
    arn = backend.cognito().describe_user_pool(UserPoolId=pool_id)["UserPool"]["LambdaConfig"]["DefineAuthChallenge"]
    worker = backend.emulator.triggers.resolve(arn)
    assert isinstance(worker, lambda_function.HandlerFunction)
    assert worker({"userPoolId": pool_id, "request": {}, "response": {}})["response"] == {"calls": 4}
    pids = [f.pid for f in backend._functions if f.pid is not None]
    backend.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_without_node_a_node_handler_is_skipped_with_the_reason(
    tmp_path: Path, backend: EmulatorBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lambda_worker, "node_executable", lambda: None)
    result = _run(team_project(tmp_path, "node", NODE_POOL), backend)
    assert result.status is Status.SKIPPED
    assert result.message == "node not found: install Node.js 18+"


def test_a_node_older_than_18_is_refused_with_the_reason(
    tmp_path: Path, backend: EmulatorBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_node = tmp_path / "bin" / "node"
    old_node.parent.mkdir()
    old_node.write_text("#!/bin/sh\necho v16.20.2\n")
    old_node.chmod(0o755)
    monkeypatch.setattr(lambda_worker, "node_executable", lambda: str(old_node))
    result = _run(team_project(tmp_path / "project", "node", NODE_POOL), backend)
    assert result.status is Status.SKIPPED
    assert result.message == f"node v16 found at {old_node}: install Node.js 18+"


def test_the_environment_of_a_handler_is_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness's credentials never reach a handler; Lambda's variables and the pool file's do."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-leak")
    (tmp_path / "env.py").write_text(
        "import os\n\ndef handler(event, context):\n    event['response'] = dict(os.environ)\n    return event\n"
    )
    from harness.emulator.lambda_runtime import handler_function

    function = handler_function(
        "PreSignUp",
        {"handler": "env.py:handler", "environment": {"STAGE": "test"}},
        region="eu-west-1",
        label="t",
        base_dir=tmp_path,
    )
    try:
        seen = function({"userPoolId": "p", "request": {}, "response": {}})["response"]
    finally:
        function.close()
    assert "AWS_SECRET_ACCESS_KEY" not in seen
    assert seen["STAGE"] == "test" and seen["AWS_REGION"] == "eu-west-1" and seen["_HANDLER"] == "env.handler"
    assert seen["AWS_LAMBDA_FUNCTION_NAME"] == "authflow-t-PreSignUp"


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"handler": "lambdas/nowhere.py:handler"}, "handler file lambdas/nowhere.py not found"),
        ({"handler": "lambdas/define.rb:handler"}, "a handler is <file>.mjs|.js|.cjs|.py:<function>"),
        (
            {"handler": "lambdas/define.py:handler", "timeout": 0},
            "triggers.DefineAuthChallenge.timeout: must be at least 1",
        ),
        (
            {"handler": "lambdas/define.py:handler", "environment": {"AWS_REGION": "x"}},
            "AWS_REGION is reserved by Lambda",
        ),
    ],
)
def test_a_bad_handler_entry_is_a_problem_of_the_pool_file(entry: dict[str, Any], problem: str, tmp_path: Path) -> None:
    shutil.copytree(HANDLERS / "python", tmp_path / "lambdas")
    pool_file = tmp_path / "bad.yaml"
    pool_file.write_text(json.dumps({"clients": [{"name": "web"}], "triggers": {"DefineAuthChallenge": entry}}))
    with pytest.raises(SpecError) as caught:
        load_pool(pool_file)
    assert problem in str(caught.value)
    assert "triggers.DefineAuthChallenge" in str(caught.value)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"handler": "define.py"}, "handler 'define.py' must be <file>.mjs|.js|.cjs|.py:<function>"),
        ({"handler": "nowhere.py:handler"}, "handler file nowhere.py not found"),
        ({"handler": "define.py:handler", "environment": {"_HANDLER": "x"}}, "_HANDLER is reserved by Lambda"),
        (
            {"handler": "define.py:handler", "environment": {"bad-name": "x"}},
            "name 'bad-name' must start with a letter",
        ),
        ({"handler": "define.py:handler", "environment": {"A": ["x"]}}, "variable A must be a string"),
        ({"handler": "define.py:handler", "timeout": 901}, "timeout 901 must be a number of seconds from 1 to 900"),
    ],
)
def test_handler_entries_given_in_code_are_checked_too(entry: dict[str, Any], problem: str) -> None:
    """Outside a pool file (register_triggers, the Python API) the same rules hold, with the same words."""
    with pytest.raises(HandlerSpecError, match=re.escape(problem)):
        parse_spec(entry, HANDLERS / "python")


def test_a_parsed_entry_has_lambdas_settings() -> None:
    spec = parse_spec({"handler": "define.py:handler", "environment": {"N": 2, "ON": True}}, HANDLERS / "python")
    assert (spec.runtime, spec.lambda_handler, spec.timeout_s) == ("python", "define.handler", 3.0)
    assert spec.environment == {"N": "2", "ON": "true"}
    assert parse_spec({"handler": "define.mjs:handler"}, HANDLERS / "node").runtime == "node"
