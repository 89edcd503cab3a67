"""`authflow aws sweep`: delete test pools that runs left behind (killed with SIGKILL, a lost CI runner).

A pool is swept only when every sign says a run created it: its name starts with ``authflow-``, it carries
``managed-by=authflow`` and a run-id tag, and it is older than the given age (so runs still going are left
alone). A long-lived pool tagged ``managed-by=authflow`` by hand, to allow existing-pool runs on it, has no
run-id tag and is never swept. Given pool ids, only those pools are considered (the same signs still apply):
that is the command an aws backend names for a pool it could not delete.

An endpoint that lacks an operation sweep needs (moto has no ListTagsForResource) stops the sweep with a message
naming the operation and the endpoint: without the tags, sweep cannot tell a test pool from any other.

The Lambda functions and IAM roles that runs deploy for handler triggers (harness.backends.aws_lambda) are swept by
the same signs: a name starting with ``authflow-``, ``managed-by=authflow`` and a run-id tag, and an age over the
limit (a function's LastModified, a role's CreateDate). Functions go first, then roles, whose managed policies
are detached first (IAM refuses to delete a role with policies attached).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from harness.backends.aws import RUN_ID_TAG
from harness.backends.aws_existing import MANAGED_BY_TAG, MANAGED_BY_VALUE
from harness.backends.aws_lambda import delete_function, delete_role
from harness.backends.provision import NAME_PREFIX
from harness.errors import AuthflowError

"""How the commands this module writes start. `authflow aws sweep` has no --pool-id yet (its options are defined
in harness/cli.py); this module's own entry point has every option of it, plus --pool-id."""

UNSUPPORTED_CODES = frozenset(
    {
        "UnknownOperationException", "UnsupportedOperationException", "UnsupportedOperation", "InvalidAction",
        "NotImplemented", "NotImplementedException",
    }
)  # fmt: skip
"""Error codes with which Cognito-compatible endpoints (the emulator, LocalStack, moto's server) say an
operation does not exist there; HTTP 501 means the same."""


@dataclass(frozen=True)
class SweptPool:
    pool_id: str
    name: str
    age_s: float
    run_id: str
    deleted: bool
    error: str = ""
    note: str = ""
    """Why a pool named by id was not deleted without that being an error (gone already, too young)."""
    test_pool: bool = True
    """False for a pool named by id that does not carry the signs of a test pool (then ``error`` says so)."""


class SweepUnsupported(AuthflowError):
    """The endpoint lacks an operation sweep needs; nothing after the pools in ``done`` was touched."""

    def __init__(self, operation: str, endpoint: str, detail: str) -> None:
        super().__init__(f"{endpoint} does not support {operation} ({detail})")
        self.operation = operation
        self.endpoint = endpoint
        self.detail = detail
        self.done: list[SweptPool] = []


@dataclass
class _Endpoint:
    """Calls to the sweep client that turn "no such operation here" into SweepUnsupported."""

    cognito: Any
    url: str = field(init=False)

    def __post_init__(self) -> None:
        meta = getattr(self.cognito, "meta", None)
        self.url = str(getattr(meta, "endpoint_url", None) or "the endpoint")

    def call(self, operation: str, method: Callable[..., Any], *args: Any, **params: Any) -> Any:
        try:
            return method(*args, **params)
        except NotImplementedError as exc:  # moto's in-process mock raises it for what it lacks
            raise SweepUnsupported(operation, self.url, str(exc) or "not implemented") from None
        except ClientError as exc:
            error = exc.response.get("Error", {})
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if error.get("Code") in UNSUPPORTED_CODES or status == 501:
                detail = f"{error.get('Code', 'HTTP 501')}: {error.get('Message', '')}".rstrip(": ")
                raise SweepUnsupported(operation, self.url, detail) from None
            raise

    def pages(self, operation: str, method: str, **params: Any) -> Iterator[dict[str, Any]]:
        pages = iter(self.call(operation, self.cognito.get_paginator(method).paginate, **params))
        while True:
            page = self.call(operation, next, pages, None)
            if page is None:
                return
            yield page


def _epoch(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return float(value)


def _is_test_pool(name: str, tags: dict[str, str]) -> bool:
    return (
        name.startswith(f"{NAME_PREFIX}-")
        and tags.get(MANAGED_BY_TAG) == MANAGED_BY_VALUE
        and bool(tags.get(RUN_ID_TAG))
    )


def sweep(
    cognito: Any,
    *,
    older_than_s: float,
    dry_run: bool = False,
    now: float | None = None,
    pool_ids: Sequence[str] = (),
) -> list[SweptPool]:
    """Delete (or with ``dry_run`` only list) leftover test pools older than ``older_than_s`` seconds; with
    ``pool_ids``, only those (a named pool that is not a test pool is reported as an error, not deleted).

    ``cognito`` is a plain boto3 client: sweep reads every pool's tags before it deletes anything. Raises
    SweepUnsupported when the endpoint lacks an operation it needs.
    """
    endpoint = _Endpoint(cognito)
    now = time.time() if now is None else now
    swept: list[SweptPool] = []
    try:
        candidates: list[tuple[str, str | None]] = []  # (id, listed name; None: named by id)
        if pool_ids:
            candidates = [(pool_id, None) for pool_id in dict.fromkeys(pool_ids)]
        else:
            for page in endpoint.pages("ListUserPools", "list_user_pools", MaxResults=60):
                for summary in page.get("UserPools", []):
                    if not str(summary.get("Name", "")).startswith(f"{NAME_PREFIX}-"):
                        continue
                    if now - _epoch(summary["CreationDate"]) >= older_than_s:
                        candidates.append((str(summary["Id"]), str(summary["Name"])))
        for pool_id, listed_name in candidates:
            found = _sweep_one(endpoint, pool_id, listed_name, older_than_s=older_than_s, dry_run=dry_run, now=now)
            if found is not None:
                swept.append(found)
    except SweepUnsupported as exc:
        exc.done = swept
        raise
    return swept


def _sweep_one(
    endpoint: _Endpoint, pool_id: str, listed_name: str | None, *, older_than_s: float, dry_run: bool, now: float
) -> SweptPool | None:
    """One candidate: None when it is no business of this sweep (a listed pool that is not a test pool)."""
    cognito = endpoint.cognito
    named = listed_name is None
    try:
        pool = endpoint.call("DescribeUserPool", cognito.describe_user_pool, UserPoolId=pool_id)["UserPool"]
        name = str(pool.get("Name", listed_name or ""))
        age = now - _epoch(pool.get("CreationDate", now))
        tags = endpoint.call("ListTagsForResource", cognito.list_tags_for_resource, ResourceArn=pool["Arn"])
        tags = tags.get("Tags", {})
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
            raise
        # deleted meanwhile (by its own run, finishing), or already swept
        return (
            SweptPool(pool_id, listed_name or "", 0.0, "", deleted=False, note="not found: already deleted")
            if named
            else None
        )
    run_id = str(tags.get(RUN_ID_TAG, ""))
    if not _is_test_pool(name, tags):
        if not named:
            return None
        error = (
            f"not an authflow test pool (its name must start with {NAME_PREFIX}- and it must carry "
            f"{MANAGED_BY_TAG}={MANAGED_BY_VALUE} and {RUN_ID_TAG}): not deleted"
        )
        return SweptPool(pool_id, name, age, run_id, deleted=False, error=error, test_pool=False)
    if age < older_than_s:
        return SweptPool(pool_id, name, age, run_id, deleted=False, note="younger than --older-than") if named else None
    if dry_run:
        return SweptPool(pool_id, name, age, run_id, deleted=False)
    try:
        endpoint.call("DeleteUserPool", cognito.delete_user_pool, UserPoolId=pool_id)
    except (ClientError, BotoCoreError) as exc:
        return SweptPool(pool_id, name, age, run_id, deleted=False, error=str(exc))
    return SweptPool(pool_id, name, age, run_id, deleted=True)


@dataclass(frozen=True)
class SweptResource:
    """A Lambda function or IAM role of a run, found by sweep."""

    kind: str
    """"function" or "role"."""
    name: str
    age_s: float
    run_id: str
    deleted: bool
    error: str = ""


def sweep_functions(
    lambda_client: Any, iam: Any, *, older_than_s: float, dry_run: bool = False, now: float | None = None
) -> list[SweptResource]:
    """Delete (or with ``dry_run`` only list) the trigger functions and roles runs left behind, older than
    ``older_than_s``; anything without every sign of a run's resource is left alone."""
    now = time.time() if now is None else now
    swept: list[SweptResource] = []
    for page in lambda_client.get_paginator("list_functions").paginate():
        for function in page.get("Functions", []):
            name = str(function["FunctionName"])
            if not name.startswith(f"{NAME_PREFIX}-"):
                continue
            age = now - _epoch(_iso(function.get("LastModified")) or now)
            tags = lambda_client.list_tags(Resource=function["FunctionArn"]).get("Tags", {})
            found = _sweep_resource("function", name, age, tags, older_than_s)
            if found is not None:
                swept.append(found if dry_run else _delete(found, delete_function, lambda_client))
    for page in iam.get_paginator("list_roles").paginate():
        for role in page.get("Roles", []):
            name = str(role["RoleName"])
            if not name.startswith(f"{NAME_PREFIX}-"):
                continue
            age = now - _epoch(role.get("CreateDate", now))
            listed = iam.list_role_tags(RoleName=name).get("Tags", [])
            tags = {str(tag["Key"]): str(tag["Value"]) for tag in listed}
            found = _sweep_resource("role", name, age, tags, older_than_s)
            if found is not None:
                swept.append(found if dry_run else _delete(found, delete_role, iam))
    return swept


def _iso(value: Any) -> datetime | None:
    """Lambda's LastModified ("2026-11-29T19:49:10.472+0000", or with nanoseconds and Z) as a datetime."""
    if not isinstance(value, str):
        return None
    text = value.replace("Z", "+00:00")
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)  # at most microseconds
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _sweep_resource(
    kind: str, name: str, age: float, tags: dict[str, str], older_than_s: float
) -> SweptResource | None:
    """The resource, not yet deleted, when it carries every sign of a run's and is old enough; else None."""
    if tags.get(MANAGED_BY_TAG) != MANAGED_BY_VALUE or not tags.get(RUN_ID_TAG) or age < older_than_s:
        return None
    return SweptResource(kind, name, age, tags[RUN_ID_TAG], deleted=False)


def _delete(found: SweptResource, delete: Callable[[Any, str], None], client: Any) -> SweptResource:
    try:
        delete(client, found.name)
    except (ClientError, BotoCoreError) as exc:
        return replace(found, error=str(exc))
    return replace(found, deleted=True)


def function_clients(*, endpoint_url: str | None, region: str | None, profile: str | None) -> tuple[Any, Any] | str:
    """(lambda, iam) clients for sweeping, or why functions cannot be swept at this endpoint."""
    import os

    import boto3

    if endpoint_url is not None and not (
        (os.environ.get("AWS_ENDPOINT_URL_LAMBDA") or os.environ.get("AWS_ENDPOINT_URL"))
        and (os.environ.get("AWS_ENDPOINT_URL_IAM") or os.environ.get("AWS_ENDPOINT_URL"))
    ):
        return (
            f"Lambda functions and IAM roles not swept: {endpoint_url} is a Cognito endpoint; set "
            "AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_IAM to sweep them there"
        )
    cognito = sweep_client(endpoint_url=endpoint_url, region=region, profile=profile)
    session = boto3.session.Session(profile_name=profile, region_name=cognito.meta.region_name)
    if endpoint_url is not None and session.get_credentials() is None:
        session = boto3.session.Session(
            aws_access_key_id="authflow", aws_secret_access_key="authflow", region_name=cognito.meta.region_name
        )
    return session.client("lambda"), session.client("iam")


def sweep_client(*, endpoint_url: str | None, region: str | None, profile: str | None) -> Any:
    """A plain client for sweeping, from the same credential chain and retry policy as the aws backend."""
    from harness.backends.aws import AwsSettings, make_client

    return make_client(AwsSettings(endpoint_url=endpoint_url, region=region, profile=profile))[1]


def sweep_command(
    older_than: str | None,
    *,
    dry_run: bool,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
    pool_ids: Sequence[str] = (),
) -> int:
    """`authflow aws sweep`: print what was (or would be) deleted; non-zero when a deletion failed, a named pool
    was not a test pool, or the endpoint could not be swept (an operation it lacks, a lost connection)."""
    from harness.scenario.durations import parse_duration

    shown = older_than or ("0s" if pool_ids else "2h")  # pools named by id: whatever their age, unless told
    try:
        age = parse_duration(shown)
    except ValueError as exc:
        print(f"--older-than: {exc} (write e.g. 2h, 90m, 1d)")
        return 2
    cognito = sweep_client(endpoint_url=endpoint_url, region=region, profile=profile)
    try:
        swept = sweep(cognito, older_than_s=age, dry_run=dry_run, pool_ids=pool_ids)
    except SweepUnsupported as exc:
        _print_swept(exc.done, dry_run)
        print(
            f"authflow aws sweep: {exc.endpoint} does not support {exc.operation} ({exc.detail}). Sweep reads "
            "every pool's tags before deleting it, so it stopped there"
            + (f" after {len(exc.done)} pools" if exc.done else " without deleting anything")
            + "; sweep a real account (or the authflow emulator) instead."
        )
        return 3
    except (ClientError, BotoCoreError) as exc:
        print(f"authflow aws sweep: could not sweep {_Endpoint(cognito).url}: {exc}")
        return 1
    _print_swept(swept, dry_run)
    scope = f"of {len(pool_ids)} named" if pool_ids else f"older than {shown}"
    count = sum(pool.test_pool and not pool.note for pool in swept)
    print(f"{count} leftover test pools {scope}" + (" (dry run)" if dry_run else ""))
    failed = any(pool.error for pool in swept)
    if not pool_ids:  # a sweep by pool id is about those pools only
        failed = _sweep_functions_command(age, shown, dry_run, endpoint_url, region, profile) or failed
    return 1 if failed else 0


def _sweep_functions_command(
    age: float, shown: str, dry_run: bool, endpoint_url: str | None, region: str | None, profile: str | None
) -> bool:
    """The functions-and-roles part of `authflow aws sweep`; True when something could not be swept."""
    clients = function_clients(endpoint_url=endpoint_url, region=region, profile=profile)
    if isinstance(clients, str):
        print(clients)
        return False
    try:
        swept = sweep_functions(*clients, older_than_s=age, dry_run=dry_run)
    except (ClientError, BotoCoreError) as exc:
        print(f"authflow aws sweep: could not sweep Lambda functions and IAM roles: {exc}")
        return True
    for item in swept:
        verb = "would delete" if dry_run and not item.error else "deleted" if item.deleted else "could not delete"
        what = "Lambda function" if item.kind == "function" else "IAM role"
        print(f"{verb} {what} {item.name} (run {item.run_id}, {item.age_s / 3600:.1f} h old) {item.error}".rstrip())
    print(f"{len(swept)} leftover Lambda functions and roles older than {shown}" + (" (dry run)" if dry_run else ""))
    return any(item.error for item in swept)


def _print_swept(swept: list[SweptPool], dry_run: bool) -> None:
    for pool in swept:
        if pool.note:
            print(" ".join(filter(None, ["left", pool.pool_id, pool.name])) + f": {pool.note}")
            continue
        verb = "would delete" if dry_run and not pool.error else "deleted" if pool.deleted else "could not delete"
        age_h = pool.age_s / 3600
        run = f"run {pool.run_id}, " if pool.run_id else ""
        print(f"{verb} {pool.pool_id} {pool.name} ({run}{age_h:.1f} h old) {pool.error}".rstrip())
