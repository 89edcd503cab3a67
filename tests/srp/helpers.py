"""Shared fixed values and a complete exchange for the SRP tests (no test code of its own)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from harness.cognito import srp

POOL_ID = "us-east-1_AbCdEfGhI"
POOL_NAME = "AbCdEfGhI"
PASSWORD = "Correct-Horse-9!"
USER_ID = "3f1e0c52-8d4b-4f0a-9c36-2b7d5e8a1f90"  # USER_ID_FOR_SRP: the user's internal name (a sub)
SECRET_BLOCK = "c2VjcmV0LWJsb2NrLWZyb20tdGhlLXNlcnZlcg=="
FIXED_SALT = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
MOMENT = datetime(2026, 1, 5, 9, 3, 7, tzinfo=UTC)


def fixed_secret(label: str, index: int = 0) -> int:
    """A reproducible 1024-bit private value (a or b) for known-answer tests."""
    return int.from_bytes(b"".join(hashlib.sha256(f"{label}:{index}:{n}".encode()).digest() for n in range(4)), "big")


def challenge(server: srp.SrpServerSession, *, user_id: str = USER_ID, username: str = "ada") -> dict[str, str]:
    """The PASSWORD_VERIFIER ChallengeParameters a server sends for this session."""
    return {
        "SALT": server.salt_hex,
        "SECRET_BLOCK": SECRET_BLOCK,
        "SRP_B": server.srp_b_hex,
        "USERNAME": username,
        "USER_ID_FOR_SRP": user_id,
    }


def exchange(
    client_password: str = PASSWORD,
    *,
    stored_password: str = PASSWORD,
    client_user_id: str = USER_ID,
    a: int | None = None,
    b: int | None = None,
    salt_hex: str | None = None,
) -> tuple[srp.SrpServerSession, dict[str, str]]:
    """One full exchange: a stored verifier for USER_ID, a client with client_password, its answer."""
    salt, verifier = srp.make_verifier(POOL_NAME, USER_ID, stored_password, salt_hex)
    client = srp.SrpClient(POOL_ID, "ada", client_password, clock=lambda: MOMENT, a=a)
    server = srp.SrpServerSession.start(verifier, salt, client.srp_a_hex, b=b)
    return server, client.respond(challenge(server, user_id=client_user_id))


def verify(
    server: srp.SrpServerSession, answer: dict[str, str], *, user_id: str = USER_ID, pool: str = POOL_NAME
) -> bool:
    """The server's check of a ChallengeResponses dict."""
    return server.verify(
        pool, user_id, answer["PASSWORD_CLAIM_SECRET_BLOCK"], answer["TIMESTAMP"], answer["PASSWORD_CLAIM_SIGNATURE"]
    )
