"""Identity providers as configuration (harness/emulator/ops/identity_providers.py), through boto3 in-process and
over HTTP: what an app client may name in SupportedIdentityProviders, and the rules CreateIdentityProvider keeps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from harness.emulator import Emulator
from tests.emulator.conftest import error_of, make_client, refused

GOOGLE = {"client_id": "google-client", "client_secret": "google-secret", "authorize_scopes": "openid email"}
OIDC = {
    "client_id": "corp-client",
    "client_secret": "corp-secret",
    "attributes_request_method": "GET",
    "oidc_issuer": "https://login.example.com",
    "authorize_scopes": "openid",
}


def test_a_client_may_name_a_provider_only_once_the_pool_has_it(cognito: Any, pool_id: str) -> None:
    """The order infrastructure code must keep [C: lgallard/terraform-aws-cognito-user-pool#72]."""
    with pytest.raises(ClientError) as excinfo:
        make_client(cognito, pool_id, SupportedIdentityProviders=["COGNITO", "Google"])
    assert error_of(excinfo) == (
        "InvalidParameterException",
        f"The provider Google does not exist for User Pool {pool_id}",
    )
    cognito.create_identity_provider(
        UserPoolId=pool_id, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE
    )
    made = make_client(cognito, pool_id, SupportedIdentityProviders=["COGNITO", "Google"])
    assert made["SupportedIdentityProviders"] == ["COGNITO", "Google"]


def test_providers_round_trip(cognito: Any, pool_id: str) -> None:
    created = cognito.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Corp",
        ProviderType="OIDC",
        ProviderDetails=OIDC,
        AttributeMapping={"email": "email"},
        IdpIdentifiers=["example.com"],
    )["IdentityProvider"]
    assert (created["ProviderName"], created["ProviderType"], created["UserPoolId"]) == ("Corp", "OIDC", pool_id)
    assert created["ProviderDetails"] == OIDC and created["AttributeMapping"] == {"email": "email"}
    assert cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName="Corp")["IdentityProvider"] == created
    found = cognito.get_identity_provider_by_identifier(UserPoolId=pool_id, IdpIdentifier="example.com")
    assert found["IdentityProvider"]["ProviderName"] == "Corp"

    updated = cognito.update_identity_provider(
        UserPoolId=pool_id, ProviderName="Corp", AttributeMapping={"email": "mail"}
    )["IdentityProvider"]
    assert updated["AttributeMapping"] == {"email": "mail"}
    assert updated["ProviderDetails"] == OIDC and updated["IdpIdentifiers"] == ["example.com"]  # left out: kept

    cognito.create_identity_provider(
        UserPoolId=pool_id, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE
    )
    first = cognito.list_identity_providers(UserPoolId=pool_id, MaxResults=1)
    assert [p["ProviderName"] for p in first["Providers"]] == ["Corp"]
    assert set(first["Providers"][0]) == {"ProviderName", "ProviderType", "LastModifiedDate", "CreationDate"}
    rest = cognito.list_identity_providers(UserPoolId=pool_id, MaxResults=1, NextToken=first["NextToken"])
    assert [p["ProviderName"] for p in rest["Providers"]] == ["Google"] and "NextToken" not in rest

    cognito.delete_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    assert refused(cognito.describe_identity_provider, UserPoolId=pool_id, ProviderName="Corp")[0] == (
        "ResourceNotFoundException"
    )
    assert refused(cognito.get_identity_provider_by_identifier, UserPoolId=pool_id, IdpIdentifier="example.com")[0] == (
        "ResourceNotFoundException"
    )


def test_a_name_is_taken_once(cognito: Any, pool_id: str) -> None:
    request = {"UserPoolId": pool_id, "ProviderName": "Google", "ProviderType": "Google", "ProviderDetails": GOOGLE}
    cognito.create_identity_provider(**request)
    assert refused(cognito.create_identity_provider, **request) == (
        "DuplicateProviderException",
        f"Google already exists in user pool {pool_id}",
    )


def test_a_social_provider_is_named_after_its_type(cognito: Any, pool_id: str) -> None:
    """[C: aws/aws-cli#3179] a Google provider named anything but Google is refused."""
    assert refused(
        cognito.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="NameOfGP",
        ProviderType="Google",
        ProviderDetails=GOOGLE,
    ) == ("InvalidParameterException", "Provider NameOfGP cannot be of type Google.")


SOCIAL_MISSING = "client_id, client_secret and authorize_scopes are all required idp details."


@pytest.mark.parametrize(
    ("provider_type", "details", "message"),
    [
        ("Google", {"client_secret": "s", "authorize_scopes": "openid"}, SOCIAL_MISSING),
        ("Google", {"client_id": "c", "client_secret": "s"}, SOCIAL_MISSING),
        ("Facebook", {"client_id": "c", "authorize_scopes": "email"}, SOCIAL_MISSING),
        ("LoginWithAmazon", {}, SOCIAL_MISSING),
        ("OIDC", {"client_id": "c"}, "oidc_issuer is required for provider type OIDC."),
        (
            "SignInWithApple",
            {"client_id": "c", "team_id": "t", "key_id": "k"},
            "private_key is required for provider type SignInWithApple.",
        ),
        ("SAML", {"IDPSignout": "true"}, "At least one of the MetadataURL or MetadataFile should be provided."),
    ],
)
def test_a_provider_without_the_details_its_type_needs_is_refused(
    cognito: Any, pool_id: str, provider_type: str, details: dict[str, str], message: str
) -> None:
    """Google, Facebook and LoginWithAmazon need client_id, client_secret and authorize_scopes, SAML its metadata
    (both texts quoted from real answers, oauth/messages.py); OIDC and Apple what says who they are (UNCONFIRMED)."""
    name = provider_type if provider_type not in ("OIDC", "SAML") else "Corp"
    assert refused(
        cognito.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName=name,
        ProviderType=provider_type,
        ProviderDetails=details,
    ) == ("InvalidParameterException", message)


def test_an_identifier_routes_to_one_provider(cognito: Any, pool_id: str) -> None:
    cognito.create_identity_provider(
        UserPoolId=pool_id, ProviderName="Corp", ProviderType="OIDC", ProviderDetails=OIDC, IdpIdentifiers=["corp"]
    )
    code, message = refused(
        cognito.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Partner",
        ProviderType="OIDC",
        ProviderDetails=OIDC,
        IdpIdentifiers=["corp"],
    )
    assert code == "DuplicateProviderException" and "corp" in message and "Corp" in message


def test_cognito_is_not_a_provider_name_and_the_type_is_one_of_the_models(cognito: Any, pool_id: str) -> None:
    reserved = {"UserPoolId": pool_id, "ProviderName": "COGNITO", "ProviderType": "OIDC", "ProviderDetails": OIDC}
    assert refused(cognito.create_identity_provider, **reserved)[0] == "InvalidParameterException"
    unknown = {"UserPoolId": pool_id, "ProviderName": "Corp", "ProviderType": "Twitter", "ProviderDetails": OIDC}
    code, message = refused(cognito.create_identity_provider, **unknown)
    assert code == "InvalidParameterException" and "Member must satisfy enum value set" in message


def test_a_pool_deleted_takes_its_providers_and_state_keeps_them(emu: Emulator, tmp_path: Path) -> None:
    from harness.emulator import persist

    cognito = emu.client()
    pool_id = cognito.create_user_pool(PoolName="federated")["UserPool"]["Id"]
    cognito.create_identity_provider(
        UserPoolId=pool_id, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE
    )
    persist.save(emu, tmp_path / "state.json")
    restored = Emulator()
    persist.load(restored, tmp_path / "state.json")
    again = restored.client().describe_identity_provider(UserPoolId=pool_id, ProviderName="Google")
    assert again["IdentityProvider"]["ProviderDetails"] == GOOGLE
    cognito.delete_user_pool(UserPoolId=pool_id)
    assert refused(cognito.list_identity_providers, UserPoolId=pool_id)[0] == "ResourceNotFoundException"


def test_a_providers_secrets_never_reach_a_report() -> None:
    from harness.report.redact import Redactor

    details = {**GOOGLE, "private_key": "-----BEGIN PRIVATE KEY-----abc", "team_id": "TEAM"}
    redacted = Redactor().redact({"IdentityProvider": {"ProviderName": "Google", "ProviderDetails": details}})
    shown = redacted["IdentityProvider"]["ProviderDetails"]
    assert shown["client_secret"].startswith("‹redacted") and shown["private_key"].startswith("‹redacted")
    assert shown["client_id"] == "google-client" and shown["team_id"] == "TEAM"
