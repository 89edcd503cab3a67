"""User pools and app clients: create, describe, update, delete, list."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter
from harness.emulator.oauth import messages as oauth_messages
from harness.emulator.oauth.client_rules import check_oauth_settings
from harness.emulator.ops.common import get_client, get_pool, offset_page, timestamp
from harness.emulator.ops.mfa_rules import check_first_factors_with_mfa
from harness.emulator.ops.registry import operation
from harness.emulator.ops.schema import STANDARD_ATTRIBUTES, custom_name
from harness.emulator.state import (
    DEFAULT_EXPLICIT_AUTH_FLOWS,
    DEFAULT_PASSWORD_POLICY,
    LEGACY_AUTH_FLOWS,
    AppClient,
    ClientSecret,
    UserPool,
    client_secret_id,
    new_client_id,
    new_client_secret,
    new_pool_id,
)

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

# Token validity: (default value, default unit, lowest and highest seconds) [DG "App client settings"].
_TOKEN_LIMITS = {
    "AccessTokenValidity": (1, "hours", 300, 86400),
    "IdTokenValidity": (1, "hours", 300, 86400),
    "RefreshTokenValidity": (30, "days", 3600, 10 * 365 * 86400),
}
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_TOKEN_UNIT_KEY = {
    "AccessTokenValidity": "AccessToken",
    "IdTokenValidity": "IdToken",
    "RefreshTokenValidity": "RefreshToken",
}


def _pool_settings(request: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    settings = copy.deepcopy(base or {})
    settings.update({k: copy.deepcopy(v) for k, v in request.items() if k not in ("PoolName", "UserPoolId")})
    policies = settings.setdefault("Policies", {})
    policies.setdefault("PasswordPolicy", dict(DEFAULT_PASSWORD_POLICY))
    policies.setdefault("SignInPolicy", {"AllowedFirstAuthFactors": ["PASSWORD"]})
    settings.setdefault("MfaConfiguration", "OFF")
    settings.setdefault("UserPoolTier", "ESSENTIALS")
    settings.setdefault("DeletionProtection", "INACTIVE")
    settings.setdefault("AdminCreateUserConfig", {"AllowAdminCreateUserOnly": False})
    if settings.get("UsernameAttributes") and settings.get("AliasAttributes"):
        raise invalid_parameter(errors.USERNAME_AND_ALIAS_ATTRIBUTES)
    if any(a.get("Required") and a.get("Name") not in STANDARD_ATTRIBUTES for a in settings.get("Schema") or []):
        raise invalid_parameter(errors.REQUIRED_CUSTOM_ATTRIBUTE)  # [C: trek10inc/serverless-cognito-manager#4]
    factors = policies["SignInPolicy"].get("AllowedFirstAuthFactors", ["PASSWORD"])
    if "PASSWORD" not in factors:
        raise invalid_parameter(errors.PASSWORD_FACTOR_REQUIRED)
    if settings["UserPoolTier"] == "LITE" and set(factors) - {"PASSWORD"}:
        raise CognitoError(
            "FeatureUnavailableInTierException",
            errors.FEATURE_NOT_IN_TIER.format(feature="Passwordless Sign-In", tier="LITE"),
        )
    check_first_factors_with_mfa(str(settings["MfaConfiguration"]), factors)
    token_trigger = (settings.get("LambdaConfig") or {}).get("PreTokenGenerationConfig") or {}
    if settings["UserPoolTier"] == "LITE" and token_trigger.get("LambdaVersion") in ("V2_0", "V3_0"):
        # access token customization needs Essentials or Plus [DG "Pre token generation Lambda trigger"]
        feature = "Access token customization"  # UNCONFIRMED name
        raise CognitoError(
            "FeatureUnavailableInTierException", errors.FEATURE_NOT_IN_TIER.format(feature=feature, tier="LITE")
        )
    return settings


def _string_attribute(name: str, *, required: bool = False, mutable: bool = True) -> dict[str, Any]:
    return {
        "Name": name,
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": mutable,
        "Required": required,
        "StringAttributeConstraints": {"MinLength": "1" if required else "0", "MaxLength": "2048"},
    }


def _schema_attributes(declared: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every pool lists the standard attributes, then its own custom ones as custom:<name> [DG]."""

    attributes: dict[str, dict[str, Any]] = {}
    for name in sorted(STANDARD_ATTRIBUTES):
        if len(name) > 20:
            continue  # phone_number_verified: real pools list it, but the model caps names at 20 characters
        common = {"Name": name, "DeveloperOnlyAttribute": False, "Mutable": True, "Required": False}
        if name.endswith("_verified"):
            attributes[name] = {**common, "AttributeDataType": "Boolean"}
        elif name == "updated_at":
            number = {"AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "0"}}
            attributes[name] = {**common, **number}
        else:
            attributes[name] = _string_attribute(name, required=name == "sub", mutable=name != "sub")
    for attribute in declared:
        name = str(attribute["Name"])
        shown = name if name in STANDARD_ATTRIBUTES else custom_name(name)
        if attribute.get("DeveloperOnlyAttribute") and name not in STANDARD_ATTRIBUTES:
            shown = f"dev:{name}"  # [BC SchemaAttributeType Name: "dev:value for developer-only attributes"]
        attributes[shown] = {**attributes.get(shown, {}), **attribute, "Name": shown}
    return list(attributes.values())


def _describe_pool(emu: Emulator, pool: UserPool) -> dict[str, Any]:
    described = copy.deepcopy(pool.settings)
    described.pop("Schema", None)
    described.update(
        {
            "Id": pool.pool_id,
            "Name": pool.name,
            "Arn": pool.arn,
            "CreationDate": timestamp(pool.created_at),
            "LastModifiedDate": timestamp(pool.modified_at),
            "EstimatedNumberOfUsers": len(pool.users),
            "SchemaAttributes": _schema_attributes(pool.settings.get("Schema", [])),
        }
    )
    if pool.domain is not None:
        described["Domain"] = pool.domain
    return described


@operation("CreateUserPool")
def create_user_pool(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    now = emu.clock.now()
    pool_id = new_pool_id(emu.region)
    pool = UserPool(pool_id, request["PoolName"], _pool_settings(request), now, now, emu.region)
    emu.pools[pool_id] = pool
    return {"UserPool": _describe_pool(emu, pool)}


@operation("DescribeUserPool")
def describe_user_pool(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return {"UserPool": _describe_pool(emu, get_pool(emu, request["UserPoolId"]))}


@operation("UpdateUserPool")
def update_user_pool(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    immutable = {"Schema", "UsernameAttributes", "AliasAttributes", "UsernameConfiguration"}
    base = {k: v for k, v in pool.settings.items() if k in immutable}
    pool.settings = _pool_settings(request, base)  # UpdateUserPool resets what it leaves out [DG]
    pool.modified_at = emu.clock.now()
    return {}


MAX_CUSTOM_ATTRIBUTES = 50
"""[DG "Working with user attributes", custom attributes: up to 50 per pool]."""


@operation("AddCustomAttributes")
def add_custom_attributes(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """Custom attributes added to a pool's schema [BC AddCustomAttributes]. Cognito puts `custom:` before the name
    it is given, even one that already starts with it (`custom:custom:x`) [C: awsdocs/aws-cloudformation-user-guide#932,
    jmaleonard/serverless-cognito-add-custom-attributes#3]. Refused: a name the pool has, "Existing attribute already
    has name custom:x." [C: the latter], and a required one, "Required custom attributes are not supported
    currently." [C: trek10inc/serverless-cognito-manager#4]. UNCONFIRMED: the text past 50 custom attributes."""
    pool = get_pool(emu, request["UserPoolId"])
    schema = list(pool.settings.get("Schema") or [])
    taken = {str(entry["Name"]) for entry in _schema_attributes(schema)}
    added: list[dict[str, Any]] = []
    for attribute in request["CustomAttributes"]:
        name = custom_name(str(attribute.get("Name", "")))
        if attribute.get("Required"):
            raise invalid_parameter(errors.REQUIRED_CUSTOM_ATTRIBUTE)
        if name in taken:
            raise invalid_parameter(errors.CUSTOM_ATTRIBUTE_EXISTS.format(name=name))
        taken.add(name)
        added.append({"AttributeDataType": "String", "DeveloperOnlyAttribute": False, "Mutable": True,
                      **attribute, "Required": False})  # fmt: skip
    customs = [entry for entry in _schema_attributes(schema + added) if str(entry["Name"]).startswith("custom:")]
    if len(customs) > MAX_CUSTOM_ATTRIBUTES:
        raise invalid_parameter(errors.TOO_MANY_CUSTOM_ATTRIBUTES.format(limit=MAX_CUSTOM_ATTRIBUTES))
    pool.settings["Schema"] = schema + added
    pool.modified_at = emu.clock.now()
    return {}


@operation("DeleteUserPool")
def delete_user_pool(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    if pool.settings.get("DeletionProtection") == "ACTIVE":
        raise invalid_parameter(errors.DELETION_PROTECTED)
    if pool.domain is not None:
        raise invalid_parameter(oauth_messages.POOL_HAS_DOMAIN_ON_DELETE)
    for client_id in pool.clients:
        emu.clients.pop(client_id, None)
    del emu.pools[pool.pool_id]
    pool.keys.release()
    emu.sessions.forget_pool(pool.pool_id)
    emu.outbox.forget_pool(pool.pool_id)
    return {}


@operation("ListUserPools")
def list_user_pools(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pools = sorted(emu.pools.values(), key=lambda p: (p.created_at, p.pool_id))
    page, token = offset_page(pools, request.get("NextToken"), request["MaxResults"])
    result: dict[str, Any] = {
        "UserPools": [
            {
                "Id": p.pool_id,
                "Name": p.name,
                "LambdaConfig": p.settings.get("LambdaConfig", {}),
                "LastModifiedDate": timestamp(p.modified_at),
                "CreationDate": timestamp(p.created_at),
            }
            for p in page
        ]
    }
    if token:
        result["NextToken"] = token
    return result


def _client_settings(request: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    settings = copy.deepcopy(base or {})
    settings.update(
        {k: copy.deepcopy(v) for k, v in request.items() if k not in ("UserPoolId", "ClientId", "GenerateSecret")}
    )
    flows = settings.get("ExplicitAuthFlows")
    if flows is None:
        settings["ExplicitAuthFlows"] = list(DEFAULT_EXPLICIT_AUTH_FLOWS)
    elif any(f in LEGACY_AUTH_FLOWS for f in flows) and any(f.startswith("ALLOW_") for f in flows):
        raise invalid_parameter(errors.MIXED_AUTH_FLOWS)
    settings.setdefault("PreventUserExistenceErrors", "LEGACY")
    settings.setdefault("AuthSessionValidity", 3)
    settings.setdefault("EnableTokenRevocation", True)
    units = settings.setdefault("TokenValidityUnits", {})
    for key, (default, unit, low, high) in _TOKEN_LIMITS.items():
        settings.setdefault(key, default)
        units.setdefault(_TOKEN_UNIT_KEY[key], unit)
        if not low <= token_validity_s(settings, key) <= high:
            raise invalid_parameter(errors.TOKEN_VALIDITY_RANGE)  # which member is out of range, unsaid
    return settings


def token_validity_s(settings: dict[str, Any], key: str) -> int:
    """A client's token validity in seconds, honouring TokenValidityUnits."""
    unit = settings["TokenValidityUnits"][_TOKEN_UNIT_KEY[key]]
    return int(settings[key]) * _UNIT_SECONDS[unit]


def _describe_client(client: AppClient) -> dict[str, Any]:
    described = copy.deepcopy(client.settings)
    described.update(
        {
            "UserPoolId": client.pool_id,
            "ClientName": client.name,
            "ClientId": client.client_id,
            "CreationDate": timestamp(client.created_at),
            "LastModifiedDate": timestamp(client.modified_at),
        }
    )
    if client.secret is not None:
        described["ClientSecret"] = client.secret
    return described


@operation("CreateUserPoolClient")
def create_user_pool_client(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    now = emu.clock.now()
    settings = _client_settings(request)
    settings.pop("ClientName", None)
    check_oauth_settings(pool, settings, has_secret=bool(request.get("GenerateSecret")))
    client_id = new_client_id()
    secrets = []
    if request.get("GenerateSecret"):
        secrets.append(ClientSecret(client_secret_id(client_id, now), new_client_secret(), now))
    client = AppClient(client_id, pool.pool_id, request["ClientName"], secrets, settings, now, now)
    pool.clients[client.client_id] = client
    emu.clients[client.client_id] = client
    return {"UserPoolClient": _describe_client(client)}


@operation("DescribeUserPoolClient")
def describe_user_pool_client(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    _, client = get_client(emu, request["ClientId"], request["UserPoolId"])
    return {"UserPoolClient": _describe_client(client)}


@operation("UpdateUserPoolClient")
def update_user_pool_client(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"], request["UserPoolId"])
    # Members left out return to their defaults, as in Cognito [DG UpdateUserPoolClient].
    settings = _client_settings(request)
    check_oauth_settings(pool, settings, has_secret=client.secret is not None)
    client.name = settings.pop("ClientName", client.name)
    client.settings = settings
    client.modified_at = emu.clock.now()
    return {"UserPoolClient": _describe_client(client)}


@operation("DeleteUserPoolClient")
def delete_user_pool_client(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"], request["UserPoolId"])
    del pool.clients[client.client_id]
    del emu.clients[client.client_id]
    return {}


@operation("ListUserPoolClients")
def list_user_pool_clients(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    return {
        "UserPoolClients": [
            {"ClientId": c.client_id, "UserPoolId": pool.pool_id, "ClientName": c.name} for c in pool.clients.values()
        ]
    }
