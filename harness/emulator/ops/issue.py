"""Issuing tokens after a successful sign-in, and re-issuing them from a refresh token."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import not_authorized
from harness.emulator.ops.common import check_secret_hash, user_names
from harness.emulator.ops.groups import GroupClaims, group_claims
from harness.emulator.ops.pools import token_validity_s
from harness.emulator.ops.user_sessions import start_session, touch_session
from harness.emulator.state import AppClient, RefreshToken, User, UserPool
from harness.emulator.tokens import ACCESS_SCOPE, TokenGrant, issue_id_and_access, new_refresh_token
from harness.emulator.triggers import invoke, pre_token_config

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


# Claims a PreTokenGeneration response cannot change [DG "Pre token generation Lambda trigger"]; the emulator
# ignores attempts (UNCONFIRMED: the guide lists the claims but not what an attempt does).
FIXED_CLAIMS = frozenset(
    {
        "acr", "amr", "aud", "at_hash", "auth_time", "azp", "cognito:username", "exp", "iat", "identities",
        "iss", "jti", "nbf", "nonce", "origin_jti", "sub", "token_use",
    }
)  # fmt: skip
TOKEN_SOURCE_AUTH = "TokenGeneration_Authentication"
TOKEN_SOURCE_NEW_PASSWORD = "TokenGeneration_NewPasswordChallenge"  # after a temporary password was changed [DG]
TOKEN_SOURCE_REFRESH = "TokenGeneration_RefreshTokens"


def _changeable(claims: Any) -> dict[str, Any]:
    return {str(k): v for k, v in dict(claims or {}).items() if k not in FIXED_CLAIMS and not str(k).startswith("dev:")}


def _suppressible(claims: Any) -> frozenset[str]:
    return frozenset(str(c) for c in claims or () if c not in FIXED_CLAIMS and not str(c).startswith("dev:"))


def overridden_scopes(access_details: dict[str, Any], scopes: tuple[str, ...]) -> tuple[str, ...]:
    """The access token's scopes after accessTokenGeneration's scopesToAdd and scopesToSuppress."""
    added = [str(s) for s in access_details.get("scopesToAdd") or () if str(s) not in scopes]
    dropped = {str(s) for s in access_details.get("scopesToSuppress") or ()}
    return tuple(s for s in (*scopes, *added) if s not in dropped)


def machine_token_overrides(
    emu: Emulator, pool: UserPool, client: AppClient, scopes: tuple[str, ...], client_metadata: dict[str, Any]
) -> tuple[dict[str, Any], frozenset[str], tuple[str, ...]]:
    """A client-credentials access token's claims to add, claims to suppress and scopes, after a V3_0
    PreTokenGeneration trigger (TokenGeneration_ClientCredentials) had its say.

    Only version three events apply to machine-to-machine access tokens [DG "Pre token generation Lambda
    trigger"]: with a V1_0 or V2_0 trigger nothing is invoked (UNCONFIRMED: that Cognito does not call it at
    all). The event's `clientMetadata` is the token request's `aws_client_metadata` [DG "Token endpoint"];
    UNCONFIRMED: its userName (the client id here), empty userAttributes and an empty groupConfiguration.
    """
    arn, version = pre_token_config(pool)
    if arn is None or version != "3":
        return {}, frozenset(), scopes
    request = {
        "userAttributes": {},
        "groupConfiguration": {"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": None},
        "scopes": list(scopes),
        "clientMetadata": dict(client_metadata),
    }
    response = invoke(
        emu.triggers, pool, "PreTokenGeneration", "TokenGeneration_ClientCredentials", client_id=client.client_id,
        user=None, username=client.client_id, request=request, version=version, arn=arn,
    ) or {}  # fmt: skip
    details = (response.get("claimsAndScopeOverrideDetails") or {}).get("accessTokenGeneration") or {}
    return (
        _changeable(details.get("claimsToAddOrOverride")),
        _suppressible(details.get("claimsToSuppress")),
        overridden_scopes(details, scopes),
    )


def _group_override(details: dict[str, Any], current: GroupClaims) -> GroupClaims:
    """groupOverrideDetails replaces the user's groups in both tokens; present but empty or null, it suppresses
    them; absent, it changes nothing [DG "Pre token generation Lambda trigger", response parameters]."""
    if "groupOverrideDetails" not in details:
        return current
    override = details.get("groupOverrideDetails") or {}
    preferred = override.get("preferredRole")
    return GroupClaims(
        tuple(str(g) for g in override.get("groupsToOverride") or ()),
        tuple(str(r) for r in override.get("iamRolesToOverride") or ()),
        str(preferred) if preferred else None,
    )


def token_grant(
    emu: Emulator,
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    auth_time: float,
    origin_jti: str,
    source: str,
    scopes: tuple[str, ...] = (ACCESS_SCOPE,),
    client_metadata: dict[str, str] | None = None,
) -> TokenGrant:
    """Who the tokens are for, with the group claims, after the PreTokenGeneration trigger had its say.

    A V1_0 trigger answers claimsOverrideDetails (the id token; its groupOverrideDetails reaches both tokens); a
    V2_0/V3_0 trigger answers claimsAndScopeOverrideDetails with idTokenGeneration, accessTokenGeneration (claims
    and scopes) and groupOverrideDetails [DG "Pre token generation Lambda trigger"].
    """
    groups = group_claims(pool, user)
    arn, version = pre_token_config(pool)
    request: dict[str, Any] = {
        "groupConfiguration": {
            "groupsToOverride": list(groups.groups),
            "iamRolesToOverride": list(groups.roles),
            "preferredRole": groups.preferred_role,
        },
        "clientMetadata": dict(client_metadata or {}),
    }
    if version != "1":
        request["scopes"] = list(scopes)
    response = invoke(
        emu.triggers, pool, "PreTokenGeneration", source, client_id=client.client_id, user=user,
        username=user.username, request=request, version=version, arn=arn,
    ) or {}  # fmt: skip
    id_details: dict[str, Any] = {}
    access_details: dict[str, Any] = {}
    if version == "1":
        id_details = response.get("claimsOverrideDetails") or {}
        groups = _group_override(id_details, groups)
    else:
        details = response.get("claimsAndScopeOverrideDetails") or {}
        id_details = details.get("idTokenGeneration") or {}
        access_details = details.get("accessTokenGeneration") or {}
        groups = _group_override(details, groups)
        scopes = overridden_scopes(access_details, scopes)
    return TokenGrant(
        user.sub, user.username, client.client_id, dict(user.attributes), int(auth_time), origin_jti,
        _changeable(id_details.get("claimsToAddOrOverride")), _suppressible(id_details.get("claimsToSuppress")),
        groups.groups, groups.roles, groups.preferred_role,
        _changeable(access_details.get("claimsToAddOrOverride")),
        _suppressible(access_details.get("claimsToSuppress")), scopes,
    )  # fmt: skip


def _signed_pair(
    emu: Emulator,
    pool: UserPool,
    client: AppClient,
    user: User,
    record: RefreshToken,
    source: str,
    client_metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    grant = token_grant(
        emu, pool, client, user, auth_time=record.auth_time, origin_jti=record.jti, source=source,
        client_metadata=client_metadata,
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


def new_refresh_record(
    emu: Emulator,
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    auth_time: float,
    jti: str,
    scopes: tuple[str, ...] | None = None,
    continues: RefreshToken | None = None,
) -> RefreshToken:
    """A refresh token stored in the pool, valid for the client's RefreshTokenValidity; `scopes` for one the
    OAuth token endpoint issues (its refreshes keep them), None for the user-pools API's. A rotation's
    `continues` the one it replaces: its token session and device (a sign-in's starts a session: `start_session`,
    called by the sign-in)."""
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
        scopes=scopes,
    )
    if continues is not None:
        record.device_key, record.session = continues.device_key, continues.session
        touch_session(pool, record, now)
    pool.add_refresh_token(record)
    return record


def issue_tokens(
    emu: Emulator,
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    auth_time: float,
    source: str = TOKEN_SOURCE_AUTH,
    client_metadata: dict[str, str] | None = None,
    starts_session: bool = True,
) -> dict[str, Any]:
    """A fresh sign-in: PostAuthentication, then id, access and refresh tokens sharing one origin_jti, and a token
    session when the pool tracks them (`starts_session`: not for the managed login's own use of the API).
    `client_metadata` reaches both triggers as clientMetadata (ops/auth.py: RespondToAuthChallenge's, never
    InitiateAuth's).

    PostAuthentication runs after the user is authenticated [DG "Post authentication Lambda trigger"]; its
    error refuses the sign-in ("PostAuthentication failed with error ..."). UNCONFIRMED: that it runs before
    PreTokenGeneration, and that a refused sign-in leaves no refresh token and no last sign-in behind.
    """
    invoke(
        emu.triggers, pool, "PostAuthentication", "PostAuthentication_Authentication", client_id=client.client_id,
        user=user, username=user.username,
        request={"newDeviceUsed": False, "clientMetadata": dict(client_metadata or {})},
    )  # fmt: skip
    record = new_refresh_record(emu, pool, client, user, auth_time=auth_time, jti=str(uuid.uuid4()))
    if starts_session:
        start_session(pool, record, emu.clock.now())
    user.last_sign_in_at = emu.clock.now()
    signed = _signed_pair(emu, pool, client, user, record, source, client_metadata)
    return {**signed, "RefreshToken": record.token}


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
    if record is None:
        raise not_authorized(errors.REFRESH_TOKEN_INVALID)
    if record.client_id != client.client_id:
        raise not_authorized(errors.REFRESH_TOKEN_OTHER_CLIENT)
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
        signed = _signed_pair(emu, pool, client, user, record, TOKEN_SOURCE_REFRESH)
        touch_session(pool, record, emu.clock.now())  # only a refresh that gave tokens is activity
        return signed
    record.revoked = True
    fresh = new_refresh_record(emu, pool, client, user, auth_time=record.auth_time, jti=record.jti, continues=record)
    return {**_signed_pair(emu, pool, client, user, fresh, TOKEN_SOURCE_REFRESH), "RefreshToken": fresh.token}


def revoke_user_tokens(pool: UserPool, user: User) -> None:
    """Global sign-out: every refresh token of the user, and the access tokens they produced."""
    for record in pool.refresh_tokens_of(user.username):
        pool.revoke_refresh_token(record)
