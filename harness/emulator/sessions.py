"""Challenge sessions: opaque, single use, expiring after the app client's AuthSessionValidity.

The rules [OBS amplify-js#14330, DG]: a session answers one challenge; the answer's response carries a new
session; replaying a consumed session or using one after its validity fails with NotAuthorizedException.
Whether a wrong answer consumes the session depends on the challenge: `SURVIVES_WRONG_ANSWER` is that choice,
made once here.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from harness.emulator import errors
from harness.emulator.errors import not_authorized

# After a wrong answer, can the same session be used again? [OBS] for EMAIL_OTP (6 wrong codes, session kept).
# UNCONFIRMED for SMS_MFA / SOFTWARE_TOKEN_MFA (reports say consumed) and CUSTOM_CHALLENGE (next use fails).
SURVIVES_WRONG_ANSWER: dict[str, bool] = {
    "EMAIL_OTP": True,
    "SMS_OTP": True,
    "SMS_MFA": False,
    "SOFTWARE_TOKEN_MFA": False,
    "CUSTOM_CHALLENGE": False,
    "NEW_PASSWORD_REQUIRED": True,  # a password the policy rejects may be retried (Amplify relies on it)
    "PASSWORD_VERIFIER": False,
}

# How long a consumed or expired session is remembered, so its reuse gets the precise message.
_REMEMBER_S = 3600.0


@dataclass
class AuthSession:
    """Server-side state behind one Session string."""

    token: str
    pool_id: str
    client_id: str
    username: str
    challenge: str
    created_at: float
    expires_at: float
    context: dict[str, Any] = field(default_factory=dict)  # flow state: SRP values, OTP code, ...
    consumed: bool = False


class SessionStore:
    """Issues sessions and enforces their single use and expiry against the emulator's clock."""

    def __init__(self) -> None:
        self._sessions: dict[str, AuthSession] = {}
        self._lock = threading.Lock()
        self._pruned_at = 0.0

    def issue(
        self,
        *,
        pool_id: str,
        client_id: str,
        username: str,
        challenge: str,
        now: float,
        validity_s: float,
        context: dict[str, Any] | None = None,
    ) -> AuthSession:
        token = secrets.token_urlsafe(144)  # 192 chars, inside SessionType's 20..2048
        session = AuthSession(
            token, pool_id, client_id, username, challenge, now, now + validity_s, dict(context or {})
        )
        with self._lock:
            self._prune(now)
            self._sessions[token] = session
        return session

    def take(self, token: str, *, client_id: str, now: float) -> AuthSession:
        """Look a session up for answering: it must exist, belong to the client, be unused and unexpired."""
        session = self.peek(token, now=now)
        if session.client_id != client_id:
            raise not_authorized(errors.SESSION_INVALID)
        return session

    def peek(self, token: str, *, now: float) -> AuthSession:
        """A live session for a side call during sign-in (AssociateSoftwareToken with a Session)."""
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                raise not_authorized(errors.SESSION_INVALID)
            if session.consumed:
                raise not_authorized(errors.SESSION_USED)
            if now >= session.expires_at:
                raise not_authorized(errors.SESSION_EXPIRED)
            return session

    def consume(self, session: AuthSession) -> None:
        with self._lock:
            session.consumed = True

    def settle_wrong_answer(self, session: AuthSession) -> None:
        """Apply the per-challenge rule for a wrong answer."""
        if not SURVIVES_WRONG_ANSWER.get(session.challenge, False):
            self.consume(session)

    def forget_pool(self, pool_id: str) -> None:
        with self._lock:
            self._sessions = {k: s for k, s in self._sessions.items() if s.pool_id != pool_id}

    def clear(self) -> None:
        with self._lock:
            self._sessions.clear()

    def __len__(self) -> int:
        return len(self._sessions)

    def _prune(self, now: float) -> None:
        """Drop long-dead sessions, at most once a minute of pool time, so memory stays flat."""
        if now - self._pruned_at < 60:
            return
        self._pruned_at = now
        stale = [k for k, s in self._sessions.items() if now > s.expires_at + _REMEMBER_S]
        for key in stale:
            del self._sessions[key]
