"""Account state through a real boto3 client: disabling and enabling, an administrator's password reset, and
finding users with ListUsers' Filter."""

from __future__ import annotations

from typing import Any

from harness.emulator import Emulator
from tests.emulator.conftest import PASSWORD, confirmed_user, refused, sign_in


def refresh(cognito: Any, client_id: str, token: str) -> dict[str, Any]:
    return dict(
        cognito.initiate_auth(
            ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token}
        )
    )


def test_disabling_revokes_tokens_for_good(cognito: Any, pool_id: str, client_id: str) -> None:
    """AdminDisableUser revokes the user's tokens; AdminEnableUser lets the user sign in again but does not
    bring the old tokens back [BC AdminDisableUser; OBS jagregory/cognito-local#381]."""
    confirmed_user(cognito, pool_id, "ada")
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    assert refresh(cognito, client_id, tokens["RefreshToken"])["AuthenticationResult"]["AccessToken"]
    cognito.admin_disable_user(UserPoolId=pool_id, Username="ada")
    assert refused(sign_in, cognito=cognito, client_id=client_id, username="ada") == (
        "NotAuthorizedException",
        "User is disabled.",
    )
    revoked_access = ("NotAuthorizedException", "Access Token has been revoked")
    revoked_refresh = ("NotAuthorizedException", "Refresh Token has been revoked")
    assert refused(cognito.get_user, AccessToken=tokens["AccessToken"]) == revoked_access
    assert refused(refresh, cognito=cognito, client_id=client_id, token=tokens["RefreshToken"]) == revoked_refresh
    cognito.admin_enable_user(UserPoolId=pool_id, Username="ada")
    assert refused(cognito.get_user, AccessToken=tokens["AccessToken"]) == revoked_access
    assert refused(refresh, cognito=cognito, client_id=client_id, token=tokens["RefreshToken"]) == revoked_refresh
    fresh = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    assert cognito.get_user(AccessToken=fresh["AccessToken"])["Username"] == "ada"
    assert refresh(cognito, client_id, fresh["RefreshToken"])["AuthenticationResult"]["AccessToken"]


def test_a_disabled_user_is_still_listed_and_read(cognito: Any, pool_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_disable_user(UserPoolId=pool_id, Username="ada")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["Enabled"] is False
    assert [u["Enabled"] for u in cognito.list_users(UserPoolId=pool_id)["Users"]] == [False]


def test_admin_reset_user_password(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    """RESET_REQUIRED, a code to the verified email, sign-in refused until the user sets a password with it."""
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    token = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    cognito.admin_reset_user_password(UserPoolId=pool_id, Username="ada")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserStatus"] == "RESET_REQUIRED"
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None and message.purpose == "ForgotPassword"
    assert refused(sign_in, cognito=cognito, client_id=client_id, username="ada") == (
        "PasswordResetRequiredException",
        "Password reset required for the user",
    )
    change = [{"Name": "given_name", "Value": "Ada"}]
    assert refused(cognito.update_user_attributes, AccessToken=token, UserAttributes=change)[0] == (
        "PasswordResetRequiredException"
    )
    new_password = "Another-Horse-7!"
    cognito.confirm_forgot_password(
        ClientId=client_id, Username="ada", ConfirmationCode=message.code, Password=new_password
    )
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserStatus"] == "CONFIRMED"
    assert sign_in(cognito, client_id, "ada", new_password)["AuthenticationResult"]
    assert refused(sign_in, cognito=cognito, client_id=client_id, username="ada", password=PASSWORD)[0] == (
        "NotAuthorizedException"
    )


def usernames(cognito: Any, pool_id: str, expression: str) -> list[str]:
    return [u["Username"] for u in cognito.list_users(UserPoolId=pool_id, Filter=expression)["Users"]]


def test_list_users_filter_semantics(cognito: Any, pool_id: str) -> None:
    """[BC ListUsers Filter]: cognito:user_status matches whatever the case, status and username match exactly."""
    confirmed_user(cognito, pool_id, "ada")
    confirmed_user(cognito, pool_id, "Alan")
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="grace",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "family_name", "Value": 'Hopper "Amazing" Grace'}],
    )
    cognito.admin_disable_user(UserPoolId=pool_id, Username="Alan")
    assert usernames(cognito, pool_id, 'cognito:user_status = "confirmed"') == ["ada", "Alan"]
    assert usernames(cognito, pool_id, 'cognito:user_status = "Force_Change_Password"') == ["grace"]
    assert usernames(cognito, pool_id, 'cognito:user_status ^= "force"') == ["grace"]
    assert usernames(cognito, pool_id, 'status = "Disabled"') == ["Alan"]
    assert usernames(cognito, pool_id, 'status = "disabled"') == []
    assert usernames(cognito, pool_id, 'username = "alan"') == []
    assert usernames(cognito, pool_id, 'username ^= "A"') == ["Alan"]
    assert usernames(cognito, pool_id, r'family_name = "Hopper \"Amazing\" Grace"') == ["grace"]
    assert usernames(cognito, pool_id, 'family_name ^= "Hopper \\"A"') == ["grace"]
    assert len(cognito.list_users(UserPoolId=pool_id, Filter="")["Users"]) == 3


def test_list_users_filter_errors(cognito: Any, pool_id: str) -> None:
    list_users = cognito.list_users
    unparsable = ("InvalidParameterException", "Error while parsing filter.")
    assert refused(list_users, UserPoolId=pool_id, Filter="email = ada@example.com") == unparsable
    assert refused(list_users, UserPoolId=pool_id, Filter='email == "ada@example.com"') == unparsable
    assert refused(list_users, UserPoolId=pool_id, Filter='email = "a" and name = "b"') == unparsable
    assert refused(list_users, UserPoolId=pool_id, Filter='custom:tier = "gold"') == (
        "InvalidParameterException",
        "Invalid search attribute: custom:tier",
    )
