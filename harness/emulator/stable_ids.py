"""Pool and client ids that stay the same across restarts, for preloaded pools.

A front end configured once (`userPoolId`, `userPoolClientId`) must keep working after the emulator restarts,
so a preloaded pool's ids are derived from its name instead of drawn at random. The derived ids have the shape
of Cognito's: `<region>_<9 letters or digits>` for a pool, 26 lowercase letters or digits for a client (the
shapes `state.new_pool_id` / `new_client_id` draw). They are not secret and not meant to be: nothing but a local
emulator accepts them.
"""

from __future__ import annotations

import hashlib
import re
import string

from harness.emulator.emulator import Emulator
from harness.emulator.state import ClientSecret, client_secret_id
from harness.errors import AuthflowError

# botocore's UserPoolIdType and ClientIdType patterns (cognito-idp service-2.json), anchored.
POOL_ID_PATTERN = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
CLIENT_ID_PATTERN = re.compile(r"^[\w+]+$")
_POOL_ALPHABET = string.ascii_letters + string.digits
_CLIENT_ALPHABET = string.ascii_lowercase + string.digits


class IdConflict(AuthflowError):
    """A stable id another pool or client already has."""


def _derived(seed: str, alphabet: str, length: int) -> str:
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)


def stable_pool_id(region: str, name: str) -> str:
    """The id a preloaded pool named `name` gets in `region`, on every start."""
    return f"{region}_{_derived(f'authflow-pool:{name}', _POOL_ALPHABET, 9)}"


def stable_client_id(pool_id: str, client_name: str) -> str:
    """The id of the client named `client_name` of a preloaded pool, on every start."""
    return _derived(f"authflow-client:{pool_id}:{client_name}", _CLIENT_ALPHABET, 26)


def stable_client_secret(pool_id: str, client_name: str) -> str:
    """A client secret that survives restarts as the ids do (so a SECRET_HASH computed once stays right)."""
    return _derived(f"authflow-secret:{pool_id}:{client_name}", _CLIENT_ALPHABET, 51)


def adopt_pool_id(emu: Emulator, pool_id: str, new_id: str) -> None:
    """Give a pool that was just created (no users, sessions or tokens yet) another id."""
    if not POOL_ID_PATTERN.match(new_id):
        raise AuthflowError(f"{new_id!r} is not a user pool id (region_letters, e.g. us-east-1_Abc123xyz)")
    with emu.lock:
        if new_id == pool_id:
            return
        if new_id in emu.pools:
            raise IdConflict(f"the user pool id {new_id} is already taken by pool {emu.pools[new_id].name!r}")
        pool = emu.pools.pop(pool_id)
        pool.pool_id = new_id
        emu.pools[new_id] = pool
        for client in pool.clients.values():
            client.pool_id = new_id


def adopt_client_id(emu: Emulator, client_id: str, new_id: str, *, secret: str | None = None) -> None:
    """Give a client that was just created another id (and, when it has a secret, `secret` instead)."""
    if not CLIENT_ID_PATTERN.match(new_id) or len(new_id) > 128:
        raise AuthflowError(f"{new_id!r} is not an app client id (letters, digits, _ and +, at most 128)")
    with emu.lock:
        client = emu.clients[client_id]
        if new_id != client_id:
            if new_id in emu.clients:
                raise IdConflict(f"the app client id {new_id} is already taken by client {emu.clients[new_id].name!r}")
            pool = emu.pools[client.pool_id]
            del emu.clients[client_id]
            del pool.clients[client_id]
            client.client_id = new_id
            pool.clients[new_id] = client
            emu.clients[new_id] = client
        if secret is not None and client.secrets:  # just made: its one secret
            (made,) = client.secrets
            client.secrets = [ClientSecret(client_secret_id(new_id, made.created_at), secret, made.created_at)]
