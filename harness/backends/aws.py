"""Real pools in an AWS account (or any Cognito-compatible endpoint, e.g. the emulator's HTTP server).

Credentials and region come from the standard AWS chain (profile, environment, SSO); the harness stores
nothing. Pools are created from the same pool configurations as on the emulator, named ``authflow-<run>-...``
and tagged ``managed-by=authflow`` with the run id, and deleted after each scenario; ``close()`` deletes any
this backend created that is still alive (after a failure or Ctrl-C), names what it could not delete
(``leftovers()``, with the command that removes each), and ``authflow aws sweep`` removes leftovers of runs
that were killed outright.

Every call passes the guard (harness.backends.aws_guard): it is sent only when what it addresses - pool id,
app client id, pool ARN, access or refresh token, challenge session - is the run's; anything else is refused
before it is sent, reads included.

With an existing pool (``existing=``), no pool or client is ever created, changed or deleted: only users
whose names carry the run id, and only in a pool tagged as a test pool unless ``allow_untagged_pool``.

Emulator powers have real-world stand-ins where they exist: a clock step waits in real time up to
``max_wait_s``; codes come from a user-configured ``code_source``. Otherwise the step is skipped (Unsupported).
"""

from __future__ import annotations

import importlib
import json
import os
import shlex
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from harness.backends.aws_client import GuardedClient, is_read_only
from harness.backends.aws_existing import (
    MANAGED_BY_TAG,
    MANAGED_BY_VALUE,
    ExistingPool,
    ExistingPools,
    check_test_pool,
    existing_provisioned,
)
from harness.backends.aws_guard import Level, Operations, Ownership, Refused
from harness.backends.aws_lambda import LambdaDeployment, Left, handler_triggers, removal_command
from harness.backends.base import Powers, ProvisionedPool, Unsupported
from harness.backends.provision import provision_pool
from harness.errors import AuthflowError
from harness.scenario.durations import parse_duration
from harness.scenario.model import PoolConfig

RUN_ID_TAG = "authflow:run-id"
CONFIG_TAG = "authflow:configuration"
DEFAULT_ENDPOINT_REGION = "us-east-1"  # an emulator endpoint does not care; AWS itself needs a real one
SWEEP_PROGRAM = "authflow aws sweep"
"""The command that removes leftover test pools (`authflow aws sweep`)."""
MAX_WAIT_ENV = "AUTHFLOW_AWS_MAX_WAIT"
CODE_SOURCE_ENV = "AUTHFLOW_CODE_SOURCE"

CodeSource = Callable[[str, str | None], list[dict[str, Any]]]
"""(pool id, destination or None) -> the messages the pool sent: dicts with Destination, Medium, Code, Purpose."""

USER_CREATING = frozenset({"AdminCreateUser", "SignUp"})


class AwsSetupError(AuthflowError):
    """The backend cannot start (no region, a bad option): reported before anything is sent."""


def _max_wait_from_env() -> float:
    raw = os.environ.get(MAX_WAIT_ENV)
    if not raw:
        return 30.0
    try:
        return parse_duration(float(raw) if raw.replace(".", "", 1).isdigit() else raw)
    except ValueError as exc:
        raise AwsSetupError(f"{MAX_WAIT_ENV}: {exc}") from None


def load_code_source(spec: str) -> CodeSource:
    """A code source named as ``package.module:function``."""
    module, _, function = spec.partition(":")
    if not module or not function:
        raise AwsSetupError(f"{CODE_SOURCE_ENV}: expected package.module:function, got {spec!r}")
    found = getattr(importlib.import_module(module), function, None)
    if not callable(found):
        raise AwsSetupError(f"{CODE_SOURCE_ENV}: {spec} is not a function")
    source: CodeSource = found
    return source


@dataclass(frozen=True)
class AwsSettings:
    """How to reach the account and how careful to be. Every field has a safe default."""

    endpoint_url: str | None = None
    region: str | None = None
    profile: str | None = None
    existing: ExistingPools | None = None
    allow_untagged_pool: bool = False
    max_concurrency: int = 4
    """Calls in flight at once, per process (with pytest -n N, N times this)."""
    max_attempts: int = 8
    """botocore adaptive retries: attempts per call, including the first."""
    max_wait_s: float | None = None
    """The longest clock step waited out in real time; None: $AUTHFLOW_AWS_MAX_WAIT, else 30 s."""
    code_source: CodeSource | str | None = None
    """Where codes sent by the pool can be read; None: $AUTHFLOW_CODE_SOURCE, else none (outbox steps skip)."""
    lambda_endpoint_url: str | None = None
    """Where Lambda is, for handler triggers; None: botocore's configuration (AWS_ENDPOINT_URL_LAMBDA), else AWS."""
    iam_endpoint_url: str | None = None
    """Where IAM is, for the functions' role; None: botocore's configuration (AWS_ENDPOINT_URL_IAM), else AWS."""


def make_client(settings: AwsSettings) -> tuple[str, Any]:
    """(region, a plain boto3 cognito-idp client) from the standard chain, with adaptive retries."""
    session = boto3.session.Session(profile_name=settings.profile, region_name=settings.region)
    region = session.region_name
    if region is None:
        if settings.endpoint_url is None:
            raise AwsSetupError("no AWS region: pass --aws-region, set AWS_REGION, or set one in your profile")
        region = DEFAULT_ENDPOINT_REGION
    if settings.endpoint_url is not None and session.get_credentials() is None:
        # A local endpoint (the emulator) does not check signatures; AWS would refuse these keys.
        session = boto3.session.Session(
            aws_access_key_id="authflow", aws_secret_access_key="authflow", region_name=region
        )
    config = Config(
        parameter_validation=False,  # scenarios may send invalid input on purpose, to see the service's answer
        retries={"mode": "adaptive", "total_max_attempts": settings.max_attempts},
        max_pool_connections=max(10, settings.max_concurrency),
        user_agent_appid="authflow",
    )
    client = session.client("cognito-idp", region_name=region, endpoint_url=settings.endpoint_url, config=config)
    return region, client


@dataclass(frozen=True)
class Leftover:
    """Something ``close()`` could not remove, named so a person (or the report) can remove it later."""

    kind: Literal["pool", "users", "function", "role"]
    """"pool": a pool this run created; "users": this run's users in an existing pool; "function", "role": a
    trigger's Lambda function or their IAM role (``name``; ``pool_id`` is "")."""
    pool_id: str
    name: str
    """The pool's name ("" when unknown, e.g. an existing pool)."""
    reason: str
    """Why: the service's error code and message, or the connection error (e.g. EndpointConnectionError)."""
    command: str
    """A shell command that removes exactly this (for a pool, a sweep naming only its id)."""
    usernames: tuple[str, ...] = ()
    """kind "users": the users left behind."""
    description: str = ""
    """What it is, in words, where pool id and name do not say it (a function or a role)."""


def _reason(exc: BaseException) -> str:
    """One line: the error code and message of a service error, else the exception's type and text."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'ClientError')}: {error.get('Message', '') or exc}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class AwsBackend:
    """Pools in an AWS account (or at ``endpoint_url``). Thread-safe bookkeeping; see the module doc."""

    name = "aws"

    def __init__(self, settings: AwsSettings | None = None) -> None:
        self.settings = settings = settings or AwsSettings()
        self.max_wait_s = _max_wait_from_env() if settings.max_wait_s is None else settings.max_wait_s
        source = settings.code_source or os.environ.get(CODE_SOURCE_ENV) or None
        self._code_source = load_code_source(source) if isinstance(source, str) else source
        self.powers = Powers(
            clock_max_s=self.max_wait_s,
            clock_why=(
                "a real pool's clock cannot be moved, and waiting {seconds:g}s exceeds the limit of "
                f"{self.max_wait_s:g}s (raise it with {MAX_WAIT_ENV}=5m)"
            ),
            outbox_why=None
            if self._code_source is not None
            else (
                f"a real pool sends codes by email or SMS; set {CODE_SOURCE_ENV}=module:function to read them "
                "(docs/aws.md)"
            ),
            managed_login_why=(
                "signing in on a real domain's managed login page needs a person in a browser (docs/oauth.md); "
                "the token, userInfo and revoke steps still run"
            ),
        )
        self.region, raw = make_client(settings)
        self._ownership = Ownership(Operations.from_model(raw.meta.service_model))
        for given in _given_pools(settings.existing):
            self._ownership.add_pool(given.pool_id, Level.NAMED)
            for client_id in [*given.clients.values(), *([given.default_client_id] if given.default_client_id else [])]:
                self._ownership.add_client(client_id, given.pool_id)
        self._client = GuardedClient(raw, self, max_concurrency=settings.max_concurrency)
        self._lock = threading.Lock()
        self._alive: dict[str, str] = {}  # pools this backend created and has not deleted: id -> name
        self._users: dict[str, set[str]] = {}  # existing-pool mode: pool id -> usernames this run created
        self._run_ids: set[str] = set()
        self._jwks: dict[str, dict[str, Any]] = {}
        self._leftovers: list[Leftover] = []
        self.cleanup_log: list[str] = []  # what close() had to clean up, for the caller to show
        self._lambdas: LambdaDeployment | None = None  # handler triggers' functions and role, made on first need

    # --- the guard: every call of the guarded client passes here
    def _owned(self, pool_id: str) -> bool:
        return self._ownership.level(pool_id) is Level.OWNED

    def _is_run_user(self, username: str) -> bool:
        with self._lock:
            return any(f"-{run_id}-" in username for run_id in self._run_ids)

    def check(self, operation: str, params: dict[str, Any]) -> None:
        """Refuse (Refused, an Unsupported) what addresses anything the run does not own, and on an existing
        pool anything but the run's own users; see harness.backends.aws_guard and docs/aws.md."""
        existing = self.settings.existing is not None
        if params.get("UserPoolId") is not None:  # the pool first: the clearest reason when it is not ours
            self._ownership.check_member(operation, "UserPoolId", params["UserPoolId"])
        writes = not is_read_only(operation)
        if existing and writes and operation not in self._ownership.operations.user_level:
            raise Refused(
                f"{operation} would change an existing pool (it is not an operation on one user); authflow only "
                "adds and removes users there"
            )
        self._ownership.check(operation, params, creating_allowed=not existing)
        username = params.get("Username")
        if existing and writes and isinstance(username, str) and not self._is_run_user(username):
            raise Refused(
                f"{operation} on user {username!r} of an existing pool: only users named by unique() "
                "(carrying the run id) may be created or changed there"
            )

    def record(self, operation: str, params: dict[str, Any], response: dict[str, Any]) -> None:
        """Learn from an allowed call's answer: new pools (for cleanup and ownership), clients, tokens, users."""
        if operation == "CreateUserPool":
            pool = response["UserPool"]
            self._ownership.add_pool(str(pool["Id"]), Level.OWNED, pool.get("Arn"))
            with self._lock:
                self._alive[str(pool["Id"])] = str(pool.get("Name", ""))
            return
        self._ownership.learn(operation, params, response)
        with self._lock:
            if operation == "DeleteUserPool":
                self._alive.pop(str(params.get("UserPoolId")), None)
            elif operation in USER_CREATING and self.settings.existing is not None:
                pool_id = params.get("UserPoolId") or self._ownership.pool_of_client(str(params.get("ClientId")))
                if pool_id is not None and pool_id in self.settings.existing.pool_ids():
                    self._users.setdefault(str(pool_id), set()).add(str(params["Username"]))

    # --- the Backend protocol
    def cognito(self) -> Any:
        return self._client

    @property
    def alive_pools(self) -> dict[str, str]:
        """Pools this backend created and has not deleted yet (id -> name)."""
        with self._lock:
            return dict(self._alive)

    def provision(self, config: PoolConfig, *, run_id: str) -> ProvisionedPool:
        with self._lock:
            self._run_ids.add(run_id)
        if self.settings.existing is not None:
            return self._use_existing(config)
        lambda_config = config.pool_params.get("LambdaConfig") or {}
        handlers = handler_triggers(config)
        missing = sorted(name for name in config.triggers if name not in lambda_config and name not in handlers)
        if missing:
            raise AwsSetupError(
                f"pool configuration {config.name!r} has emulator triggers ({', '.join(missing)}); on AWS give "
                "their Lambda function ARNs in pool.LambdaConfig, or write them as handler files (docs/triggers.md)"
            )
        arns: dict[str, str] = {}
        if handlers:  # deployed as Lambda functions (once per configuration), then named in LambdaConfig
            deployment = self._deployment(run_id, config.name)
            arns = deployment.deploy(config, handlers)
            config = replace(config, pool_params={**config.pool_params, "LambdaConfig": {**lambda_config, **arns}})
        tags = {MANAGED_BY_TAG: MANAGED_BY_VALUE, RUN_ID_TAG: run_id, CONFIG_TAG: config.name}
        pool = provision_pool(self._client, config, run_id=run_id, tags=tags)
        if arns:
            try:
                pool_arn = self._client.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]["Arn"]
                deployment.allow_pool(pool.pool_id, str(pool_arn), arns)
            except Exception:
                deployment.revoke_pool(pool.pool_id)
                self._delete_pool(pool.pool_id)
                raise
        return pool

    def _deployment(self, run_id: str, configuration: str) -> LambdaDeployment:
        """The run's Lambda deployment, with Lambda and IAM clients from the same credential chain. With
        ``endpoint_url`` (a local Cognito), Lambda and IAM must be named too, or functions would go to AWS."""
        with self._lock:
            if self._lambdas is not None:
                return self._lambdas
        settings = self.settings
        lambda_url = settings.lambda_endpoint_url or _configured_endpoint("LAMBDA")
        iam_url = settings.iam_endpoint_url or _configured_endpoint("IAM")
        if settings.endpoint_url is not None and not (lambda_url and iam_url):
            raise AwsSetupError(
                f"pool configuration {configuration!r} has handler triggers, which are deployed as Lambda functions; "
                f"--endpoint-url points Cognito at {settings.endpoint_url}, so say where Lambda and IAM are too "
                "(AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_IAM, e.g. a moto or LocalStack server), or run "
                "against AWS"
            )
        session = boto3.session.Session(profile_name=settings.profile, region_name=self.region)
        if settings.endpoint_url is not None and session.get_credentials() is None:
            session = boto3.session.Session(
                aws_access_key_id="authflow", aws_secret_access_key="authflow", region_name=self.region
            )
        config = Config(
            retries={"mode": "adaptive", "total_max_attempts": settings.max_attempts}, user_agent_appid="authflow"
        )
        deployment = LambdaDeployment(
            session.client("lambda", endpoint_url=settings.lambda_endpoint_url, config=config),
            session.client("iam", endpoint_url=settings.iam_endpoint_url, config=config),
            run_id=run_id,
            tags={MANAGED_BY_TAG: MANAGED_BY_VALUE, RUN_ID_TAG: run_id},
        )
        with self._lock:
            if self._lambdas is None:
                self._lambdas = deployment
            return self._lambdas

    def _use_existing(self, config: PoolConfig) -> ProvisionedPool:
        assert self.settings.existing is not None
        existing = self.settings.existing.for_config(config.name)
        if not self._owned(existing.pool_id):
            check_test_pool(self._client, existing.pool_id, allow_untagged=self.settings.allow_untagged_pool)
            self._ownership.add_pool(existing.pool_id, Level.OWNED)
        return existing_provisioned(self._client, config, existing)

    def teardown(self, pool: ProvisionedPool) -> None:
        if self.settings.existing is not None:
            self._delete_run_users(pool.pool_id)
            return
        self._delete_pool(pool.pool_id)
        if self._lambdas is not None:
            self._lambdas.revoke_pool(pool.pool_id)

    def _delete_pool(self, pool_id: str) -> None:
        """Delete a pool this backend created; one gone already is fine, deletion protection is lifted first."""
        try:
            self._client.delete_user_pool(UserPoolId=pool_id)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code == "ResourceNotFoundException":
                with self._lock:
                    self._alive.pop(pool_id, None)
                return
            if code != "InvalidParameterException":
                raise
            described = self._client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
            if described.get("Domain"):  # a scenario's CreateUserPoolDomain: Cognito wants it gone first
                self._client.delete_user_pool_domain(Domain=described["Domain"], UserPoolId=pool_id)
            elif described.get("DeletionProtection") != "ACTIVE":
                raise
            if described.get("DeletionProtection") == "ACTIVE":
                # UpdateUserPool resets what it leaves out, which does not matter for a pool about to go.
                self._client.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
            self._client.delete_user_pool(UserPoolId=pool_id)

    def _delete_run_users(self, pool_id: str) -> None:
        """Delete the run's users in an existing pool; each is forgotten only once it is gone, so a failure
        leaves the rest for close() to retry or report."""
        with self._lock:
            usernames = sorted(self._users.get(pool_id, set()))
        for username in usernames:
            try:
                self._client.admin_delete_user(UserPoolId=pool_id, Username=username)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") != "UserNotFoundException":
                    raise
            with self._lock:
                self._users.get(pool_id, set()).discard(username)
        with self._lock:
            if not self._users.get(pool_id):
                self._users.pop(pool_id, None)

    def now(self) -> float:
        return time.time()

    def advance_clock(self, seconds: float) -> None:
        """A real pool's clock cannot move: wait in real time when that is short enough, else skip."""
        reason = self.powers.lacks_clock(seconds)
        if reason:
            raise Unsupported(reason)
        time.sleep(seconds)

    def sent_messages(self, pool_id: str, to: str | None) -> list[dict[str, Any]]:
        if self._code_source is None:
            raise Unsupported(self.powers.lacks_outbox() or "")
        return list(self._code_source(pool_id, to))

    def issuer(self, pool_id: str) -> str:
        if self.settings.endpoint_url is not None:
            return f"{self.settings.endpoint_url.rstrip('/')}/{pool_id}"
        return f"https://cognito-idp.{self.region}.amazonaws.com/{pool_id}"

    def jwks(self, pool_id: str) -> dict[str, Any]:
        if pool_id not in self._jwks:
            url = f"{self.issuer(pool_id)}/.well-known/jwks.json"
            with urllib.request.urlopen(url, timeout=10) as reply:
                self._jwks[pool_id] = json.loads(reply.read())
        return self._jwks[pool_id]

    def sweep_command(self, pool_ids: list[str]) -> str:
        """The shell command that deletes exactly these pools of this run, with this backend's endpoint,
        region and profile (sweep still checks that each carries authflow's tags)."""
        settings = self.settings
        return sweep_command_line(
            pool_ids, endpoint_url=settings.endpoint_url, region=self.region, profile=settings.profile
        )

    def _delete_users_command(self, pool_id: str, usernames: tuple[str, ...]) -> str:
        options = [f"--region {shlex.quote(self.region)}"]
        if self.settings.profile:
            options.append(f"--profile {shlex.quote(self.settings.profile)}")
        if self.settings.endpoint_url:
            options.append(f"--endpoint-url {shlex.quote(self.settings.endpoint_url)}")
        return " && ".join(
            f"aws cognito-idp admin-delete-user --user-pool-id {shlex.quote(pool_id)} "
            f"--username {shlex.quote(username)} {' '.join(options)}"
            for username in usernames
        )

    def leftovers(self) -> list[Leftover]:
        """What the last ``close()`` could not remove (empty when it removed everything), each with the reason
        and the command that removes it."""
        with self._lock:
            return list(self._leftovers)

    def _left_pool(self, pool_id: str, name: str, reason: str) -> None:
        leftover = Leftover("pool", pool_id, name, reason, self.sweep_command([pool_id]))
        with self._lock:
            self._leftovers.append(leftover)
        self.cleanup_log.append(
            f"could not delete pool {pool_id} ({name}): {reason}; delete it with: {leftover.command}"
        )

    def _left_users(self, pool_id: str, reason: str) -> None:
        with self._lock:
            usernames = tuple(sorted(self._users.get(pool_id, set())))
        if not usernames:
            return
        command = self._delete_users_command(pool_id, usernames)
        with self._lock:
            self._leftovers.append(Leftover("users", pool_id, "", reason, command, usernames))
        self.cleanup_log.append(
            f"could not delete this run's users {', '.join(usernames)} in pool {pool_id}: {reason}; "
            f"delete them with: {command}"
        )

    def close(self) -> None:
        """Delete whatever this backend created and still exists: pools, or users in an existing pool.

        Runs after failures and interrupts too (pytest_unconfigure, the CLI's finally); each deletion is tried
        on its own, so one failure does not leave the others behind. Nothing a deletion raises escapes - a
        service error, a dropped connection, a timeout: what stays is listed by ``leftovers()`` and in
        ``cleanup_log``. Only an interrupt (Ctrl-C) escapes, after naming what it left undeleted.
        """
        with self._lock:
            self._leftovers = []
        pools = list(self.alive_pools.items())
        for index, (pool_id, name) in enumerate(pools):
            try:
                self._delete_pool(pool_id)
            except Exception as exc:  # noqa: BLE001 - ClientError, BotoCoreError (connection, timeout), anything
                self._left_pool(pool_id, name, _reason(exc))
                continue
            except BaseException:
                for left_id, left_name in pools[index:]:
                    self._left_pool(left_id, left_name, "interrupted before it was deleted")
                self._interrupted_functions()
                raise
            with self._lock:
                self._alive.pop(pool_id, None)
            self.cleanup_log.append(f"deleted pool {pool_id} ({name})")
        with self._lock:
            pools_with_users = list(self._users)
        for index, pool_id in enumerate(pools_with_users):
            try:
                self._delete_run_users(pool_id)
            except Exception as exc:  # noqa: BLE001 - as above
                self._left_users(pool_id, _reason(exc))
                continue
            except BaseException:
                for left_id in pools_with_users[index:]:
                    self._left_users(left_id, "interrupted before they were deleted")
                self._interrupted_functions()
                raise
            self.cleanup_log.append(f"deleted this run's users in pool {pool_id}")
        self._remove_functions()

    def _remove_functions(self) -> None:
        """Delete the handler triggers' functions and their role (after the pools that invoked them)."""
        deployment = self._lambdas
        if deployment is None:
            return
        try:
            left = deployment.remove_all()
        except BaseException:  # an interrupt: name everything not yet deleted
            self._interrupted_functions()
            raise
        self._left_functions(left)
        if not left:
            self.cleanup_log.append("deleted the run's Lambda functions and their role")

    def _interrupted_functions(self) -> None:
        """Name the run's functions and role that an interrupt (Ctrl-C) leaves undeleted."""
        deployment = self._lambdas
        if deployment is None:
            return
        reason = "interrupted before it was deleted"
        left: list[Left] = [("function", function.name, reason) for function in deployment.functions]
        if deployment.role_name:
            left.append(("role", deployment.role_name, reason))
        self._left_functions(left)

    def _left_functions(self, left: list[Left]) -> None:
        for kind, name, reason in left:
            command = removal_command(kind, name, region=self.region, profile=self.settings.profile)
            what = "Lambda function" if kind == "function" else "IAM role"
            leftover = Leftover(kind, "", name, reason, command, description=f"{what} {name}")
            with self._lock:
                self._leftovers.append(leftover)
            self.cleanup_log.append(f"could not delete {what} {name}: {reason}; delete it with: {command}")


def _configured_endpoint(service: str) -> str | None:
    """An endpoint botocore's own configuration gives the service (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL)."""
    return os.environ.get(f"AWS_ENDPOINT_URL_{service}") or os.environ.get("AWS_ENDPOINT_URL") or None


def _given_pools(existing: ExistingPools | None) -> list[ExistingPool]:
    """Every pool the user named (--pool-id, or a file of pools)."""
    if existing is None:
        return []
    return [*existing.by_config.values(), *([existing.default] if existing.default else [])]


def sweep_command_line(
    pool_ids: Sequence[str], *, endpoint_url: str | None, region: str | None, profile: str | None
) -> str:
    """The shell command that sweeps exactly these pools, whatever their age, at this endpoint/region/profile."""
    words = [SWEEP_PROGRAM, *(f"--pool-id {shlex.quote(pool_id)}" for pool_id in pool_ids)]
    for option, value in (("--endpoint-url", endpoint_url), ("--aws-region", region), ("--aws-profile", profile)):
        if value:
            words.append(f"{option} {shlex.quote(value)}")
    return " ".join(words)
