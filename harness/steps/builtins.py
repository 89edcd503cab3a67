"""The functions templates may call, bound to the running scenario's pool, client and backend.

They are the only callables a template can reach (each wrapped as a TemplateFunction), and ``env`` is the only
way to the process environment: what it returns is registered as never to be shown (harness/exposed.py).
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import pyotp

from harness.backends.base import Backend, Powers, ProvisionedClient, ProvisionedPool
from harness.clients.passkey import SoftwareAuthenticator
from harness.cognito.secret_hash import secret_hash as compute_secret_hash
from harness.exposed import ExposedValue, expose
from harness.scenario.template import TemplateFunction, names_used
from harness.steps.plugins import plugin_functions


class BuiltinHost(Protocol):
    """What the built-ins are bound to: one scenario run's pool, client, backend and authenticator."""

    @property
    def run_id(self) -> str: ...
    @property
    def backend(self) -> Backend: ...
    @property
    def pool(self) -> ProvisionedPool: ...
    @property
    def client(self) -> ProvisionedClient: ...
    @property
    def authenticator(self) -> SoftwareAuthenticator: ...


_counter = itertools.count(1)


def unique_name(prefix: str, run_id: str) -> str:
    """Unique per run, per process and per call, so scenarios never share users (pytest-xdist safe)."""
    return f"{prefix}-{run_id}-{os.getpid() % 10000:04d}{next(_counter):04d}{secrets.token_hex(2)}"


NEEDS_OUTBOX = frozenset({"outbox_code", "outbox_link"})
"""Built-ins that read the pool's sent codes: a step using one is skipped where the backend has no outbox."""
NEEDS_ISSUER = frozenset({"issuer"})
"""Built-ins that point at the pool's issuer endpoints: a step using one is skipped where nothing serves them."""


def lacking_power(templates: Any, powers: Powers) -> str | None:
    """Why a step whose ``templates`` (any value holding them) call a built-in needing a power the backend
    lacks cannot run there, or None. The templates are only read where a power is missing."""
    for reason, needing in ((powers.lacks_outbox(), NEEDS_OUTBOX), (powers.lacks_issuer(), NEEDS_ISSUER)):
        if reason is not None and names_used(templates) & needing:
            return reason
    return None


def read_env(name: str) -> ExposedValue:
    """An environment variable's value, registered for redaction before anyone can see it."""
    value = os.environ.get(name)
    if value is None:
        raise ValueError(f"the environment variable {name!r} is not set")
    return expose(value)


def mark_secret(value: Any, *, nested: bool = False) -> Any:
    """``value`` registered for redaction everywhere (as ``‹redacted:secret›``): a string comes back marked, so
    templates treat it like an env() value; a number (a PIN) is registered as it is; in a mapping or list, the
    strings are (a nested number such as ExpiresIn: 3600 is left alone: masking every 3600 would shred reports)."""
    if isinstance(value, ExposedValue):
        return value
    if isinstance(value, str):
        return expose(value, "secret") if value else value
    if isinstance(value, Mapping):
        return {key: mark_secret(item, nested=True) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mark_secret(item, nested=True) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool) and not nested:
        expose(str(value), "secret")
    return value


def builtins_for(ctx: BuiltinHost) -> dict[str, TemplateFunction]:
    def unique(prefix: str = "user") -> str:
        return unique_name(prefix, ctx.run_id)

    def secret_hash(username: str, secret: str | None = None) -> str:
        """With `secret`: over another of the client's secrets (one added by AddUserPoolClientSecret)."""
        client = ctx.client
        if secret is not None and not isinstance(secret, str):
            raise ValueError(f"secret_hash: the secret must be text, not {type(secret).__name__}")
        key = client.secret if secret is None else secret
        if not key:
            if secret is not None:
                raise ValueError("secret_hash: the secret given is empty")
            raise ValueError(f"app client {client.name!r} has no secret, so there is no SECRET_HASH to compute")
        return compute_secret_hash(client.client_id, key, username)

    def totp(secret: str) -> str:
        return str(pyotp.TOTP(secret).at(int(ctx.backend.now())))

    def outbox_code(destination: str) -> str:
        messages = ctx.backend.sent_messages(ctx.pool.pool_id, destination)
        if not messages:
            raise ValueError(f"the pool has sent nothing to {destination!r}")
        return str(messages[-1]["Code"])

    def outbox_link(destination: str) -> str:
        """The confirmation link of the last message to `destination` (a pool that confirms sign-ups by link).
        It carries the code, so it is a secret: masked wherever it shows, as `sensitive(...)` values are."""
        messages = ctx.backend.sent_messages(ctx.pool.pool_id, destination)
        if not messages:
            raise ValueError(f"the pool has sent nothing to {destination!r}")
        link = messages[-1].get("Link")
        if not link:
            raise ValueError(f"the last message to {destination!r} holds a code, not a link (CONFIRM_WITH_CODE)")
        return str(mark_secret(str(link)))

    def issuer() -> str:
        """The pool's token issuer, the `iss` of its tokens, under which its keys are published."""
        return ctx.backend.issuer(ctx.pool.pool_id)

    functions: dict[str, tuple[Callable[..., Any], bool]] = {  # name: (function, may take an env() value)
        "unique": (unique, False),  # its result starts with its argument
        "secret_hash": (secret_hash, True),  # an HMAC: nothing of the username shows
        "totp": (totp, True),  # a seed from the environment gives a six-digit code
        "outbox_code": (outbox_code, False),
        "outbox_link": (outbox_link, False),
        "passkey_create": (ctx.authenticator.create, False),  # CredentialCreationOptions -> the Credential
        "passkey_get": (ctx.authenticator.get, False),  # CREDENTIAL_REQUEST_OPTIONS -> the CREDENTIAL answer
        "env": (read_env, False),
        "sensitive": (mark_secret, True),  # returns its argument, marked: nothing new shows
        "issuer": (issuer, False),
    }
    builtins = {name: TemplateFunction(name, function, takes) for name, (function, takes) in functions.items()}
    return {**plugin_functions()[0], **builtins}  # a plugin cannot take a built-in's name (plugins.py refuses it)
