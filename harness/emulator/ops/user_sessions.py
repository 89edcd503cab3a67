"""User session tracking: the pool's session configuration and a user's token sessions (list and revoke).

With tracking ENABLED (SetUserPoolSessionConfiguration; DISABLED and at most 20 sessions a user by default, and
only in the Essentials and Plus plans), every sign-in that issues a refresh token starts a token session for that
app client; refreshes and rotations keep it and make it the most recently active. A sign-in that would take the
user past MaxPerUser first evicts their least recently used sessions (lowering the limit evicts nobody until the
next sign-in). Revoking a session revokes its refresh token and the access tokens that came from it; a user may
not revoke the session of the access token they call with. Lists show active sessions only: a global sign-out,
a revoked or expired refresh token ends a session. [API SetUserPoolSessionConfiguration,
GetUserPoolSessionConfiguration, UserPoolTokenSessionConfigType, SessionDescriptionType, ListUserSessions,
AdminListUserSessions, RevokeUserSession, AdminRevokeUserSession; DG "Managing user sessions"]

Documented choices (docs/emulator.md): SSO sessions (managed login's cookie) are not tracked, so a list holds
token sessions only and RevokeAssociatedSessions LINKED revokes what NONE does; while tracking is DISABLED the
list and revoke operations are refused (OperationNotEnabledException) and sign-ins start no session; the texts
(errors.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter, resource_not_found
from harness.emulator.ops.common import get_pool, require_user, timestamp
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.registry import operation
from harness.emulator.state import RefreshToken, TokenSession, User, UserPool, new_session_id

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

DEFAULT_MAX_PER_USER = 20  # [API GetUserPoolSessionConfiguration]
_TIERS_WITH_TRACKING = ("ESSENTIALS", "PLUS")  # [API SetUserPoolSessionConfiguration]


def session_config(pool: UserPool) -> dict[str, Any]:
    """The pool's configuration, with the defaults for what was never set."""
    return {
        "UserSessionTracking": pool.session_config.get("UserSessionTracking", "DISABLED"),
        "TokenSession": {
            "MaxPerUser": pool.session_config.get("TokenSession", {}).get("MaxPerUser", DEFAULT_MAX_PER_USER)
        },
    }


def _tracking(pool: UserPool) -> bool:
    return bool(session_config(pool)["UserSessionTracking"] == "ENABLED")


def active_sessions(pool: UserPool, username: str, now: float) -> list[RefreshToken]:
    """The user's live token sessions, each as the refresh token that carries it now (a rotation revoked the
    ones before), oldest first."""
    return [
        record for record in pool.refresh_tokens_of(username)
        if record.session is not None and not record.revoked and now < record.expires_at
    ]  # fmt: skip


def start_session(pool: UserPool, record: RefreshToken, now: float) -> None:
    """A sign-in's new refresh token starts a token session, when the pool tracks them; the user's least recently
    used sessions make room first."""
    if not _tracking(pool):
        return
    limit = session_config(pool)["TokenSession"]["MaxPerUser"]
    live = active_sessions(pool, record.username, now)
    live = [other for other in live if other is not record]
    live.sort(key=lambda other: other.session.last_active_at if other.session else 0.0)
    while len(live) >= limit:
        _end(pool, live.pop(0))
    record.session = TokenSession(new_session_id(), now, now)


def touch_session(record: RefreshToken, now: float) -> None:
    """A refresh or a rotation: the session is the user's most recently active."""
    if record.session is not None:
        record.session.last_active_at = now


def _end(pool: UserPool, record: RefreshToken) -> None:
    """Revoke a session: every refresh token it went through, and the access tokens they gave (by origin_jti)."""
    assert record.session is not None
    for other in pool.refresh_tokens_of(record.username):
        if other.session is not None and other.session.session_id == record.session.session_id:
            other.revoked = True
    pool.revoked_jtis.add(record.jti)


def _describe(record: RefreshToken, current_jti: str | None) -> dict[str, Any]:
    assert record.session is not None
    return {
        "SessionId": record.session.session_id,
        "SessionType": "TOKEN",
        "ClientId": record.client_id,
        "CreateDate": timestamp(record.session.created_at),
        "LastActiveDate": timestamp(record.session.last_active_at),
        "IsCurrentSession": record.jti == current_jti,  # always false for the administrator's list [API]
    }


def _require_tracking(pool: UserPool) -> None:
    if not _tracking(pool):
        raise CognitoError("OperationNotEnabledException", errors.SESSION_TRACKING_DISABLED)


def _listed(emu: Emulator, pool: UserPool, user: User, current_jti: str | None) -> dict[str, Any]:
    _require_tracking(pool)
    records = active_sessions(pool, user.username, emu.clock.now())
    return {"Sessions": [_describe(record, current_jti) for record in records]}  # one page: at most 100 a user


def _revoke(emu: Emulator, pool: UserPool, user: User, session_id: str, current_jti: str | None) -> dict[str, Any]:
    _require_tracking(pool)
    for record in active_sessions(pool, user.username, emu.clock.now()):
        if record.session is not None and record.session.session_id == session_id:
            if record.jti == current_jti:
                raise invalid_parameter(errors.SESSION_IS_CURRENT)
            _end(pool, record)  # LINKED: the parent SSO session too, were SSO sessions tracked (see above)
            return {}
    raise resource_not_found(errors.SESSION_NOT_FOUND.format(session_id=session_id))


@operation("GetUserPoolSessionConfiguration")
def get_user_pool_session_configuration(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    return {"UserPoolId": pool.pool_id, **session_config(pool)}


@operation("SetUserPoolSessionConfiguration")
def set_user_pool_session_configuration(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    if pool.tier not in _TIERS_WITH_TRACKING:
        message = errors.SESSION_TRACKING_NOT_IN_TIER.format(tier=pool.tier)
        raise CognitoError("FeatureUnavailableInTierException", message)
    # A full replacement: both members are required by the model (validation.py refuses their absence).
    pool.session_config = {
        "UserSessionTracking": request["UserSessionTracking"],
        "TokenSession": {"MaxPerUser": request["TokenSession"]["MaxPerUser"]},
    }
    return {"UserPoolId": pool.pool_id, **session_config(pool)}


@operation("ListUserSessions")
def list_user_sessions(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, claims = user_from_access_token(emu, request["AccessToken"])
    return _listed(emu, pool, user, claims.get("origin_jti"))


@operation("AdminListUserSessions")
def admin_list_user_sessions(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    return _listed(emu, pool, require_user(pool, request["Username"]), None)


@operation("RevokeUserSession")
def revoke_user_session(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, claims = user_from_access_token(emu, request["AccessToken"])
    return _revoke(emu, pool, user, request["SessionId"], claims.get("origin_jti"))


@operation("AdminRevokeUserSession")
def admin_revoke_user_session(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    return _revoke(emu, pool, require_user(pool, request["Username"]), request["SessionId"], None)
