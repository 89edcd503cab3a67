"""Password policy and stored credentials.

A user's password is stored as its SRP private value x = H(salt | H(poolName | username | ":" | password)):
checking a plain password costs two SHA-256s, and the SRP verifier g^x is derived from the same record, so
one credential serves USER_PASSWORD_AUTH and USER_SRP_AUTH and the clear password is never kept.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from harness.cognito import srp
from harness.emulator import errors
from harness.emulator.errors import CognitoError

# Cognito's symbol set for RequireSymbols [DG "Password policies"].
PASSWORD_SYMBOLS = set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")


@dataclass(frozen=True)
class Credential:
    """The stored form of a password: SRP salt and private value."""

    salt_hex: str
    x: int

    @classmethod
    def create(cls, pool_id: str, username: str, password: str) -> Credential:
        salt_hex = secrets.token_hex(16)
        return cls(salt_hex, srp.compute_x(salt_hex, srp.pool_name(pool_id), username, password))

    def matches(self, pool_id: str, username: str, password: str) -> bool:
        candidate = srp.compute_x(self.salt_hex, srp.pool_name(pool_id), username, password)
        return hmac.compare_digest(candidate.to_bytes(32, "big"), self.x.to_bytes(32, "big"))


def policy_violation(password: str, policy: dict[str, Any]) -> str | None:
    """The first policy rule the password breaks (in the order cognito-behaviour.md lists them), or None."""
    if len(password) < int(policy.get("MinimumLength", 8)):
        return errors.PASSWORD_TOO_SHORT
    checks = (
        ("RequireUppercase", any(c.isupper() for c in password), errors.PASSWORD_NEEDS_UPPER),
        ("RequireLowercase", any(c.islower() for c in password), errors.PASSWORD_NEEDS_LOWER),
        ("RequireNumbers", any(c.isdigit() for c in password), errors.PASSWORD_NEEDS_NUMBER),
        ("RequireSymbols", any(c in PASSWORD_SYMBOLS for c in password), errors.PASSWORD_NEEDS_SYMBOL),
    )
    for setting, satisfied, reason in checks:
        if policy.get(setting, False) and not satisfied:
            return reason
    return None


def check_policy(password: str, policy: dict[str, Any], *, text: str = errors.PASSWORD_POLICY) -> None:
    """Raise InvalidPasswordException as Cognito does when the password breaks the pool's policy; `text` is the
    operation's wording (a new password in place of an old one reads errors.NEW_PASSWORD_POLICY)."""
    reason = policy_violation(password, policy)
    if reason is not None:
        raise CognitoError("InvalidPasswordException", text.format(reason=reason))


def temporary_password(policy: dict[str, Any]) -> str:
    """A random password that satisfies the policy (AdminCreateUser without TemporaryPassword)."""
    length = max(int(policy.get("MinimumLength", 8)), 12)
    core = secrets.token_urlsafe(length)[: length - 4]
    return f"{core}Aa1!"
