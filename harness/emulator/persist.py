"""Save an emulator's pools, users and messages to a file and load them back (`authflow emulator --state`).

The state is written generically from the dataclasses of `state.py` (and whatever they hold): every init field of
every dataclass is saved under its name, tagged with its type, so a field or a record type added to the state
later is saved and loaded without this module knowing it. The few values that are not plain data have a codec
here (bytes, tuples, sets, an RSA key); a lock is left out and made afresh. A value of any other type is refused
when saving, naming where it is, rather than silently dropped.

Loading only builds dataclasses from modules that are already imported (it never imports a module a file names),
and refuses a file of another format version, or one whose fields no longer fit the code, with a message that
says so. A record whose fields changed keeps older files readable with a `from_saved` class method, which maps the
saved fields (decoded) onto its own (AppClient: one `secret` became `secrets`).

The file holds password verifiers, refresh tokens and signing keys: it is written with owner-only permissions,
atomically (a temporary file renamed over the old one), so a crash mid-write keeps the last good file.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import json
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from harness.emulator.emulator import Emulator
from harness.emulator.outbox import Message
from harness.emulator.state import UserPool
from harness.errors import AuthflowError

FORMAT = "authflow-emulator-state"
VERSION = 1
"""Raise when a change makes older files unreadable (a codec's tag changes meaning, the document's layout moves)."""

_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))
_LEFT_OUT = object()


class StateFileError(AuthflowError):
    """A state file that cannot be written or read back into this version of authflow."""


# --- encoding -------------------------------------------------------------------------------------------


def _type_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def encode(value: Any, where: str = "state") -> Any:
    """A JSON value for `value`; `where` names it in the error for a value that has no codec."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return {"$enum": _type_name(type(value)), "value": encode(value.value, where)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields: dict[str, Any] = {}
        for spec in dataclasses.fields(value):
            if not spec.init:
                continue  # indexes and caches, rebuilt from the saved fields
            encoded = encode(getattr(value, spec.name), f"{where}.{spec.name}")
            if encoded is not _LEFT_OUT:
                fields[spec.name] = encoded
        return {"$dataclass": _type_name(type(value)), "fields": fields}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, list):
        return [encode(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, tuple):
        return {"$tuple": [encode(item, f"{where}[{i}]") for i, item in enumerate(value)]}
    if isinstance(value, (set, frozenset)):
        items = [encode(item, f"{where}{{}}") for item in value]
        return {"$frozenset" if isinstance(value, frozenset) else "$set": sorted(items, key=json.dumps)}
    if isinstance(value, dict):
        if all(isinstance(key, str) and not key.startswith("$") for key in value):
            return {key: encode(item, f"{where}[{key!r}]") for key, item in value.items()}
        return {"$map": [[encode(key, where), encode(item, f"{where}[{key!r}]")] for key, item in value.items()]}
    if isinstance(value, rsa.RSAPrivateKey):
        pem = value.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return {"$rsa": pem.decode()}
    if isinstance(value, _LOCK_TYPES):
        return _LEFT_OUT
    raise StateFileError(f"cannot save the emulator state: {where} is a {type(value).__name__}, which has no codec")


# --- decoding -------------------------------------------------------------------------------------------


def _loaded_type(name: str) -> type:
    """A class by module:qualname, from modules already imported only (a file must not choose what is imported)."""
    module_name, _, qualname = name.partition(":")
    found: Any = sys.modules.get(module_name)
    for part in qualname.split("."):
        found = getattr(found, part, None)
    if not isinstance(found, type):
        raise StateFileError(f"the state file names a type this authflow does not have: {name}")
    return found


def decode(value: Any) -> Any:
    """The value `encode` made `value` from."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    tag = next((key for key in value if key.startswith("$")), None)  # plain dicts have no "$" keys (see encode)
    if tag is None:
        return {key: decode(item) for key, item in value.items()}
    decoder = _DECODERS.get(tag)
    if decoder is None:
        raise StateFileError(f"the state file holds a value tagged {tag}, which this authflow does not know")
    return decoder(value)


def _decode_dataclass(value: dict[str, Any]) -> Any:
    cls = _loaded_type(value["$dataclass"])
    if not dataclasses.is_dataclass(cls):
        raise StateFileError(f"the state file names {value['$dataclass']}, which is not a dataclass")
    init_fields = {spec.name for spec in dataclasses.fields(cls) if spec.init}
    saved = {name: decode(item) for name, item in value.get("fields", {}).items()}
    upgrade = getattr(cls, "from_saved", None)  # a record whose fields changed maps an older file's onto its own
    if upgrade is not None:
        saved = upgrade(saved)
    unknown = sorted(set(saved) - init_fields)
    if unknown:
        raise StateFileError(
            f"the state file's {cls.__name__} has fields this authflow does not know ({', '.join(unknown)}): "
            "it was written by another version"
        )
    try:
        made = cls(**saved)
    except TypeError as exc:
        raise StateFileError(f"the state file's {cls.__name__} does not fit this authflow: {exc}") from None
    if isinstance(made, UserPool):
        _reindex(made)
    return made


def _decode_enum(value: dict[str, Any]) -> Any:
    cls = _loaded_type(value["$enum"])
    return cls(decode(value["value"]))


def _decode_rsa(value: dict[str, Any]) -> Any:
    return serialization.load_pem_private_key(value["$rsa"].encode(), password=None)


_DECODERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "$dataclass": _decode_dataclass,
    "$enum": _decode_enum,
    "$bytes": lambda value: base64.b64decode(value["$bytes"]),
    "$tuple": lambda value: tuple(decode(item) for item in value["$tuple"]),
    "$set": lambda value: {_hashable(decode(item)) for item in value["$set"]},
    "$frozenset": lambda value: frozenset(_hashable(decode(item)) for item in value["$frozenset"]),
    "$map": lambda value: {_hashable(decode(key)): decode(item) for key, item in value["$map"]},
    "$rsa": _decode_rsa,
}


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _reindex(pool: UserPool) -> None:
    """A pool built from its fields has its users and refresh tokens but not the indexes over them (init=False
    fields, never saved). An index added to the state later is rebuilt here too, through the method that keeps it."""
    users = sorted(pool.users.values(), key=lambda user: user.seq)
    tokens = list(pool.refresh_tokens.values())
    pool.users = {}
    pool.refresh_tokens = {}
    for user in users:
        pool.add_user(user)
    for token in tokens:
        pool.add_refresh_token(token)


# --- files ----------------------------------------------------------------------------------------------


def snapshot(emu: Emulator) -> dict[str, Any]:
    """The emulator's pools (with their clients, users, tokens and keys), its clock offset and its outbox."""
    with emu.lock:
        return {
            "format": FORMAT,
            "version": VERSION,
            "region": emu.region,
            "clock_offset": emu.clock.offset,
            "pools": [encode(pool, f"pools[{pool.pool_id}]") for pool in emu.pools.values()],
            "outbox": [encode(message, "outbox") for message in emu.outbox.messages()],
        }


def save(emu: Emulator, path: Path | str) -> None:
    """Write the emulator's state to `path` in one step (owner-only permissions)."""
    target = Path(path)
    text = json.dumps(snapshot(emu), separators=(",", ":"))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(path: Path | str) -> dict[str, Any]:
    """The document in a state file, checked to be one this version reads."""
    source = Path(path)
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise StateFileError(f"{source}: not a readable authflow emulator state file ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError(f'{source}: not an authflow emulator state file (no "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise StateFileError(
            f"{source}: state format version {document.get('version')!r}, but this authflow reads version "
            f"{VERSION}; delete the file (its users are lost) or use the authflow that wrote it"
        )
    return document


def load(emu: Emulator, path: Path | str) -> list[str]:
    """Add the pools, messages and clock offset saved in `path` to `emu`; the ids of the pools loaded."""
    document = read(path)
    try:
        pools = [decode(pool) for pool in document.get("pools", [])]
        messages = [decode(message) for message in document.get("outbox", [])]
    except StateFileError as exc:
        raise StateFileError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StateFileError(f"{path}: damaged state file ({type(exc).__name__}: {exc})") from None
    if not all(isinstance(pool, UserPool) for pool in pools) or not all(isinstance(m, Message) for m in messages):
        raise StateFileError(f"{path}: damaged state file (pools or messages of the wrong type)")
    with emu.lock:
        taken = sorted(pool.pool_id for pool in pools if pool.pool_id in emu.pools)
        if taken:
            raise StateFileError(f"{path}: the emulator already has the pools {', '.join(taken)}")
        for pool in pools:
            emu.pools[pool.pool_id] = pool
            emu.clients.update(pool.clients)
        for message in messages:
            emu.outbox.record(message)
        offset = float(document.get("clock_offset", 0.0))
        if offset > emu.clock.offset:
            emu.clock.advance(offset - emu.clock.offset)
        emu.revision += 1
    return [pool.pool_id for pool in pools]
