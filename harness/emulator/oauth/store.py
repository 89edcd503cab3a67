"""What a pool's OAuth endpoints remember: authorization codes and managed-login sessions, on the emulator clock.

Kept on the pool (`UserPool.oauth`), so deleting the pool or resetting the emulator forgets them too.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from harness.emulator.state import TrackedSession, UserPool

CODE_VALIDITY_S = 300
"""An authorization code is single-use and valid for five minutes [DG "Authorize endpoint", sample response]."""
LOGIN_SESSION_VALIDITY_S = 3600
"""How long the managed-login cookie signs the user in again without a form: the app client's
AuthSessionValidity does not govern it, and Cognito documents one hour for the managed login session
[DG "Managed login", sessions; AWS Knowledge Center "logout endpoint and GlobalSignOut": "The cookie is valid for
1 hour", and each reuse starts the hour again] (UNCONFIRMED for every configuration). With user session tracking
each client's SSOSession.MaxValidityMinutes governs reuse instead (ops/user_sessions.py)."""


@dataclass
class AuthorizationCode:
    """What a code stands for, fixed at /oauth2/authorize and checked at /oauth2/token."""

    code: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    username: str
    auth_time: float
    expires_at: float
    nonce: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    origin_session_id: str | None = None  # the tracked SSO session the sign-in came through (user session tracking)


@dataclass
class LoginSession:
    """The managed-login session behind the `cognito` cookie: who signed in, when, and through which app client;
    `tracked` is its SSO session record where the pool tracks user sessions (ops/user_sessions.py)."""

    token: str
    username: str
    auth_time: float
    expires_at: float
    client_id: str = ""
    tracked: TrackedSession | None = None


@dataclass
class OAuthState:
    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    sessions: dict[str, LoginSession] = field(default_factory=dict)
    managed_login_version: int = 1
    csrf: dict[str, float] = field(default_factory=dict)  # the login form's _csrf tokens and when they expire

    def issue_code(self, grant: AuthorizationCode) -> AuthorizationCode:
        self.codes[grant.code] = grant
        return grant

    def take_code(self, code: str, now: float) -> AuthorizationCode | None:
        """The code's grant, consumed: a code is single-use even when the exchange then fails [C: re:Post
        "cognito returns invalid request and unauthorized client" - a retry with the same code gets invalid_grant]."""
        grant = self.codes.pop(code, None)
        if grant is None or now >= grant.expires_at:
            return None
        return grant

    def session(self, token: str | None, now: float) -> LoginSession | None:
        found = self.sessions.get(token or "")
        if found is None or now >= found.expires_at:
            return None
        return found


def oauth_state(pool: UserPool) -> OAuthState:
    """The pool's OAuth state, made on first use."""
    if pool.oauth is None:
        pool.oauth = OAuthState()
    state: OAuthState = pool.oauth
    return state


def new_secret_token() -> str:
    return secrets.token_urlsafe(32)
