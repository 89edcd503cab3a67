"""Pools from pool files in a given emulator: the pytest fixtures' `cognito_pool` and `authflow emulator --pools`.

A pool is created through the emulator's own API (as every backend provisions), its triggers registered; with
`stable_ids`, it then takes ids derived from its configuration name (or those the pool file's `emulator:` key
gives), so a front end configured once keeps working across restarts.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError

from harness.backends.base import ProvisionedClient, ProvisionedPool
from harness.backends.provision import provision_pool
from harness.emulator import Emulator
from harness.emulator.recipes import build_trigger, register_triggers
from harness.emulator.stable_ids import (
    adopt_client_id,
    adopt_pool_id,
    stable_client_id,
    stable_client_secret,
    stable_pool_id,
)
from harness.errors import AuthflowError
from harness.scenario.loader import YAML_SUFFIXES, load_pool
from harness.scenario.model import PoolConfig

_CLIENT_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1})


def pool_files(source: Path | str) -> list[Path]:
    """The pool files a path names: the file itself, or the YAML files directly in a folder."""
    path = Path(source)
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith("."))
    raise AuthflowError(f"{path}: no such pool file or folder")


def load_pools(sources: list[Path | str]) -> list[PoolConfig]:
    """Every pool configuration the paths name, checked (a SpecError lists a bad file's problems)."""
    configs: dict[str, PoolConfig] = {}
    for source in sources:
        for file in pool_files(source):
            config = load_pool(file)
            if config.name in configs:
                raise AuthflowError(
                    f"{file}: a pool named {config.name!r} was already loaded from {configs[config.name].path}"
                )
            configs[config.name] = config
    return list(configs.values())


def planned_pool_id(emu: Emulator, config: PoolConfig) -> str:
    """The id a preloaded pool has on every start: the pool file's `emulator.pool_id`, or one from its name."""
    return config.emulator_ids.get("pool_id") or stable_pool_id(emu.region, config.name)


def planned_client_id(config: PoolConfig, pool_id: str, client_name: str) -> str:
    given: dict[str, str] = config.emulator_ids.get("client_ids") or {}
    return given.get(client_name) or stable_client_id(pool_id, client_name)


def provision_on(
    emu: Emulator,
    config: PoolConfig,
    *,
    stable_ids: bool = False,
    pool_name: str | None = None,
    cognito: Any | None = None,
) -> ProvisionedPool:
    """Create the configuration's pool (named `pool_name`, else as the configuration), clients and triggers in
    `emu` (ids derived from its name if stable), through `cognito` (a client of `emu`; one is made when None -
    pass one when creating several pools)."""
    if config.triggers:
        lambda_config = register_triggers(emu, config.name, config.triggers)
        merged = {**config.pool_params.get("LambdaConfig", {}), **lambda_config}
        config = replace(config, pool_params={**config.pool_params, "LambdaConfig": merged})
    cognito = cognito if cognito is not None else emu.client(config=_CLIENT_CONFIG)
    try:
        created = provision_pool(cognito, config, run_id="local", pool_name=pool_name or config.name)
    except ClientError as exc:  # the pool file is valid YAML and schema, but Cognito refuses what it asks
        error = exc.response.get("Error", {})
        raise AuthflowError(
            f"{config.path}: the emulator refused pool {config.name!r}: {error.get('Code')}: {error.get('Message')}"
        ) from None
    if not stable_ids:
        return created
    pool_id = planned_pool_id(emu, config)
    current = created.pool_id  # the id the new pool has, to delete it by if taking the stable ids fails
    try:
        adopt_pool_id(emu, created.pool_id, pool_id)
        current = pool_id
        clients: dict[str, ProvisionedClient] = {}
        for name, client in created.clients.items():
            client_id = planned_client_id(config, pool_id, name)
            secret = stable_client_secret(pool_id, name) if client.secret is not None else None
            adopt_client_id(emu, client.client_id, client_id, secret=secret)
            clients[name] = ProvisionedClient(name, client_id, secret)
    except Exception:
        emu.call("DeleteUserPool", {"UserPoolId": current})
        raise
    return replace(created, pool_id=pool_id, clients=clients)


def adopt_saved(emu: Emulator, config: PoolConfig) -> ProvisionedPool | None:
    """The configuration's pool as a state file restored it (None when it is not there), with its triggers
    registered again under the ARNs the saved pool names (callables are not saved)."""
    pool = emu.pools.get(planned_pool_id(emu, config))
    if pool is None:
        return None
    saved_arns: dict[str, Any] = pool.settings.get("LambdaConfig", {})
    for name, spec in config.triggers.items():
        arn = saved_arns.get(name)
        if isinstance(arn, str):
            emu.triggers.register(arn, build_trigger(emu, name, spec))
    clients = {
        client.name: ProvisionedClient(client.name, client.client_id, client.secret) for client in pool.clients.values()
    }
    return ProvisionedPool(config.name, pool.pool_id, pool.name, clients)
