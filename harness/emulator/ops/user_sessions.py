"""User session tracking: the pool's and app clients' session configuration, and a user's sessions (list and
revoke).

With tracking ENABLED (SetUserPoolSessionConfiguration; DISABLED and at most 20 token sessions a user by default,
and only in the Essentials and Plus plans):
- every sign-in that issues a refresh token starts a *token session* for that app client: the API's sign-ins, and
  the token endpoint's code grant, whose session names the SSO session it came through (OriginSessionId);
  refreshes and rotations keep it and make it the most recently active. A sign-in that would take the user past
  MaxPerUser first evicts their least recently used token sessions (lowering the limit evicts nobody until the
  next sign-in).
- a sign-in on the managed login pages starts an *SSO session* (the `cognito` cookie), which the client it signed
  in through owns. An app client reuses it silently for SSOSession.MaxValidityMinutes from that sign-in (60 by
  default, 0: never; SetUserPoolClientSessionConfiguration, which needs tracking on); its LastActiveDate moves
  with each authentication, token grant or rotation that came through it.
Revoking a session ends it: a token session's refresh token and the access tokens that came from it, an SSO
session's cookie; LINKED also ends the SSO session a token session came through, or the token sessions that came
through an SSO session. A user may not revoke the session of the access token they call with. Lists show active
sessions only: a global sign-out, RevokeToken or an expired refresh token ends a token session, /logout an SSO
session. [API SetUserPoolSessionConfiguration, GetUserPoolSessionConfiguration, UserPoolTokenSessionConfigType,
Get/SetUserPoolClientSessionConfiguration, ClientSSOSessionConfigType, SessionDescriptionType, ListUserSessions,
AdminListUserSessions, RevokeUserSession, AdminRevokeUserSession; DG "Managing user sessions"]

Documented choices (docs/emulator.md): while tracking is DISABLED the list and revoke operations are refused
(OperationNotEnabledException), sign-ins start no session and the managed login cookie keeps its one hour; how
long an SSO session lives (the longest MaxValidityMinutes of the pool's clients, at least an hour); the texts
(errors.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter, resource_not_found
from harness.emulator.oauth.store import LOGIN_SESSION_VALIDITY_S, LoginSession, oauth_state
from harness.emulator.ops.common import get_client, get_pool, require_user, timestamp
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.registry import operation
from harness.emulator.state import AppClient, RefreshToken, TrackedSession, User, UserPool, new_session_id

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

DEFAULT_MAX_PER_USER = 20  # [API GetUserPoolSessionConfiguration]
DEFAULT_SSO_MINUTES = 60  # [API GetUserPoolClientSessionConfiguration, ClientSSOSessionConfigType]
_TIERS_WITH_TRACKING = ("ESSENTIALS", "PLUS")  # [API SetUserPoolSessionConfiguration]


def session_config(pool: UserPool) -> dict[str, Any]:
    """The pool's configuration, with the defaults for what was never set."""
    token = pool.session_config.get("TokenSession", {})
    return {
        "UserSessionTracking": pool.session_config.get("UserSessionTracking", "DISABLED"),
        "TokenSession": {"MaxPerUser": token.get("MaxPerUser", DEFAULT_MAX_PER_USER)},
    }


def tracking(pool: UserPool) -> bool:
    return bool(session_config(pool)["UserSessionTracking"] == "ENABLED")


def _sso_minutes(client: AppClient) -> int:
    return DEFAULT_SSO_MINUTES if client.sso_session_minutes is None else client.sso_session_minutes


# --- token sessions, as the sign-ins and refreshes make and keep them


def active_sessions(pool: UserPool, username: str, now: float) -> list[RefreshToken]:
    """The user's live token sessions, each as the refresh token that carries it now (a rotation revoked the
    ones before), oldest first."""
    return [
        record for record in pool.refresh_tokens_of(username)
        if record.session is not None and not record.revoked and now < record.expires_at
    ]  # fmt: skip


def start_session(pool: UserPool, record: RefreshToken, now: float, *, origin: str | None = None) -> None:
    """A sign-in's new refresh token starts a token session, when the pool tracks them (the user's least recently
    used sessions make room first); `origin`: the SSO session of a code grant, which the grant makes active."""
    if not tracking(pool):
        return
    limit = session_config(pool)["TokenSession"]["MaxPerUser"]
    live = sorted(active_sessions(pool, record.username, now), key=_last_active)
    while len(live) >= limit:
        _end_token_session(pool, live.pop(0))
    record.session = TrackedSession(new_session_id("tkn"), now, now, origin_session_id=origin)
    _touch_origin(pool, record.session, now)


def touch_session(pool: UserPool, record: RefreshToken, now: float) -> None:
    """A refresh or a rotation: the token session, and the SSO session it came through, are the most recently
    active."""
    if record.session is not None:
        record.session.last_active_at = now
        _touch_origin(pool, record.session, now)


def _last_active(record: RefreshToken) -> float:
    return record.session.last_active_at if record.session is not None else 0.0


def _end_token_session(pool: UserPool, record: RefreshToken) -> None:
    """Every refresh token the session went through is revoked, and the access tokens they gave (by origin_jti)."""
    assert record.session is not None
    for other in pool.refresh_tokens_of(record.username):
        if other.session is not None and other.session.session_id == record.session.session_id:
            pool.revoke_refresh_token(other)


# --- SSO sessions, as the managed login pages make and reuse them (emulator/oauth/endpoints.py)


def sso_lifetime_s(pool: UserPool) -> float:
    """How long a new managed-login session may be reused: an hour; with tracking, as long as the longest
    MaxValidityMinutes of the pool's clients asks (UNCONFIRMED: the record's own lifetime is not documented)."""
    if not tracking(pool):
        return float(LOGIN_SESSION_VALIDITY_S)
    longest = max((_sso_minutes(client) for client in pool.clients.values()), default=DEFAULT_SSO_MINUTES)
    return float(max(LOGIN_SESSION_VALIDITY_S, longest * 60))


def start_sso_session(pool: UserPool, login: LoginSession, now: float) -> None:
    if tracking(pool):
        login.tracked = TrackedSession(new_session_id("sso"), now, now)


def may_reuse(pool: UserPool, login: LoginSession, client: AppClient, now: float) -> bool:
    """Whether `client` signs the user in silently with this live session, and what reusing it does. Without
    tracking: yes, and the cookie's hour starts again [C: AWS Knowledge Center "logout endpoint and
    GlobalSignOut": "the cookie's validity resets to 1 hour"]. With tracking: for the client's MaxValidityMinutes
    from the sign-in (0: never), and it is an authentication through the SSO session."""
    if not tracking(pool) or login.tracked is None:
        login.expires_at = max(login.expires_at, now + LOGIN_SESSION_VALIDITY_S)
        return True
    if now >= login.auth_time + _sso_minutes(client) * 60:
        return False
    login.tracked.last_active_at = now
    return True


def _sso_sessions(pool: UserPool, username: str, now: float) -> list[LoginSession]:
    state = oauth_state(pool)
    return [
        login for login in state.sessions.values()
        if login.username == username and login.tracked is not None and now < login.expires_at
    ]  # fmt: skip


def _touch_origin(pool: UserPool, session: TrackedSession, now: float) -> None:
    if session.origin_session_id is None or pool.oauth is None:
        return
    for login in oauth_state(pool).sessions.values():
        if login.tracked is not None and login.tracked.session_id == session.origin_session_id:
            login.tracked.last_active_at = now


def _end_sso_session(pool: UserPool, login: LoginSession) -> None:
    oauth_state(pool).sessions.pop(login.token, None)  # the cookie signs nobody in any more


# --- the operations


def _describe(session: TrackedSession, kind: str, client_id: str, current: bool) -> dict[str, Any]:
    described: dict[str, Any] = {
        "SessionId": session.session_id,
        "SessionType": kind,
        "ClientId": client_id,
        "CreateDate": timestamp(session.created_at),
        "LastActiveDate": timestamp(session.last_active_at),
        "IsCurrentSession": current,  # always false for the administrator's list, and for SSO sessions [API]
    }
    if session.origin_session_id is not None:
        described["OriginSessionId"] = session.origin_session_id
    return described


def _require_tracking(pool: UserPool) -> None:
    if not tracking(pool):
        raise CognitoError("OperationNotEnabledException", errors.SESSION_TRACKING_DISABLED)


def _listed(emu: Emulator, pool: UserPool, user: User, current_jti: str | None) -> dict[str, Any]:
    _require_tracking(pool)
    now = emu.clock.now()
    sessions = [
        _describe(record.session, "TOKEN", record.client_id, record.jti == current_jti)
        for record in active_sessions(pool, user.username, now) if record.session is not None
    ]  # fmt: skip
    sessions += [
        _describe(login.tracked, "SSO", login.client_id, False)
        for login in _sso_sessions(pool, user.username, now) if login.tracked is not None
    ]  # fmt: skip
    return {"Sessions": sessions}  # one page: at most 100 token sessions a user


def _revoke(emu: Emulator, pool: UserPool, user: User, request: dict[str, Any], current_jti: str | None) -> None:
    _require_tracking(pool)
    now = emu.clock.now()
    session_id = request["SessionId"]
    linked = request.get("RevokeAssociatedSessions") == "LINKED"
    tokens = active_sessions(pool, user.username, now)
    logins = _sso_sessions(pool, user.username, now)
    for record in tokens:
        if record.session is not None and record.session.session_id == session_id:
            if record.jti == current_jti:
                raise invalid_parameter(errors.SESSION_IS_CURRENT)
            _end_token_session(pool, record)
            origin = record.session.origin_session_id
            for login in logins if linked and origin else ():
                if login.tracked is not None and login.tracked.session_id == origin:
                    _end_sso_session(pool, login)
            return
    for login in logins:
        if login.tracked is not None and login.tracked.session_id == session_id:
            _end_sso_session(pool, login)
            for record in tokens if linked else ():
                if record.session is not None and record.session.origin_session_id == session_id:
                    _end_token_session(pool, record)
            return
    raise resource_not_found(errors.SESSION_NOT_FOUND.format(session_id=session_id))


def _check_tier(pool: UserPool) -> None:
    if pool.tier not in _TIERS_WITH_TRACKING:
        message = errors.SESSION_TRACKING_NOT_IN_TIER.format(tier=pool.tier)
        raise CognitoError("FeatureUnavailableInTierException", message)


@operation("GetUserPoolSessionConfiguration")
def get_user_pool_session_configuration(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    return {"UserPoolId": pool.pool_id, **session_config(pool)}


@operation("SetUserPoolSessionConfiguration")
def set_user_pool_session_configuration(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    _check_tier(pool)
    # A full replacement: both members are required by the model (validation.py refuses their absence).
    pool.session_config = {
        "UserSessionTracking": request["UserSessionTracking"],
        "TokenSession": {"MaxPerUser": request["TokenSession"]["MaxPerUser"]},
    }
    return {"UserPoolId": pool.pool_id, **session_config(pool)}


def _client_config(client: AppClient) -> dict[str, Any]:
    return {
        "UserPoolId": client.pool_id,
        "ClientId": client.client_id,
        "SSOSession": {"MaxValidityMinutes": _sso_minutes(client)},
    }


@operation("GetUserPoolClientSessionConfiguration")
def get_user_pool_client_session_configuration(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    _, client = get_client(emu, request["ClientId"], request["UserPoolId"])
    return _client_config(client)


@operation("SetUserPoolClientSessionConfiguration")
def set_user_pool_client_session_configuration(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"], request["UserPoolId"])
    _check_tier(pool)
    _require_tracking(pool)  # "session tracking must be enabled for the user pool" [API]
    client.sso_session_minutes = int(request["SSOSession"]["MaxValidityMinutes"])
    return _client_config(client)


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
    _revoke(emu, pool, user, request, claims.get("origin_jti"))
    return {}


@operation("AdminRevokeUserSession")
def admin_revoke_user_session(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    _revoke(emu, pool, require_user(pool, request["Username"]), request, None)
    return {}
