"""Handler triggers on AWS: each deployed as a Lambda function for the run, wired into the pool's LambdaConfig.

For a pool configuration with `handler:` triggers the aws backend, before it creates the pool,

- creates one IAM role for the backend (``authflow-<run>-<token>-lambda``) that Lambda may assume, with the AWS
  managed policy AWSLambdaBasicExecutionRole (CloudWatch logs) attached [Lambda developer guide, "execution role"];
- creates one function per handler, once per configuration (every scenario on that configuration shares it, as a
  deployment would): runtime from the file type, code a zip of the handler's folder (the file at its root, so
  the Handler setting is ``<file name>.<function>``), the pool file's environment and timeout;
- after each pool is created, lets that pool invoke them: a resource-based policy statement per function with
  principal ``cognito-idp.amazonaws.com`` and the pool's ARN as SourceArn [Cognito developer guide, "Lambda
  triggers": "you must grant Amazon Cognito permission to invoke the function"], removed when the pool goes.

Every role and function carries ``managed-by=authflow``, the run id and the configuration as tags and a name that
starts with ``authflow-``; ``remove_all()`` (the backend's close) deletes them, and ``authflow aws sweep`` deletes
those of runs that were killed (harness.backends.sweep).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from botocore.exceptions import ClientError

from harness.emulator.lambda_runtime import HandlerSpec, is_handler, parse_spec
from harness.errors import AuthflowError
from harness.scenario.model import PoolConfig

RUNTIMES = {"node": "nodejs22.x", "python": "python3.13"}
"""The Lambda runtime a handler file deploys to, by language (current, supported runtimes)."""
BASIC_EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
LAMBDA_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
COGNITO_PRINCIPAL = "cognito-idp.amazonaws.com"
ResourceKind = Literal["function", "role"]
Left = tuple[ResourceKind, str, str]
"""What could not be deleted: (kind, name, reason)."""
ROLE_PROPAGATION_S = 60.0
"""How long CreateFunction is retried while a new role is not yet assumable (IAM is eventually consistent)."""
MAX_ZIP_BYTES = 50 * 1024 * 1024  # CreateFunction's limit for a zip sent in the request [Lambda quotas]
SKIPPED_NAMES = frozenset({"__pycache__", ".git", ".venv", ".DS_Store"})


class DeploymentError(AuthflowError):
    """A handler cannot be deployed (too large a folder, a name Lambda refuses, ...); nothing was left behind."""


def handler_zip(spec: HandlerSpec) -> bytes:
    """The handler's folder as a zip, the same bytes for the same files (fixed dates, sorted entries); caches,
    version control and hidden files are left out, node_modules is kept (the handler's dependencies)."""
    folder = spec.file.parent
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            parts = path.relative_to(folder).parts
            if not path.is_file() or any(p in SKIPPED_NAMES or p.startswith(".") for p in parts):
                continue
            entry = zipfile.ZipInfo("/".join(parts), date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())
    data = buffer.getvalue()
    if len(data) > MAX_ZIP_BYTES:
        raise DeploymentError(f"{folder} zips to {len(data) // 2**20} MiB, over Lambda's 50 MiB for a direct upload")
    return data


def _name(*parts: str, limit: int) -> str:
    """A Lambda function or IAM role name: letters, digits, - and _, at most ``limit`` characters; one cut short
    ends with a digest of the whole, so two long configuration names never give one function name."""
    name = re.sub(r"[^A-Za-z0-9_-]", "-", "-".join(parts))
    if len(name) <= limit:
        return name
    return f"{name[: limit - 9]}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class DeployedFunction:
    name: str
    arn: str
    configuration: str


class LambdaDeployment:
    """The run's functions and their role, on one backend. Thread-safe bookkeeping."""

    def __init__(
        self,
        lambda_client: Any,
        iam_client: Any,
        *,
        run_id: str,
        tags: dict[str, str],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.lambda_client = lambda_client
        self.iam = iam_client
        self.run_id = run_id
        self.token = secrets.token_hex(2)  # pytest-xdist workers share the run id, not their functions
        self._tags = dict(tags)
        self._sleep = sleep
        self._lock = threading.RLock()
        self._role: tuple[str, str] | None = None  # (name, arn)
        self._by_config: dict[str, dict[str, DeployedFunction]] = {}
        self._statements: dict[str, list[tuple[str, str]]] = {}  # pool id -> (function name, statement id)

    @property
    def role_name(self) -> str | None:
        return self._role[0] if self._role else None

    @property
    def functions(self) -> list[DeployedFunction]:
        with self._lock:
            return [f for made in self._by_config.values() for f in made.values()]

    def deploy(self, config: PoolConfig, triggers: list[str]) -> dict[str, str]:
        """The ARNs of the configuration's handler ``triggers``, deploying them on first use."""
        with self._lock:
            made = self._by_config.setdefault(config.name, {})
            arns = {}
            for trigger in triggers:  # keyed by the entry too: a configuration changed in code is a new function
                key = json.dumps([trigger, config.triggers[trigger]], sort_keys=True, default=str)
                if key not in made:
                    spec = parse_spec(config.triggers[trigger], config.path.parent)
                    made[key] = self._create_function(config.name, trigger, spec)
                arns[trigger] = made[key].arn
            return arns

    def _ensure_role(self) -> str:
        if self._role is None:
            name = _name("authflow", self.run_id, self.token, "lambda", limit=64)
            role = self.iam.create_role(
                RoleName=name,
                AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST_POLICY),
                Description="authflow test run: lets the run's Cognito trigger functions write logs",
                Tags=[{"Key": k, "Value": v} for k, v in self._tags.items()],
            )["Role"]
            self._role = (name, str(role["Arn"]))  # recorded first: remove_all() deletes it whatever follows
            self.iam.attach_role_policy(RoleName=name, PolicyArn=BASIC_EXECUTION_POLICY)
        return self._role[1]

    def _create_function(self, configuration: str, trigger: str, spec: HandlerSpec) -> DeployedFunction:
        role_arn = self._ensure_role()
        name = _name("authflow", self.run_id, self.token, trigger, configuration, limit=64)
        params: dict[str, Any] = {
            "FunctionName": name,
            "Runtime": RUNTIMES[spec.runtime],
            "Role": role_arn,
            "Handler": spec.lambda_handler,
            "Code": {"ZipFile": handler_zip(spec)},
            "Timeout": max(1, round(spec.timeout_s)),
            "Description": f"authflow test run {self.run_id}: {trigger} of {configuration} ({spec.shown})"[:256],
            "Tags": {**self._tags, "authflow:configuration": configuration},
        }
        if spec.environment:
            params["Environment"] = {"Variables": dict(spec.environment)}
        waited = 0.0
        while True:
            try:
                created = self.lambda_client.create_function(**params)
                break
            except ClientError as exc:  # a new role takes seconds to become assumable by Lambda
                error = exc.response.get("Error", {})
                retry = error.get("Code") == "InvalidParameterValueException" and "role" in error.get("Message", "")
                if not retry or waited >= ROLE_PROPAGATION_S:
                    raise
                self._sleep(2.0)
                waited += 2.0
        function = DeployedFunction(name, str(created["FunctionArn"]), configuration)
        self.lambda_client.get_waiter("function_active_v2").wait(FunctionName=name)
        return function

    def allow_pool(self, pool_id: str, pool_arn: str, arns: dict[str, str]) -> None:
        """Let the pool invoke its trigger functions (one statement per function, removed by ``revoke_pool``)."""
        by_arn = {f.arn: f for f in self.functions}
        statement = _name("authflow", pool_id, limit=100)
        for arn in arns.values():
            function = by_arn[arn]
            self.lambda_client.add_permission(
                FunctionName=function.name,
                StatementId=statement,
                Action="lambda:InvokeFunction",
                Principal=COGNITO_PRINCIPAL,
                SourceArn=pool_arn,
            )
            with self._lock:
                self._statements.setdefault(pool_id, []).append((function.name, statement))

    def revoke_pool(self, pool_id: str) -> None:
        """Remove the pool's invoke permissions (a function already gone is fine)."""
        with self._lock:
            statements = self._statements.pop(pool_id, [])
        for function_name, statement in statements:
            try:
                self.lambda_client.remove_permission(FunctionName=function_name, StatementId=statement)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                    raise

    def remove_all(self) -> list[Left]:
        """Delete every function, then the role; each on its own. Returns what could not be deleted as
        (kind "function" or "role", name, reason)."""
        left: list[Left] = []
        with self._lock:
            deployed = [(config, key) for config, made in self._by_config.items() for key in made]
        for config, key in deployed:
            function = self._by_config[config][key]
            try:
                delete_function(self.lambda_client, function.name)
            except Exception as exc:  # noqa: BLE001 - reported with the command that removes it
                left.append(("function", function.name, _reason(exc)))
                continue
            with self._lock:
                del self._by_config[config][key]
        with self._lock:
            self._statements.clear()
        if self._role is not None:
            try:
                delete_role(self.iam, self._role[0])
            except Exception as exc:  # noqa: BLE001 - as above
                left.append(("role", self._role[0], _reason(exc)))
            else:
                self._role = None
        return left


def delete_function(lambda_client: Any, name: str) -> None:
    try:
        lambda_client.delete_function(FunctionName=name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
            raise


def delete_role(iam: Any, name: str) -> None:
    """Detach the role's managed policies, delete its inline ones, then the role (IAM's order)."""
    try:
        for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=name):
            for policy in page.get("AttachedPolicies", []):
                iam.detach_role_policy(RoleName=name, PolicyArn=policy["PolicyArn"])
        for page in iam.get_paginator("list_role_policies").paginate(RoleName=name):
            for policy_name in page.get("PolicyNames", []):
                iam.delete_role_policy(RoleName=name, PolicyName=policy_name)
        iam.delete_role(RoleName=name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchEntity":
            raise


def handler_triggers(config: PoolConfig) -> list[str]:
    """The configuration's triggers given as handler source, without an ARN in pool.LambdaConfig."""
    given = config.pool_params.get("LambdaConfig") or {}
    return [name for name, spec in config.triggers.items() if is_handler(spec) and name not in given]


def removal_command(kind: ResourceKind, name: str, *, region: str, profile: str | None) -> str:
    """The AWS CLI command that removes a function or a role this run left behind."""
    options = f"--region {region}" + (f" --profile {profile}" if profile else "")
    if kind == "function":
        return f"aws lambda delete-function --function-name {name} {options}"
    return (
        f"aws iam detach-role-policy --role-name {name} --policy-arn {BASIC_EXECUTION_POLICY} {options} && "
        f"aws iam delete-role --role-name {name} {options}"
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'ClientError')}: {error.get('Message', '') or exc}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
