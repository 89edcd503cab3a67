"""Identity providers (federation), their configuration: Create/Describe/Update/Delete/ListIdentityProviders and
GetIdentityProviderByIdentifier.

An app client may name a provider in SupportedIdentityProviders only once the pool has it
(oauth/client_rules.py): what infrastructure code has to order, and a pool configured for Google sign-in needs
before its clients can be made. Signing in through them is ops/federation.py (docs/oauth.md). Texts and
sources: harness/emulator/oauth/messages.py.

[BC CreateIdentityProvider, IdentityProviderType, ProviderDescription] The input members are checked against the
model before a handler runs (harness/emulator/validation.py): the type's enum, the name's length and pattern.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from harness.emulator.errors import CognitoError, invalid_parameter, resource_not_found
from harness.emulator.oauth import messages
from harness.emulator.ops.common import get_pool, listed, timestamp
from harness.emulator.ops.groups import ensure_provider_group
from harness.emulator.ops.registry import operation
from harness.emulator.state import UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

SOCIAL_TYPES = frozenset({"Google", "Facebook", "LoginWithAmazon", "SignInWithApple"})
"""Provider types whose provider must carry the type's own name [C: aws/aws-cli#3179]."""

CLIENT_SECRET_TYPES = frozenset({"Google", "Facebook", "LoginWithAmazon"})
REQUIRED_DETAILS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(CLIENT_SECRET_TYPES, ("client_id", "client_secret", "authorize_scopes")),
    "SignInWithApple": ("client_id", "team_id", "key_id", "private_key"),
    "OIDC": ("client_id", "oidc_issuer"),
}
"""ProviderDetails keys without which a provider of the type is refused. [BC CreateIdentityProvider
ProviderDetails] lists each type's keys. Google, Facebook and LoginWithAmazon need all three named in Cognito's
answer (oauth/messages.py SOCIAL_DETAILS_MISSING has the sources); for SignInWithApple and OIDC which keys
Cognito insists on is UNCONFIRMED: the emulator asks only for those that say who the provider is, so it refuses
nothing that could work (a SAML provider: MetadataFile or MetadataURL, sourced)."""

LIST_PAGE = 60  # the model's largest MaxResults; 0 or none lists that many


def _provider(pool: UserPool, name: str) -> dict[str, Any]:
    provider = pool.identity_providers.get(name)
    if provider is None:
        raise resource_not_found(messages.PROVIDER_NOT_FOUND.format(provider=name))
    return provider


def _check_details(provider_type: str, details: dict[str, Any]) -> None:
    if provider_type == "SAML":
        if not details.get("MetadataFile") and not details.get("MetadataURL"):
            raise invalid_parameter(messages.SAML_METADATA_MISSING)
        return
    for key in REQUIRED_DETAILS.get(provider_type, ()):
        if not details.get(key):
            if provider_type in CLIENT_SECRET_TYPES:
                raise invalid_parameter(messages.SOCIAL_DETAILS_MISSING)
            raise invalid_parameter(messages.PROVIDER_DETAIL_MISSING.format(key=key, type=provider_type))


def _check_identifiers(pool: UserPool, name: str, identifiers: list[str]) -> None:
    """An identifier routes a user to one provider (GetIdentityProviderByIdentifier): no two providers share one."""
    for other, provider in pool.identity_providers.items():
        if other == name:
            continue
        for identifier in identifiers:
            if identifier in provider.get("IdpIdentifiers", []):
                message = messages.IDENTIFIER_TAKEN.format(identifier=identifier, provider=other)
                raise CognitoError("DuplicateProviderException", message)


def _summary(provider: dict[str, Any]) -> dict[str, Any]:
    """A ProviderDescription [BC]: what ListIdentityProviders shows of a provider (four scalars: no copy needed)."""
    return {
        "ProviderName": provider["ProviderName"],
        "ProviderType": provider["ProviderType"],
        "LastModifiedDate": timestamp(provider["LastModifiedDate"]),
        "CreationDate": timestamp(provider["CreationDate"]),
    }


def _described(provider: dict[str, Any]) -> dict[str, Any]:
    described = copy.deepcopy(provider)
    for key in ("LastModifiedDate", "CreationDate"):
        described[key] = timestamp(described[key])
    return described


@operation("CreateIdentityProvider")
def create_identity_provider(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    name, provider_type = request["ProviderName"], request["ProviderType"]
    if name == "COGNITO":  # the name SupportedIdentityProviders gives the pool's own users
        raise invalid_parameter(messages.PROVIDER_NAME_RESERVED)
    if provider_type in SOCIAL_TYPES and name != provider_type:
        raise invalid_parameter(messages.PROVIDER_NAME_NOT_TYPE.format(provider=name, type=provider_type))
    if name in pool.identity_providers:
        raise CognitoError(
            "DuplicateProviderException", messages.PROVIDER_EXISTS.format(provider=name, pool_id=pool.pool_id)
        )
    details = dict(request["ProviderDetails"])
    _check_details(provider_type, details)
    identifiers = list(request.get("IdpIdentifiers") or [])
    _check_identifiers(pool, name, identifiers)
    now = emu.clock.now()
    provider: dict[str, Any] = {
        "UserPoolId": pool.pool_id,
        "ProviderName": name,
        "ProviderType": provider_type,
        "ProviderDetails": details,
        "AttributeMapping": dict(request.get("AttributeMapping") or {}),
        "IdpIdentifiers": identifiers,
        "LastModifiedDate": now,
        "CreationDate": now,
    }
    if request.get("AcrMapping"):
        provider["AcrMapping"] = dict(request["AcrMapping"])
    pool.identity_providers[name] = provider
    ensure_provider_group(pool, name, now)
    return {"IdentityProvider": _described(provider)}


@operation("DescribeIdentityProvider")
def describe_identity_provider(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    return {"IdentityProvider": _described(_provider(pool, request["ProviderName"]))}


@operation("UpdateIdentityProvider")
def update_identity_provider(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """The members given replace the provider's; those left out stay (UNCONFIRMED: unlike UpdateUserPoolClient,
    nothing is reset, as none of them is required here)."""
    pool = get_pool(emu, request["UserPoolId"])
    provider = _provider(pool, request["ProviderName"])
    details = dict(request["ProviderDetails"]) if "ProviderDetails" in request else provider["ProviderDetails"]
    _check_details(provider["ProviderType"], details)
    identifiers = list(request["IdpIdentifiers"]) if "IdpIdentifiers" in request else provider["IdpIdentifiers"]
    _check_identifiers(pool, provider["ProviderName"], identifiers)
    provider["ProviderDetails"], provider["IdpIdentifiers"] = details, identifiers
    for member in ("AttributeMapping", "AcrMapping"):
        if member in request:
            provider[member] = dict(request[member])
    provider["LastModifiedDate"] = emu.clock.now()
    return {"IdentityProvider": _described(provider)}


@operation("DeleteIdentityProvider")
def delete_identity_provider(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """App clients that name the provider keep the name (UNCONFIRMED: whether Cognito refuses the deletion)."""
    pool = get_pool(emu, request["UserPoolId"])
    _provider(pool, request["ProviderName"])
    del pool.identity_providers[request["ProviderName"]]
    return {}


@operation("ListIdentityProviders")
def list_identity_providers(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """ProviderDescription summaries in creation order, paged [BC ListIdentityProviders]."""
    pool = get_pool(emu, request["UserPoolId"])
    providers = list(pool.identity_providers.values())
    limit = int(request.get("MaxResults") or LIST_PAGE)
    return listed("Providers", providers, request.get("NextToken"), limit, _summary)


@operation("GetIdentityProviderByIdentifier")
def get_identity_provider_by_identifier(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    identifier = request["IdpIdentifier"]
    for provider in pool.identity_providers.values():
        if identifier in provider.get("IdpIdentifiers", []):
            return {"IdentityProvider": _described(provider)}
    raise resource_not_found(messages.IDENTIFIER_NOT_FOUND.format(identifier=identifier))
