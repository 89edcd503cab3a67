"""Who is calling: the user behind an access token, checked against signature, expiry and revocation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jwt

from harness.emulator import errors
from harness.emulator.errors import not_authorized
from harness.emulator.state import User, UserPool
from harness.emulator.tokens import ACCESS_SCOPE

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


def user_from_access_token(
    emu: Emulator, token: str, *, required_scope: str | None = ACCESS_SCOPE
) -> tuple[UserPool, User, dict[str, Any]]:
    """The pool, user and claims behind a valid access token. The user-pools API asks for its own scope; the
    OAuth userInfo endpoint passes None and checks `openid` itself [DG "UserInfo endpoint"]."""
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
        pool_id = str(unverified.get("iss", "")).rsplit("/", 1)[-1]
    except jwt.PyJWTError:
        raise not_authorized(errors.ACCESS_TOKEN_INVALID) from None
    pool = emu.pools.get(pool_id)
    if pool is None or unverified.get("token_use") != "access":
        raise not_authorized(errors.ACCESS_TOKEN_INVALID)
    try:
        claims = pool.keys.decode(token, issuer=emu.issuer(pool_id))
    except jwt.PyJWTError:
        raise not_authorized(errors.ACCESS_TOKEN_INVALID) from None
    if required_scope is not None and required_scope not in str(claims.get("scope", "")).split():
        # The user's own operations need this scope [BC GetUser, UpdateUserAttributes: "Must include a scope claim"].
        raise not_authorized(errors.ACCESS_TOKEN_SCOPE)
    user = pool.find_by_sub(str(claims["sub"]))
    if user is None:
        raise errors.user_not_found()
    if claims.get("origin_jti") in pool.revoked_jtis:
        raise not_authorized(errors.ACCESS_TOKEN_REVOKED)
    if emu.clock.now() >= claims["exp"]:
        raise not_authorized(errors.ACCESS_TOKEN_EXPIRED)
    return pool, user, claims
