"""User pool groups through boto3: the nine operations, their errors, and the group claims in tokens."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from harness.emulator import Emulator
from tests.emulator.conftest import confirmed_user, error_of, sign_in

READER = "arn:aws:iam::123456789012:role/reader"
EDITOR = "arn:aws:iam::123456789012:role/editor"
ADMIN = "arn:aws:iam::123456789012:role/admin"


def claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def tokens_of(cognito: Any, client_id: str, username: str = "ada") -> tuple[dict[str, Any], dict[str, Any]]:
    result = sign_in(cognito, client_id, username)["AuthenticationResult"]
    return claims(result["IdToken"]), claims(result["AccessToken"])


def member_of(cognito: Any, pool_id: str, *groups: tuple[str, int | None, str | None], username: str = "ada") -> None:
    for name, precedence, role in groups:
        extra: dict[str, Any] = {}
        if precedence is not None:
            extra["Precedence"] = precedence
        if role is not None:
            extra["RoleArn"] = role
        cognito.create_group(UserPoolId=pool_id, GroupName=name, **extra)
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=name)


def test_create_get_update_and_delete(cognito: Any, pool_id: str) -> None:
    created = cognito.create_group(
        UserPoolId=pool_id, GroupName="editors", Description="can edit", RoleArn=EDITOR, Precedence=3
    )["Group"]
    assert created["GroupName"] == "editors" and created["UserPoolId"] == pool_id
    assert (created["Description"], created["RoleArn"], created["Precedence"]) == ("can edit", EDITOR, 3)
    assert "CreationDate" in created and "LastModifiedDate" in created
    updated = cognito.update_group(UserPoolId=pool_id, GroupName="editors", Precedence=1)["Group"]
    assert (updated["Precedence"], updated["RoleArn"], updated["Description"]) == (1, EDITOR, "can edit")
    assert cognito.get_group(UserPoolId=pool_id, GroupName="editors")["Group"]["Precedence"] == 1
    cognito.delete_group(UserPoolId=pool_id, GroupName="editors")
    with pytest.raises(ClientError) as excinfo:
        cognito.get_group(UserPoolId=pool_id, GroupName="editors")
    assert error_of(excinfo) == ("ResourceNotFoundException", "Group not found.")


def test_a_group_without_optional_members(cognito: Any, pool_id: str) -> None:
    group = cognito.create_group(UserPoolId=pool_id, GroupName="plain")["Group"]
    assert not {"Description", "RoleArn", "Precedence"} & set(group)


def test_a_name_in_use(cognito: Any, pool_id: str) -> None:
    cognito.create_group(UserPoolId=pool_id, GroupName="editors")
    with pytest.raises(ClientError) as excinfo:
        cognito.create_group(UserPoolId=pool_id, GroupName="editors")
    assert error_of(excinfo)[0] == "GroupExistsException"


@pytest.mark.parametrize(
    ("call", "params"),
    [
        ("get_group", {}),
        ("update_group", {"Description": "x"}),
        ("delete_group", {}),
        ("list_users_in_group", {}),
        ("admin_add_user_to_group", {"Username": "ada"}),
        ("admin_remove_user_from_group", {"Username": "ada"}),
    ],
)
def test_an_unknown_group(cognito: Any, pool_id: str, call: str, params: dict[str, Any]) -> None:
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        getattr(cognito, call)(UserPoolId=pool_id, GroupName="nobody", **params)
    assert error_of(excinfo) == ("ResourceNotFoundException", "Group not found.")


def test_an_unknown_user(cognito: Any, pool_id: str) -> None:
    cognito.create_group(UserPoolId=pool_id, GroupName="editors")
    for call, params in (
        ("admin_add_user_to_group", {"GroupName": "editors"}),
        ("admin_remove_user_from_group", {"GroupName": "editors"}),
        ("admin_list_groups_for_user", {}),
    ):
        with pytest.raises(ClientError) as excinfo:
            getattr(cognito, call)(UserPoolId=pool_id, Username="ghost", **params)
        assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")


def test_an_unknown_pool(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.list_groups(UserPoolId="us-east-1_nothere1")
    assert error_of(excinfo) == ("ResourceNotFoundException", "User pool us-east-1_nothere1 does not exist.")


def test_bad_precedence_and_role_arn_are_validated(emu: Emulator) -> None:
    """The service checks the model's constraints itself (boto3 would refuse these before sending them)."""
    cognito = emu.client(config=Config(parameter_validation=False))
    pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
    for extra, member in (({"RoleArn": "not-an-arn-but-long-enough"}, "roleArn"), ({"Precedence": -1}, "precedence")):
        with pytest.raises(ClientError) as excinfo:
            cognito.create_group(UserPoolId=pool_id, GroupName="g", **extra)
        code, message = error_of(excinfo)
        assert code == "InvalidParameterException" and f"'{member}'" in message


def test_list_groups_pages(cognito: Any, pool_id: str) -> None:
    names = [f"g{i}" for i in range(5)]
    for name in names:
        cognito.create_group(UserPoolId=pool_id, GroupName=name)
    seen: list[str] = []
    request: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 2}
    while True:
        page = cognito.list_groups(**request)
        assert len(page["Groups"]) <= 2
        seen += [g["GroupName"] for g in page["Groups"]]
        if "NextToken" not in page:
            break
        request["NextToken"] = page["NextToken"]
    assert seen == names


def test_membership(cognito: Any, pool_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    confirmed_user(cognito, pool_id, "bob")
    member_of(cognito, pool_id, ("editors", 5, None), ("admins", 1, None))
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="bob", GroupName="editors")
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="bob", GroupName="editors")  # twice: no error
    listed = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="ada")["Groups"]
    assert [g["GroupName"] for g in listed] == ["admins", "editors"]  # lowest precedence first
    users = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="editors")["Users"]
    assert [u["Username"] for u in users] == ["ada", "bob"]
    cognito.admin_remove_user_from_group(UserPoolId=pool_id, Username="ada", GroupName="editors")
    users = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="editors")["Users"]
    assert [u["Username"] for u in users] == ["bob"]


def test_a_deleted_user_leaves_its_groups(cognito: Any, pool_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    member_of(cognito, pool_id, ("editors", None, None))
    cognito.admin_delete_user(UserPoolId=pool_id, Username="ada")
    confirmed_user(cognito, pool_id, "ada")  # the same username again: a new user
    assert cognito.list_users_in_group(UserPoolId=pool_id, GroupName="editors")["Users"] == []
    assert cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="ada")["Groups"] == []


def test_no_groups_no_group_claims(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    id_claims, access_claims = tokens_of(cognito, client_id)
    assert not {"cognito:groups", "cognito:roles", "cognito:preferred_role"} & (set(id_claims) | set(access_claims))


def test_group_claims_in_both_tokens(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    member_of(cognito, pool_id, ("readers", 10, READER), ("editors", 2, EDITOR))
    id_claims, access_claims = tokens_of(cognito, client_id)
    assert sorted(id_claims["cognito:groups"]) == ["editors", "readers"]
    assert sorted(access_claims["cognito:groups"]) == ["editors", "readers"]
    assert sorted(id_claims["cognito:roles"]) == [EDITOR, READER]
    assert id_claims["cognito:preferred_role"] == EDITOR  # the lower precedence wins
    assert "cognito:roles" not in access_claims and "cognito:preferred_role" not in access_claims


def test_a_group_with_precedence_beats_one_without(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    member_of(cognito, pool_id, ("nulls", None, ADMIN), ("ranked", 100, READER))
    id_claims, _ = tokens_of(cognito, client_id)
    assert id_claims["cognito:preferred_role"] == READER


def test_tied_groups_with_different_roles_give_no_preferred_role(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    member_of(cognito, pool_id, ("a", 1, READER), ("b", 1, EDITOR), ("c", 7, ADMIN))
    id_claims, _ = tokens_of(cognito, client_id)
    assert "cognito:preferred_role" not in id_claims
    assert sorted(id_claims["cognito:roles"]) == sorted([READER, EDITOR, ADMIN])


def test_tied_groups_with_the_same_role_give_it(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    member_of(cognito, pool_id, ("a", 1, READER), ("b", 1, READER))
    id_claims, _ = tokens_of(cognito, client_id)
    assert id_claims["cognito:preferred_role"] == READER and id_claims["cognito:roles"] == [READER]


def test_a_group_without_a_role_does_not_block_the_next(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    member_of(cognito, pool_id, ("top", 0, None), ("second", 5, EDITOR))
    id_claims, _ = tokens_of(cognito, client_id)
    assert id_claims["cognito:preferred_role"] == EDITOR


def test_deleting_a_group_drops_it_from_tokens(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    member_of(cognito, pool_id, ("editors", 1, EDITOR), ("readers", 2, READER))
    cognito.delete_group(UserPoolId=pool_id, GroupName="editors")
    id_claims, access_claims = tokens_of(cognito, client_id)
    assert id_claims["cognito:groups"] == access_claims["cognito:groups"] == ["readers"]
    assert id_claims["cognito:preferred_role"] == READER


def test_refreshed_tokens_follow_membership(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    refresh = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["RefreshToken"]
    member_of(cognito, pool_id, ("editors", None, None))
    result = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh}
    )["AuthenticationResult"]
    assert claims(result["AccessToken"])["cognito:groups"] == ["editors"]
