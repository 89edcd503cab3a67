"""Password sign-in: flows enabled per client, SECRET_HASH, user states, existence errors, challenges, sessions."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest
from botocore.exceptions import ClientError

from harness.emulator import Emulator
from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, make_client, sign_in

NEW_PASSWORD = "Another-Horse-7?"


def test_user_password_auth_issues_tokens(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    result = sign_in(cognito, client_id, "ada")
    tokens = result["AuthenticationResult"]
    assert set(tokens) == {"AccessToken", "ExpiresIn", "TokenType", "RefreshToken", "IdToken"}
    assert tokens["ExpiresIn"] == 3600 and tokens["TokenType"] == "Bearer"
    assert result["ChallengeParameters"] == {}


def test_admin_user_password_auth(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    result = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )
    assert "IdToken" in result["AuthenticationResult"]


@pytest.mark.parametrize(
    ("flows", "call", "message"),
    [
        (["ALLOW_USER_SRP_AUTH"], "public-password", "USER_PASSWORD_AUTH flow not enabled for this client"),
        (["ALLOW_USER_PASSWORD_AUTH"], "public-srp", "USER_SRP_AUTH is not enabled for the client."),
        (["ALLOW_USER_PASSWORD_AUTH"], "public-custom", "CUSTOM_AUTH is not enabled for the client."),
        (["ALLOW_USER_PASSWORD_AUTH"], "public-user-auth", "USER_AUTH flow not enabled for this client"),
        (
            ["ALLOW_USER_PASSWORD_AUTH"],
            "public-refresh",
            "REFRESH_TOKEN_AUTH flow not enabled for this client",
        ),
        (["ALLOW_USER_PASSWORD_AUTH"], "admin-password", "Auth flow not enabled for this client"),
        (
            ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"],
            "public-admin-flow",
            "Initiate Auth method not supported.",
        ),
    ],
)
def test_flows_the_client_does_not_allow(cognito: Any, pool_id: str, flows: list[str], call: str, message: str) -> None:
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=flows)["ClientId"]
    params = {"USERNAME": "ada", "PASSWORD": PASSWORD}
    with pytest.raises(ClientError) as excinfo:
        if call == "admin-password":
            cognito.admin_initiate_auth(
                UserPoolId=pool_id,
                ClientId=client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters=params,
            )
        else:
            flow = {
                "public-password": "USER_PASSWORD_AUTH", "public-srp": "USER_SRP_AUTH", "public-user-auth": "USER_AUTH",
                "public-custom": "CUSTOM_AUTH",
                "public-refresh": "REFRESH_TOKEN_AUTH", "public-admin-flow": "ADMIN_USER_PASSWORD_AUTH",
            }[call]  # fmt: skip
            cognito.initiate_auth(ClientId=client_id, AuthFlow=flow, AuthParameters=params)
    assert error_of(excinfo) == ("InvalidParameterException", message)


def test_legacy_flow_names_are_honoured(cognito: Any, pool_id: str) -> None:
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=["USER_PASSWORD_AUTH"])["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    assert "AuthenticationResult" in sign_in(cognito, client_id, "ada")


@pytest.mark.parametrize(
    ("params", "missing"), [({"PASSWORD": PASSWORD}, "USERNAME"), ({"USERNAME": "ada"}, "PASSWORD")]
)
def test_missing_parameters(cognito: Any, client_id: str, params: dict[str, str], missing: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)
    assert error_of(excinfo) == ("InvalidParameterException", f"Missing required parameter {missing}")


def test_unknown_client(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, "nosuchclient", "ada")
    assert error_of(excinfo) == ("ResourceNotFoundException", "User pool client nosuchclient does not exist.")


def test_wrong_password(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada", "Wrong-Horse-9!")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("LEGACY", ("UserNotFoundException", "User does not exist.")),
        ("ENABLED", ("NotAuthorizedException", "Incorrect username or password.")),
    ],
)
def test_unknown_user_and_prevent_user_existence_errors(
    cognito: Any, pool_id: str, setting: str, expected: tuple[str, str]
) -> None:
    client_id = make_client(cognito, pool_id, PreventUserExistenceErrors=setting)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "nobody")
    assert error_of(excinfo) == expected


def test_unconfirmed_user_only_after_the_right_password(cognito: Any, client_id: str) -> None:
    cognito.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "a@example.com"}],
    )
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada", "Wrong-Horse-9!")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada")
    assert error_of(excinfo) == ("UserNotConfirmedException", "User is not confirmed.")


def test_disabled_user(cognito: Any, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_disable_user(UserPoolId=pool_id, Username="ada")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["Enabled"] is False
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada")
    assert error_of(excinfo) == ("NotAuthorizedException", "User is disabled.")
    cognito.admin_enable_user(UserPoolId=pool_id, Username="ada")
    assert "AuthenticationResult" in sign_in(cognito, client_id, "ada")


def _hash(secret: str, username: str, client_id: str) -> str:
    return base64.b64encode(
        hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    ).decode()


def test_secret_hash(cognito: Any, pool_id: str) -> None:
    client = make_client(cognito, pool_id, GenerateSecret=True)
    client_id, secret = client["ClientId"], client["ClientSecret"]
    confirmed_user(cognito, pool_id, "ada")
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada")
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        f"Client {client_id} is configured with secret but SECRET_HASH was not received",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={
                "USERNAME": "ada",
                "PASSWORD": PASSWORD,
                "SECRET_HASH": _hash("wrong", "ada", client_id),
            },
        )
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        f"Unable to verify secret hash for client {client_id}",
    )
    result = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": "ada",
            "PASSWORD": PASSWORD,
            "SECRET_HASH": _hash(secret, "ada", client_id),
        },
    )
    assert "AccessToken" in result["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="bob", Password=PASSWORD)
    assert error_of(excinfo)[1] == f"Client {client_id} is configured with secret but SECRET_HASH was not received"
    cognito.sign_up(ClientId=client_id, Username="bob", Password=PASSWORD, SecretHash=_hash(secret, "bob", client_id))


def _start_new_password(cognito: Any, pool_id: str, client_id: str, username: str = "ada") -> dict[str, Any]:
    cognito.admin_create_user(
        UserPoolId=pool_id, Username=username, TemporaryPassword=PASSWORD, MessageAction="SUPPRESS"
    )
    return dict(sign_in(cognito, client_id, username))


def test_new_password_required(cognito: Any, pool_id: str, client_id: str) -> None:
    challenge = _start_new_password(cognito, pool_id, client_id)
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert challenge["ChallengeParameters"]["USER_ID_FOR_SRP"] == "ada"
    assert challenge["ChallengeParameters"]["requiredAttributes"] == "[]"
    assert 20 <= len(challenge["Session"]) <= 2048
    result = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD},
    )
    assert "AccessToken" in result["AuthenticationResult"]
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserStatus"] == "CONFIRMED"
    assert "AuthenticationResult" in sign_in(cognito, client_id, "ada", NEW_PASSWORD)


def test_admin_respond_to_auth_challenge(cognito: Any, pool_id: str, client_id: str) -> None:
    cognito.admin_create_user(UserPoolId=pool_id, Username="ada", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS")
    challenge = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )
    result = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD},
    )
    assert "AccessToken" in result["AuthenticationResult"]


def test_a_session_can_only_be_used_once(cognito: Any, pool_id: str, client_id: str) -> None:
    challenge = _start_new_password(cognito, pool_id, client_id)
    answer = {"ClientId": client_id, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": challenge["Session"],
              "ChallengeResponses": {"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD}}  # fmt: skip
    cognito.respond_to_auth_challenge(**answer)
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(**answer)
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_a_policy_failure_keeps_the_session(cognito: Any, pool_id: str, client_id: str) -> None:
    challenge = _start_new_password(cognito, pool_id, client_id)
    answer = {
        "ClientId": client_id,
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": challenge["Session"],
    }
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(**answer, ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": "weak"})
    assert error_of(excinfo)[0] == "InvalidPasswordException"
    cognito.respond_to_auth_challenge(**answer, ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD})


@pytest.mark.parametrize(("validity_minutes", "survives_s"), [(None, 179), (5, 299)])
def test_session_expiry_follows_auth_session_validity(
    cognito: Any, emu: Emulator, pool_id: str, validity_minutes: int | None, survives_s: int
) -> None:
    settings = {"AuthSessionValidity": validity_minutes} if validity_minutes else {}
    client_id = make_client(cognito, pool_id, **settings)["ClientId"]
    answer = {"ClientId": client_id, "ChallengeName": "NEW_PASSWORD_REQUIRED"}
    first = _start_new_password(cognito, pool_id, client_id, "ada")
    emu.clock.advance(survives_s)
    cognito.respond_to_auth_challenge(
        **answer,
        Session=first["Session"],
        ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD},
    )
    second = _start_new_password(cognito, pool_id, client_id, "bob")
    emu.clock.advance(survives_s + 1)
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            **answer,
            Session=second["Session"],
            ChallengeResponses={"USERNAME": "bob", "NEW_PASSWORD": NEW_PASSWORD},
        )
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    )


def test_unknown_session(cognito: Any, client_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session="x" * 40,
            ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD},
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user.")


def test_temporary_password_expires(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    cognito.admin_create_user(UserPoolId=pool_id, Username="ada", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS")
    emu.clock.advance(7 * 86400)
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada")
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Temporary password has expired and must be reset by an administrator.",
    )


def test_admin_create_user_sends_an_invitation(cognito: Any, emu: Emulator, pool_id: str) -> None:
    user = cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )["User"]
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    invitation = emu.outbox.last(to="ada@example.com")
    assert invitation is not None and invitation.purpose == "Invitation"
    client_id = make_client(cognito, pool_id)["ClientId"]
    assert sign_in(cognito, client_id, "ada", invitation.code)["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool_id, Username="ada")
    assert error_of(excinfo) == ("UsernameExistsException", "User account already exists")


def test_lockout_doubles_and_reads_the_clock(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")

    def attempt(password: str) -> tuple[str, str] | None:
        try:
            sign_in(cognito, client_id, "ada", password)
        except ClientError as exc:
            return exc.response["Error"]["Code"], exc.response["Error"]["Message"]
        return None

    wrong = ("NotAuthorizedException", "Incorrect username or password.")
    locked = ("NotAuthorizedException", "Password attempts exceeded")
    for _ in range(5):
        assert attempt("Wrong-Horse-9!") == wrong
    # the fifth failure locked the user for 2^0 = 1 s, even against the right password
    assert attempt(PASSWORD) == locked
    emu.clock.advance(1)
    assert attempt("Wrong-Horse-9!") == wrong  # sixth failure: 2 s
    emu.clock.advance(1.5)
    assert attempt(PASSWORD) == locked  # attempts during a lockout do not count
    emu.clock.advance(0.5)
    assert attempt("Wrong-Horse-9!") == wrong  # seventh: 4 s
    emu.clock.advance(3.9)
    assert attempt(PASSWORD) == locked
    emu.clock.advance(0.1)
    assert attempt(PASSWORD) is None  # success resets the counter
    for _ in range(4):
        assert attempt("Wrong-Horse-9!") == wrong
    assert attempt(PASSWORD) is None


def test_lockout_is_capped_at_fifteen_minutes(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    for failures in range(1, 16):
        if failures > 5:
            emu.clock.advance(min(2 ** (failures - 6), 900))  # wait out the previous lockout
        with pytest.raises(ClientError) as excinfo:
            sign_in(cognito, client_id, "ada", "Wrong-Horse-9!")
        assert error_of(excinfo)[1] == "Incorrect username or password."
    # the 15th failure would lock for 2^10 = 1024 s: the cap makes it 900 s
    emu.clock.advance(899)
    with pytest.raises(ClientError) as excinfo:
        sign_in(cognito, client_id, "ada")
    assert error_of(excinfo)[1] == "Password attempts exceeded"
    emu.clock.advance(1)
    assert "AuthenticationResult" in sign_in(cognito, client_id, "ada")


def test_another_clients_refresh_token(cognito: Any, pool_id: str, client_id: str) -> None:
    """A refresh token answers only the app client it was issued to (errors.py has the source of the text)."""
    confirmed_user(cognito, pool_id, "ada")
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    other = make_client(cognito, pool_id)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=other, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]}
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Refresh Token has different Client")


def test_refresh_token_auth(cognito: Any, emu: Emulator, pool_id: str, client_id: str) -> None:
    confirmed_user(cognito, pool_id, "ada")
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    refreshed = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    assert set(refreshed) == {"AccessToken", "ExpiresIn", "TokenType", "IdToken"}
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": "garbage"}
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Refresh Token")
    emu.clock.advance(30 * 86400)
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Refresh Token has expired")
