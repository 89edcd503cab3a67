"""The tokens the token endpoint and the authorize endpoint issue: scoped, with nonce and at_hash where Cognito
puts them [DG "Understanding user pool JWTs"; OIDC Core 3.1.3.6 (at_hash) and 3.1.2.1 (nonce)].

Additive to harness/emulator/tokens.py (the API's tokens): the same pool key, the same refresh-token records.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import TYPE_CHECKING, Any

from harness.emulator.ops.pools import token_validity_s
from harness.emulator.state import AppClient, User, UserPool
from harness.emulator.triggers import invoke

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


def at_hash(access_token: str) -> str:
    """The left half of the access token's SHA-256, base64url without padding (OIDC Core 3.1.3.6, RS256)."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def _claim(name: str, value: str) -> Any:
    if name.endswith("_verified") and value in ("true", "false"):
        return value == "true"
    return value


def user_tokens(
    emu: Emulator,
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    scopes: tuple[str, ...],
    auth_time: float,
    origin_jti: str,
    nonce: str | None = None,
    trigger_source: str = "TokenGeneration_HostedAuth",
) -> dict[str, Any]:
    """access_token (with `scope`), id_token when `openid` was granted (with nonce and at_hash), token_type,
    expires_in - the token endpoint's JSON names.

    The pool's PreTokenGeneration trigger runs first, with TokenGeneration_HostedAuth for a managed-login sign-in
    and TokenGeneration_RefreshTokens for a refresh [DG "Pre token generation Lambda trigger", trigger sources];
    its claimsToAddOrOverride / claimsToSuppress shape the id token, as for the API's tokens (ops/issue.py).
    A trigger's failure is raised as the API raises it (CognitoError)."""
    groups: dict[str, Any] = {"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": None}
    reply = invoke(
        emu.triggers, pool, "PreTokenGeneration", trigger_source, client_id=client.client_id, user=user,
        username=user.username, request={"groupConfiguration": groups, "clientMetadata": {}},
    ) or {}  # fmt: skip
    overrides = reply.get("claimsOverrideDetails") or {}
    now = int(emu.clock.now())
    issuer = emu.issuer(pool.pool_id)
    access_s = token_validity_s(client.settings, "AccessTokenValidity")
    access_claims: dict[str, Any] = {
        "sub": user.sub,
        "iss": issuer,
        "version": 2,
        "client_id": client.client_id,
        "origin_jti": origin_jti,
        "event_id": str(uuid.uuid4()),
        "token_use": "access",
        "scope": " ".join(scopes),
        "auth_time": int(auth_time),
        "exp": now + access_s,
        "iat": now,
        "jti": str(uuid.uuid4()),
        "username": user.username,
    }
    access_token = pool.keys.sign(access_claims)
    result: dict[str, Any] = {"access_token": access_token, "token_type": "Bearer", "expires_in": access_s}
    if "openid" in scopes:  # "An ID token is only returned if openid scope is requested" [DG "Authorize endpoint"]
        id_claims: dict[str, Any] = {
            **{name: _claim(name, value) for name, value in user.attributes.items() if name != "sub"},
            "at_hash": at_hash(access_token),
            "sub": user.sub,
            "iss": issuer,
            "cognito:username": user.username,
            "origin_jti": origin_jti,
            "aud": client.client_id,
            "event_id": access_claims["event_id"],
            "token_use": "id",
            "auth_time": int(auth_time),
            "exp": now + token_validity_s(client.settings, "IdTokenValidity"),
            "iat": now,
            "jti": str(uuid.uuid4()),
        }
        if nonce is not None:
            id_claims["nonce"] = nonce
        id_claims |= dict(overrides.get("claimsToAddOrOverride") or {})
        for claim in overrides.get("claimsToSuppress") or ():
            id_claims.pop(claim, None)
        result["id_token"] = pool.keys.sign(id_claims)
    return result


def client_tokens(emu: Emulator, pool: UserPool, client: AppClient, scopes: tuple[str, ...]) -> dict[str, Any]:
    """A client-credentials access token: the client is the subject; no id or refresh token [DG "Token endpoint"]."""
    now = int(emu.clock.now())
    access_s = token_validity_s(client.settings, "AccessTokenValidity")
    claims = {
        "sub": client.client_id,
        "token_use": "access",
        "scope": " ".join(scopes),
        "auth_time": now,
        "iss": emu.issuer(pool.pool_id),
        "exp": now + access_s,
        "iat": now,
        "version": 2,
        "jti": str(uuid.uuid4()),
        "client_id": client.client_id,
    }
    return {"access_token": pool.keys.sign(claims), "token_type": "Bearer", "expires_in": access_s}
