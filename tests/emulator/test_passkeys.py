"""Passkeys: registration with a software authenticator, the WEB_AUTHN challenge, listing and deletion,
relying-party configuration (public suffixes refused), origin checks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from harness.clients.passkey import SoftwareAuthenticator
from harness.emulator import errors
from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, make_client, sign_in

FLOWS = ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def passkey_pool(cognito: Any, rp_id: str | None = "auth.example.com") -> tuple[str, str]:
    policy = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}
    pool_id = cognito.create_user_pool(PoolName="passkeys", Policies=policy)["UserPool"]["Id"]
    if rp_id:
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id, WebAuthnConfiguration={"RelyingPartyId": rp_id, "UserVerification": "preferred"}
        )
    return pool_id, make_client(cognito, pool_id, ExplicitAuthFlows=FLOWS)["ClientId"]


def register(cognito: Any, access: str, authenticator: SoftwareAuthenticator) -> None:
    options = cognito.start_web_authn_registration(AccessToken=access)["CredentialCreationOptions"]
    cognito.complete_web_authn_registration(AccessToken=access, Credential=authenticator.create(options))


def test_register_then_sign_in_with_a_passkey(cognito: Any) -> None:
    pool_id, client_id = passkey_pool(cognito)
    confirmed_user(cognito, pool_id, "ada")
    access = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    authenticator = SoftwareAuthenticator()
    options = cognito.start_web_authn_registration(AccessToken=access)["CredentialCreationOptions"]
    assert options["rp"]["id"] == "auth.example.com" and options["authenticatorSelection"]["residentKey"] == "required"
    cognito.complete_web_authn_registration(AccessToken=access, Credential=authenticator.create(options))
    [listed] = cognito.list_web_authn_credentials(AccessToken=access)["Credentials"]
    assert listed["RelyingPartyId"] == "auth.example.com" and listed["AuthenticatorTransports"] == ["internal"]

    select = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"})
    assert select["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]
    challenge = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "WEB_AUTHN"}
    )
    assert challenge["ChallengeName"] == "WEB_AUTHN"
    credential = authenticator.get(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    result = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="WEB_AUTHN",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "CREDENTIAL": credential},
    )
    assert "AccessToken" in result["AuthenticationResult"]
    cognito.delete_web_authn_credential(AccessToken=access, CredentialId=listed["CredentialId"])
    assert cognito.list_web_authn_credentials(AccessToken=access)["Credentials"] == []


def test_an_assertion_from_another_key_is_refused(cognito: Any) -> None:
    pool_id, client_id = passkey_pool(cognito)
    confirmed_user(cognito, pool_id, "ada")
    access = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    register(cognito, access, SoftwareAuthenticator())
    challenge = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "WEB_AUTHN"}
    )
    impostor = SoftwareAuthenticator()
    impostor.create({"rp": {"id": "auth.example.com"}, "user": {"id": "aWQ"}, "challenge": "Y2hhbGxlbmdl"})
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="WEB_AUTHN",
            Session=challenge["Session"],
            ChallengeResponses={
                "USERNAME": "ada",
                "CREDENTIAL": impostor.get({"rpId": "auth.example.com", "challenge": "eA"}),
            },
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_a_registration_from_a_foreign_origin_is_refused(cognito: Any) -> None:
    pool_id, client_id = passkey_pool(cognito)
    confirmed_user(cognito, pool_id, "ada")
    access = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    with pytest.raises(ClientError) as excinfo:
        register(cognito, access, SoftwareAuthenticator(origin="https://evil.example.net"))
    assert error_of(excinfo)[0] == "WebAuthnOriginNotAllowedException"


@pytest.mark.parametrize("damage", ["challenge", "client data type", "unreadable client data", "unreadable origin"])
def test_a_registration_that_does_not_verify_is_refused(cognito: Any, damage: str) -> None:
    """A credential made for another challenge, client data of a sign-in rather than a registration, or client
    data that is not JSON: the service's one answer, with no reason (errors.py), and no passkey is kept."""
    pool_id, client_id = passkey_pool(cognito)
    confirmed_user(cognito, pool_id, "ada")
    access = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    options = cognito.start_web_authn_registration(AccessToken=access)["CredentialCreationOptions"]
    if damage == "challenge":
        options = {**options, "challenge": "AAAAAAAAAAAAAAAAAAAAAA"}
    credential = SoftwareAuthenticator().create(options)
    if damage == "client data type":
        client_data = json.loads(base64url_to_bytes(credential["response"]["clientDataJSON"]))
        client_data["type"] = "webauthn.get"
        credential["response"]["clientDataJSON"] = bytes_to_base64url(json.dumps(client_data).encode())
    if damage == "unreadable origin":
        client_data = json.loads(base64url_to_bytes(credential["response"]["clientDataJSON"]))
        client_data["origin"] = "https://[auth.example.com"
        credential["response"]["clientDataJSON"] = bytes_to_base64url(json.dumps(client_data).encode())
    if damage == "unreadable client data":
        credential["response"]["clientDataJSON"] = bytes_to_base64url(b"not json")
    with pytest.raises(ClientError) as excinfo:
        cognito.complete_web_authn_registration(AccessToken=access, Credential=credential)
    assert error_of(excinfo) == ("InvalidParameterException", errors.PASSKEY_REJECTED)
    assert cognito.list_web_authn_credentials(AccessToken=access)["Credentials"] == []


@pytest.mark.parametrize("rp_id", ["github.io", "com", "co.uk", "herokuapp.com"])
def test_a_public_suffix_relying_party_is_refused(cognito: Any, rp_id: str) -> None:
    pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_pool_mfa_config(UserPoolId=pool_id, WebAuthnConfiguration={"RelyingPartyId": rp_id})
    assert error_of(excinfo) == (
        "InvalidParameterException",
        f"The relying party ID {rp_id} is a public suffix and cannot be used for passkeys.",
    )
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, WebAuthnConfiguration={"RelyingPartyId": f"auth.mine.{rp_id}"})


def test_passkeys_need_the_sign_in_policy_and_a_relying_party(cognito: Any) -> None:
    pool_id, client_id = passkey_pool(cognito, rp_id=None)
    confirmed_user(cognito, pool_id, "ada")
    access = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    with pytest.raises(ClientError) as excinfo:
        cognito.start_web_authn_registration(AccessToken=access)
    assert error_of(excinfo)[0] == "WebAuthnConfigurationMissingException"
    plain = cognito.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    client = make_client(cognito, plain)["ClientId"]
    confirmed_user(cognito, plain, "bob", PASSWORD)
    access = sign_in(cognito, client, "bob")["AuthenticationResult"]["AccessToken"]
    with pytest.raises(ClientError) as excinfo:
        cognito.start_web_authn_registration(AccessToken=access)
    assert error_of(excinfo)[0] == "WebAuthnNotEnabledException"
