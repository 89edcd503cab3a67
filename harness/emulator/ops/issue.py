"""Issuing tokens after a successful sign-in, and re-issuing them from a refresh token."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import not_authorized
from harness.emulator.ops.common import check_secret_hash, user_names
from harness.emulator.ops.pools import token_validity_s
from harness.emulator.state import AppClient, RefreshToken, User, UserPool
from harness.emulator.tokens import TokenGrant, issue_id_and_access, new_refresh_token
from harness.emulator.triggers import invoke

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


def _signed_pair(
    emu: Emulator, pool: UserPool, client: AppClient, user: User, record: RefreshToken, *, refreshing: bool = False
) -> dict[str, Any]:
    source = "TokenGeneration_RefreshTokens" if refreshing else "TokenGeneration_Authentication"
    groups: dict[str, Any] = {"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": None}
    response = invoke(
        emu.triggers, pool, "PreTokenGeneration", source, client_id=client.client_id, user=user,
        username=user.username, request={"groupConfiguration": groups, "clientMetadata": {}},
    ) or {}  # fmt: skip
    overrides = response.get("claimsOverrideDetails") or {}
    grant = TokenGrant(
        user.sub, user.username, client.client_id, dict(user.attributes), int(record.auth_time), record.jti,
        dict(overrides.get("claimsToAddOrOverride") or {}), frozenset(overrides.get("claimsToSuppress") or ()),
    )  # fmt: skip
    access_s = token_validity_s(client.settings, "AccessTokenValidity")
    id_token, access_token = issue_id_and_access(
        pool.keys,
        issuer=emu.issuer(pool.pool_id),
        grant=grant,
        now=emu.clock.now(),
        id_validity_s=token_validity_s(client.settings, "IdTokenValidity"),
        access_validity_s=access_s,
    )
    return {"AccessToken": access_token, "ExpiresIn": access_s, "TokenType": "Bearer", "IdToken": id_token}


def _new_refresh_record(
    emu: Emulator, pool: UserPool, client: AppClient, user: User, *, auth_time: float, jti: str
) -> RefreshToken:
    now = emu.clock.now()
    record = RefreshToken(
        new_refresh_token(),
        jti,
        pool.pool_id,
        client.client_id,
        user.username,
        now,
        now + token_validity_s(client.settings, "RefreshTokenValidity"),
        auth_time,
    )
    pool.add_refresh_token(record)
    return record


def issue_tokens(emu: Emulator, pool: UserPool, client: AppClient, user: User, *, auth_time: float) -> dict[str, Any]:
    """A fresh sign-in: id, access and refresh tokens sharing one origin_jti."""
    user.last_sign_in_at = emu.clock.now()
    record = _new_refresh_record(emu, pool, client, user, auth_time=auth_time, jti=str(uuid.uuid4()))
    return {**_signed_pair(emu, pool, client, user, record), "RefreshToken": record.token}


# Checks of a refresh token against the device it was issued to (ops/devices.py registers one): (pool, record,
# the DEVICE_KEY / DeviceKey sent along) -> raise to refuse.
REFRESH_CHECKS: list[Callable[[UserPool, RefreshToken, str | None], None]] = []


def refresh_tokens(
    emu: Emulator,
    client: AppClient,
    token: str,
    secret_hash: str | None,
    *,
    rotate: bool,
    secret_checked: bool = False,
    device_key: str | None = None,
) -> dict[str, Any]:
    """New id and access tokens from a refresh token; a new refresh token too when rotating.

    `secret_checked`: the caller proved the client secret itself (GetTokensFromRefreshToken's ClientSecret).
    """
    pool = emu.pools[client.pool_id]
    record = pool.refresh_tokens.get(token)
    if record is None or record.client_id != client.client_id:
        raise not_authorized(errors.REFRESH_TOKEN_INVALID)
    user = pool.users.get(pool.user_key(record.username))
    if user is None:
        raise not_authorized(errors.REFRESH_TOKEN_INVALID)
    if not secret_checked:
        check_secret_hash(client, user_names(user), secret_hash)
    if record.revoked:
        raise not_authorized(errors.REFRESH_TOKEN_REVOKED)
    if emu.clock.now() >= record.expires_at:
        raise not_authorized(errors.REFRESH_TOKEN_EXPIRED)
    if not user.enabled:
        raise not_authorized(errors.USER_DISABLED)
    for check in REFRESH_CHECKS:
        check(pool, record, device_key)
    if not rotate:
        return _signed_pair(emu, pool, client, user, record, refreshing=True)
    record.revoked = True
    fresh = _new_refresh_record(emu, pool, client, user, auth_time=record.auth_time, jti=record.jti)
    fresh.device_key = record.device_key
    return {**_signed_pair(emu, pool, client, user, fresh, refreshing=True), "RefreshToken": fresh.token}


def revoke_user_tokens(pool: UserPool, user: User) -> None:
    """Global sign-out: every refresh token of the user, and the access tokens they produced."""
    for record in pool.refresh_tokens_of(user.username):
        record.revoked = True
        pool.revoked_jtis.add(record.jti)
