"""Signing out and revoking tokens, and GetTokensFromRefreshToken."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError, not_authorized
from harness.emulator.ops.common import get_client, get_pool, is_client_secret, require_user
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.issue import refresh_tokens, revoke_user_tokens
from harness.emulator.ops.registry import operation
from harness.emulator.state import AppClient

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


@operation("GlobalSignOut")
def global_sign_out(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, _ = user_from_access_token(emu, request["AccessToken"])
    revoke_user_tokens(pool, user)
    return {}


@operation("AdminUserGlobalSignOut")
def admin_user_global_sign_out(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    revoke_user_tokens(pool, require_user(pool, request["Username"]))
    return {}


def _check_client_secret(client: AppClient, given: str | None) -> None:
    """A confidential client's ClientSecret must be one of its active secrets (either, during a rotation)."""
    if client.secrets and not is_client_secret(client, given):
        raise not_authorized(errors.SECRET_HASH_MISMATCH.format(client_id=client.client_id))


@operation("RevokeToken")
def revoke_token(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"])
    _check_client_secret(client, request.get("ClientSecret"))
    if not client.settings.get("EnableTokenRevocation", True):
        raise CognitoError("UnsupportedOperationException", errors.TOKEN_REVOCATION_DISABLED)
    record = pool.refresh_tokens.get(request["Token"])
    if record is None:
        raise CognitoError("UnsupportedTokenTypeException", errors.TOKEN_TYPE_UNSUPPORTED)
    if record.client_id != client.client_id:
        raise CognitoError("UnauthorizedException", errors.TOKEN_OF_ANOTHER_CLIENT)
    pool.revoke_refresh_token(record)
    return {}


@operation("GetTokensFromRefreshToken")
def get_tokens_from_refresh_token(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    _, client = get_client(emu, request["ClientId"])
    _check_client_secret(client, request.get("ClientSecret"))
    rotation = client.settings.get("RefreshTokenRotation", {}).get("Feature") == "ENABLED"
    return {
        "AuthenticationResult": refresh_tokens(
            emu,
            client,
            request["RefreshToken"],
            None,
            rotate=rotation,
            secret_checked=True,
            device_key=request.get("DeviceKey"),
        )
    }
