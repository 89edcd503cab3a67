"""Tags on user pools: TagResource, UntagResource, ListTagsForResource.

A pool's tags live where CreateUserPool put them, in ``pool.settings["UserPoolTags"]``, so DescribeUserPool
and these operations always agree. Test harnesses (authflow's aws backend among them) find their own pools
by these tags, so the emulator must keep them faithfully.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import invalid_parameter, resource_not_found
from harness.emulator.ops.registry import operation
from harness.emulator.state import UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

MAX_TAGS = 50  # per resource [DG "Tagging Amazon Cognito resources"]
# UNCONFIRMED: the wording of the refusals below.
TOO_MANY_TAGS = "A user pool can have at most {limit} tags."
NOT_A_USER_POOL = "{arn} is not the ARN of a user pool."


def _pool_for(emu: Emulator, arn: str) -> UserPool:
    """The pool an ARN names; only user pools can be tagged here (identity pools are another service)."""
    resource = arn.rsplit(":", 1)[-1]
    if not resource.startswith("userpool/"):
        raise invalid_parameter(NOT_A_USER_POOL.format(arn=arn))
    pool_id = resource.removeprefix("userpool/")
    pool = emu.pools.get(pool_id)
    if pool is None or pool.arn != arn:
        raise resource_not_found(errors.POOL_NOT_FOUND.format(pool_id=pool_id))
    return pool


def _tags(pool: UserPool) -> dict[str, str]:
    tags: dict[str, str] = pool.settings.setdefault("UserPoolTags", {})
    return tags


@operation("TagResource")
def tag_resource(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = _pool_for(emu, request["ResourceArn"])
    merged = {**_tags(pool), **{str(k): str(v) for k, v in request.get("Tags", {}).items()}}
    if len(merged) > MAX_TAGS:
        raise invalid_parameter(TOO_MANY_TAGS.format(limit=MAX_TAGS))
    pool.settings["UserPoolTags"] = merged
    return {}


@operation("UntagResource")
def untag_resource(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = _pool_for(emu, request["ResourceArn"])
    tags = _tags(pool)
    for key in request.get("TagKeys", []):
        tags.pop(key, None)  # removing a tag that is not there is not an error
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return {"Tags": dict(_tags(_pool_for(emu, request["ResourceArn"])))}
