"""Running on pools that already exist: which pool and clients stand for a configuration, and the tag check.

Some teams cannot create pools in CI (no IAM permission, or a pool wired to other resources). Then the
harness uses their pool as it is: it never creates, changes or deletes pools or clients there, only users
whose names carry the run's id, and it refuses a pool that is not tagged as a test pool unless told to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from botocore.exceptions import ClientError

from harness.backends.base import ProvisionedClient, ProvisionedPool
from harness.errors import AuthflowError
from harness.scenario.model import PoolConfig

MANAGED_BY_TAG = "managed-by"
MANAGED_BY_VALUE = "authflow"
EXISTING_FILE_SUFFIXES = (".yaml", ".yml", ".json")


class UntaggedPoolError(AuthflowError):
    """An existing pool is not tagged as a test pool, and the user did not allow it explicitly."""


@dataclass(frozen=True)
class ExistingPool:
    """A pool to use as it is; ``clients`` maps the client names scenarios use to client ids."""

    pool_id: str
    clients: dict[str, str] = field(default_factory=dict)
    default_client_id: str | None = None
    """``--client-id``: the client that stands for each configuration's first client."""


@dataclass(frozen=True)
class ExistingPools:
    """One pool for every configuration, or one per configuration name (from a file)."""

    default: ExistingPool | None = None
    by_config: dict[str, ExistingPool] = field(default_factory=dict)

    def for_config(self, name: str) -> ExistingPool:
        found = self.by_config.get(name, self.default)
        if found is None:
            known = ", ".join(sorted(self.by_config)) or "none"
            raise KeyError(f"no existing pool is given for configuration {name!r} (given for: {known})")
        return found

    def pool_ids(self) -> set[str]:
        pools = [*self.by_config.values(), *([self.default] if self.default else [])]
        return {pool.pool_id for pool in pools}


def _pool_entry(raw: Any, where: str) -> ExistingPool:
    if not isinstance(raw, dict) or not isinstance(raw.get("pool_id"), str):
        raise ValueError(f"{where}: expected a mapping with a pool_id string")
    clients = raw.get("clients") or {}
    if not isinstance(clients, dict) or not all(isinstance(v, str) for v in clients.values()):
        raise ValueError(f"{where}.clients: expected a mapping of client name to client id")
    default = raw.get("client_id")
    if default is not None and not isinstance(default, str):
        raise ValueError(f"{where}.client_id: expected a string")
    return ExistingPool(raw["pool_id"], {str(k): v for k, v in clients.items()}, default)


def load_existing_pools(path: Path) -> ExistingPools:
    """Read a file naming existing pools (YAML or JSON)::

    pool_id: us-east-1_AbCdEfGhI          # used for every configuration...
    client_id: 1example23456789           # ...standing for each configuration's first client
    clients: {confidential: 2example}     # other clients, by the names scenarios use
    pools:                                # or a pool per configuration name
      password-only: {pool_id: us-east-1_XyZ, clients: {web: 3example}}
    """
    text = path.read_text(encoding="utf-8")
    raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping")
    default = _pool_entry(raw, str(path)) if "pool_id" in raw else None
    pools = raw.get("pools") or {}
    if not isinstance(pools, dict):
        raise ValueError(f"{path}: pools: expected a mapping of configuration name to pool")
    by_config = {str(name): _pool_entry(entry, f"{path}: pools.{name}") for name, entry in pools.items()}
    if default is None and not by_config:
        raise ValueError(f"{path}: give a pool_id, or pools by configuration name")
    return ExistingPools(default, by_config)


def existing_pools_from_options(pool_id: str | None, client_id: str | None) -> ExistingPools | None:
    """``--pool-id ID [--client-id ID]``, or ``--pool-id FILE`` naming a file as above."""
    if pool_id is None:
        if client_id is not None:
            raise ValueError("--client-id needs --pool-id")
        return None
    if pool_id.endswith(EXISTING_FILE_SUFFIXES):
        if client_id is not None:
            raise ValueError("--client-id goes in the file when --pool-id names a file")
        return load_existing_pools(Path(pool_id))
    return ExistingPools(ExistingPool(pool_id, default_client_id=client_id))


def pool_tags(cognito: Any, pool_id: str) -> dict[str, str]:
    """The pool's tags, read with read-only calls only (DescribeUserPool for the ARN, ListTagsForResource)."""
    arn = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]
    tags: dict[str, str] = cognito.list_tags_for_resource(ResourceArn=arn).get("Tags", {})
    return tags


def check_test_pool(cognito: Any, pool_id: str, *, allow_untagged: bool) -> None:
    """Refuse a pool that is not tagged managed-by=authflow, unless the user allowed it explicitly."""
    if allow_untagged:
        cognito.describe_user_pool(UserPoolId=pool_id)  # still fail early on a wrong id
        return
    tags = pool_tags(cognito, pool_id)
    if tags.get(MANAGED_BY_TAG) != MANAGED_BY_VALUE:
        raise UntaggedPoolError(
            f"pool {pool_id} is not tagged {MANAGED_BY_TAG}={MANAGED_BY_VALUE}, so authflow will not create or "
            f"delete users in it; tag it as a test pool (aws cognito-idp tag-resource --resource-arn <pool arn> "
            f"--tags {MANAGED_BY_TAG}={MANAGED_BY_VALUE}) or pass --allow-untagged-pool"
        )


def existing_provisioned(cognito: Any, config: PoolConfig, existing: ExistingPool) -> ProvisionedPool:
    """The existing pool as a ProvisionedPool: configuration client names matched to real clients.

    A configuration client is found by an explicit id (``clients`` / ``client_id``), else by a client of the
    same ClientName in the pool. Secrets come from DescribeUserPoolClient (read-only).
    """
    pool = cognito.describe_user_pool(UserPoolId=existing.pool_id)["UserPool"]
    by_name: dict[str, str] = {}
    for page in cognito.get_paginator("list_user_pool_clients").paginate(UserPoolId=existing.pool_id):
        for client in page.get("UserPoolClients", []):
            by_name.setdefault(client["ClientName"], client["ClientId"])
    clients: dict[str, ProvisionedClient] = {}
    for index, wanted in enumerate(config.clients):
        client_id = existing.clients.get(wanted.name)
        if client_id is None and index == 0:
            client_id = existing.default_client_id
        client_id = client_id or by_name.get(wanted.name)
        if client_id is None:
            continue
        try:
            described = cognito.describe_user_pool_client(UserPoolId=existing.pool_id, ClientId=client_id)
        except ClientError as exc:
            raise ValueError(f"pool {existing.pool_id} has no app client {client_id}: {exc}") from None
        secret = described["UserPoolClient"].get("ClientSecret")
        clients[wanted.name] = ProvisionedClient(wanted.name, client_id, secret)
    first = config.clients[0].name if config.clients else None
    if first is None or first not in clients:
        raise ValueError(
            f"pool {existing.pool_id} has no app client standing for {config.name!r}'s client {first!r}: "
            "pass --client-id, or name it in the existing-pools file"
        )
    return ProvisionedPool(config.name, existing.pool_id, str(pool.get("Name", existing.pool_id)), clients)
