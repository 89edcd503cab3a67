"""Client secret rotation: Add/List/DeleteUserPoolClientSecret.

A confidential app client holds up to two active secrets, so that apps move to a new secret without downtime
[API AddUserPoolClientSecret]: every check of a client's secret (SECRET_HASH, ClientSecret, the token endpoint's
client authentication) accepts either one (ops/common.py `check_secret_hash`, `is_client_secret`). A generated
secret's value is returned once, by AddUserPoolClientSecret; one the caller chose is not echoed; a list never shows
values [API ListUserPoolClientSecrets]. The last secret cannot be deleted [API DeleteUserPoolClientSecret].
Error texts and what is UNCONFIRMED: harness/emulator/errors.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter, resource_not_found
from harness.emulator.ops.common import get_client, timestamp
from harness.emulator.ops.registry import operation
from harness.emulator.state import MAX_CLIENT_SECRETS, AppClient, ClientSecret, client_secret_id, new_client_secret

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


def _confidential(emu: Emulator, request: dict[str, Any]) -> AppClient:
    _, client = get_client(emu, request["ClientId"], request["UserPoolId"])
    if not client.secrets:
        raise invalid_parameter(errors.CLIENT_SECRET_PUBLIC_CLIENT.format(client_id=client.client_id))
    return client


def _descriptor(secret: ClientSecret) -> dict[str, Any]:
    return {"ClientSecretId": secret.secret_id, "ClientSecretCreateDate": timestamp(secret.created_at)}


@operation("AddUserPoolClientSecret")
def add_user_pool_client_secret(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    client = _confidential(emu, request)
    if len(client.secrets) >= MAX_CLIENT_SECRETS:
        message = errors.CLIENT_SECRET_LIMIT.format(client_id=client.client_id, limit=MAX_CLIENT_SECRETS)
        raise CognitoError("LimitExceededException", message)
    chosen = request.get("ClientSecret")
    now = emu.clock.now()
    secret = ClientSecret(client_secret_id(client.client_id, now, client.secrets), chosen or new_client_secret(), now)
    client.secrets.append(secret)
    client.modified_at = now  # UNCONFIRMED: whether a new secret counts as a change of the client
    described = _descriptor(secret)
    if chosen is None:
        described["ClientSecretValue"] = secret.value
    return {"ClientSecretDescriptor": described}


@operation("ListUserPoolClientSecrets")
def list_user_pool_client_secrets(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    # UNCONFIRMED: a public client's list; here empty rather than refused.
    _, client = get_client(emu, request["ClientId"], request["UserPoolId"])
    return {"ClientSecrets": [_descriptor(secret) for secret in client.secrets]}


@operation("DeleteUserPoolClientSecret")
def delete_user_pool_client_secret(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    client = _confidential(emu, request)
    secret_id = request["ClientSecretId"]
    kept = [secret for secret in client.secrets if secret.secret_id != secret_id]
    if len(kept) == len(client.secrets):
        raise resource_not_found(errors.CLIENT_SECRET_NOT_FOUND.format(secret_id=secret_id, client_id=client.client_id))
    if not kept:
        raise invalid_parameter(errors.CLIENT_SECRET_LAST)
    client.secrets = kept
    client.modified_at = emu.clock.now()
    return {}
