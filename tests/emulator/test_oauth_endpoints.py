"""The domain's OAuth 2.0 / OIDC endpoints, driven by Authlib (a maintained OAuth/OIDC client) over loopback HTTP,
with `requests` as the browser that fills in the managed login form."""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt as pyjwt
import pyotp
import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from botocore.exceptions import ClientError

with warnings.catch_warnings():  # authlib.jose is deprecated for joserfc; supported until Authlib 2.0
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.jose import JsonWebKey, jwt
    from authlib.oidc.core import CodeIDToken

from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD, ShapeCheckingEmulator, confirmed_user

CALLBACK = "http://localhost:3000/callback"
API = "https://api.example.com"


@dataclass
class Domain:
    """A pool with a domain, a web client (public, code + PKCE), an M2M client and a user."""

    server: EmulatorServer
    emu: ShapeCheckingEmulator
    pool_id: str
    base: str
    web_id: str
    m2m_id: str
    m2m_secret: str

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture
def domain(emu: ShapeCheckingEmulator, server: EmulatorServer) -> Iterator[Domain]:
    cognito = emu.client()
    pool_id = cognito.create_user_pool(PoolName="oauth")["UserPool"]["Id"]
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain="my-app")
    cognito.create_resource_server(
        UserPoolId=pool_id, Identifier=API, Name="API", Scopes=[{"ScopeName": "read", "ScopeDescription": "Read"}]
    )
    web = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code", "implicit"],
        AllowedOAuthScopes=["openid", "email", "profile", "aws.cognito.signin.user.admin"],
        CallbackURLs=[CALLBACK],
        LogoutURLs=["http://localhost:3000/"],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    m2m = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{API}/read"],
    )["UserPoolClient"]
    confirmed_user(cognito, pool_id, "alice", email="alice@example.com")
    yield Domain(server, emu, pool_id, f"{server.url}/my-app", web["ClientId"], m2m["ClientId"], m2m["ClientSecret"])


def sign_in_through_managed_login(authorize_url: str, username: str = "alice", password: str = PASSWORD) -> str:
    """What a person does in the browser: follow /oauth2/authorize to the login page, submit the form; returns
    the Location of the redirect back to the app."""
    browser = requests.Session()
    to_login = browser.get(authorize_url, allow_redirects=False)
    assert to_login.status_code == 302, to_login.text
    form_page = browser.get(to_login.headers["Location"], allow_redirects=False)
    assert form_page.status_code == 200
    action = re.search(r'action="([^"]+)"', form_page.text)
    csrf = re.search(r'name="_csrf" value="([^"]+)"', form_page.text)
    assert action and csrf
    submitted = browser.post(
        action.group(1).replace("&amp;", "&"),
        data={"_csrf": csrf.group(1), "username": username, "password": password},
        allow_redirects=False,
    )
    assert submitted.status_code == 302, submitted.text
    return str(submitted.headers["Location"])


def web_session(domain: Domain, scope: str = "openid email profile") -> OAuth2Session:
    return OAuth2Session(
        domain.web_id,
        redirect_uri=CALLBACK,
        scope=scope,
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
    )


def authorize(domain: Domain, session: OAuth2Session, **extra: Any) -> tuple[str, str, str]:
    """(callback Location, code_verifier, nonce) after signing alice in."""
    verifier = generate_token(48)
    nonce = generate_token(16)
    url, _ = session.create_authorization_url(
        domain.url("/oauth2/authorize"), code_verifier=verifier, nonce=nonce, **extra
    )
    return sign_in_through_managed_login(url), verifier, nonce


def test_authorization_code_with_pkce_refresh_userinfo_and_revoke(domain: Domain) -> None:
    session = web_session(domain)
    location, verifier, nonce = authorize(domain, session)
    token = session.fetch_token(domain.url("/oauth2/token"), authorization_response=location, code_verifier=verifier)
    assert {"access_token", "id_token", "refresh_token"} <= set(token)

    jwks = JsonWebKey.import_key_set(requests.get(f"{domain.server.url}/{domain.pool_id}/.well-known/jwks.json").json())
    claims = jwt.decode(
        token["id_token"],
        jwks,
        claims_cls=CodeIDToken,
        claims_options={"iss": {"value": f"{domain.server.url}/{domain.pool_id}"}},
        claims_params={"nonce": nonce, "client_id": domain.web_id, "access_token": token["access_token"]},
    )
    claims.validate(now=int(time.time()))  # signature, iss, aud, exp, nonce and at_hash (authlib checks them)
    assert claims["email"] == "alice@example.com"
    access = jwt.decode(token["access_token"], jwks)
    assert (access["client_id"], access["token_use"]) == (domain.web_id, "access")
    assert set(access["scope"].split()) == {"openid", "email", "profile"}

    info = session.get(domain.url("/oauth2/userInfo")).json()
    assert (info["email"], info["username"], info["sub"]) == ("alice@example.com", "alice", claims["sub"])

    refreshed = session.refresh_token(domain.url("/oauth2/token"))
    assert refreshed["access_token"] != token["access_token"] and "id_token" in refreshed

    revoked = session.revoke_token(domain.url("/oauth2/revoke"), token["refresh_token"], "refresh_token")
    assert revoked.status_code == 200 and revoked.content == b""
    with pytest.raises(OAuthError) as excinfo:
        session.refresh_token(domain.url("/oauth2/token"), refresh_token=token["refresh_token"])
    assert excinfo.value.error == "invalid_grant"
    after = requests.get(domain.url("/oauth2/userInfo"), headers={"Authorization": f"Bearer {token['access_token']}"})
    assert after.status_code == 401 and 'error="invalid_token"' in after.headers["WWW-Authenticate"]


def test_client_credentials_with_a_custom_scope_basic_and_post(domain: Domain) -> None:
    for method in ("client_secret_basic", "client_secret_post"):
        m2m = OAuth2Session(domain.m2m_id, domain.m2m_secret, scope=f"{API}/read", token_endpoint_auth_method=method)
        token = m2m.fetch_token(domain.url("/oauth2/token"), grant_type="client_credentials")
        assert set(token) == {"access_token", "token_type", "expires_in", "expires_at"}
        jwks = JsonWebKey.import_key_set(domain.emu.jwks(domain.pool_id))
        access = jwt.decode(token["access_token"], jwks)
        assert (access["sub"], access["scope"], access["token_use"]) == (domain.m2m_id, f"{API}/read", "access")


def test_client_credentials_pitfalls(domain: Domain) -> None:
    wrong_secret = OAuth2Session(domain.m2m_id, "not-the-secret", scope=f"{API}/read")
    with pytest.raises(OAuthError) as excinfo:
        wrong_secret.fetch_token(domain.url("/oauth2/token"), grant_type="client_credentials")
    assert excinfo.value.error == "invalid_client"
    standard_scope = OAuth2Session(domain.m2m_id, domain.m2m_secret, scope="openid")
    with pytest.raises(OAuthError) as excinfo:
        standard_scope.fetch_token(domain.url("/oauth2/token"), grant_type="client_credentials")
    assert excinfo.value.error == "invalid_scope"
    # The flow and the scope are there, but AllowedOAuthFlowsUserPoolClient is not: invalid_grant.
    cognito = domain.emu.client()
    off = cognito.create_user_pool_client(
        UserPoolId=domain.pool_id,
        ClientName="m2m-off",
        GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{API}/read"],
    )["UserPoolClient"]
    with pytest.raises(OAuthError) as excinfo:
        OAuth2Session(off["ClientId"], off["ClientSecret"]).fetch_token(
            domain.url("/oauth2/token"), grant_type="client_credentials"
        )
    assert excinfo.value.error == "invalid_grant"


def test_a_code_is_single_use_bound_to_its_verifier_and_redirect_and_lives_five_minutes(domain: Domain) -> None:
    token_url = domain.url("/oauth2/token")
    session = web_session(domain)
    location, verifier, _ = authorize(domain, session)
    with pytest.raises(OAuthError) as excinfo:
        session.fetch_token(token_url, authorization_response=location, code_verifier="x" * 43)
    assert excinfo.value.error == "invalid_grant"
    with pytest.raises(OAuthError) as excinfo:  # a failed exchange consumed the code
        session.fetch_token(token_url, authorization_response=location, code_verifier=verifier)
    assert excinfo.value.error == "invalid_grant"

    location, verifier, _ = authorize(domain, session)
    with pytest.raises(OAuthError) as excinfo:
        session.fetch_token(token_url, authorization_response=location)  # no code_verifier
    assert excinfo.value.error == "invalid_request"

    location, verifier, _ = authorize(domain, session)
    code = parse_qs(urlsplit(location).query)["code"][0]
    reply = requests.post(
        token_url,
        data={"grant_type": "authorization_code", "client_id": domain.web_id, "code": code,
              "redirect_uri": CALLBACK + "/", "code_verifier": verifier},
    )  # fmt: skip
    assert (reply.status_code, reply.json()) == (400, {"error": "unauthorized_client"})

    location, verifier, _ = authorize(domain, session)
    domain.emu.advance_clock(301)
    with pytest.raises(OAuthError) as excinfo:
        session.fetch_token(token_url, authorization_response=location, code_verifier=verifier)
    assert excinfo.value.error == "invalid_grant"


def test_authorize_errors(domain: Domain) -> None:
    def location_of(**params: str) -> str:
        query = {"client_id": domain.web_id, "response_type": "code", "redirect_uri": CALLBACK, **params}
        reply = requests.get(domain.url("/oauth2/authorize"), params=query, allow_redirects=False)
        assert reply.status_code == 302
        return str(reply.headers["Location"])

    assert location_of(redirect_uri="http://localhost:3000/other") == (
        f"{domain.base}/error?error=redirect_mismatch&client_id={domain.web_id}"
    )
    assert location_of(scope="phone openid", state="s1") == f"{CALLBACK}?error=invalid_scope&state=s1"
    assert location_of(scope="email") == f"{CALLBACK}?error=invalid_scope"
    assert location_of(code_challenge="abc", code_challenge_method="plain") == f"{CALLBACK}?error=invalid_request"
    assert location_of(response_type="id_token") == f"{CALLBACK}?error=invalid_request"
    error_page = requests.get(location_of(redirect_uri="https://elsewhere.example/cb"))
    assert error_page.status_code == 400 and "redirect_mismatch" in error_page.text


def test_userinfo_needs_openid_and_scopes_choose_the_attributes(domain: Domain) -> None:
    session = web_session(domain, scope="aws.cognito.signin.user.admin")
    location, verifier, _ = authorize(domain, session)
    token = session.fetch_token(domain.url("/oauth2/token"), authorization_response=location, code_verifier=verifier)
    assert "id_token" not in token  # no openid, no id token
    reply = session.get(domain.url("/oauth2/userInfo"))
    assert reply.status_code == 401
    assert 'error_description="Access token does not contain openid scope"' in reply.headers["WWW-Authenticate"]

    session = web_session(domain, scope="openid profile")
    location, verifier, _ = authorize(domain, session)
    session.fetch_token(domain.url("/oauth2/token"), authorization_response=location, code_verifier=verifier)
    assert "email" not in session.get(domain.url("/oauth2/userInfo")).json()


def test_implicit_grant_returns_tokens_in_the_fragment(domain: Domain) -> None:
    session = OAuth2Session(domain.web_id, redirect_uri=CALLBACK, scope="openid email")
    url, state = session.create_authorization_url(domain.url("/oauth2/authorize"), response_type="token")
    fragment = parse_qs(urlsplit(sign_in_through_managed_login(url)).fragment)
    assert {"access_token", "id_token", "token_type", "expires_in"} <= set(fragment)
    assert "refresh_token" not in fragment and fragment["state"] == [state]


def test_wrong_password_stays_on_the_login_page(domain: Domain) -> None:
    with pytest.raises(AssertionError):
        sign_in_through_managed_login(
            web_session(domain).create_authorization_url(domain.url("/oauth2/authorize"))[0], password="Wrong-1!"
        )


def test_a_session_cookie_skips_the_form_until_logout(domain: Domain) -> None:
    browser = requests.Session()
    url = web_session(domain).create_authorization_url(domain.url("/oauth2/authorize"))[0]
    form = browser.get(browser.get(url, allow_redirects=False).headers["Location"])
    csrf = re.search(r'name="_csrf" value="([^"]+)"', form.text)
    assert csrf
    action = re.search(r'action="([^"]+)"', form.text)
    assert action
    browser.post(
        action.group(1).replace("&amp;", "&"),
        data={"_csrf": csrf.group(1), "username": "alice", "password": PASSWORD},
        allow_redirects=False,
    )
    again = browser.get(url, allow_redirects=False)
    assert again.headers["Location"].startswith(CALLBACK + "?code=")
    out = browser.get(
        domain.url("/logout"),
        params={"client_id": domain.web_id, "logout_uri": "http://localhost:3000/"},
        allow_redirects=False,
    )
    assert out.headers["Location"] == "http://localhost:3000/"
    assert "/login?" in browser.get(url, allow_redirects=False).headers["Location"]


def test_discovery_document_names_the_domain_endpoints(domain: Domain) -> None:
    document = requests.get(f"{domain.server.url}/{domain.pool_id}/.well-known/openid-configuration").json()
    assert document["token_endpoint"] == domain.url("/oauth2/token")
    assert document["authorization_endpoint"] == domain.url("/oauth2/authorize")
    assert document["issuer"] == f"{domain.server.url}/{domain.pool_id}"


def test_token_and_revoke_request_errors(domain: Domain) -> None:
    token_url, revoke_url = domain.url("/oauth2/token"), domain.url("/oauth2/revoke")
    as_json = requests.post(token_url, json={"grant_type": "client_credentials"})
    assert (as_json.status_code, as_json.json()) == (400, {"error": "invalid_request"})
    unknown_grant = requests.post(token_url, data={"grant_type": "password", "client_id": domain.web_id})
    assert unknown_grant.json() == {"error": "unsupported_grant_type"}
    no_code = requests.post(token_url, data={"grant_type": "authorization_code", "client_id": domain.web_id})
    assert no_code.json() == {"error": "invalid_request"}
    unknown_client = requests.post(token_url, data={"grant_type": "client_credentials", "client_id": "nobody"})
    assert unknown_client.json() == {"error": "invalid_client"}
    secret_in_body = requests.post(
        token_url,
        data={"grant_type": "client_credentials", "client_id": domain.m2m_id, "client_secret": domain.m2m_secret},
    )
    assert secret_in_body.status_code == 200
    wrong = requests.post(revoke_url, data={"token": "x"}, auth=(domain.m2m_id, "wrong"))
    assert (wrong.status_code, wrong.json()) == (401, {"error": "invalid_client"})
    missing = requests.post(revoke_url, data={}, auth=(domain.m2m_id, domain.m2m_secret))
    assert missing.json() == {"error": "invalid_request"}
    unknown = requests.post(revoke_url, data={"token": "not-a-token"}, auth=(domain.m2m_id, domain.m2m_secret))
    assert (unknown.status_code, unknown.content) == (200, b"")
    assert requests.get(token_url).status_code == 405
    assert requests.get(domain.url("/nothing-here")).status_code == 404


def test_logout_needs_a_registered_logout_uri(domain: Domain) -> None:
    reply = requests.get(
        domain.url("/logout"),
        params={"client_id": domain.web_id, "logout_uri": "http://localhost:3000/elsewhere"},
        allow_redirects=False,
    )
    assert reply.headers["Location"] == f"{domain.base}/error?error=redirect_mismatch&client_id={domain.web_id}"


def test_a_new_password_on_the_login_page(domain: Domain) -> None:
    cognito = domain.emu.client()
    cognito.admin_create_user(
        UserPoolId=domain.pool_id, Username="bob", TemporaryPassword="Temporary-1!", MessageAction="SUPPRESS"
    )
    browser = requests.Session()
    url = web_session(domain).create_authorization_url(domain.url("/oauth2/authorize"))[0]
    form = browser.get(browser.get(url, allow_redirects=False).headers["Location"]).text

    def submit(page: str, **fields: str) -> requests.Response:
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        action = re.search(r'action="([^"]+)"', page)
        assert action
        return browser.post(action.group(1).replace("&amp;", "&"), data={**hidden, **fields}, allow_redirects=False)

    challenge = submit(form, username="bob", password="Temporary-1!")
    assert challenge.status_code == 200 and 'value="NEW_PASSWORD_REQUIRED"' in challenge.text
    weak = submit(challenge.text, new_password="weak")
    assert weak.status_code == 400 and "Password does not conform to policy" in weak.text
    done = submit(weak.text, new_password="Chosen-Pass-2!")
    assert done.headers["Location"].startswith(CALLBACK + "?code=")
    assert cognito.admin_get_user(UserPoolId=domain.pool_id, Username="bob")["UserStatus"] == "CONFIRMED"


def test_pre_token_generation_shapes_the_id_token_with_the_managed_login_source(domain: Domain) -> None:
    sources: list[str] = []

    def trigger(event: dict[str, Any]) -> dict[str, Any]:
        sources.append(event["triggerSource"])
        event["response"] = {"claimsOverrideDetails": {"claimsToAddOrOverride": {"tier": "gold"}}}
        return event

    arn = domain.emu.triggers.register("arn:aws:lambda:us-east-1:000000000000:function:pre-token", trigger)
    cognito = domain.emu.client()
    cognito.update_user_pool(UserPoolId=domain.pool_id, LambdaConfig={"PreTokenGeneration": arn})
    session = web_session(domain)
    location, verifier, _ = authorize(domain, session)
    token = session.fetch_token(domain.url("/oauth2/token"), authorization_response=location, code_verifier=verifier)
    session.refresh_token(domain.url("/oauth2/token"))
    jwks = JsonWebKey.import_key_set(domain.emu.jwks(domain.pool_id))
    assert jwt.decode(token["id_token"], jwks)["tier"] == "gold"
    assert sources == ["TokenGeneration_HostedAuth", "TokenGeneration_RefreshTokens"]


def test_tokens_from_the_domain_carry_the_users_groups(domain: Domain) -> None:
    """The token endpoint's tokens have the API's claims, cognito:groups and the preferred role included
    [DG "Adding groups to a user pool": the groups are in the id and access tokens]."""
    cognito = domain.emu.client()
    role = "arn:aws:iam::123456789012:role/admins"
    cognito.create_group(UserPoolId=domain.pool_id, GroupName="admins", Precedence=1, RoleArn=role)
    cognito.admin_add_user_to_group(UserPoolId=domain.pool_id, Username="alice", GroupName="admins")
    session = web_session(domain)
    location, verifier, _ = authorize(domain, session)
    token = session.fetch_token(domain.url("/oauth2/token"), authorization_response=location, code_verifier=verifier)
    id_claims = pyjwt.decode(token["id_token"], options={"verify_signature": False})
    access_claims = pyjwt.decode(token["access_token"], options={"verify_signature": False})
    assert (id_claims["cognito:groups"], id_claims["cognito:preferred_role"]) == (["admins"], role)
    assert access_claims["cognito:groups"] == ["admins"] and access_claims["version"] == 2
    assert set(access_claims["scope"].split()) == {"openid", "email", "profile"}


def test_a_v3_pre_token_trigger_shapes_client_credentials_tokens_with_the_requests_metadata(domain: Domain) -> None:
    """Only V3_0 events apply to machine-to-machine tokens [DG "Pre token generation Lambda trigger"]; the token
    request's aws_client_metadata is the event's clientMetadata [DG "Token endpoint"]."""
    events: list[dict[str, Any]] = []

    def trigger(event: dict[str, Any]) -> dict[str, Any]:
        events.append(event)
        event["response"] = {"claimsAndScopeOverrideDetails": {"accessTokenGeneration": {
            "claimsToAddOrOverride": {"tenant": event["request"]["clientMetadata"].get("tenant"), "sub": "x", "both": 1},
            "claimsToSuppress": ["both"],
            "scopesToAdd": [f"{API}/extra"],
            "scopesToSuppress": [f"{API}/read"],
        }}}  # fmt: skip
        return event

    arn = domain.emu.triggers.register("arn:aws:lambda:us-east-1:000000000000:function:m2m-claims", trigger)
    cognito = domain.emu.client()
    token_url = domain.url("/oauth2/token")
    form = {"grant_type": "client_credentials", "client_id": domain.m2m_id, "client_secret": domain.m2m_secret}
    jwks = JsonWebKey.import_key_set(domain.emu.jwks(domain.pool_id))
    for version in ("V2_0", "V3_0"):
        config = {"PreTokenGenerationConfig": {"LambdaVersion": version, "LambdaArn": arn}}
        cognito.update_user_pool(UserPoolId=domain.pool_id, LambdaConfig=config)
        granted = requests.post(token_url, data={**form, "aws_client_metadata": '{"tenant": "acme"}'})
        access = jwt.decode(granted.json()["access_token"], jwks)
        if version == "V2_0":  # a version two trigger is not asked about machine tokens
            assert events == [] and access["scope"] == f"{API}/read" and "tenant" not in access
            continue
        [event] = events
        assert (event["triggerSource"], event["version"]) == ("TokenGeneration_ClientCredentials", "3")
        assert event["request"]["scopes"] == [f"{API}/read"] and event["request"]["clientMetadata"] == {
            "tenant": "acme"
        }
        assert (access["tenant"], access["sub"], access["scope"]) == ("acme", domain.m2m_id, f"{API}/extra")
        assert "both" not in access  # added and suppressed: suppressed, as for user tokens
    not_json = requests.post(token_url, data={**form, "aws_client_metadata": "tenant=acme"})
    assert (not_json.status_code, not_json.json()["error"]) == (400, "invalid_request")


class LoginBrowser:
    """A person at the managed login pages: each page's hidden fields go back with what they type."""

    def __init__(self, domain: Domain, url: str | None = None) -> None:
        self.session = requests.Session()
        url = url or web_session(domain).create_authorization_url(domain.url("/oauth2/authorize"))[0]
        self.page = self.session.get(self.session.get(url, allow_redirects=False).headers["Location"])

    def submit(self, **fields: str) -> requests.Response:
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', self.page.text))
        action = re.search(r'action="([^"]+)"', self.page.text)
        assert action, self.page.text
        self.page = self.session.post(
            action.group(1).replace("&amp;", "&"), data={**hidden, **fields}, allow_redirects=False
        )
        return self.page


def test_required_mfa_sets_up_an_authenticator_app_on_the_login_page(domain: Domain) -> None:
    """[DG "TOTP software token MFA"]: with MFA required, managed login shows the key for an authenticator app and
    verifies its first code; the next sign-in asks for a code from it."""
    cognito = domain.emu.client()
    cognito.set_user_pool_mfa_config(
        UserPoolId=domain.pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    browser = LoginBrowser(domain)
    setup = browser.submit(username="alice", password=PASSWORD)
    found = re.search(r'id="totpSecretCode">([A-Z2-7]+)<', setup.text)
    assert setup.status_code == 200 and found, setup.text
    key = found.group(1)
    wrong = browser.submit(code="000000" if pyotp.TOTP(key).now() != "000000" else "111111")
    assert wrong.status_code == 400 and "Code mismatch and fail enable Software Token MFA" in wrong.text
    assert f">{key}<" in wrong.text  # the same key: the session and the pending token were kept
    done = browser.submit(code=pyotp.TOTP(key).at(int(domain.emu.clock.now())), device_name="phone")
    assert done.status_code == 302 and done.headers["Location"].startswith(CALLBACK + "?code="), done.text
    user = cognito.admin_get_user(UserPoolId=domain.pool_id, Username="alice")
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]

    domain.emu.clock.advance(30)  # a code is accepted once: the next sign-in uses the next one
    again = LoginBrowser(domain)
    asked = again.submit(username="alice", password=PASSWORD)
    assert 'value="SOFTWARE_TOKEN_MFA"' in asked.text and "totpSecretCode" not in asked.text
    back = again.submit(code=pyotp.TOTP(key).at(int(domain.emu.clock.now())))
    assert back.headers["Location"].startswith(CALLBACK + "?code=")


def test_the_login_page_offers_the_choice_of_mfa_method(domain: Domain) -> None:
    """[DG "TOTP software token MFA"]: where users may choose between methods, managed login offers the choice
    (SELECT_MFA_TYPE), then asks for the chosen method's code."""
    cognito = domain.emu.client()
    ses = {"EmailSendingAccount": "DEVELOPER", "SourceArn": "arn:aws:ses:us-east-1:000000000000:identity/example.com"}
    cognito.update_user_pool(UserPoolId=domain.pool_id, EmailConfiguration=ses)
    sms = {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns", "ExternalId": "x"}
    cognito.set_user_pool_mfa_config(
        UserPoolId=domain.pool_id, MfaConfiguration="OPTIONAL", SmsMfaConfiguration={"SmsConfiguration": sms},
        EmailMfaConfiguration={"Subject": "Your code"},
    )  # fmt: skip
    phone = [{"Name": "phone_number", "Value": "+15555550100"}, {"Name": "phone_number_verified", "Value": "true"}]
    cognito.admin_update_user_attributes(UserPoolId=domain.pool_id, Username="alice", UserAttributes=phone)
    cognito.admin_set_user_mfa_preference(
        UserPoolId=domain.pool_id, Username="alice", SMSMfaSettings={"Enabled": True},
        EmailMfaSettings={"Enabled": True},
    )  # fmt: skip
    browser = LoginBrowser(domain)
    choice = browser.submit(username="alice", password=PASSWORD)
    assert 'value="SELECT_MFA_TYPE"' in choice.text
    assert re.findall(r'<option value="([A-Z_]+)"', choice.text) == ["SMS_MFA", "EMAIL_OTP"]
    refused = browser.submit(mfa_type="SOFTWARE_TOKEN_MFA")  # not one of the choices: the API's refusal, shown
    assert refused.status_code == 400 and re.findall(r'<option value="([A-Z_]+)"', refused.text) == [
        "SMS_MFA",
        "EMAIL_OTP",
    ]
    asked = browser.submit(mfa_type="EMAIL_OTP")
    assert 'value="EMAIL_OTP"' in asked.text and 'name="code"' in asked.text
    message = domain.emu.outbox.last(to="alice@example.com")
    assert message is not None and message.purpose == "EMAIL_OTP"
    done = browser.submit(code=message.code)
    assert done.status_code == 302 and done.headers["Location"].startswith(CALLBACK + "?code="), done.text


def test_custom_challenges_and_email_mfa_setup_stop_the_login_page(domain: Domain) -> None:
    """Managed login runs no custom authentication [C: AWS Support, quoted in aws-samples/aws-netcore-aspnetmvc-
    amazon-cognito-authentication-authorization-samples#5]; email MFA setup is not offered here: both end on
    the page with the emulator's own sentence (docs/oauth.md)."""
    cognito = domain.emu.client()
    ses = {"EmailSendingAccount": "DEVELOPER", "SourceArn": "arn:aws:ses:us-east-1:000000000000:identity/example.com"}
    cognito.update_user_pool(UserPoolId=domain.pool_id, EmailConfiguration=ses)
    cognito.set_user_pool_mfa_config(
        UserPoolId=domain.pool_id, MfaConfiguration="ON", EmailMfaConfiguration={"Subject": "Your code"}
    )
    cognito.admin_update_user_attributes(
        UserPoolId=domain.pool_id, Username="alice", UserAttributes=[{"Name": "email_verified", "Value": "false"}]
    )
    stopped = LoginBrowser(domain).submit(username="alice", password=PASSWORD)
    assert "does not support the MFA_SETUP step" in stopped.text


def test_the_token_endpoint_takes_either_secret_during_a_rotation(domain: Domain) -> None:
    cognito = domain.emu.client()
    added = cognito.add_user_pool_client_secret(UserPoolId=domain.pool_id, ClientId=domain.m2m_id)
    new = added["ClientSecretDescriptor"]
    token_url = domain.url("/oauth2/token")
    for secret in (domain.m2m_secret, new["ClientSecretValue"]):
        m2m = OAuth2Session(domain.m2m_id, secret, scope=f"{API}/read")
        assert "access_token" in m2m.fetch_token(token_url, grant_type="client_credentials")
    [old, _] = cognito.list_user_pool_client_secrets(UserPoolId=domain.pool_id, ClientId=domain.m2m_id)["ClientSecrets"]
    cognito.delete_user_pool_client_secret(
        UserPoolId=domain.pool_id, ClientId=domain.m2m_id, ClientSecretId=old["ClientSecretId"]
    )
    with pytest.raises(OAuthError) as excinfo:
        OAuth2Session(domain.m2m_id, domain.m2m_secret, scope=f"{API}/read").fetch_token(
            token_url, grant_type="client_credentials"
        )
    assert excinfo.value.error == "invalid_client"


def test_a_managed_login_token_starts_a_token_session_its_refresh_keeps(domain: Domain) -> None:
    cognito = domain.emu.client()
    cognito.set_user_pool_session_configuration(
        UserPoolId=domain.pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 20}
    )
    session = web_session(domain, scope="openid aws.cognito.signin.user.admin")
    location, verifier, _ = authorize(domain, session)
    token = session.fetch_token(domain.url("/oauth2/token"), authorization_response=location, code_verifier=verifier)
    started, sso = cognito.list_user_sessions(AccessToken=token["access_token"])["Sessions"]
    assert (started["ClientId"], started["SessionType"], started["IsCurrentSession"]) == (domain.web_id, "TOKEN", True)
    assert (sso["ClientId"], sso["SessionType"], sso["IsCurrentSession"]) == (domain.web_id, "SSO", False)
    assert started["OriginSessionId"] == sso["SessionId"] and sso["SessionId"].startswith("sso")
    assert "OriginSessionId" not in sso  # for token sessions only [API SessionDescriptionType]
    domain.emu.clock.advance(60)
    refreshed = session.refresh_token(domain.url("/oauth2/token"), refresh_token=token["refresh_token"])
    kept, sso_kept = cognito.list_user_sessions(AccessToken=refreshed["access_token"])["Sessions"]
    assert kept["SessionId"] == started["SessionId"] and kept["LastActiveDate"] > started["LastActiveDate"]
    assert sso_kept["LastActiveDate"] == kept["LastActiveDate"]  # a refresh through it is activity of the SSO session


def test_signing_in_on_the_managed_login_pages_starts_no_session_until_the_code_is_exchanged(domain: Domain) -> None:
    """The pages answer their challenges through the API and retire the API's tokens: those start no token session
    (which would take the place of another at MaxPerUser); the token endpoint's tokens do."""
    cognito = domain.emu.client()
    cognito.set_user_pool_session_configuration(
        UserPoolId=domain.pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 1}
    )
    api_client = cognito.create_user_pool_client(
        UserPoolId=domain.pool_id,
        ClientName="api",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito.initiate_auth(
        ClientId=api_client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD}
    )
    cognito.set_user_pool_mfa_config(
        UserPoolId=domain.pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    browser = LoginBrowser(domain)
    key = re.search(r'id="totpSecretCode">([A-Z2-7]+)<', browser.submit(username="alice", password=PASSWORD).text)
    assert key is not None
    done = browser.submit(code=pyotp.TOTP(key.group(1)).at(int(domain.emu.clock.now())), device_name="phone")
    assert done.headers["Location"].startswith(CALLBACK + "?code=")  # signed in; the code not exchanged
    listed = cognito.admin_list_user_sessions(UserPoolId=domain.pool_id, Username="alice")["Sessions"]
    assert [(s["SessionType"], s["ClientId"]) for s in listed] == [("TOKEN", api_client), ("SSO", domain.web_id)]


def _tracked_sign_in(domain: Domain) -> tuple[requests.Session, str, dict[str, Any]]:
    """Session tracking on; alice signs in on the pages in a browser and the app exchanges the code: (the browser,
    the authorize URL, the app's tokens)."""
    domain.emu.client().set_user_pool_session_configuration(
        UserPoolId=domain.pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 20}
    )
    app = web_session(domain, scope="openid aws.cognito.signin.user.admin")
    verifier = generate_token(48)
    url, _ = app.create_authorization_url(domain.url("/oauth2/authorize"), code_verifier=verifier)
    browser = LoginBrowser(domain, url)
    done = browser.submit(username="alice", password=PASSWORD)
    tokens = app.fetch_token(
        domain.url("/oauth2/token"), authorization_response=done.headers["Location"], code_verifier=verifier
    )
    return browser.session, url, dict(tokens)


def test_revoking_the_sso_session_ends_the_cookie_and_with_linked_its_token_sessions(domain: Domain) -> None:
    browser, url, tokens = _tracked_sign_in(domain)
    cognito = domain.emu.client()
    assert browser.get(url, allow_redirects=False).headers["Location"].startswith(CALLBACK + "?code=")  # silent
    token_session, sso = cognito.admin_list_user_sessions(UserPoolId=domain.pool_id, Username="alice")["Sessions"]
    cognito.admin_revoke_user_session(
        UserPoolId=domain.pool_id, Username="alice", SessionId=sso["SessionId"], RevokeAssociatedSessions="LINKED"
    )
    assert "/login?" in browser.get(url, allow_redirects=False).headers["Location"]  # the cookie signs nobody in
    assert cognito.admin_list_user_sessions(UserPoolId=domain.pool_id, Username="alice")["Sessions"] == []
    gone = requests.post(
        domain.url("/oauth2/token"),
        data={"grant_type": "refresh_token", "client_id": domain.web_id, "refresh_token": tokens["refresh_token"]},
    )
    assert (gone.status_code, gone.json()["error"]) == (400, "invalid_grant")
    assert token_session["OriginSessionId"] == sso["SessionId"]


def test_revoking_a_token_session_alone_leaves_the_sso_session_and_linked_ends_both(domain: Domain) -> None:
    browser, url, _ = _tracked_sign_in(domain)
    cognito = domain.emu.client()
    token_session, sso = cognito.admin_list_user_sessions(UserPoolId=domain.pool_id, Username="alice")["Sessions"]
    cognito.admin_revoke_user_session(UserPoolId=domain.pool_id, Username="alice", SessionId=token_session["SessionId"])
    [left] = cognito.admin_list_user_sessions(UserPoolId=domain.pool_id, Username="alice")["Sessions"]
    assert left["SessionId"] == sso["SessionId"]
    again = browser.get(url, allow_redirects=False).headers["Location"]  # the cookie still signs alice in
    assert again.startswith(CALLBACK + "?code=")
    # a second token session through the same SSO session; revoking it LINKED ends the SSO session as well
    app = web_session(domain, scope="openid aws.cognito.signin.user.admin")
    verifier = generate_token(48)
    authorize_url, _ = app.create_authorization_url(domain.url("/oauth2/authorize"), code_verifier=verifier)
    code_location = browser.get(authorize_url, allow_redirects=False).headers["Location"]
    second = app.fetch_token(domain.url("/oauth2/token"), authorization_response=code_location, code_verifier=verifier)
    [current] = [
        s for s in cognito.list_user_sessions(AccessToken=second["access_token"])["Sessions"] if s["IsCurrentSession"]
    ]
    assert current["OriginSessionId"] == sso["SessionId"]
    cognito.admin_revoke_user_session(
        UserPoolId=domain.pool_id, Username="alice", SessionId=current["SessionId"], RevokeAssociatedSessions="LINKED"
    )
    assert cognito.admin_list_user_sessions(UserPoolId=domain.pool_id, Username="alice")["Sessions"] == []
    assert "/login?" in browser.get(url, allow_redirects=False).headers["Location"]


def test_a_clients_sso_session_validity_decides_silent_reuse(domain: Domain) -> None:
    cognito = domain.emu.client()
    config = cognito.get_user_pool_client_session_configuration(UserPoolId=domain.pool_id, ClientId=domain.web_id)
    assert config["SSOSession"] == {"MaxValidityMinutes": 60}
    with pytest.raises(ClientError) as excinfo:  # only where the pool tracks sessions
        cognito.set_user_pool_client_session_configuration(
            UserPoolId=domain.pool_id, ClientId=domain.web_id, SSOSession={"MaxValidityMinutes": 0}
        )
    assert excinfo.value.response["Error"]["Code"] == "OperationNotEnabledException"
    browser, url, _ = _tracked_sign_in(domain)
    domain.emu.clock.advance(30 * 60)
    assert browser.get(url, allow_redirects=False).headers["Location"].startswith(CALLBACK + "?code=")
    cognito.set_user_pool_client_session_configuration(
        UserPoolId=domain.pool_id, ClientId=domain.web_id, SSOSession={"MaxValidityMinutes": 20}
    )
    assert "/login?" in browser.get(url, allow_redirects=False).headers["Location"]  # 30 minutes since the sign-in
    cognito.update_user_pool_client(UserPoolId=domain.pool_id, ClientId=domain.web_id, ClientName="web")
    config = cognito.get_user_pool_client_session_configuration(UserPoolId=domain.pool_id, ClientId=domain.web_id)
    assert config["SSOSession"] == {"MaxValidityMinutes": 20}  # UpdateUserPoolClient leaves it alone


def test_each_reuse_of_the_session_cookie_starts_its_hour_again(domain: Domain) -> None:
    """[C: AWS Knowledge Center "logout endpoint and GlobalSignOut"]: valid for an hour, reset to an hour on reuse."""
    url = web_session(domain).create_authorization_url(domain.url("/oauth2/authorize"))[0]
    browser = LoginBrowser(domain, url)
    assert browser.submit(username="alice", password=PASSWORD).headers["Location"].startswith(CALLBACK + "?code=")
    for _ in range(2):  # 100 minutes after the sign-in, still signed in: each reuse started a new hour
        domain.emu.clock.advance(50 * 60)
        assert browser.session.get(url, allow_redirects=False).headers["Location"].startswith(CALLBACK + "?code=")
    domain.emu.clock.advance(61 * 60)
    assert "/login?" in browser.session.get(url, allow_redirects=False).headers["Location"]
