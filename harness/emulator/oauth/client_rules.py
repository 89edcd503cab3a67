"""The OAuth members of an app client, checked as CreateUserPoolClient / UpdateUserPoolClient check them.

Called by ops/pools.py once the client's settings are normalised. The texts and their sources are in
messages.py; the order of the checks is the emulator's (one failure is reported, the first found).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from harness.emulator.errors import CognitoError, invalid_parameter
from harness.emulator.oauth import messages
from harness.emulator.state import UserPool

STANDARD_SCOPES = ("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin")
"""The scopes every pool has [DG "Authorize endpoint", scope; BC AllowedOAuthScopes]."""
USER_FLOWS = frozenset({"code", "implicit"})


def custom_scopes(pool: UserPool) -> set[str]:
    """Every `<resource server identifier>/<scope name>` of the pool [DG "Scopes, M2M, and resource servers"]."""
    return {
        f"{identifier}/{scope['ScopeName']}"
        for identifier, server in pool.resource_servers.items()
        for scope in server.get("Scopes", [])
    }


def redirect_refusal(url: str) -> str | None:
    """Why Cognito refuses `url` as a callback or sign-out URL (None: allowed). Allowed: HTTPS, or http only for
    localhost, or an app's own scheme; absolute and without a fragment [DG "Authorize endpoint", redirect_uri].
    Plain HTTP elsewhere has Cognito's own text (oauth/messages.py)."""
    invalid = messages.CALLBACK_URL_INVALID.format(url=url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return invalid
    if not parts.scheme or parts.fragment or "#" in url:
        return invalid
    if parts.scheme == "http":
        return None if parts.hostname == "localhost" else messages.CALLBACK_URL_HTTP.format(url=url)
    if parts.scheme == "https" and not parts.hostname:
        return invalid
    return None  # https://host/..., myapp://callback


def check_oauth_settings(pool: UserPool, settings: dict[str, Any], *, has_secret: bool) -> None:
    """Raise Cognito's error for the first OAuth member of a client that Cognito would refuse."""
    for provider in settings.get("SupportedIdentityProviders") or []:
        if provider != "COGNITO" and provider not in pool.identity_providers:  # ops/identity_providers.py
            raise invalid_parameter(messages.PROVIDER_DOES_NOT_EXIST.format(provider=provider, pool_id=pool.pool_id))
    callbacks = list(settings.get("CallbackURLs") or [])
    for url in [*callbacks, *(settings.get("LogoutURLs") or [])]:
        refusal = redirect_refusal(url)
        if refusal is not None:
            raise invalid_parameter(refusal)
    default = settings.get("DefaultRedirectURI")
    if default is not None and default not in callbacks:
        raise invalid_parameter(messages.DEFAULT_REDIRECT_NOT_CALLBACK)
    scopes = list(settings.get("AllowedOAuthScopes") or [])
    known = set(STANDARD_SCOPES) | custom_scopes(pool)
    for scope in scopes:
        if scope not in known:
            raise CognitoError("ScopeDoesNotExistException", messages.SCOPE_DOES_NOT_EXIST.format(scope=scope))
    flows = set(settings.get("AllowedOAuthFlows") or [])
    if settings.get("AllowedOAuthFlowsUserPoolClient") and (not flows or not scopes):
        raise invalid_parameter(messages.OAUTH_FLOWS_AND_SCOPES_REQUIRED)
    if "client_credentials" in flows:
        if flows & USER_FLOWS:
            raise CognitoError("InvalidOAuthFlowException", messages.CLIENT_CREDENTIALS_ALONE)
        if not has_secret:
            raise CognitoError("InvalidOAuthFlowException", messages.CLIENT_CREDENTIALS_NEEDS_SECRET)
        for scope in scopes:
            if scope in STANDARD_SCOPES:
                message = messages.SCOPE_NOT_WITH_CLIENT_CREDENTIALS.format(scope=scope)
                raise CognitoError("InvalidOAuthFlowException", message)
    if settings.get("AllowedOAuthFlowsUserPoolClient") and flows & USER_FLOWS and not callbacks:
        raise CognitoError("InvalidOAuthFlowException", messages.CALLBACK_URL_REQUIRED)
