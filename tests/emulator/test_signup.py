"""Sign-up and confirmation: codes from the outbox, their expiry and mismatch, policies, usernames."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from harness.emulator import Emulator, errors
from tests.emulator.conftest import PASSWORD, error_of, make_client, sign_in

EMAIL = [{"Name": "email", "Value": "ada@example.com"}]


def test_sign_up_sends_a_code_and_confirm_consumes_it(
    cognito: Any, emu: Emulator, pool_id: str, client_id: str
) -> None:
    result = cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=EMAIL)
    assert result["UserConfirmed"] is False
    assert result["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None and message.purpose == "SignUp" and len(message.code) == 6
    assert message.username == "ada" and message.medium == "EMAIL"
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserStatus"] == "UNCONFIRMED"
    cognito.confirm_sign_up(ClientId=client_id, Username="ada", ConfirmationCode=message.code)
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    assert {a["Name"] for a in user["UserAttributes"]} >= {"sub", "email"}
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_sign_up(ClientId=client_id, Username="ada", ConfirmationCode=message.code)
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "User cannot be confirmed. Current status is CONFIRMED",
    )


def test_wrong_and_expired_codes(cognito: Any, emu: Emulator, client_id: str) -> None:
    cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=EMAIL)
    code = emu.outbox.last(to="ada@example.com").code  # type: ignore[union-attr]
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_sign_up(ClientId=client_id, Username="ada", ConfirmationCode=wrong)
    assert error_of(excinfo) == (
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
    emu.clock.advance(24 * 3600)
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_sign_up(ClientId=client_id, Username="ada", ConfirmationCode=code)
    assert error_of(excinfo) == (
        "ExpiredCodeException",
        "Invalid code provided, please request a code again.",
    )
    cognito.resend_confirmation_code(ClientId=client_id, Username="ada")
    fresh = emu.outbox.last(to="ada@example.com")
    assert fresh is not None and fresh.sent_at > 0
    cognito.confirm_sign_up(ClientId=client_id, Username="ada", ConfirmationCode=fresh.code)


def test_resend_for_a_confirmed_user(cognito: Any, emu: Emulator, client_id: str) -> None:
    cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=EMAIL)
    cognito.confirm_sign_up(ClientId=client_id, Username="ada", ConfirmationCode=emu.outbox.last().code)  # type: ignore[union-attr]
    with pytest.raises(ClientError) as excinfo:
        cognito.resend_confirmation_code(ClientId=client_id, Username="ada")
    assert error_of(excinfo) == ("InvalidParameterException", "User is already confirmed.")


def test_username_exists(cognito: Any, client_id: str) -> None:
    cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=EMAIL)
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=EMAIL)
    assert error_of(excinfo) == ("UsernameExistsException", "User already exists")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt!", "Password not long enough"),
        ("lower-case-1!", "Password must have uppercase characters"),
        ("UPPER-CASE-1!", "Password must have lowercase characters"),
        ("No-Numbers-Here!", "Password must have numeric characters"),
        ("NoSymbols123", "Password must have symbol characters"),
    ],
)
def test_password_policy_messages(cognito: Any, client_id: str, password: str, reason: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="ada", Password=password, UserAttributes=EMAIL)
    assert error_of(excinfo) == (
        "InvalidPasswordException",
        f"Password did not conform with policy: {reason}",
    )


def test_relaxed_policy(cognito: Any) -> None:
    policy = {
        "MinimumLength": 6,
        "RequireUppercase": False,
        "RequireLowercase": False,
        "RequireNumbers": False,
        "RequireSymbols": False,
    }
    pool_id = cognito.create_user_pool(PoolName="relaxed", Policies={"PasswordPolicy": policy})["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    cognito.sign_up(ClientId=client_id, Username="ada", Password="simple")


def test_email_as_username(cognito: Any, emu: Emulator) -> None:
    pool_id = cognito.create_user_pool(
        PoolName="by-email", UsernameAttributes=["email"], AutoVerifiedAttributes=["email"]
    )["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    sub = cognito.sign_up(ClientId=client_id, Username="ada@example.com", Password=PASSWORD)["UserSub"]
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="ada@example.com")
    assert user["Username"] == sub  # the internal username is the sub
    assert {"Name": "email", "Value": "ada@example.com"} in user["UserAttributes"]
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="ada@example.com", Password=PASSWORD)
    assert error_of(excinfo) == ("UsernameExistsException", "An account with the given email already exists.")
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="not-an-email", Password=PASSWORD)
    assert error_of(excinfo) == ("InvalidParameterException", "Username should be an email.")  # [OBS amplify-js#533]
    cognito.confirm_sign_up(ClientId=client_id, Username="ada@example.com", ConfirmationCode=emu.outbox.last().code)  # type: ignore[union-attr]
    tokens = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada@example.com", "PASSWORD": PASSWORD},
    )
    assert "AccessToken" in tokens["AuthenticationResult"]


EMAIL_SHAPED = ("InvalidParameterException", errors.USERNAME_EMAIL_FORMAT)
PHONE_SHAPED = ("InvalidParameterException", errors.USERNAME_PHONE_FORMAT)


@pytest.mark.parametrize(
    ("aliases", "username", "expected"),
    [
        (["email"], "ada@example.com", EMAIL_SHAPED),
        (["email"], "+15555550100", None),  # a phone-shaped name is only refused beside a phone alias
        (["phone_number"], "+15555550100", PHONE_SHAPED),
        (["phone_number"], "ada@example.com", None),
        (["email", "phone_number"], "+15555550100", PHONE_SHAPED),
        (["email", "phone_number"], "ada.lovelace", None),
        (["preferred_username"], "ada@example.com", None),
    ],
)
def test_a_username_shaped_like_an_alias_is_refused(
    cognito: Any, aliases: list[str], username: str, expected: tuple[str, str] | None
) -> None:
    """In a pool with an email (phone) alias, SignUp and AdminCreateUser refuse an email- (phone-) shaped username:
    it could be taken for another user's alias (errors.py has the sources)."""
    pool_id = cognito.create_user_pool(PoolName="alias", AliasAttributes=aliases)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    for create in (
        lambda: cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD),
        lambda: cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS"),
    ):
        if expected is None:
            create()
            assert cognito.admin_get_user(UserPoolId=pool_id, Username=username)["Username"] == username
            cognito.admin_delete_user(UserPoolId=pool_id, Username=username)
            continue
        with pytest.raises(ClientError) as excinfo:
            create()
        assert error_of(excinfo) == expected
        assert cognito.list_users(UserPoolId=pool_id)["Users"] == []  # nothing was created


def test_an_email_alias_pool_signs_up_an_opaque_username_and_signs_in_by_the_email(cognito: Any, emu: Emulator) -> None:
    """The fix for the refusal above: any other username, the email as an attribute; once confirmed (verified),
    the email signs in as an alias."""
    pool_id = cognito.create_user_pool(PoolName="alias", AliasAttributes=["email"], AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    cognito.sign_up(ClientId=client_id, Username="u-7f3a", Password=PASSWORD, UserAttributes=EMAIL)
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None
    cognito.confirm_sign_up(ClientId=client_id, Username="u-7f3a", ConfirmationCode=message.code)
    assert "AccessToken" in sign_in(cognito, client_id, "ada@example.com")["AuthenticationResult"]


PREFERRED_AT_SIGN_UP = ("InvalidParameterException", errors.PREFERRED_USERNAME_UNCONFIRMED)
COUNTESS = [{"Name": "preferred_username", "Value": "countess"}]


def test_a_preferred_username_alias_waits_for_the_confirmed_account(cognito: Any) -> None:
    """[DG "User pool attributes"] a preferred_username alias is given only once the account is confirmed, never at
    sign-up (the text: amplify-js#1669); an administrator's change to an unconfirmed user is refused the same way
    (UNCONFIRMED), a user an administrator created may have one (UNCONFIRMED), and once confirmed it signs in."""
    pool_id = cognito.create_user_pool(PoolName="alias", AliasAttributes=["preferred_username"])["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=COUNTESS)
    assert error_of(excinfo) == PREFERRED_AT_SIGN_UP
    assert cognito.list_users(UserPoolId=pool_id)["Users"] == []
    cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_update_user_attributes(UserPoolId=pool_id, Username="ada", UserAttributes=COUNTESS)
    assert error_of(excinfo) == PREFERRED_AT_SIGN_UP
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="ada")
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username="ada", UserAttributes=COUNTESS)
    assert "AccessToken" in sign_in(cognito, client_id, "countess")["AuthenticationResult"]
    created = cognito.admin_create_user(
        UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "preferred_username", "Value": "bobby"}],
    )  # fmt: skip
    assert created["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_preferred_username_that_is_not_an_alias_is_an_attribute_like_any(cognito: Any) -> None:
    """Without the alias, SignUp takes preferred_username as any other standard attribute."""
    pool_id = cognito.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=COUNTESS)
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert COUNTESS[0] in user["UserAttributes"]


def test_email_alias_must_be_unique_when_confirmed(cognito: Any, emu: Emulator) -> None:
    pool_id = cognito.create_user_pool(PoolName="alias", AliasAttributes=["email"], AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    for name in ("ada", "ada2"):
        cognito.sign_up(ClientId=client_id, Username=name, Password=PASSWORD, UserAttributes=EMAIL)
    codes = [m.code for m in emu.outbox.messages(to="ada@example.com")]
    cognito.confirm_sign_up(ClientId=client_id, Username="ada", ConfirmationCode=codes[0])
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_sign_up(ClientId=client_id, Username="ada2", ConfirmationCode=codes[1])
    assert error_of(excinfo) == ("AliasExistsException", "An account with the email already exists.")
    # the verified alias signs in
    result = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada@example.com", "PASSWORD": PASSWORD},
    )
    assert "AuthenticationResult" in result


def test_attributes_checked_against_the_schema(cognito: Any) -> None:
    schema = [
        {"Name": "email", "AttributeDataType": "String", "Required": True},
        {"Name": "team", "AttributeDataType": "String"},  # written as custom:team
    ]
    pool_id = cognito.create_user_pool(PoolName="schema", Schema=schema)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD)
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Attributes did not conform to the schema: email: The attribute is required",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(
            ClientId=client_id,
            Username="ada",
            Password=PASSWORD,
            UserAttributes=[*EMAIL, {"Name": "custom:nope", "Value": "x"}],
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined",
    )
    cognito.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[*EMAIL, {"Name": "custom:team", "Value": "x"}],
    )


def test_sign_up_without_password_when_not_passwordless(cognito: Any, client_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="ada", UserAttributes=EMAIL)
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_admin_confirm_sign_up(cognito: Any, pool_id: str, client_id: str) -> None:
    cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=EMAIL)
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="ada")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserStatus"] == "CONFIRMED"


def test_a_schema_name_given_with_its_prefix_gets_a_second_one(cognito: Any) -> None:
    """Cognito puts `custom:` before a custom attribute's declared Name, even one that has it: a schema written with
    `custom:team` makes `custom:custom:team`, and `custom:team` does not exist [BC SchemaAttributeType Name; C:
    awsdocs/aws-cloudformation-user-guide#932]."""
    schema = [{"Name": "custom:team", "AttributeDataType": "String"}]
    pool_id = cognito.create_user_pool(PoolName="prefixed", Schema=schema)["UserPool"]["Id"]
    names = [a["Name"] for a in cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]]
    assert "custom:custom:team" in names and "custom:team" not in names
    client_id = make_client(cognito, pool_id)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(
            ClientId=client_id,
            Username="ada",
            Password=PASSWORD,
            UserAttributes=[{"Name": "custom:team", "Value": "x"}],
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Attributes did not conform to the schema: Type for attribute {custom:team} could not be determined",
    )
    attributes = [{"Name": "custom:custom:team", "Value": "x"}]
    cognito.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=attributes)
