"""The functions templates may call, bound to the running scenario's pool, client and backend."""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pyotp

from harness.secret_hash import secret_hash as compute_secret_hash

if TYPE_CHECKING:
    from harness.engine.context import RunContext

_counter = itertools.count(1)


def unique_name(prefix: str, run_id: str) -> str:
    """Unique per run, per process and per call, so scenarios never share users (pytest-xdist safe)."""
    return f"{prefix}-{run_id}-{os.getpid() % 10000:04d}{next(_counter):04d}{secrets.token_hex(2)}"


def builtins_for(ctx: RunContext) -> dict[str, Callable[..., Any]]:
    def unique(prefix: str = "user") -> str:
        return unique_name(prefix, ctx.run_id)

    def secret_hash(username: str) -> str:
        client = ctx.client
        if client.secret is None:
            raise ValueError(f"app client {client.name!r} has no secret, so there is no SECRET_HASH to compute")
        return compute_secret_hash(client.client_id, client.secret, username)

    def totp(secret: str) -> str:
        return str(pyotp.TOTP(secret).at(int(ctx.backend.now())))

    def outbox_code(destination: str) -> str:
        messages = ctx.backend.sent_messages(ctx.pool.pool_id, destination)
        if not messages:
            raise ValueError(f"the pool has sent nothing to {destination!r}")
        return str(messages[-1]["Code"])

    return {
        "unique": unique,
        "secret_hash": secret_hash,
        "totp": totp,
        "outbox_code": outbox_code,
        "passkey_create": ctx.authenticator.create,  # CredentialCreationOptions -> the Credential to register
        "passkey_get": ctx.authenticator.get,  # CREDENTIAL_REQUEST_OPTIONS -> the CREDENTIAL answer
    }
