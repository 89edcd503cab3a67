"""Handler triggers on `--backend aws`: each deployed as a Lambda function (a zip of its folder, a role with the
basic execution policy, permission for the pool to invoke it), named in the pool's LambdaConfig, tagged with the
run, and removed at the end; `authflow aws sweep` removes those of killed runs.

Nothing reaches AWS: Cognito is the emulator on a loopback port, Lambda and IAM are moto's in-process mock (its
endpoints are the AWS addresses moto intercepts). moto cannot run a function, so where a scenario needs the
triggers to run, the emulator is given a stand-in that runs the code moto holds, from the deployed zip, with the
deployed Handler, environment and timeout: what a scenario then proves is that the deployment is complete.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.awslambda.models import lambda_backends
from moto.core import DEFAULT_ACCOUNT_ID

from harness.backends import aws_lambda
from harness.backends.aws import AwsBackend, AwsSetupError
from harness.backends.sweep import sweep_functions
from harness.cli import main
from harness.emulator.lambda_runtime import HandlerFunction, handler_function
from harness.emulator.recipes import TRIGGER_NAMES
from harness.emulator.server import EmulatorServer
from harness.engine.results import Status
from harness.engine.runner import run_scenario
from harness.scenario.model import Library
from tests.backends.conftest import REPO, RecordingEmulator, tagged_pools

LAMBDA_URL = "https://lambda.us-east-1.amazonaws.com"
IAM_URL = "https://iam.amazonaws.com"
CUSTOM_AUTH = ("DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse")


@pytest.fixture
def aws(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    """moto's Lambda and IAM, as (lambda client, iam client). Loading AWS's managed policies into moto takes
    seconds, so only a test marked `aws_managed_policies` gets them; the others attach a customer policy of the
    same name instead of AWSLambdaBasicExecutionRole."""
    real_policies = request.node.get_closest_marker("aws_managed_policies") is not None
    if real_policies:
        monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    with mock_aws():
        lambda_client = boto3.client("lambda", region_name="us-east-1", endpoint_url=LAMBDA_URL)
        iam = boto3.client("iam", region_name="us-east-1", endpoint_url=IAM_URL)
        if not real_policies:
            document = {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}],
            }
            stand_in = iam.create_policy(PolicyName="AWSLambdaBasicExecutionRole", PolicyDocument=json.dumps(document))
            monkeypatch.setattr(aws_lambda, "BASIC_EXECUTION_POLICY", stand_in["Policy"]["Arn"])
        yield lambda_client, iam


@pytest.fixture
def deployed_code_runs(
    emulator: RecordingEmulator, aws: tuple[Any, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[str]]:
    """The emulator, as Cognito, invokes the functions moto holds: their zip unpacked, their Handler, environment
    and timeout. Yields the functions invoked (by name)."""
    lambda_client, _ = aws
    original = emulator.triggers.resolve
    made: dict[str, HandlerFunction] = {}
    invoked: list[str] = []

    def resolve(arn: str) -> Any:
        if original(arn) is not None:
            return original(arn)
        if arn not in made:
            configuration = lambda_client.get_function(FunctionName=arn)["Configuration"]
            name = configuration["FunctionName"]
            code = lambda_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].get_function(name).code_bytes
            folder = tmp_path / "deployed" / name
            zipfile.ZipFile(io.BytesIO(code)).extractall(folder)
            module, function = configuration["Handler"].rsplit(".", 1)
            [file] = [p for p in folder.iterdir() if p.stem == module]
            spec = {
                "handler": f"{file}:{function}",
                "environment": configuration.get("Environment", {}).get("Variables", {}),
                "timeout": configuration["Timeout"],
            }
            trigger = next(t for t in TRIGGER_NAMES if f"-{t}-" in name)
            made[arn] = handler_function(trigger, spec, region="us-east-1", label="deployed")
        invoked.append(arn.rsplit(":", 1)[-1])
        return made[arn]

    monkeypatch.setattr(emulator.triggers, "resolve", resolve)
    yield invoked
    for function in made.values():
        function.close()


def _functions(lambda_client: Any) -> dict[str, dict[str, Any]]:
    return {f["FunctionName"]: f for f in lambda_client.list_functions()["Functions"]}


def _roles(iam: Any) -> list[str]:
    return [role["RoleName"] for role in iam.list_roles()["Roles"]]


@pytest.mark.aws_managed_policies
def test_handlers_are_deployed_wired_permitted_and_removed(
    library: Library,
    aws: tuple[Any, Any],
    admin: Any,
    emulator: RecordingEmulator,
    make_backend: Callable[..., AwsBackend],
) -> None:
    lambda_client, iam = aws
    backend = make_backend(lambda_endpoint_url=LAMBDA_URL, iam_endpoint_url=IAM_URL)
    config = library.pools["custom-auth"]
    pool = backend.provision(config, run_id="lamb1234")

    functions = _functions(lambda_client)
    assert len(functions) == 3 and all(name.startswith("authflow-lamb1234-") for name in functions)
    by_trigger = {
        next(t for t in CUSTOM_AUTH if name.endswith(f"-{t}-custom-auth")): f for name, f in functions.items()
    }
    define = by_trigger["DefineAuthChallenge"]
    assert (define["Runtime"], define["Handler"], define["Timeout"]) == ("python3.13", "define_challenge.handler", 3)
    assert define["Environment"]["Variables"] == {"MAX_ATTEMPTS": "2"}
    assert by_trigger["CreateAuthChallenge"]["Environment"]["Variables"] == {"ANSWER": "4242"}
    assert lambda_client.list_tags(Resource=define["FunctionArn"])["Tags"] == {
        "managed-by": "authflow",
        "authflow:run-id": "lamb1234",
        "authflow:configuration": "custom-auth",
    }
    code = lambda_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].get_function(define["FunctionName"]).code_bytes
    assert sorted(zipfile.ZipFile(io.BytesIO(code)).namelist()) == [
        "create_challenge.py",
        "define_challenge.py",
        "verify_answer.py",
    ]  # the handler's folder, without caches

    [role] = _roles(iam)
    assert define["Role"].endswith(f"/{role}") and role.startswith("authflow-lamb1234-")
    attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
    assert {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=role)["Tags"]} == {
        "managed-by": "authflow",
        "authflow:run-id": "lamb1234",
    }

    described = admin.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]
    assert described["LambdaConfig"] == {t: by_trigger[t]["FunctionArn"] for t in CUSTOM_AUTH}
    for function in by_trigger.values():
        [statement] = json.loads(lambda_client.get_policy(FunctionName=function["FunctionName"])["Policy"])["Statement"]
        assert statement["Principal"] == {"Service": "cognito-idp.amazonaws.com"}
        assert statement["Action"] == "lambda:InvokeFunction"
        assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == described["Arn"]

    second = backend.provision(config, run_id="lamb1234")  # the same configuration again: the same functions
    assert _functions(lambda_client).keys() == functions.keys()
    backend.teardown(pool)  # the pool goes, and with it its permission; the functions stay for the run
    for function in by_trigger.values():
        policy = json.loads(lambda_client.get_policy(FunctionName=function["FunctionName"])["Policy"])
        assert [s["Condition"]["ArnLike"]["AWS:SourceArn"] for s in policy["Statement"]] == [
            admin.describe_user_pool(UserPoolId=second.pool_id)["UserPool"]["Arn"]
        ]

    backend.close()
    assert _functions(lambda_client) == {} and _roles(iam) == []
    assert backend.leftovers() == [] and tagged_pools(admin) == {}
    assert "deleted the run's Lambda functions and their role" in backend.cleanup_log


def test_the_shipped_custom_auth_scenarios_run_on_the_deployed_functions(
    library: Library,
    aws: tuple[Any, Any],
    admin: Any,
    deployed_code_runs: list[str],
    make_backend: Callable[..., AwsBackend],
) -> None:
    lambda_client, iam = aws
    backend = make_backend(lambda_endpoint_url=LAMBDA_URL, iam_endpoint_url=IAM_URL)
    scenarios = [s for s in library.scenarios if "custom-auth" in s.pools]
    assert len(scenarios) == 4
    for scenario in scenarios:
        result = run_scenario(scenario, library.pools["custom-auth"], backend, run_id="lamb1234")
        assert result.status is Status.PASSED, (scenario.id, result.message)
    assert {t for t in CUSTOM_AUTH for name in deployed_code_runs if f"-{t}-" in name} == set(CUSTOM_AUTH)
    assert len(_functions(lambda_client)) == 3  # one deployment for the four scenarios
    backend.close()
    assert _functions(lambda_client) == {} and _roles(iam) == [] and tagged_pools(admin) == {}


def test_authflow_run_on_aws_provisions_the_custom_auth_pools(
    aws: tuple[Any, Any],
    deployed_code_runs: list[str],
    server: EmulatorServer,
    admin: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`authflow run scenarios/ --backend aws --endpoint-url <emulator>`, Lambda and IAM named as botocore reads
    them (AWS_ENDPOINT_URL_LAMBDA / _IAM): the custom-auth scenarios pass, and nothing is left anywhere."""
    lambda_client, iam = aws
    monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", LAMBDA_URL)
    monkeypatch.setenv("AWS_ENDPOINT_URL_IAM", IAM_URL)
    argv = ["run", str(REPO / "scenarios"), "-k", "custom_auth or custom-auth", "--backend", "aws",
            "--endpoint-url", server.url, "--reports", str(tmp_path / "reports")]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().out
    results = json.loads((tmp_path / "reports" / "results.json").read_text())["results"]
    assert sorted(r["scenario_id"] for r in results if r["status"] == "passed") == [
        "amplify-custom-auth-with-password[custom-auth]",
        "amplify-custom-auth-without-srp[custom-auth]",
        "amplify-sign-in-without-password[custom-auth]",
        "custom-auth-without-password[custom-auth]",
    ]
    assert deployed_code_runs  # the pools invoked the deployed functions
    assert _functions(lambda_client) == {} and _roles(iam) == [] and tagged_pools(admin) == {}


def test_a_local_cognito_endpoint_needs_lambda_and_iam_named(
    library: Library, emulator: RecordingEmulator, make_backend: Callable[..., AwsBackend]
) -> None:
    """With --endpoint-url, functions must not silently go to the AWS account of the credential chain."""
    backend = make_backend()
    with pytest.raises(AwsSetupError, match="AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_IAM"):
        backend.provision(library.pools["custom-auth"], run_id="trig1234")
    assert emulator.calls == []  # refused before anything was sent


def test_what_close_cannot_delete_is_named_with_the_command(
    library: Library, aws: tuple[Any, Any], make_backend: Callable[..., AwsBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    lambda_client, iam = aws
    backend = make_backend(lambda_endpoint_url=LAMBDA_URL, iam_endpoint_url=IAM_URL)
    backend.provision(library.pools["custom-auth"], run_id="left1234")
    deployment = backend._lambdas
    assert deployment is not None

    def refuse(**_: Any) -> None:
        raise RuntimeError("connection lost")

    monkeypatch.setattr(deployment.lambda_client, "delete_function", refuse)
    backend.close()
    kinds = sorted(leftover.kind for leftover in backend.leftovers())
    assert kinds == ["function", "function", "function"]  # each deletion on its own: the role is gone
    assert _roles(iam) == []
    function = next(leftover for leftover in backend.leftovers() if leftover.kind == "function")
    assert function.reason == "RuntimeError: connection lost"
    assert function.command == f"aws lambda delete-function --function-name {function.name} --region us-east-1"
    assert function.description == f"Lambda function {function.name}"
    assert len(_functions(lambda_client)) == 3


def test_ctrl_c_while_deleting_names_every_function_and_the_role_left(
    library: Library, aws: tuple[Any, Any], make_backend: Callable[..., AwsBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = make_backend(lambda_endpoint_url=LAMBDA_URL, iam_endpoint_url=IAM_URL)
    backend.provision(library.pools["custom-auth"], run_id="intr1234")
    assert backend._lambdas is not None
    delete_function = backend._lambdas.lambda_client.delete_function

    def interrupt(**_: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(backend._lambdas.lambda_client, "delete_function", interrupt)
    with pytest.raises(KeyboardInterrupt):
        backend.close()
    left = [(leftover.kind, leftover.reason) for leftover in backend.leftovers() if leftover.kind != "pool"]
    assert sorted(left) == [("function", "interrupted before it was deleted")] * 3 + [
        ("role", "interrupted before it was deleted")
    ]
    monkeypatch.setattr(backend._lambdas.lambda_client, "delete_function", delete_function)
    backend.close()  # a second close removes them
    assert _functions(aws[0]) == {} and _roles(aws[1]) == []


def test_sweep_removes_the_functions_and_roles_of_killed_runs_and_nothing_else(
    library: Library, aws: tuple[Any, Any], make_backend: Callable[..., AwsBackend], server: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    lambda_client, iam = aws
    backend = make_backend(lambda_endpoint_url=LAMBDA_URL, iam_endpoint_url=IAM_URL)
    backend.provision(library.pools["custom-auth"], run_id="kill1234")
    backend._lambdas = None  # forgotten, as by a killed process
    backend._alive.clear()
    role_arn = iam.get_role(RoleName=_roles(iam)[0])["Role"]["Arn"]
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    untouchable = {
        "authflow-hand-made": {"managed-by": "authflow"},  # no run id: someone's own
        "authflow-foreign-tags": {"authflow:run-id": "kill1234"},  # not managed by authflow
        "production-trigger": {"managed-by": "authflow", "authflow:run-id": "kill1234"},  # not our name
    }
    for name, tags in untouchable.items():
        lambda_client.create_function(FunctionName=name, Runtime="python3.13", Role=role_arn, Handler="index.handler",
                                      Code={"ZipFile": zipped.getvalue()}, Tags=tags)  # fmt: skip
    iam.create_role(RoleName="authflow-keep-me", AssumeRolePolicyDocument="{}")

    assert sweep_functions(lambda_client, iam, older_than_s=7200) == []  # too young
    listed = sweep_functions(lambda_client, iam, older_than_s=7200, dry_run=True, now=time.time() + 3 * 3600)
    assert all(3 * 3600 - 60 < item.age_s < 3 * 3600 + 60 for item in listed)
    assert sorted((s.kind, s.run_id, s.deleted) for s in listed) == [
        ("function", "kill1234", False), ("function", "kill1234", False), ("function", "kill1234", False),
        ("role", "kill1234", False),
    ]  # fmt: skip
    assert len(_functions(lambda_client)) == 6

    monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", LAMBDA_URL)
    monkeypatch.setenv("AWS_ENDPOINT_URL_IAM", IAM_URL)
    assert main(["aws", "sweep", "--older-than", "0s", "--endpoint-url", server.url]) == 0
    out = capsys.readouterr().out
    assert "deleted IAM role authflow-kill1234-" in out and "4 leftover Lambda functions and roles older than 0s" in out
    assert sorted(_functions(lambda_client)) == sorted(untouchable)
    assert _roles(iam) == ["authflow-keep-me"]


def test_sweep_on_a_cognito_only_endpoint_says_functions_were_not_swept(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["aws", "sweep", "--older-than", "2h", "--endpoint-url", server.url]) == 0
    assert "Lambda functions and IAM roles not swept" in capsys.readouterr().out


def test_long_names_are_cut_with_a_digest_so_they_stay_distinct() -> None:
    first = aws_lambda._name(
        "authflow", "1a2b3c4d", "ab12", "VerifyAuthChallengeResponse", "a-long-configuration-one", limit=64
    )
    second = aws_lambda._name(
        "authflow", "1a2b3c4d", "ab12", "VerifyAuthChallengeResponse", "a-long-configuration-two", limit=64
    )
    assert len(first) == len(second) == 64 and first != second
    assert first.startswith("authflow-1a2b3c4d-ab12-VerifyAuthChallengeResponse-a-lo")
