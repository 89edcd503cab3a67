"""Federated sign-in through the managed login pages (the emulator's stand-in for the provider's page) and
AdminLinkProviderForUser / AdminDisableProviderForUser, through boto3 and a browser made of `requests`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests

from harness.emulator import errors
from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD, ShapeCheckingEmulator, confirmed_user, refused

CALLBACK = "http://localhost:3000/callback"
GOOGLE = {
    "ProviderName": "Google",
    "ProviderType": "Google",
    "ProviderDetails": {"client_id": "x", "client_secret": "y", "authorize_scopes": "openid email"},
    "AttributeMapping": {"email": "email", "email_verified": "email_verified", "name": "name"},
}


@dataclass
class Social:
    emu: ShapeCheckingEmulator
    cognito: Any
    pool_id: str
    client_id: str
    base: str
    events: list[str]

    def sign_in(
        self, claims: dict[str, Any] | str, provider: str = "Google", parameter: str = "identity_provider"
    ) -> dict[str, str]:
        """A browser choosing `provider` and the provider answering with `claims`: the query (or error) the app's
        callback receives."""
        browser = requests.Session()
        query = {
            "client_id": self.client_id, "response_type": "code", "redirect_uri": CALLBACK, "scope": "openid email",
            parameter: provider, "state": "st",
        }  # fmt: skip
        to_provider = browser.get(f"{self.base}/oauth2/authorize", params=query, allow_redirects=False)
        location = to_provider.headers["Location"]
        if location.startswith(CALLBACK):
            return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        page = browser.get(location)
        action = re.search(r'action="([^"]+)"', page.text)
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text)
        assert action and csrf, page.text
        body = claims if isinstance(claims, str) else json.dumps(claims)
        back = browser.post(
            action.group(1).replace("&amp;", "&"), data={"_csrf": csrf.group(1), "claims": body}, allow_redirects=False
        )
        if back.status_code != 302:
            return {"page": back.text}
        return {k: v[0] for k, v in parse_qs(urlsplit(back.headers["Location"]).query).items()}

    def id_claims(self, code: str) -> dict[str, Any]:
        token = requests.post(
            f"{self.base}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
                "redirect_uri": CALLBACK,
            },
        ).json()
        return dict(jwt.decode(token["id_token"], options={"verify_signature": False}))

    def link(self, username: str, subject: str, **source: str) -> None:
        self.cognito.admin_link_provider_for_user(
            UserPoolId=self.pool_id,
            DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": username},
            SourceUser={"ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject",
                        "ProviderAttributeValue": subject, **source},
        )  # fmt: skip


def _social(
    emu: ShapeCheckingEmulator, server: EmulatorServer, *, case_sensitive: bool, required_email: bool
) -> Social:
    cognito = emu.client()
    events: list[str] = []

    def record(event: dict[str, Any]) -> dict[str, Any]:
        events.append(f"{event['triggerSource']} {event['userName']}")
        event["response"] = {}
        return event

    triggers = {
        name: emu.triggers.register(f"arn:aws:lambda:us-east-1:000000000000:function:{name}", record)
        for name in ("PreSignUp", "PostConfirmation", "PreAuthentication", "PostAuthentication")
    }
    schema = {"Schema": [{"Name": "email", "AttributeDataType": "String", "Required": True}]} if required_email else {}
    pool_id = cognito.create_user_pool(
        PoolName="social", LambdaConfig=triggers, UsernameConfiguration={"CaseSensitive": case_sensitive}, **schema
    )["UserPool"]["Id"]
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain="social")
    cognito.create_identity_provider(UserPoolId=pool_id, **GOOGLE)
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"], CallbackURLs=[CALLBACK], SupportedIdentityProviders=["COGNITO", "Google"],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    return Social(emu, cognito, pool_id, client_id, f"{server.url}/social", events)


@pytest.fixture
def social(emu: ShapeCheckingEmulator, server: EmulatorServer) -> Iterator[Social]:
    yield _social(emu, server, case_sensitive=False, required_email=False)


def test_a_first_federated_sign_in_makes_a_profile_of_its_own(social: Social) -> None:
    back = social.sign_in({"sub": "1001", "email": "ada@example.com", "email_verified": True, "name": "Ada"})
    claims = social.id_claims(back["code"])
    assert claims["cognito:username"] == "google_1001"  # a pool whose usernames are not case sensitive
    assert claims["email"] == "ada@example.com" and claims["email_verified"] is True
    [identity] = claims["identities"]
    assert identity["userId"] == "1001" and identity["providerName"] == "Google" and identity["issuer"] is None
    assert identity["primary"] == "true" and identity["dateCreated"].isdigit()  # strings in the token
    user = social.cognito.admin_get_user(UserPoolId=social.pool_id, Username="google_1001")
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    [stored] = json.loads(attributes["identities"])
    assert stored["primary"] is True and isinstance(stored["dateCreated"], int)  # JSON values in the attribute
    assert social.events == ["PreSignUp_ExternalProvider google_1001", "PostConfirmation_ConfirmSignUp google_1001"]
    group = f"{social.pool_id}_Google"  # made with the provider; the profile joined it [DG]
    assert claims["cognito:groups"] == [group]
    members = social.cognito.list_users_in_group(UserPoolId=social.pool_id, GroupName=group)["Users"]
    assert [member["Username"] for member in members] == ["google_1001"]
    again = social.sign_in({"sub": "1001", "email": "countess@example.com", "name": "Ada"})  # each sign-in maps again
    assert social.id_claims(again["code"])["email"] == "countess@example.com"
    assert social.events[2:] == [
        "PreAuthentication_Authentication google_1001",
        "PostAuthentication_Authentication google_1001",
    ]


def test_a_case_sensitive_pool_keeps_the_providers_name_as_written(
    emu: ShapeCheckingEmulator, server: EmulatorServer
) -> None:
    social = _social(emu, server, case_sensitive=True, required_email=False)
    back = social.sign_in({"sub": "1001"})
    assert social.id_claims(back["code"])["cognito:username"] == "Google_1001"


def test_a_required_attribute_the_provider_does_not_give_refuses_the_sign_in(
    emu: ShapeCheckingEmulator, server: EmulatorServer
) -> None:
    social = _social(emu, server, case_sensitive=False, required_email=True)
    back = social.sign_in({"sub": "1001", "name": "Ada"})
    assert back == {"error": "invalid_request", "error_description": "attributes required: [email]", "state": "st"}
    assert social.cognito.list_users(UserPoolId=social.pool_id)["Users"] == []


def test_an_idp_identifier_names_its_provider(social: Social) -> None:
    social.cognito.update_identity_provider(UserPoolId=social.pool_id, ProviderName="Google", IdpIdentifiers=["gmail"])
    back = social.sign_in({"sub": "1001"}, provider="gmail", parameter="idp_identifier")
    assert social.id_claims(back["code"])["cognito:username"] == "google_1001"
    assert social.sign_in({"sub": "1"}, provider="nobody", parameter="idp_identifier")["error"] == "invalid_request"


def test_bad_answers_and_providers_the_client_does_not_support(social: Social) -> None:
    assert "has no sub" in social.sign_in({"email": "ada@example.com"})["error_description"]
    assert "The claims must be a JSON object." in social.sign_in("[1, 2]")["page"]
    assert social.sign_in({"sub": "1"}, provider="Facebook") == {"error": "invalid_request", "state": "st"}
    query = {"client_id": social.client_id, "response_type": "code", "redirect_uri": CALLBACK}
    for method in ("GET", "POST"):  # the stand-in page without a provider in its query
        answer = requests.request(method, f"{social.base}/authflow-idp/sign-in", params=query, allow_redirects=False)
        assert answer.status_code == 302 and "/error?error=invalid_request" in answer.headers["Location"]


def test_a_linked_identity_signs_in_as_the_existing_user(social: Social) -> None:
    confirmed_user(social.cognito, social.pool_id, "ada")
    social.link("ada", "2002")
    back = social.sign_in({"sub": "2002", "email": "ada@example.com", "email_verified": True})
    claims = social.id_claims(back["code"])
    assert claims["cognito:username"] == "ada"
    assert [(i["providerName"], i["userId"], i["primary"]) for i in claims["identities"]] == [
        ("Google", "2002", "false")
    ]
    assert "cognito:groups" not in claims  # linked users do not join the provider's group [DG]
    assert social.cognito.list_users(UserPoolId=social.pool_id)["Users"][0]["Username"] == "ada"  # no second profile
    assert refused(social.link, "ada", "2002") == ("InvalidParameterException", errors.LINK_SOURCE_ALREADY_LINKED)
    assert social.cognito.initiate_auth(  # the password still signs in too
        ClientId=social.cognito.create_user_pool_client(
            UserPoolId=social.pool_id, ClientName="api", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
        )["UserPoolClient"]["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip


def test_linking_refusals(social: Social) -> None:
    confirmed_user(social.cognito, social.pool_id, "ada")
    social.sign_in({"sub": "1001"})  # this identity has signed in: its profile exists
    assert refused(social.link, "ada", "1001") == ("InvalidParameterException", errors.LINK_SOURCE_SIGNED_UP)
    assert refused(social.link, "ada", "3003", ProviderAttributeName="email")[0] == "InvalidParameterException"
    assert refused(social.link, "nobody", "3003") == ("UserNotFoundException", "User does not exist.")
    cognito_source = refused(
        social.cognito.admin_link_provider_for_user, UserPoolId=social.pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "ada"},
        SourceUser={"ProviderName": "Cognito", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "x"},
    )  # fmt: skip
    assert cognito_source == ("InvalidParameterException", errors.LINK_SOURCE_IS_COGNITO)
    for subject in range(5):
        social.link("ada", f"40{subject}")
    assert refused(social.link, "ada", "499")[0] == "LimitExceededException"  # five to a user


def test_disabling_a_provider_identity_unlinks_it_or_disables_its_profile(social: Social) -> None:
    confirmed_user(social.cognito, social.pool_id, "ada")
    social.link("ada", "2002")
    social.cognito.admin_disable_provider_for_user(
        UserPoolId=social.pool_id,
        User={"ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "2002"},
    )
    user = social.cognito.admin_get_user(UserPoolId=social.pool_id, Username="ada")
    assert json.loads({a["Name"]: a["Value"] for a in user["UserAttributes"]}["identities"]) == []
    back = social.sign_in({"sub": "2002"})  # no longer linked: a profile of its own
    assert social.id_claims(back["code"])["cognito:username"] == "google_2002"
    social.cognito.admin_disable_provider_for_user(
        UserPoolId=social.pool_id,
        User={"ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "2002"},
    )
    assert social.sign_in({"sub": "2002"})["error_description"] == "User is disabled."


def test_an_identity_linked_to_a_user_deleted_since_signs_in_as_itself(social: Social) -> None:
    confirmed_user(social.cognito, social.pool_id, "ada")
    social.link("ada", "2002")
    social.cognito.admin_delete_user(UserPoolId=social.pool_id, Username="ada")
    subs = set()
    for _ in range(2):  # the first sign-in makes the profile, the second finds it (the same sub)
        claims = social.id_claims(social.sign_in({"sub": "2002"})["code"])
        assert claims["cognito:username"] == "google_2002"
        subs.add(claims["sub"])
    assert len(subs) == 1
    assert social.events.count("PreSignUp_ExternalProvider google_2002") == 1


def test_a_pre_sign_up_trigger_that_links_the_identity_signs_it_in_as_the_existing_user(
    emu: ShapeCheckingEmulator, server: EmulatorServer
) -> None:
    """The pattern the DG recommends: PreSignUp_ExternalProvider finds the user with the same email and links."""
    social = _social(emu, server, case_sensitive=False, required_email=False)

    def link_by_email(event: dict[str, Any]) -> dict[str, Any]:
        if event["triggerSource"] == "PreSignUp_ExternalProvider":
            email = event["request"]["userAttributes"]["email"]
            [match] = social.cognito.list_users(UserPoolId=social.pool_id, Filter=f'email = "{email}"')["Users"]
            social.link(match["Username"], event["userName"].split("_", 1)[1])
        event["response"] = {}
        return event

    emu.triggers.register("arn:aws:lambda:us-east-1:000000000000:function:PreSignUp", link_by_email)
    confirmed_user(social.cognito, social.pool_id, "ada", email="ada@example.com")
    back = social.sign_in({"sub": "1001", "email": "ada@example.com"})
    assert social.id_claims(back["code"])["cognito:username"] == "ada"
    assert [user["Username"] for user in social.cognito.list_users(UserPoolId=social.pool_id)["Users"]] == ["ada"]


def test_a_trigger_refusal_goes_back_to_the_app_and_makes_no_profile(
    emu: ShapeCheckingEmulator, server: EmulatorServer
) -> None:
    social = _social(emu, server, case_sensitive=False, required_email=False)

    def refuse(event: dict[str, Any]) -> dict[str, Any]:
        raise ValueError("no Google accounts here")

    emu.triggers.register("arn:aws:lambda:us-east-1:000000000000:function:PreSignUp", refuse)
    back = social.sign_in({"sub": "1001"})
    assert back["error"] == "invalid_request"
    assert back["error_description"] == "PreSignUp failed with error no Google accounts here."
    assert social.cognito.list_users(UserPoolId=social.pool_id)["Users"] == []
