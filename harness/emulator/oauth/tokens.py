"""The tokens the token endpoint and the authorize endpoint issue: scoped, with nonce and at_hash where Cognito
puts them [DG "Understanding user pool JWTs"; OIDC Core 3.1.3.6 (at_hash) and 3.1.2.1 (nonce)].

Additive to harness/emulator/tokens.py (the API's tokens): the same pool key, the same refresh-token records.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from harness.emulator.ops.issue import machine_token_overrides, token_grant
from harness.emulator.ops.pools import token_validity_s
from harness.emulator.state import AppClient, User, UserPool
from harness.emulator.tokens import issue_oauth_tokens, overridden_claims

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


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

    The claims are the API's (group claims included) after the pool's PreTokenGeneration trigger had its say
    (ops/issue.py's token_grant), with TokenGeneration_HostedAuth for a managed-login sign-in and
    TokenGeneration_RefreshTokens for a refresh [DG "Pre token generation Lambda trigger", trigger sources]; a
    version 2 trigger sees and may change the granted scopes. A trigger's failure is raised as the API raises
    it (CognitoError)."""
    grant = token_grant(
        emu, pool, client, user, auth_time=auth_time, origin_jti=origin_jti, source=trigger_source, scopes=scopes
    )
    access_s = token_validity_s(client.settings, "AccessTokenValidity")
    id_token, access_token = issue_oauth_tokens(
        pool.keys,
        issuer=emu.issuer(pool.pool_id),
        grant=grant,
        now=emu.clock.now(),
        id_validity_s=token_validity_s(client.settings, "IdTokenValidity"),
        access_validity_s=access_s,
        with_id_token="openid" in scopes,
        nonce=nonce,
    )
    result: dict[str, Any] = {"access_token": access_token, "token_type": "Bearer", "expires_in": access_s}
    if id_token is not None:
        result["id_token"] = id_token
    return result


def client_tokens(
    emu: Emulator,
    pool: UserPool,
    client: AppClient,
    scopes: tuple[str, ...],
    client_metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A client-credentials access token: the client is the subject; no id or refresh token [DG "Token endpoint"].
    A V3_0 PreTokenGeneration trigger may add, change or suppress its claims and scopes (ops/issue.py)."""
    added, suppressed, scopes = machine_token_overrides(emu, pool, client, scopes, client_metadata or {})
    now = int(emu.clock.now())
    access_s = token_validity_s(client.settings, "AccessTokenValidity")
    claims: dict[str, Any] = {
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
    claims = overridden_claims(claims, added, suppressed)
    return {"access_token": pool.keys.sign(claims), "token_type": "Bearer", "expires_in": access_s}
