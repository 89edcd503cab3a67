"""Resource servers and their custom scopes: Create/Describe/List/Update/DeleteResourceServer.

A custom scope is `<Identifier>/<ScopeName>` [BC ResourceServerScopeType]; app clients may allow it
(AllowedOAuthScopes) and the token endpoint grants it. Texts and sources: harness/emulator/oauth/messages.py.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from harness.emulator.errors import invalid_parameter, resource_not_found
from harness.emulator.oauth import messages
from harness.emulator.ops.common import get_pool, listed
from harness.emulator.ops.registry import operation
from harness.emulator.state import UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


def _server(pool: UserPool, request: dict[str, Any]) -> dict[str, Any]:
    identifier = request["Identifier"]
    server = pool.resource_servers.get(identifier)
    if server is None:
        message = messages.RESOURCE_SERVER_NOT_FOUND.format(identifier=identifier, pool_id=pool.pool_id)
        raise resource_not_found(message)
    return server


def _record(pool: UserPool, request: dict[str, Any]) -> dict[str, Any]:
    scopes = copy.deepcopy(request.get("Scopes") or [])
    names = [scope["ScopeName"] for scope in scopes]
    for name in names:
        if names.count(name) > 1:
            raise invalid_parameter(messages.DUPLICATE_SCOPE.format(scope=name, identifier=request["Identifier"]))
    record = {"UserPoolId": pool.pool_id, "Identifier": request["Identifier"], "Name": request["Name"]}
    if scopes:
        record["Scopes"] = scopes
    return record


@operation("CreateResourceServer")
def create_resource_server(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    if request["Identifier"] in pool.resource_servers:
        message = messages.RESOURCE_SERVER_EXISTS.format(identifier=request["Identifier"], pool_id=pool.pool_id)
        raise invalid_parameter(message)
    pool.resource_servers[request["Identifier"]] = _record(pool, request)
    return {"ResourceServer": copy.deepcopy(pool.resource_servers[request["Identifier"]])}


@operation("DescribeResourceServer")
def describe_resource_server(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return {"ResourceServer": copy.deepcopy(_server(get_pool(emu, request["UserPoolId"]), request))}


@operation("ListResourceServers")
def list_resource_servers(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    servers = list(get_pool(emu, request["UserPoolId"]).resource_servers.values())
    return listed(
        "ResourceServers", servers, request.get("NextToken"), int(request.get("MaxResults") or 50), copy.deepcopy
    )


@operation("UpdateResourceServer")
def update_resource_server(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """Name and Scopes are replaced; scopes left out are gone (as UpdateUserPoolClient resets what it omits)."""
    pool = get_pool(emu, request["UserPoolId"])
    _server(pool, request)
    pool.resource_servers[request["Identifier"]] = _record(pool, request)
    return {"ResourceServer": copy.deepcopy(pool.resource_servers[request["Identifier"]])}


@operation("DeleteResourceServer")
def delete_resource_server(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    _server(pool, request)
    del pool.resource_servers[request["Identifier"]]
    return {}
