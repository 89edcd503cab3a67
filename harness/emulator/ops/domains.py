"""A pool's managed-login domain: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
DeleteUserPoolDomain. Only prefix domains (`<prefix>.auth.<region>.amazoncognito.com`); the emulator serves
them under `/<prefix>/` (docs/oauth.md). Texts and sources: harness/emulator/oauth/messages.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.emulator.errors import invalid_parameter, resource_not_found
from harness.emulator.oauth import messages
from harness.emulator.oauth.store import oauth_state
from harness.emulator.ops.common import get_pool
from harness.emulator.ops.registry import operation
from harness.emulator.state import UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

RESERVED_WORDS = ("aws", "amazon", "cognito")
"""A prefix may not contain these [DG "Using the Amazon Cognito domain for managed login"]."""
ACCOUNT_ID = "000000000000"


def pool_of_domain(emu: Emulator, domain: str) -> UserPool | None:
    """The pool a domain prefix belongs to (prefixes are unique across the emulator, as across a region)."""
    for pool in emu.pools.values():
        if pool.domain == domain:
            return pool
    return None


def domain_host(emu: Emulator, domain: str) -> str:
    """The host name Cognito gives a prefix domain [DG]."""
    return f"{domain}.auth.{emu.region}.amazoncognito.com"


@operation("CreateUserPoolDomain")
def create_user_pool_domain(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    domain = request["Domain"]
    for word in RESERVED_WORDS:
        if word in domain:
            raise invalid_parameter(messages.DOMAIN_RESERVED_WORD.format(word=word))
    if pool_of_domain(emu, domain) is not None:
        raise invalid_parameter(messages.DOMAIN_EXISTS)
    if pool.domain is not None:
        raise invalid_parameter(messages.POOL_ALREADY_HAS_DOMAIN)
    pool.domain = domain
    oauth_state(pool).managed_login_version = int(request.get("ManagedLoginVersion") or 1)
    return {"ManagedLoginVersion": oauth_state(pool).managed_login_version}


@operation("DescribeUserPoolDomain")
def describe_user_pool_domain(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = pool_of_domain(emu, request["Domain"])
    if pool is None:
        # An unknown domain is not an error: the description comes back empty [C: terraform-provider-aws reads an
        # empty DomainDescription as "gone" (aws_cognito_user_pool_domain)].
        return {"DomainDescription": {}}
    return {
        "DomainDescription": {
            "UserPoolId": pool.pool_id,
            "AWSAccountId": ACCOUNT_ID,
            "Domain": request["Domain"],
            "CloudFrontDistribution": domain_host(emu, request["Domain"]),
            "Version": "20130630",
            "Status": "ACTIVE",
            "ManagedLoginVersion": oauth_state(pool).managed_login_version,
        }
    }


def _owned_domain(emu: Emulator, request: dict[str, Any]) -> UserPool:
    pool = get_pool(emu, request["UserPoolId"])
    if pool.domain != request["Domain"]:
        raise resource_not_found(messages.DOMAIN_NOT_OF_POOL.format(domain=request["Domain"], pool_id=pool.pool_id))
    return pool


@operation("UpdateUserPoolDomain")
def update_user_pool_domain(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = _owned_domain(emu, request)
    if request.get("ManagedLoginVersion") is not None:
        oauth_state(pool).managed_login_version = int(request["ManagedLoginVersion"])
    return {"ManagedLoginVersion": oauth_state(pool).managed_login_version}


@operation("DeleteUserPoolDomain")
def delete_user_pool_domain(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = _owned_domain(emu, request)
    pool.domain = None
    return {}
