"""Where pools live. `create_backend` is the one place a backend name becomes a backend.

Importing this package (or its light `options` module, which `authflow --help` reads) loads nothing heavy: the
names of `base` load on first use, and each backend when it is created.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.backends.base import Backend, ProvisionedClient, ProvisionedPool, Unsupported

BACKEND_NAMES = ("emulator", "emulator-http", "aws", "moto")


def create_backend(
    name: str,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    profile: str | None = None,
    pool_id: str | None = None,
    client_id: str | None = None,
    allow_untagged_pool: bool = False,
) -> Backend:
    """The named backend. The keyword options are the aws backend's (``pool_id`` may name a file of pools);
    ``region`` also applies to moto. Options a backend cannot use are refused rather than ignored."""
    from harness.backends.emulator import EmulatorBackend

    aws_only = {
        "--endpoint-url": endpoint_url, "--aws-profile": profile, "--pool-id": pool_id, "--client-id": client_id,
        "--allow-untagged-pool": allow_untagged_pool,
    }  # fmt: skip
    given = [option for option, value in aws_only.items() if value]
    if name == "aws":
        from harness.backends.aws import AwsBackend, AwsSettings
        from harness.backends.aws_existing import existing_pools_from_options

        existing = existing_pools_from_options(pool_id, client_id)
        return AwsBackend(AwsSettings(endpoint_url, region, profile, existing, allow_untagged_pool))
    if name in BACKEND_NAMES and given:
        raise ValueError(f"{', '.join(given)} only apply to --backend aws")
    if name == "moto":
        from harness.backends.moto_backend import MotoBackend

        return MotoBackend(region=region or "us-east-1")
    if region is not None and name in BACKEND_NAMES:
        raise ValueError("--aws-region only applies to --backend aws or moto")
    if name == "emulator":
        return EmulatorBackend()
    if name == "emulator-http":
        return EmulatorBackend(http=True)
    raise ValueError(f"unknown backend {name!r}; choose one of {', '.join(BACKEND_NAMES)}")


_FROM_BASE = frozenset({"Backend", "ProvisionedClient", "ProvisionedPool", "Unsupported"})


def __getattr__(name: str) -> Any:
    """`base`'s names on first use (PEP 562): it imports the scenario model, the emulator and botocore."""
    if name in _FROM_BASE:
        value = getattr(importlib.import_module("harness.backends.base"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'harness.backends' has no attribute {name!r}")


__all__ = ["BACKEND_NAMES", "Backend", "ProvisionedClient", "ProvisionedPool", "Unsupported", "create_backend"]
