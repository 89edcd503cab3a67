"""`authflow aws sweep`: delete test pools that runs left behind (killed with SIGKILL, a lost CI runner).

A pool is swept only when every sign says a run created it: its name starts with ``authflow-``, it carries
``managed-by=authflow`` and a run-id tag, and it is older than the given age (so runs still going are left
alone). A long-lived pool tagged ``managed-by=authflow`` by hand, to allow existing-pool runs on it, has no
run-id tag and is never swept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.aws import RUN_ID_TAG
from harness.backends.aws_existing import MANAGED_BY_TAG, MANAGED_BY_VALUE
from harness.backends.provision import NAME_PREFIX


@dataclass(frozen=True)
class SweptPool:
    pool_id: str
    name: str
    age_s: float
    run_id: str
    deleted: bool
    error: str = ""


def _epoch(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return float(value)


def _is_test_pool(tags: dict[str, str]) -> bool:
    return tags.get(MANAGED_BY_TAG) == MANAGED_BY_VALUE and bool(tags.get(RUN_ID_TAG))


def sweep(cognito: Any, *, older_than_s: float, dry_run: bool = False, now: float | None = None) -> list[SweptPool]:
    """Delete (or with ``dry_run`` only list) leftover test pools older than ``older_than_s`` seconds.

    ``cognito`` is a plain boto3 client: sweep reads every pool's tags before it deletes anything.
    """
    now = time.time() if now is None else now
    candidates = []
    for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60):
        for summary in page.get("UserPools", []):
            if not str(summary.get("Name", "")).startswith(f"{NAME_PREFIX}-"):
                continue
            age = now - _epoch(summary["CreationDate"])
            if age >= older_than_s:
                candidates.append((str(summary["Id"]), str(summary["Name"]), age))
    swept = []
    for pool_id, name, age in candidates:
        try:
            pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
            tags = cognito.list_tags_for_resource(ResourceArn=pool["Arn"]).get("Tags", {})
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                continue  # deleted meanwhile (by its own run, finishing)
            raise
        if not _is_test_pool(tags):
            continue
        run_id = tags[RUN_ID_TAG]
        if dry_run:
            swept.append(SweptPool(pool_id, name, age, run_id, deleted=False))
            continue
        try:
            cognito.delete_user_pool(UserPoolId=pool_id)
        except ClientError as exc:
            swept.append(SweptPool(pool_id, name, age, run_id, deleted=False, error=str(exc)))
            continue
        swept.append(SweptPool(pool_id, name, age, run_id, deleted=True))
    return swept


def sweep_client(*, endpoint_url: str | None, region: str | None, profile: str | None) -> Any:
    """A plain client for sweeping, from the same credential chain and retry policy as the aws backend."""
    from harness.backends.aws import AwsSettings, make_client

    return make_client(AwsSettings(endpoint_url=endpoint_url, region=region, profile=profile))[1]


def sweep_command(
    older_than: str, *, dry_run: bool, endpoint_url: str | None, region: str | None, profile: str | None
) -> int:
    """`authflow aws sweep`: print what was (or would be) deleted; non-zero when a deletion failed."""
    from harness.spec.durations import parse_duration

    try:
        age = parse_duration(older_than)
    except ValueError as exc:
        print(f"--older-than: {exc} (write e.g. 2h, 90m, 1d)")
        return 2
    swept = sweep(
        sweep_client(endpoint_url=endpoint_url, region=region, profile=profile), older_than_s=age, dry_run=dry_run
    )
    for pool in swept:
        verb = "would delete" if dry_run else "deleted" if pool.deleted else "could not delete"
        age_h = pool.age_s / 3600
        print(f"{verb} {pool.pool_id} {pool.name} (run {pool.run_id}, {age_h:.1f} h old) {pool.error}".rstrip())
    print(f"{len(swept)} leftover test pools older than {older_than}" + (" (dry run)" if dry_run else ""))
    return 1 if any(pool.error for pool in swept) else 0
