"""Real RS256 JWTs, signed with a per-pool key and published as a JWKS, so standard libraries verify them."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ACCESS_SCOPE = "aws.cognito.signin.user.admin"
_SIGNER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="authflow-jwt")


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class KeyRing:
    """RSA keys for pools, recycled: a deleted pool's key goes to the next new pool.

    Generating a 2048-bit key costs tens of milliseconds - more than a whole scenario otherwise. Pools that
    exist at the same time never share a key; a key is reused only after its pool was deleted (with a new kid).
    The ring is process-wide so that the many short-lived emulators of a test suite share it.
    """

    def __init__(self) -> None:
        self._free: list[rsa.RSAPrivateKey] = []
        self._lock = threading.Lock()

    def acquire(self) -> rsa.RSAPrivateKey:
        with self._lock:
            if self._free:
                return self._free.pop()
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def release(self, key: rsa.RSAPrivateKey) -> None:
        with self._lock:
            self._free.append(key)


KEY_RING = KeyRing()


@dataclass
class PoolKeys:
    """A pool's signing key, taken from the ring on first use and given back when the pool is deleted."""

    kid: str = field(default_factory=lambda: base64.b64encode(secrets.token_bytes(32)).decode())
    _private: rsa.RSAPrivateKey | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def private_key(self) -> rsa.RSAPrivateKey:
        key = self._private
        if key is not None:
            return key
        with self._lock:
            if self._private is None:
                self._private = KEY_RING.acquire()
            return self._private

    def release(self) -> None:
        with self._lock:
            if self._private is not None:
                KEY_RING.release(self._private)
                self._private = None

    def jwks(self) -> dict[str, Any]:
        numbers = self.private_key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "alg": "RS256",
                    "e": _b64url_uint(numbers.e),
                    "kid": self.kid,
                    "kty": "RSA",
                    "n": _b64url_uint(numbers.n),
                    "use": "sig",
                }
            ]
        }

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})

    def decode(self, token: str, *, issuer: str) -> dict[str, Any]:
        """Verify the signature and issuer; expiry is checked by the caller against the pool's clock."""
        claims: dict[str, Any] = jwt.decode(
            token,
            self.private_key.public_key(),
            algorithms=["RS256"],
            issuer=issuer,
            options={"verify_exp": False, "verify_aud": False, "verify_iat": False},
        )
        return claims


@dataclass(frozen=True)
class TokenGrant:
    """Who the tokens are for and when the authentication happened."""

    sub: str
    username: str
    client_id: str
    attributes: dict[str, str]
    auth_time: int
    origin_jti: str
    id_overrides: dict[str, Any] = field(default_factory=dict)  # PreTokenGeneration claimsToAddOrOverride
    id_suppressed: frozenset[str] = frozenset()  # PreTokenGeneration claimsToSuppress
    # Group claims [DG "Adding groups to a user pool"]: cognito:groups in both tokens, roles in the id token.
    groups: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    preferred_role: str | None = None
    # PreTokenGeneration V2_0/V3_0: the access token's claims and scopes.
    access_overrides: dict[str, Any] = field(default_factory=dict)
    access_suppressed: frozenset[str] = frozenset()
    scopes: tuple[str, ...] = (ACCESS_SCOPE,)


def issue_id_and_access(
    keys: PoolKeys, *, issuer: str, grant: TokenGrant, now: float, id_validity_s: int, access_validity_s: int
) -> tuple[str, str]:
    """The id and access tokens with the claims Cognito puts in them [DG "Understanding user pool JWTs"]."""
    common = _common_claims(grant, issuer, now)
    id_claims = _id_claims(grant, common, id_validity_s)
    access_claims = _access_claims(grant, common, access_validity_s)
    # OpenSSL releases the GIL while signing: the two signatures run side by side, halving the latency.
    id_token = _SIGNER.submit(keys.sign, id_claims)
    access_token = keys.sign(access_claims)
    return id_token.result(), access_token


def issue_oauth_tokens(
    keys: PoolKeys,
    *,
    issuer: str,
    grant: TokenGrant,
    now: float,
    id_validity_s: int,
    access_validity_s: int,
    with_id_token: bool,
    nonce: str | None,
) -> tuple[str | None, str]:
    """The tokens of a pool domain's token endpoint: the same claims as the API's, plus `version` in the access
    token and, in the id token (only when `openid` was granted), the authorize request's `nonce` and the access
    token's `at_hash` [OIDC Core 3.1.3.6 and 3.1.2.1; DG "Authorize endpoint": "An ID token is only returned if
    openid scope is requested"]."""
    common = _common_claims(grant, issuer, now)
    access_token = keys.sign({**_access_claims(grant, common, access_validity_s), "version": 2})
    if not with_id_token:
        return None, access_token
    id_claims = {**_id_claims(grant, common, id_validity_s), "at_hash": at_hash(access_token)}
    if nonce is not None:
        id_claims["nonce"] = nonce
    return keys.sign(id_claims), access_token


def at_hash(access_token: str) -> str:
    """The left half of the access token's SHA-256, base64url without padding (OIDC Core 3.1.3.6, RS256)."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def _common_claims(grant: TokenGrant, issuer: str, now: float) -> dict[str, Any]:
    return {
        "sub": grant.sub,
        "iss": issuer,
        "origin_jti": grant.origin_jti,
        "event_id": str(uuid.uuid4()),
        "auth_time": grant.auth_time,
        "iat": int(now),
    }


def _id_claims(grant: TokenGrant, common: dict[str, Any], validity_s: int) -> dict[str, Any]:
    claims: dict[str, Any] = {
        **{k: _claim_value(k, v) for k, v in grant.attributes.items() if k != "sub"},
        **common,
        "cognito:username": grant.username,
        "aud": grant.client_id,
        "token_use": "id",
        "exp": common["iat"] + validity_s,
        "jti": str(uuid.uuid4()),
        **_group_claims(grant, id_token=True),
    }
    return overridden_claims(claims, grant.id_overrides, grant.id_suppressed)


def _access_claims(grant: TokenGrant, common: dict[str, Any], validity_s: int) -> dict[str, Any]:
    claims: dict[str, Any] = {
        **common,
        "client_id": grant.client_id,
        "token_use": "access",
        "scope": " ".join(grant.scopes),
        "exp": common["iat"] + validity_s,
        "jti": str(uuid.uuid4()),
        "username": grant.username,
        **_group_claims(grant, id_token=False),
    }
    claims = overridden_claims(claims, grant.access_overrides, grant.access_suppressed)
    if not claims["scope"]:
        del claims["scope"]
    return claims


def overridden_claims(claims: dict[str, Any], overrides: dict[str, Any], suppressed: frozenset[str]) -> dict[str, Any]:
    """A PreTokenGeneration trigger's changes to a token's claims: added or overridden, then suppressed (a claim
    both overridden and suppressed is suppressed [DG "Pre token generation Lambda trigger"])."""
    changed = {**claims, **overrides}
    for claim in suppressed:
        changed.pop(claim, None)
    return changed


def _group_claims(grant: TokenGrant, *, id_token: bool) -> dict[str, Any]:
    """cognito:groups (both tokens) and, in the id token, cognito:roles and cognito:preferred_role; each only
    when it has a value (a user in no group gets no cognito:groups claim)."""
    claims: dict[str, Any] = {}
    if grant.groups:
        claims["cognito:groups"] = list(grant.groups)
    if id_token and grant.roles:
        claims["cognito:roles"] = list(grant.roles)
    if id_token and grant.preferred_role:
        claims["cognito:preferred_role"] = grant.preferred_role
    return claims


def _claim_value(name: str, value: str) -> Any:
    """Cognito writes the *_verified attributes as JSON booleans in the id token, and `identities` (a JSON text as
    an attribute) as a list whose values are strings: "primary": "true", "dateCreated": "1555128389392", a null
    issuer left null [C: a signed id token of a Google user, 2019]."""
    if name.endswith("_verified") and value in ("true", "false"):
        return value == "true"
    if name == "identities":
        try:
            entries = json.loads(value)
        except json.JSONDecodeError:
            return value
        if isinstance(entries, list):
            return [
                {k: v if v is None else (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in entry.items()}
                for entry in entries if isinstance(entry, dict)
            ]  # fmt: skip
    return value


def new_refresh_token() -> str:
    """Opaque, as Cognito's are to their holders (theirs are encrypted JWTs; ours are random)."""
    return "afrt." + secrets.token_urlsafe(96)
