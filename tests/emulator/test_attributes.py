"""A user's own attributes through a real boto3 client: update, verify, delete, and what a changed email does."""

from __future__ import annotations

from typing import Any

import jwt
from pycognito import Cognito

from harness.emulator import Emulator
from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD, confirmed_user, http_client, make_client, refused, sign_in

UNWRITABLE = ("NotAuthorizedException", "A client attempted to write unauthorized attribute")


def alias_pool(cognito: Any, *, keep_original: bool) -> tuple[str, str]:
    """A pool where users sign in by username or verified email alias, emails auto-verified; and its client."""
    settings: dict[str, Any] = {"AliasAttributes": ["email"], "AutoVerifiedAttributes": ["email"]}
    if keep_original:
        settings["UserAttributeUpdateSettings"] = {"AttributesRequireVerificationBeforeUpdate": ["email"]}
    pool_id = cognito.create_user_pool(
        PoolName="aliases",
        Schema=[
            {"Name": "tier", "AttributeDataType": "String", "Mutable": True},
            {"Name": "employee_id", "AttributeDataType": "String", "Mutable": False},
            {"Name": "reviewer", "AttributeDataType": "String", "Mutable": True, "DeveloperOnlyAttribute": True},
        ],
        **settings,
    )["UserPool"]["Id"]
    return pool_id, make_client(cognito, pool_id)["ClientId"]


def access_token(cognito: Any, client_id: str, username: str = "ada") -> str:
    return str(sign_in(cognito, client_id, username)["AuthenticationResult"]["AccessToken"])


def attributes_of(cognito: Any, token: str) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in cognito.get_user(AccessToken=token)["UserAttributes"]}


def last_code(emu: Emulator, address: str) -> str:
    message = emu.outbox.last(to=address)
    assert message is not None, f"nothing was sent to {address}"
    return message.code


def test_pycognito_update_profile_wire_call(cognito: Any, pool_id: str, client_id: str) -> None:
    """pycognito's Cognito.update_profile sends UpdateUserAttributes with the access token and a Name/Value list."""
    confirmed_user(cognito, pool_id, "ada")
    token = access_token(cognito, client_id)
    reply = cognito.update_user_attributes(
        AccessToken=token,
        UserAttributes=[{"Name": "given_name", "Value": "Ada"}, {"Name": "family_name", "Value": "Lovelace"}],
    )
    assert "CodeDeliveryDetailsList" not in reply  # nothing to verify
    attributes = attributes_of(cognito, token)
    assert (attributes["given_name"], attributes["family_name"]) == ("Ada", "Lovelace")
    cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "family_name", "Value": ""}])
    assert "family_name" not in attributes_of(cognito, token)  # a blank value deletes [BC]


def test_changed_email_without_keeping_the_original(cognito: Any, emu: Emulator) -> None:
    """The new email is in effect at once but unverified: no alias sign-in and no recovery at either address."""
    pool_id, client_id = alias_pool(cognito, keep_original=False)
    confirmed_user(cognito, pool_id, "ada", email="old@example.com")
    assert sign_in(cognito, client_id, "old@example.com")["AuthenticationResult"]
    token = access_token(cognito, client_id)
    reply = cognito.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": "new@example.com"}]
    )
    assert reply["CodeDeliveryDetailsList"] == [
        {"Destination": "n***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    attributes = attributes_of(cognito, token)
    assert (attributes["email"], attributes["email_verified"]) == ("new@example.com", "false")
    for address in ("new@example.com", "old@example.com"):
        assert refused(sign_in, cognito=cognito, client_id=client_id, username=address) == (
            "UserNotFoundException",
            "User does not exist.",
        )
    assert refused(cognito.forgot_password, ClientId=client_id, Username="ada")[0] == "InvalidParameterException"
    assert sign_in(cognito, client_id, "ada")["AuthenticationResult"]  # the username still works
    cognito.verify_user_attribute(AccessToken=token, AttributeName="email", Code=last_code(emu, "new@example.com"))
    assert attributes_of(cognito, token)["email_verified"] == "true"
    assert sign_in(cognito, client_id, "new@example.com")["AuthenticationResult"]


def test_changed_email_keeping_the_original_until_verified(cognito: Any, emu: Emulator) -> None:
    """AttributesRequireVerificationBeforeUpdate: the old email signs in and gets messages; the code goes to the new."""
    pool_id, client_id = alias_pool(cognito, keep_original=True)
    confirmed_user(cognito, pool_id, "ada", email="old@example.com")
    token = access_token(cognito, client_id)
    reply = cognito.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": "new@example.com"}]
    )
    assert reply["CodeDeliveryDetailsList"][0]["Destination"] == "n***@e***"
    assert last_code(emu, "new@example.com")
    attributes = attributes_of(cognito, token)
    assert (attributes["email"], attributes["email_verified"]) == ("old@example.com", "true")
    assert sign_in(cognito, client_id, "old@example.com")["AuthenticationResult"]
    assert refused(sign_in, cognito=cognito, client_id=client_id, username="new@example.com")[0] == (
        "UserNotFoundException"
    )
    delivery = cognito.forgot_password(ClientId=client_id, Username="ada")["CodeDeliveryDetails"]
    assert delivery["Destination"] == "o***@e***"  # recovery still goes to the address in effect
    assert emu.outbox.last(to="old@example.com").purpose == "ForgotPassword"  # type: ignore[union-attr]
    cognito.verify_user_attribute(AccessToken=token, AttributeName="email", Code=last_code(emu, "new@example.com"))
    attributes = attributes_of(cognito, token)
    assert (attributes["email"], attributes["email_verified"]) == ("new@example.com", "true")
    assert sign_in(cognito, client_id, "new@example.com")["AuthenticationResult"]
    assert refused(sign_in, cognito=cognito, client_id=client_id, username="old@example.com")[0] == (
        "UserNotFoundException"
    )


def test_admin_changes_share_the_rules(cognito: Any, emu: Emulator) -> None:
    """AdminUpdateUserAttributes: email_verified true with the change skips the message; alone, it verifies a
    pending value; without it, the pending rule applies as for the user's own call."""
    pool_id, client_id = alias_pool(cognito, keep_original=True)
    confirmed_user(cognito, pool_id, "ada", email="old@example.com")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "email", "Value": "pending@example.com"}]
    )
    assert last_code(emu, "pending@example.com")
    admin_view = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    assert {"Name": "email", "Value": "old@example.com"} in admin_view
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "email_verified", "Value": "true"}]
    )
    assert sign_in(cognito, client_id, "pending@example.com")["AuthenticationResult"]
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[{"Name": "email", "Value": "direct@example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    assert emu.outbox.last(to="direct@example.com") is None  # verified by the administrator: no message
    assert sign_in(cognito, client_id, "direct@example.com")["AuthenticationResult"]


def test_verification_codes(cognito: Any, emu: Emulator) -> None:
    pool_id, client_id = alias_pool(cognito, keep_original=True)
    confirmed_user(cognito, pool_id, "ada", email="old@example.com")
    token = access_token(cognito, client_id)
    cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email", "Value": "new@example.com"}])
    first = last_code(emu, "new@example.com")
    wrong = "000000" if first != "000000" else "111111"
    verify = cognito.verify_user_attribute
    assert refused(verify, AccessToken=token, AttributeName="email", Code=wrong) == (
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
    # A fresh code goes to the value awaiting verification, and replaces the first.
    sent = cognito.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
    assert sent["CodeDeliveryDetails"]["Destination"] == "n***@e***"
    second = last_code(emu, "new@example.com")
    emu.clock.advance(24 * 3600)  # codes live 24 hours [DG]; so does no access token: sign in again
    token = access_token(cognito, client_id)
    assert refused(verify, AccessToken=token, AttributeName="email", Code=second) == (
        "ExpiredCodeException",
        "Invalid code provided, please request a code again.",
    )
    not_verifiable = (
        "InvalidParameterException",
        "Invalid attribute name. Only phone_number and email can be verified.",
    )
    assert refused(verify, AccessToken=token, AttributeName="given_name", Code=second) == not_verifiable
    ask = cognito.get_user_attribute_verification_code
    assert refused(ask, AccessToken=token, AttributeName="given_name") == not_verifiable
    assert refused(ask, AccessToken=token, AttributeName="phone_number") == (  # ada has no number
        "InvalidParameterException",
        "User does not have a valid registered phone number",
    )


def test_writes_the_schema_and_the_client_refuse(cognito: Any, emu: Emulator) -> None:
    pool_id, client_id = alias_pool(cognito, keep_original=False)
    confirmed_user(cognito, pool_id, "ada")
    token = access_token(cognito, client_id)
    update = cognito.update_user_attributes

    def attempt(name: str, value: str = "x") -> tuple[str, str]:
        return refused(update, AccessToken=token, UserAttributes=[{"Name": name, "Value": value}])

    assert attempt("favourite_colour") == (
        "InvalidParameterException",
        "Attributes did not conform to the schema: Type for attribute {favourite_colour} could not be determined",
    )
    assert attempt("email_verified", "true") == UNWRITABLE  # only an administrator verifies by fiat
    assert attempt("sub") == UNWRITABLE
    assert attempt("custom:employee_id") == (
        "InvalidParameterException",
        "Cannot modify the non-mutable attribute custom:employee_id",
    )
    assert attempt("email", "not-an-email") == ("InvalidParameterException", "Invalid email address format.")
    assert attempt("dev:custom:reviewer") == UNWRITABLE  # developer-only: administrators write it [BC]
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "dev:custom:reviewer", "Value": "grace"}]
    )
    update(AccessToken=token, UserAttributes=[{"Name": "custom:tier", "Value": "gold"}])
    assert attributes_of(cognito, token)["custom:tier"] == "gold"
    assert refused(
        cognito.admin_update_user_attributes,
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[{"Name": "sub", "Value": "x"}],
    ) == ("InvalidParameterException", "Cannot modify the non-mutable attribute sub")
    # An app client with its own WriteAttributes may write only those.
    narrow = make_client(cognito, pool_id, WriteAttributes=["given_name"])["ClientId"]
    narrow_token = access_token(cognito, narrow)
    update(AccessToken=narrow_token, UserAttributes=[{"Name": "given_name", "Value": "Ada"}])
    assert refused(update, AccessToken=narrow_token, UserAttributes=[{"Name": "custom:tier", "Value": "x"}]) == (
        UNWRITABLE
    )


def test_the_access_token_must_be_valid_live_and_scoped(
    cognito: Any, emu: Emulator, pool_id: str, client_id: str
) -> None:
    confirmed_user(cognito, pool_id, "ada")
    change = [{"Name": "given_name", "Value": "Ada"}]
    token = access_token(cognito, client_id)
    claims = jwt.decode(token, options={"verify_signature": False})
    unscoped = emu.pools[pool_id].keys.sign({**claims, "scope": "openid email"})
    assert refused(cognito.update_user_attributes, AccessToken=unscoped, UserAttributes=change) == (
        "NotAuthorizedException",
        "Access Token does not have required scopes",
    )
    cognito.global_sign_out(AccessToken=token)
    assert refused(cognito.update_user_attributes, AccessToken=token, UserAttributes=change) == (
        "NotAuthorizedException",
        "Access Token has been revoked",
    )
    fresh = access_token(cognito, client_id)
    emu.clock.advance(3600)
    assert refused(cognito.delete_user, AccessToken=fresh) == ("NotAuthorizedException", "Access Token has expired")


def test_delete_attributes(cognito: Any, emu: Emulator) -> None:
    pool_id = cognito.create_user_pool(
        PoolName="required-name",
        Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True, "Mutable": True}],
    )["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "name", "Value": "Ada"}, {"Name": "nickname", "Value": "A"}],
    )
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True)
    token = access_token(cognito, client_id)
    cognito.delete_user_attributes(AccessToken=token, UserAttributeNames=["nickname"])
    assert "nickname" not in attributes_of(cognito, token)
    required = ("InvalidParameterException", "user.name: Required attribute cannot be deleted.")
    assert refused(cognito.delete_user_attributes, AccessToken=token, UserAttributeNames=["name"]) == required
    assert refused(
        cognito.update_user_attributes, AccessToken=token, UserAttributes=[{"Name": "name", "Value": ""}]
    ) == (required)
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "locale", "Value": "en"}]
    )
    cognito.admin_delete_user_attributes(UserPoolId=pool_id, Username="ada", UserAttributeNames=["locale"])
    assert "locale" not in attributes_of(cognito, token)


def test_delete_user(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    cognito.delete_user(AccessToken=tokens["AccessToken"])
    assert refused(sign_in, cognito=cognito, client_id=client_id, username="ada") == (
        "UserNotFoundException",
        "User does not exist.",
    )
    refresh = {"REFRESH_TOKEN": tokens["RefreshToken"]}
    assert refused(cognito.initiate_auth, ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh)[
        0
    ] == ("NotAuthorizedException")


def test_an_email_username_cannot_take_another_users_email(cognito: Any) -> None:
    pool_id = cognito.create_user_pool(PoolName="emails", UsernameAttributes=["email"])["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    for email in ("ada@example.com", "grace@example.com"):
        cognito.admin_create_user(UserPoolId=pool_id, Username=email, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=PASSWORD, Permanent=True)
    token = access_token(cognito, client_id, "ada@example.com")
    assert refused(
        cognito.update_user_attributes,
        AccessToken=token,
        UserAttributes=[{"Name": "email", "Value": "grace@example.com"}],
    ) == ("AliasExistsException", "An account with the email already exists.")


def test_email_otp_goes_to_the_email_in_effect(cognito: Any, emu: Emulator) -> None:
    """While a new email waits for verification, passwordless EMAIL_OTP codes still go to the original one."""
    pool_id = cognito.create_user_pool(
        PoolName="otp",
        AutoVerifiedAttributes=["email"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
    )["UserPool"]["Id"]
    flows = ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=flows)["ClientId"]
    confirmed_user(cognito, pool_id, "ada", email="old@example.com")
    token = access_token(cognito, client_id)
    cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email", "Value": "new@example.com"}])
    otp = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    )
    assert otp["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "o***@e***"
    message = emu.outbox.last(to="old@example.com")
    assert message is not None and message.purpose == "EMAIL_OTP"


def test_pycognito_update_profile(server: EmulatorServer) -> None:
    """The real pycognito: SRP sign-in, then Cognito.update_profile and get_user over loopback HTTP."""
    cognito = http_client(server)
    pool_id = cognito.create_user_pool(PoolName="pycognito", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    endpoint = {"endpoint_url": server.url, "aws_access_key_id": "x", "aws_secret_access_key": "x"}
    user = Cognito(pool_id, client_id, username="ada", boto3_client_kwargs=endpoint)
    user.authenticate(password=PASSWORD)  # USER_SRP_AUTH, and the tokens verified against the served JWKS
    shown_as = {"nickname": "display_name"}  # pycognito's attr_map: Cognito name -> the app's name
    user.update_profile({"given_name": "Ada", "display_name": "Countess"}, attr_map=shown_as)
    profile = user.get_user(attr_map=shown_as)
    assert (profile.given_name, profile.display_name) == ("Ada", "Countess")
