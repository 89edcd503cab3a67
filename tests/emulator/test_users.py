"""Administering users: get, list with filters and pages, update, delete, set password."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, sign_in


def test_list_users_filters_and_pages(cognito: Any, pool_id: str) -> None:
    for name in ("ada", "alan", "grace"):
        confirmed_user(cognito, pool_id, name, email=f"{name}@example.com")
    assert [u["Username"] for u in cognito.list_users(UserPoolId=pool_id)["Users"]] == [
        "ada",
        "alan",
        "grace",
    ]
    found = cognito.list_users(UserPoolId=pool_id, Filter='email = "grace@example.com"')["Users"]
    assert [u["Username"] for u in found] == ["grace"]
    prefixed = cognito.list_users(UserPoolId=pool_id, Filter='username ^= "a"', AttributesToGet=["email"])["Users"]
    assert [u["Username"] for u in prefixed] == ["ada", "alan"]
    assert prefixed[0]["Attributes"] == [{"Name": "email", "Value": "ada@example.com"}]
    page = cognito.list_users(UserPoolId=pool_id, Limit=2)
    rest = cognito.list_users(UserPoolId=pool_id, Limit=2, PaginationToken=page["PaginationToken"])
    assert [u["Username"] for u in page["Users"] + rest["Users"]] == ["ada", "alan", "grace"]
    with pytest.raises(ClientError) as excinfo:
        cognito.list_users(UserPoolId=pool_id, Filter="email is grace")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_update_attributes_unverifies_a_changed_email(cognito: Any, pool_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "email", "Value": "new@example.com"}]
    )
    attributes = {
        a["Name"]: a["Value"] for a in cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    }
    assert attributes["email"] == "new@example.com"
    assert attributes["email_verified"] == "false"


def test_delete_user(cognito: Any, pool_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_delete_user(UserPoolId=pool_id, Username="ada")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")


def test_set_a_temporary_password(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=False)
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert sign_in(cognito, client_id, "ada")["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
