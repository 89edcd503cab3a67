"""Create a pool and its app clients from a pool configuration through the Cognito API (any backend)."""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import ProvisionedClient, ProvisionedPool
from harness.scenario.model import PoolConfig

NAME_PREFIX = "authflow"


def pool_name_for(config: PoolConfig, run_id: str) -> str:
    """Recognisable and unique: authflow-<run id>-<configuration>, within PoolName's 128 characters."""
    return re.sub(r"[^\w\s+=,.@-]", "-", f"{NAME_PREFIX}-{run_id}-{config.name}")[:128]


def provision_pool(
    cognito: Any, config: PoolConfig, *, run_id: str, tags: dict[str, str] | None = None, pool_name: str | None = None
) -> ProvisionedPool:
    params: dict[str, Any] = {**config.pool_params, "PoolName": pool_name or pool_name_for(config, run_id)}
    if tags:
        params["UserPoolTags"] = {**params.get("UserPoolTags", {}), **tags}
    created = cognito.create_user_pool(**params)["UserPool"]
    pool_id = str(created["Id"])
    try:
        for provider in config.identity_providers:  # before the clients, which may name them
            cognito.create_identity_provider(UserPoolId=pool_id, **provider)
        clients: dict[str, ProvisionedClient] = {}
        for client in config.clients:
            made = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName=client.name, **client.params)
            made = made["UserPoolClient"]
            clients[client.name] = ProvisionedClient(client.name, made["ClientId"], made.get("ClientSecret"))
        if config.mfa:
            cognito.set_user_pool_mfa_config(UserPoolId=pool_id, **config.mfa)
        if config.sessions:
            cognito.set_user_pool_session_configuration(UserPoolId=pool_id, **config.sessions)
    except Exception:
        cognito.delete_user_pool(UserPoolId=pool_id)
        raise
    return ProvisionedPool(config.name, pool_id, params["PoolName"], clients)


def delete_pool(cognito: Any, pool_id: str) -> None:
    """Delete a pool. Cognito refuses while the pool has a managed-login domain (a scenario may have made one
    with CreateUserPoolDomain): then the domain goes first. Asking before every deletion would cost a
    DescribeUserPool per teardown for the few pools that have one."""
    try:
        cognito.delete_user_pool(UserPoolId=pool_id)
        return
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "InvalidParameterException":
            raise
        domain = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("Domain")
        if not domain:
            raise
    cognito.delete_user_pool_domain(Domain=domain, UserPoolId=pool_id)
    cognito.delete_user_pool(UserPoolId=pool_id)
