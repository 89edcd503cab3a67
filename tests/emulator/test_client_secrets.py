"""Client secret rotation through boto3 (in-process and over HTTP): Add/List/DeleteUserPoolClientSecret, and every
check of a client's secret accepting either active one."""

from __future__ import annotations

import re
from typing import Any

from harness.cognito.secret_hash import secret_hash
from harness.emulator import errors
from tests.emulator.conftest import PASSWORD, confirmed_user, make_client, refused


def _confidential(cognito: Any, pool_id: str) -> dict[str, Any]:
    return make_client(cognito, pool_id, GenerateSecret=True)


def _sign_in(cognito: Any, client: dict[str, Any], secret: str, username: str = "alice") -> dict[str, Any]:
    parameters = {
        "USERNAME": username,
        "PASSWORD": PASSWORD,
        "SECRET_HASH": secret_hash(client["ClientId"], secret, username),
    }
    return dict(
        cognito.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters=parameters)
    )


def test_a_client_made_with_a_secret_lists_it_without_its_value(cognito: Any, pool_id: str) -> None:
    client = _confidential(cognito, pool_id)
    [listed] = cognito.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client["ClientId"])["ClientSecrets"]
    assert set(listed) == {"ClientSecretId", "ClientSecretCreateDate"}
    assert re.fullmatch(rf"{client['ClientId']}--\d+", listed["ClientSecretId"])


def test_both_secrets_sign_in_until_the_old_one_is_deleted(cognito: Any, pool_id: str) -> None:
    client = _confidential(cognito, pool_id)
    confirmed_user(cognito, pool_id, "alice")
    added = cognito.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client["ClientId"])
    new = added["ClientSecretDescriptor"]
    assert new["ClientSecretValue"] != client["ClientSecret"]
    listed = cognito.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client["ClientId"])["ClientSecrets"]
    assert [item["ClientSecretId"] for item in listed][1] == new["ClientSecretId"]
    assert all("ClientSecretValue" not in item for item in listed)
    for secret in (client["ClientSecret"], new["ClientSecretValue"]):
        assert "AccessToken" in _sign_in(cognito, client, secret)["AuthenticationResult"]
    old_id = listed[0]["ClientSecretId"]
    cognito.delete_user_pool_client_secret(UserPoolId=pool_id, ClientId=client["ClientId"], ClientSecretId=old_id)
    assert refused(_sign_in, cognito, client, client["ClientSecret"]) == (
        "NotAuthorizedException",
        errors.SECRET_HASH_MISMATCH.format(client_id=client["ClientId"]),
    )
    assert "AccessToken" in _sign_in(cognito, client, new["ClientSecretValue"])["AuthenticationResult"]
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])["UserPoolClient"]
    assert described["ClientSecret"] == new["ClientSecretValue"]  # the one left


def test_describe_shows_the_oldest_active_secret_during_a_rotation(cognito: Any, pool_id: str) -> None:
    client = _confidential(cognito, pool_id)
    cognito.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client["ClientId"])
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])["UserPoolClient"]
    assert described["ClientSecret"] == client["ClientSecret"]


def test_a_chosen_secret_is_used_and_not_echoed(cognito: Any, pool_id: str) -> None:
    client = _confidential(cognito, pool_id)
    confirmed_user(cognito, pool_id, "alice")
    chosen = "my_own_secret_value_0123456789"
    added = cognito.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client["ClientId"], ClientSecret=chosen)
    assert "ClientSecretValue" not in added["ClientSecretDescriptor"]
    assert "AccessToken" in _sign_in(cognito, client, chosen)["AuthenticationResult"]


def test_a_third_secret_and_the_last_deletion_are_refused(cognito: Any, pool_id: str) -> None:
    client = _confidential(cognito, pool_id)
    added = cognito.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client["ClientId"])
    assert refused(cognito.add_user_pool_client_secret, UserPoolId=pool_id, ClientId=client["ClientId"]) == (
        "LimitExceededException",
        errors.CLIENT_SECRET_LIMIT.format(client_id=client["ClientId"], limit=2),
    )
    [first, _] = cognito.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client["ClientId"])["ClientSecrets"]
    cognito.delete_user_pool_client_secret(
        UserPoolId=pool_id, ClientId=client["ClientId"], ClientSecretId=first["ClientSecretId"]
    )
    last = added["ClientSecretDescriptor"]["ClientSecretId"]
    assert refused(
        cognito.delete_user_pool_client_secret, UserPoolId=pool_id, ClientId=client["ClientId"], ClientSecretId=last
    ) == ("InvalidParameterException", errors.CLIENT_SECRET_LAST)


def test_unknown_secret_ids_public_clients_and_bad_values(cognito: Any, pool_id: str) -> None:
    confidential = _confidential(cognito, pool_id)
    assert refused(
        cognito.delete_user_pool_client_secret,
        UserPoolId=pool_id,
        ClientId=confidential["ClientId"],
        ClientSecretId="nobody--1",
    ) == (
        "ResourceNotFoundException",
        errors.CLIENT_SECRET_NOT_FOUND.format(secret_id="nobody--1", client_id=confidential["ClientId"]),
    )
    public = make_client(cognito, pool_id)
    assert refused(cognito.add_user_pool_client_secret, UserPoolId=pool_id, ClientId=public["ClientId"]) == (
        "InvalidParameterException",
        errors.CLIENT_SECRET_PUBLIC_CLIENT.format(client_id=public["ClientId"]),
    )
    assert cognito.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=public["ClientId"])["ClientSecrets"] == []
    code, message = refused(
        cognito.add_user_pool_client_secret,
        UserPoolId=pool_id,
        ClientId=confidential["ClientId"],
        ClientSecret="dashes-are-not-in-the-pattern",
    )
    assert code == "InvalidParameterException" and "clientSecret" in message and "pattern" in message  # the model's
    code, _ = refused(cognito.list_user_pool_client_secrets, UserPoolId=pool_id, ClientId="nosuchclient")
    assert code == "ResourceNotFoundException"


def test_refresh_and_revoke_take_either_secret(cognito: Any, pool_id: str) -> None:
    client = _confidential(cognito, pool_id)
    confirmed_user(cognito, pool_id, "alice")
    new = cognito.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client["ClientId"])["ClientSecretDescriptor"]
    refresh = _sign_in(cognito, client, client["ClientSecret"])["AuthenticationResult"]["RefreshToken"]
    for secret in (client["ClientSecret"], new["ClientSecretValue"]):
        tokens = cognito.get_tokens_from_refresh_token(
            ClientId=client["ClientId"], ClientSecret=secret, RefreshToken=refresh
        )
        assert "AccessToken" in tokens["AuthenticationResult"]
    assert (
        refused(
            cognito.get_tokens_from_refresh_token,
            ClientId=client["ClientId"],
            ClientSecret="x" * 24,
            RefreshToken=refresh,
        )[0]
        == "NotAuthorizedException"
    )
    cognito.revoke_token(ClientId=client["ClientId"], ClientSecret=new["ClientSecretValue"], Token=refresh)
