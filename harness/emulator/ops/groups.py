"""User pool groups: create, read, update, delete, list; membership; what groups put in tokens.

[BC CreateGroup ... ListUsersInGroup; DG "Adding groups to a user pool"] A group has a name (unique in its pool),
an optional description, IAM role ARN and precedence. Both the id and the access token carry `cognito:groups`
(every group of the user); the id token also carries `cognito:roles` and `cognito:preferred_role` (the role of
the group with the lowest precedence; see `preferred_role`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError, resource_not_found
from harness.emulator.ops.common import get_pool, listed, require_user, timestamp, user_type
from harness.emulator.ops.registry import operation
from harness.emulator.state import Group, User, UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

DEFAULT_PAGE = 60  # the model's largest Limit; a Limit of 0 or none lists that many


@dataclass(frozen=True)
class GroupClaims:
    """What a user's groups contribute to tokens (and to PreTokenGeneration's groupConfiguration)."""

    groups: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    preferred_role: str | None = None


def group_type(pool: UserPool, group: Group) -> dict[str, Any]:
    """A GroupType: members left out are absent, as the model allows."""
    described: dict[str, Any] = {
        "GroupName": group.name,
        "UserPoolId": pool.pool_id,
        "LastModifiedDate": timestamp(group.modified_at),
        "CreationDate": timestamp(group.created_at),
    }
    if group.description is not None:
        described["Description"] = group.description
    if group.role_arn is not None:
        described["RoleArn"] = group.role_arn
    if group.precedence is not None:
        described["Precedence"] = group.precedence
    return described


def get_group(pool: UserPool, name: str) -> Group:
    group = pool.groups.get(name)
    if group is None:
        raise resource_not_found(errors.GROUP_NOT_FOUND)
    return group


def by_precedence(groups: Iterable[Group]) -> list[Group]:
    """Lowest Precedence first, groups without one last; ties keep creation order. UNCONFIRMED: no source
    gives the order of AdminListGroupsForUser or of the cognito:groups claim."""
    return sorted(groups, key=lambda g: (g.precedence is None, g.precedence or 0))


def preferred_role(groups: Sequence[Group]) -> str | None:
    """The role of the group with the lowest precedence among the groups that have a role [DG "Adding groups to
    a user pool", "Assigning precedence values to groups"; BC CreateGroup Precedence]: lower values win over higher
    and null ones; groups tied at the winning precedence give their role only if they all have the same one,
    otherwise the claim is not set."""
    with_roles = [g for g in groups if g.role_arn]
    if not with_roles:
        return None
    ranked = [g.precedence for g in with_roles if g.precedence is not None]
    best = min(ranked) if ranked else None
    tied = {g.role_arn for g in with_roles if g.precedence == best}
    return tied.pop() if len(tied) == 1 else None


def group_claims(pool: UserPool, user: User) -> GroupClaims:
    groups = by_precedence(pool.groups_of(user))
    roles = tuple(dict.fromkeys(g.role_arn for g in groups if g.role_arn))
    return GroupClaims(tuple(g.name for g in groups), roles, preferred_role(groups))


def _limit(request: dict[str, Any]) -> int:
    return int(request.get("Limit") or DEFAULT_PAGE)


def provider_group_name(pool: UserPool, provider_name: str) -> str:
    """The group Cognito makes for each OIDC, SAML and social provider: `[user pool ID]_[IdP name]`; each profile a
    provider's first sign-in makes joins it, linked users do not [DG "Adding groups to a user pool"]."""
    return f"{pool.pool_id}_{provider_name}"


def ensure_provider_group(pool: UserPool, provider_name: str, now: float) -> Group:
    """The provider's group, made with the provider (no description, role or precedence: UNCONFIRMED)."""
    name = provider_group_name(pool, provider_name)
    group = pool.groups.get(name)
    if group is None:
        group = pool.groups[name] = Group(name, None, None, None, now, now)
    return group


@operation("CreateGroup")
def create_group(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    name = request["GroupName"]
    if name in pool.groups:
        raise CognitoError("GroupExistsException", errors.GROUP_EXISTS)
    now = emu.clock.now()
    group = Group(name, request.get("Description"), request.get("RoleArn"), request.get("Precedence"), now, now)
    pool.groups[name] = group
    return {"Group": group_type(pool, group)}


@operation("GetGroup")
def get_group_operation(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    return {"Group": group_type(pool, get_group(pool, request["GroupName"]))}


@operation("UpdateGroup")
def update_group(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """Changes the members given and keeps the others (UNCONFIRMED: the reference does not say whether a member
    left out returns to its default, as UpdateUserPool's do)."""
    pool = get_pool(emu, request["UserPoolId"])
    group = get_group(pool, request["GroupName"])
    if "Description" in request:
        group.description = request["Description"]
    if "RoleArn" in request:
        group.role_arn = request["RoleArn"]
    if "Precedence" in request:
        group.precedence = request["Precedence"]
    group.modified_at = emu.clock.now()
    return {"Group": group_type(pool, group)}


@operation("DeleteGroup")
def delete_group(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """A group with members may be deleted: it stops contributing to their claims [BC DeleteGroup]."""
    pool = get_pool(emu, request["UserPoolId"])
    group = get_group(pool, request["GroupName"])
    del pool.groups[group.name]
    return {}


@operation("ListGroups")
def list_groups(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """In creation order (UNCONFIRMED: the order is not documented)."""
    pool = get_pool(emu, request["UserPoolId"])
    groups = list(pool.groups.values())
    return listed("Groups", groups, request.get("NextToken"), _limit(request), lambda g: group_type(pool, g))


def _member(emu: Emulator, request: dict[str, Any]) -> tuple[UserPool, Group, User]:
    """The group, then the user: an unknown group is reported before an unknown user (UNCONFIRMED order)."""
    pool = get_pool(emu, request["UserPoolId"])
    group = get_group(pool, request["GroupName"])
    return pool, group, require_user(pool, request["Username"])


@operation("AdminAddUserToGroup")
def admin_add_user_to_group(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """Adding a member twice is not an error (UNCONFIRMED)."""
    _, group, user = _member(emu, request)
    group.members[user.sub] = None
    return {}


@operation("AdminRemoveUserFromGroup")
def admin_remove_user_from_group(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """Removing a user who is not a member is not an error (UNCONFIRMED)."""
    _, group, user = _member(emu, request)
    group.members.pop(user.sub, None)
    return {}


@operation("AdminListGroupsForUser")
def admin_list_groups_for_user(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    user = require_user(pool, request["Username"])
    groups = by_precedence(pool.groups_of(user))
    return listed("Groups", groups, request.get("NextToken"), _limit(request), lambda g: group_type(pool, g))


@operation("ListUsersInGroup")
def list_users_in_group(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """Members in the order they were added (UNCONFIRMED)."""
    pool = get_pool(emu, request["UserPoolId"])
    group = get_group(pool, request["GroupName"])
    members = [user for sub in group.members if (user := pool.find_by_sub(sub)) is not None]
    return listed("Users", members, request.get("NextToken"), _limit(request), user_type)
