"""Amplify's token side: caching tokens after a sign-in, fetchAuthSession (with refresh), signOut, and the
"already signed in?" check signIn starts with.

Source: amplify-js v6 ``providers/cognito/tokenProvider/cacheTokens.ts`` and ``TokenOrchestrator.ts``,
``utils/refreshAuthTokens.ts`` (GetTokensFromRefreshToken), ``apis/signOut.ts``, ``apis/internal/getCurrentUser.ts``,
``utils/signInHelpers.ts`` (assertUserNotAuthenticated), core ``singleton/Auth/index.ts`` (fetchAuthSession) and
``utils/isTokenExpired.ts`` (5 seconds of tolerance).
"""

from __future__ import annotations

from typing import Any

from harness.clients.amplify.device_auth import confirm_new_device
from harness.clients.amplify.errors import ALREADY_SIGNED_IN, INVALID_TOKENS, UNAUTHENTICATED, AmplifyError, other_error
from harness.clients.amplify.service import Amplify, compact, jwt_payload
from harness.clients.amplify.state import Tokens

EXPIRY_TOLERANCE_S = 5
"""isTokenExpired's default tolerance (5000 ms): a token this close to its exp counts as expired."""

AUTH_FAILURES = (
    "NotAuthorizedException",
    "TokenRevokedException",
    "UserNotFoundException",
    "PasswordResetRequiredException",
    "UserNotConfirmedException",
    "RefreshTokenReuseException",
)
"""Refresh errors after which Amplify drops the cached tokens (TokenOrchestrator.isAuthenticationError)."""


def cache_tokens(amp: Amplify, result: dict[str, Any], username: str, details: dict[str, Any] | None) -> None:
    """getNewDeviceMetadata, then cacheCognitoTokens: keep the tokens, with the clock drift read from the access
    token's iat, and the device a sign-in announced once it is confirmed."""
    device = confirm_new_device(amp, result)
    if device is not None:
        amp.state.devices[username] = device
    access = result.get("AccessToken")
    if not access:
        raise other_error(INVALID_TOKENS)
    issued = jwt_payload(access).get("iat") or 0
    drift = issued - amp.now() if issued > 0 else 0.0
    amp.state.tokens = Tokens(
        access, result.get("IdToken") or None, result.get("RefreshToken") or None, drift, username, details
    )


def _expired(token: str, drift: float, now: float) -> bool:
    return now + drift + EXPIRY_TOLERANCE_S > float(jwt_payload(token).get("exp") or 0)


def get_tokens(amp: Amplify, *, force_refresh: bool = False, metadata: Any = None) -> Tokens | None:
    """TokenOrchestrator.getTokens: the cached tokens, refreshed first when forced or expired (None: signed out)."""
    tokens = amp.state.tokens
    if tokens is None:
        return None
    now = amp.now()
    id_expired = tokens.id_token is not None and _expired(tokens.id_token, tokens.clock_drift_s, now)
    if force_refresh or id_expired or _expired(tokens.access_token, tokens.clock_drift_s, now):
        return _refresh(amp, tokens, metadata)
    return tokens


def _refresh(amp: Amplify, tokens: Tokens, metadata: Any) -> Tokens | None:
    """refreshAuthTokens through GetTokensFromRefreshToken; NotAuthorized means signed out (None)."""
    try:
        if not tokens.refresh_token:
            raise other_error(UNAUTHENTICATED)
        device = amp.state.devices.get(tokens.username)
        response = amp.cognito(
            "GetTokensFromRefreshToken",
            {
                "RefreshToken": tokens.refresh_token,
                "DeviceKey": device.device_key if device else None,
                "ClientMetadata": metadata,
            },
        )
        result = response.get("AuthenticationResult") or {}
        access = str(result.get("AccessToken") or "")
        issued = jwt_payload(access).get("iat")
        if not issued:
            raise AmplifyError("iatNotFoundException", "iat not found in access token")
        fresh = Tokens(
            access,
            result.get("IdToken") or None,
            result.get("RefreshToken") or tokens.refresh_token,
            issued - amp.now(),
            tokens.username,
            tokens.sign_in_details,
        )
    except AmplifyError as error:
        if error.name.startswith(AUTH_FAILURES):
            amp.state.tokens = None
        if error.name.startswith("NotAuthorizedException"):
            return None
        raise
    amp.state.tokens = fresh
    return fresh


def _jwt(token: str) -> dict[str, Any]:
    """Amplify's JWT object as data: its payload, and the token itself under ``toString``."""
    return {"payload": jwt_payload(token), "toString": token}


def fetch_auth_session(amp: Amplify, inputs: dict[str, Any]) -> dict[str, Any]:
    """fetchAuthSession: tokens (refreshed if due) and userSub; no identity pool, so no credentials."""
    tokens = get_tokens(amp, force_refresh=bool(inputs.get("forceRefresh")))
    if tokens is None:
        return {}
    return compact(
        {
            "tokens": {
                "accessToken": _jwt(tokens.access_token),
                "idToken": _jwt(tokens.id_token) if tokens.id_token else None,
                "signInDetails": tokens.sign_in_details,
            },
            "userSub": jwt_payload(tokens.access_token).get("sub"),
        }
    )


def sign_out(amp: Amplify, inputs: dict[str, Any]) -> dict[str, Any]:
    """signOut: GlobalSignOut, or RevokeToken for a revocable session; errors are swallowed; tokens dropped."""
    tokens = amp.state.tokens
    try:
        if inputs.get("global"):
            if tokens is None:
                raise other_error(UNAUTHENTICATED)
            amp.cognito("GlobalSignOut", {"AccessToken": tokens.access_token})
        elif tokens is not None and tokens.refresh_token and jwt_payload(tokens.access_token).get("origin_jti"):
            amp.cognito("RevokeToken", {"Token": tokens.refresh_token})
    except AmplifyError:
        pass  # "this shouldn't throw": Amplify logs it and signs out locally anyway
    amp.state.tokens = None
    return {}


def assert_not_signed_in(amp: Amplify) -> None:
    """assertUserNotAuthenticated: signIn refuses while getCurrentUser finds a user (a failing lookup passes)."""
    try:
        tokens = get_tokens(amp)
    except AmplifyError:
        return
    if tokens is None:
        return
    claims = jwt_payload(tokens.id_token) if tokens.id_token else {}
    if claims.get("sub") and claims.get("cognito:username"):
        raise other_error(ALREADY_SIGNED_IN)
