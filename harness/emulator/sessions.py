"""Challenge sessions: opaque, single use, expiring after the app client's AuthSessionValidity.

The rules [OBS amplify-js#14330, DG]: a session answers one challenge; the answer's response carries a new
session; replaying a consumed session or using one after its validity fails with NotAuthorizedException.
What a wrong answer does to the session depends on the challenge: `WRONG_ANSWER_RULE` is that choice, made
once here.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from harness.emulator import errors
from harness.emulator.errors import not_authorized

# What a wrong answer does to the session: "survive" (usable again), "consume" (reuse: "...can only be used
# once."), or "invalidate" (reuse: "Invalid session for the user."). [OBS] EMAIL_OTP survives 6 wrong codes;
# after a failed CUSTOM_CHALLENGE the next use gives "Invalid session for the user." (amplify-swift#3695).
# UNCONFIRMED: SMS_MFA / SOFTWARE_TOKEN_MFA consumed (amplify-swift#2615 reports), SMS_OTP as EMAIL_OTP.
WRONG_ANSWER_RULE: dict[str, str] = {
    "EMAIL_OTP": "survive",
    "SMS_OTP": "survive",
    "SMS_MFA": "consume",
    "SOFTWARE_TOKEN_MFA": "consume",
    "CUSTOM_CHALLENGE": "invalidate",
    "NEW_PASSWORD_REQUIRED": "survive",  # a password the policy rejects may be retried (Amplify relies on it)
    "PASSWORD_VERIFIER": "consume",
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
    invalidated: bool = False


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
            if session is None or session.invalidated:
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
        rule = WRONG_ANSWER_RULE.get(session.challenge, "consume")
        with self._lock:
            session.consumed = rule != "survive"
            session.invalidated = rule == "invalidate"

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
