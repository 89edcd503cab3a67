"""An ``oauth:`` step: drive a pool domain's OAuth 2.0 / OIDC endpoints as an app and its user's browser would.

``oauth: authorize`` follows /oauth2/authorize to the login page, submits the user's password and stops at the
redirect back to the app (the code, or the implicit grant's tokens); ``token``, ``userinfo``, ``revoke`` and
``logout`` call the other endpoints. A run keeps what the next step needs (the PKCE verifier, the code, the
redirect_uri, the last tokens, the browser's cookies) in its stash, so a scenario only writes what it varies.

On the in-process emulator the requests go straight to ``harness.emulator.oauth.endpoints``; on emulator-http
over loopback HTTP; on aws to ``https://<domain>.auth.<region>.amazoncognito.com``, where the login page needs
a person, so ``authorize`` and ``logout`` are skipped with the backend's reason (docs/oauth.md).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
import pyotp

from harness.backends.base import Powers, Unsupported
from harness.cognito.outcome import Outcome
from harness.scenario.model import Expectation, Step
from harness.steps.context import RunContext
from harness.steps.kind import NAME_PROPERTY, RESULT_PROPERTIES, StepKind
from harness.steps.words import Reply, expected_reply

ACTIONS = ("authorize", "token", "userinfo", "revoke", "logout", "confirm_user")
NEEDS_LOGIN_PAGE = frozenset({"authorize", "logout"})
OAUTH_ERRORS = frozenset(
    {
        "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
        "invalid_scope", "invalid_token", "unsupported_token_type", "unsupported_response_type", "access_denied",
        "server_error", "redirect_mismatch", "login_failed", "http_error",
    }
)  # fmt: skip
"""The OAuth errors (RFC 6749 5.2, 4.1.2.1; RFC 7009; Cognito's redirect_mismatch) and the step's own
``login_failed`` (the login page said no; its text is the message) and ``http_error`` (anything else)."""
PARAMS = {
    "client_id": "The app client (default: the step's client).",
    "client_secret": "Its secret (default: the step's client's, when it has one).",
    "client_auth": "How the token and revoke endpoints get the secret: basic (default) or post.",
    "redirect_uri": "authorize and token: the callback URL (token: default the authorize step's).",
    "scope": "authorize and token (client_credentials): space-separated scopes.",
    "response_type": "authorize: code (default) or token (implicit).",
    "pkce": "authorize: send an S256 code_challenge (default true); the token step sends its verifier.",
    "state": "authorize: the state value (default: random).",
    "nonce": "authorize: the nonce for the id token.",
    "identity_provider": (
        "authorize: sign in through this identity provider of the pool instead of the login page (the emulator "
        "shows its stand-in for the provider's page, which `identity` fills in)."
    ),
    "identity": (
        "authorize with identity_provider: the claims the provider answers with (sub, or id for Facebook, "
        "user_id for Login with Amazon, NameID for SAML, and the attributes its AttributeMapping reads)."
    ),
    "username": "authorize: who signs in on the login page (not needed while the browser has a session).",
    "password": "authorize: their password.",
    "new_password": "authorize: the answer to NEW_PASSWORD_REQUIRED on the login page.",
    "mfa_code": "authorize: the answer to an MFA challenge (SMS, TOTP, email) on the login page.",
    "mfa_type": "authorize: the MFA method to choose on the login page (SELECT_MFA_TYPE): SMS_MFA, EMAIL_OTP, ...",
    "totp_setup": (
        "authorize: when the login page sets up an authenticator app (MFA_SETUP), read its key and answer with "
        "the key's current code, as the app would; the response carries the key as SecretCode."
    ),
    "grant_type": "token: authorization_code (default after authorize), refresh_token or client_credentials.",
    "code": "token: the code (default: the authorize step's).",
    "code_verifier": "token: the PKCE verifier (default: the authorize step's; an empty string sends none).",
    "refresh_token": "token (refresh_token) and revoke: the refresh token (default: the last one issued).",
    "access_token": "userinfo: the access token (default: the last one issued).",
    "token": "revoke: the token to revoke (default: the last refresh token).",
    "logout_uri": "logout: the sign-out URL.",
    "link": "confirm_user: the confirmation link of a CONFIRM_WITH_LINK email (outbox_link(email) reads it).",
    "query": "authorize and logout: more query parameters, sent as given.",
}


@dataclass
class BrowserState:
    """What one scenario run's app and browser remember between oauth steps."""

    cookies: dict[str, dict[str, str]] = field(default_factory=dict)  # domain -> cookie name -> value
    verifier: str | None = None
    code: str | None = None
    redirect_uri: str | None = None
    client_id: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    own_domains: set[str] = field(default_factory=set)  # domains checked to be the run's pool's (real pools)


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


class LoginPages:
    """The login page and the challenge pages after it, filled in as the step's parameters say: the form once,
    each challenge with its answer; a challenge without one ends the step with its name as ChallengeName (so
    ``expect: {challenge: ...}`` works), a page's error with ``login_failed``."""

    def __init__(self, params: Mapping[str, Any], sent: dict[str, Any], *, now: float) -> None:
        self.params = params
        self.sent = sent
        self.now = now  # the backend's clock: an authenticator app's codes follow it
        self.submitted = False  # the login form goes once; coming back to it without an error is a failure
        self.learnt: dict[str, str] = {}

    def fill(self, browser: Browser, page: HttpAnswer) -> HttpAnswer | Outcome:
        text = page.body.decode("utf-8", "replace")
        shown = re.search(r'id="loginErrorMessage"[^>]*>([^<]*)<', text)
        if shown:
            return _error("login_failed", html.unescape(shown.group(1)), self.sent)
        if 'name="_csrf"' not in text:
            return _error("http_error", f"HTTP {page.status} from the domain, not a redirect to the app", self.sent)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text))
        fields = {name: html.unescape(value) for name, value in fields.items()}
        challenge = fields.get("challenge")
        if challenge is None:
            if self.submitted:
                return _error("http_error", "the login page came back without an error", self.sent)
            self.submitted = True
            fields |= {
                "username": str(self.params.get("username") or ""),
                "password": str(self.params.get("password") or ""),
            }
        else:
            answers = self._answers(challenge, text)
            if answers is None:
                return Outcome(self.sent, {"ChallengeName": challenge})
            fields |= answers
        action = re.search(r'action="([^"]+)"', text)
        target = html.unescape(action.group(1)) if action else ""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return browser.send("POST", target, headers, urlencode(fields).encode())

    def _answers(self, challenge: str, text: str) -> dict[str, str] | None:
        """The form fields that answer `challenge`, or None when the step has no answer for it."""
        params = self.params
        if challenge == "IDP_SIGN_IN":  # the emulator's stand-in for the provider's page
            identity = params.get("identity")
            return None if identity is None else {"claims": json.dumps(identity)}
        if challenge == "NEW_PASSWORD_REQUIRED":
            return None if params.get("new_password") is None else {"new_password": str(params["new_password"])}
        if challenge == "SELECT_MFA_TYPE":
            return None if params.get("mfa_type") is None else {"mfa_type": str(params["mfa_type"])}
        if challenge == "MFA_SETUP":
            key = re.search(r'id="totpSecretCode">([^<]+)<', text)
            if not params.get("totp_setup") or key is None:
                return None
            secret = html.unescape(key.group(1))
            self.learnt["SecretCode"] = secret
            return {"code": str(pyotp.TOTP(secret).at(int(self.now)))}
        return None if params.get("mfa_code") is None else {"code": str(params["mfa_code"])}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


class Transport:
    """Requests to one pool domain: in-process into the emulator, or over HTTP(S)."""

    def __init__(self, ctx: RunContext, domain: str) -> None:
        self.domain = domain
        self._emulator: Any = None
        backend = ctx.backend
        emulator = getattr(backend, "emulator", None)
        if emulator is not None:
            self.base = f"{emulator.base_url}/{domain}"
            if backend.name == "emulator":
                self._emulator = emulator
        elif getattr(getattr(backend, "settings", None), "endpoint_url", None):
            # An aws backend pointed at another endpoint (an emulator, in tests): its domains live there too.
            self.base = f"{str(backend.settings.endpoint_url).rstrip('/')}/{domain}"  # type: ignore[attr-defined]
        else:
            region = getattr(backend, "region", None) or ctx.backend.cognito().meta.region_name
            self.base = f"https://{domain}.auth.{region}.amazoncognito.com"

    def send(self, method: str, url: str, headers: dict[str, str], body: bytes = b"") -> HttpAnswer:
        if self._emulator is not None:
            return self._in_process(method, url, headers, body)
        request = urllib.request.Request(url, data=body if method == "POST" else None, method=method, headers=headers)
        try:
            with _OPENER.open(request, timeout=30) as response:
                return HttpAnswer(response.status, list(response.headers.items()), response.read())
        except urllib.error.HTTPError as exc:  # 3xx (redirects are not followed) and 4xx/5xx
            return HttpAnswer(exc.code, list(exc.headers.items()), exc.read())
        except OSError as exc:
            raise Unsupported(f"the domain {self.domain} could not be reached: {exc}") from None

    def _in_process(self, method: str, url: str, headers: dict[str, str], body: bytes) -> HttpAnswer:
        from harness.emulator.oauth.endpoints import handle
        from harness.emulator.oauth.wire import DomainRequest
        from harness.emulator.ops.domains import pool_of_domain

        parts = urlsplit(url)
        pool = pool_of_domain(self._emulator, self.domain)
        if pool is None:
            return HttpAnswer(404, [], f"No such domain {self.domain}".encode())
        prefix = urlsplit(self.base).path
        request = DomainRequest(
            method=method,
            path=parts.path[len(prefix) :] or "/",
            query=parts.query,
            body=body,
            headers={name.lower(): value for name, value in headers.items()},
            base=self.base,
        )
        reply = handle(self._emulator, pool, request)
        pairs = [
            (name, line)
            for name, value in reply.headers.items()
            for line in (value.split("\n") if name == "Set-Cookie" else [value])
        ]
        return HttpAnswer(reply.status, pairs, reply.body)


class Browser:
    """Cookies kept per domain across the run's steps, and requests that carry them."""

    def __init__(self, transport: Transport, state: BrowserState) -> None:
        self.transport = transport
        self.jar = state.cookies.setdefault(transport.domain, {})

    def send(self, method: str, url: str, headers: dict[str, str] | None = None, body: bytes = b"") -> HttpAnswer:
        sent = dict(headers or {})
        if self.jar:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.jar.items())
        answer = self.transport.send(method, url, sent, body)
        for name, value in answer.headers:
            if name.lower() == "set-cookie":
                self._keep(value)
        return answer

    def _keep(self, line: str) -> None:
        pair, *attributes = line.split(";")
        name, _, value = pair.strip().partition("=")
        expired = any(attr.strip().lower() in ("max-age=0", "max-age=-1") for attr in attributes)
        if expired or not value:
            self.jar.pop(name, None)
        else:
            self.jar[name] = value


def _check_own_domain(ctx: RunContext, domain: str, state: BrowserState) -> None:
    """On a real pool, send nothing to a domain that is not the run's own pool's: the guard that keeps a run to
    its pools (backends/aws_guard.py) never sees these requests, so this is their guard (the pool's description
    is read through the guarded client)."""
    if getattr(ctx.backend, "emulator", None) is not None or domain in state.own_domains:
        return
    described = ctx.call("DescribeUserPool", {}).response
    if (described.get("UserPool") or {}).get("Domain") != domain:
        raise Unsupported(f"the domain {domain!r} is not the domain of this run's pool: nothing is sent to it")
    state.own_domains.add(domain)


def _error(code: str, message: str = "", request: dict[str, Any] | None = None) -> Outcome:
    return Outcome(request, {"Error": {"Code": code, "Message": message}})


def _claims(token: str | None) -> dict[str, Any] | None:
    """A JWT's claims, unverified: for expectations (scope, nonce); the `tokens: valid` check verifies."""
    if not token:
        return None
    try:
        claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    return claims


def _token_result(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The endpoint's JSON as the API's AuthenticationResult (so `tokens: valid` and saves read the same names),
    with the tokens' claims beside it."""
    names = {
        "access_token": "AccessToken", "id_token": "IdToken", "refresh_token": "RefreshToken",
        "expires_in": "ExpiresIn", "token_type": "TokenType",
    }  # fmt: skip
    result = {names[key]: value for key, value in payload.items() if key in names}
    for key, value in list(result.items()):
        if key == "ExpiresIn" and isinstance(value, str) and value.isdigit():
            result[key] = int(value)
    response: dict[str, Any] = {"AuthenticationResult": result}
    access, identity = _claims(result.get("AccessToken")), _claims(result.get("IdToken"))
    if access is not None:
        response["AccessClaims"] = access
    if identity is not None:
        response["IdClaims"] = identity
    return response


def _remember_tokens(state: BrowserState, response: Mapping[str, Any]) -> None:
    result = response.get("AuthenticationResult") or {}
    state.access_token = result.get("AccessToken") or state.access_token
    state.refresh_token = result.get("RefreshToken") or state.refresh_token


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _json(answer: HttpAnswer) -> Any:
    try:
        return json.loads(answer.body or b"{}")
    except ValueError:
        return None


class OAuth(StepKind):
    key = "oauth"
    summary = "oauth (the pool domain's OAuth 2.0 endpoints)"
    input_key = "params"
    takes_client = True
    extra_errors = OAUTH_ERRORS
    schema: ClassVar[dict[str, Any]] = {
        "title": "OAuth 2.0 endpoint (managed login)",
        "description": (
            "Call an OAuth 2.0 / OIDC endpoint of the pool's domain as an app (and its user's browser) would. "
            "Errors are the endpoint's (invalid_grant, redirect_mismatch, ...); tokens come back as "
            "AuthenticationResult with AccessClaims/IdClaims. authorize and logout are skipped on a real pool."
        ),
        "type": "object",
        "required": ["oauth", "domain"],
        "properties": {
            "oauth": {"description": "The endpoint.", "enum": list(ACTIONS)},
            "domain": {
                "description": "The domain prefix (CreateUserPoolDomain's Domain); templates allowed.",
                "type": "string",
                "minLength": 1,
            },
            "name": NAME_PROPERTY,
            "client": {
                "description": "Another app client of the pool for this step only.",
                "$ref": "#/$defs/clientName",
            },
            "params": {
                "description": "The request's parameters (templates allowed); what is left out comes from the "
                "step's client and the run's earlier oauth steps.",
                "type": "object",
                "properties": {name: {"description": text} for name, text in PARAMS.items()},
                "additionalProperties": False,
            },
            **RESULT_PROPERTIES,
        },
        "additionalProperties": False,
    }

    def default_label(self, raw: Mapping[str, Any]) -> str:
        grant = (raw.get("params") or {}).get("grant_type")
        return f"oauth {raw['oauth']}" + (f" ({grant})" if isinstance(grant, str) else "")

    def fields(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "operation": str(raw["oauth"]),
            "params": {"domain": raw["domain"], **dict(raw.get("params") or {})},
        }

    def lacks(self, step: Step, powers: Powers) -> str | None:
        if powers.domain_why is not None:
            return powers.domain_why
        return powers.managed_login_why if step.operation in NEEDS_LOGIN_PAGE else None

    def run(self, step: Step, ctx: RunContext, rendered: Any) -> Outcome:
        params = dict(rendered or {})
        domain = str(params.pop("domain"))
        state: BrowserState = ctx.stash.setdefault(BrowserState, BrowserState())
        _check_own_domain(ctx, domain, state)
        browser = Browser(Transport(ctx, domain), state)
        action = {
            "authorize": self._authorize,
            "token": self._token,
            "userinfo": self._userinfo,
            "revoke": self._revoke,
            "logout": self._logout,
            "confirm_user": self._confirm_user,
        }[str(step.operation)]
        return action(ctx, browser, state, params)

    # -- the endpoints ----------------------------------------------------------------------------------------

    def _authorize(self, ctx: RunContext, browser: Browser, state: BrowserState, params: dict[str, Any]) -> Outcome:
        client_id = str(params.get("client_id") or ctx.client.client_id)
        query: dict[str, str] = {
            "response_type": str(params.get("response_type", "code")),
            "client_id": client_id,
            "redirect_uri": str(params.get("redirect_uri", "")),
            "state": str(params.get("state") or secrets.token_urlsafe(12)),
        }
        for name in ("scope", "nonce", "identity_provider"):
            if params.get(name) is not None:
                query[name] = str(params[name])
        verifier = None
        if params.get("pkce", True) and query["response_type"] == "code":
            verifier, query["code_challenge"] = _pkce_pair()
            query["code_challenge_method"] = "S256"
        query.update({str(k): str(v) for k, v in (params.get("query") or {}).items()})
        state.verifier, state.code, state.client_id = verifier, None, client_id
        state.redirect_uri = query["redirect_uri"]
        sent = {**query, "username": params.get("username"), "password": params.get("password")}
        answer = browser.send("GET", f"{browser.transport.base}/oauth2/authorize?{urlencode(query)}")
        pages = LoginPages(params, sent, now=ctx.backend.now())
        for _ in range(8):  # authorize -> login page -> (form, challenges) -> the app
            location = answer.header("Location") if answer.status in (301, 302, 303) else None
            if location is None:
                page_result = pages.fill(browser, answer)
                if isinstance(page_result, Outcome):
                    return page_result
                answer = page_result
                continue
            if not location.startswith(browser.transport.base):
                return self._back_at_app(location, state, sent, pages.learnt)
            if urlsplit(location).path.endswith("/error"):
                found = dict(parse_qsl(urlsplit(location).query))
                return _error(found.get("error", "http_error"), found.get("error_description", ""), sent)
            answer = browser.send("GET", location)
        return _error("http_error", "too many pages before the redirect back to the app", sent)

    def _back_at_app(
        self, location: str, state: BrowserState, sent: dict[str, Any], learnt: Mapping[str, str]
    ) -> Outcome:
        parts = urlsplit(location)
        found = dict(parse_qsl(parts.query)) | dict(parse_qsl(parts.fragment))
        if "error" in found:
            return _error(found["error"], found.get("error_description", ""), sent)
        response: dict[str, Any] = {"Location": location.split("?", 1)[0].split("#", 1)[0], "State": found.get("state")}
        response |= learnt  # what the pages showed that later steps need (an authenticator app's key)
        if "code" in found:
            state.code = found["code"]
            response["Code"] = found["code"]
        if "access_token" in found:
            response |= _token_result(found)
            _remember_tokens(state, response)
        return Outcome(sent, response)

    def _client_auth(
        self, ctx: RunContext, params: dict[str, Any], state: BrowserState, form: dict[str, str]
    ) -> dict[str, str]:
        """Headers for the client's authentication; adds client_id (and, for post, the secret) to the form."""
        client_id = str(params.get("client_id") or state.client_id or ctx.client.client_id)
        if (
            params.get("client_id") is None
            and params.get("client_secret") is None
            and client_id == ctx.client.client_id
        ):
            secret: str | None = ctx.client.secret
        else:
            secret = None if params.get("client_secret") is None else str(params["client_secret"])
        if secret is None or params.get("client_auth") == "post":
            form["client_id"] = client_id
            if secret is not None:
                form["client_secret"] = secret
            return {}
        pair = f"{client_id}:{secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}

    def _post_form(
        self, ctx: RunContext, browser: Browser, state: BrowserState, params: dict[str, Any], path: str,
        form: dict[str, str],
    ) -> HttpAnswer:  # fmt: skip
        headers = {"Content-Type": "application/x-www-form-urlencoded", **self._client_auth(ctx, params, state, form)}
        return browser.transport.send("POST", f"{browser.transport.base}{path}", headers, urlencode(form).encode())

    def _token(self, ctx: RunContext, browser: Browser, state: BrowserState, params: dict[str, Any]) -> Outcome:
        grant = str(params.get("grant_type") or ("authorization_code" if state.code else ""))
        if not grant:
            raise Unsupported("no grant_type, and no code from an authorize step (was it skipped?)")
        form: dict[str, str] = {"grant_type": grant}
        if grant == "authorization_code":
            code = params.get("code") or state.code
            if not code:
                raise Unsupported("no authorization code: the authorize step was skipped or failed")
            form["code"] = str(code)
            form["redirect_uri"] = str(params.get("redirect_uri") or state.redirect_uri or "")
            verifier = params.get("code_verifier", state.verifier)
            if verifier:
                form["code_verifier"] = str(verifier)
        elif grant == "refresh_token":
            refresh = params.get("refresh_token") or state.refresh_token
            if not refresh:
                raise Unsupported("no refresh token from an earlier step")
            form["refresh_token"] = str(refresh)
        if params.get("scope") is not None:
            form["scope"] = str(params["scope"])
        answer = self._post_form(ctx, browser, state, params, "/oauth2/token", form)
        shown = {k: v for k, v in form.items() if k != "client_secret"}
        payload = _json(answer)
        if answer.status != 200 or not isinstance(payload, dict) or "access_token" not in payload:
            return self._json_error(answer, payload, shown)
        response = _token_result(payload)
        _remember_tokens(state, response)
        return Outcome(shown, response)

    def _json_error(self, answer: HttpAnswer, payload: Any, sent: dict[str, Any]) -> Outcome:
        if isinstance(payload, dict) and "error" in payload:
            return _error(str(payload["error"]), str(payload.get("error_description", "")), sent)
        return _error("http_error", f"HTTP {answer.status}", sent)

    def _userinfo(self, ctx: RunContext, browser: Browser, state: BrowserState, params: dict[str, Any]) -> Outcome:
        token = params.get("access_token") or state.access_token
        if not token:
            raise Unsupported("no access token from an earlier step")
        answer = browser.transport.send(
            "GET", f"{browser.transport.base}/oauth2/userInfo", {"Authorization": f"Bearer {token}"}
        )
        payload = _json(answer)
        if answer.status == 200 and isinstance(payload, dict):
            return Outcome({}, payload)
        challenge = answer.header("WWW-Authenticate") or ""
        found = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
        if "error" in found:
            return _error(found["error"], found.get("error_description", ""), {})
        return self._json_error(answer, payload, {})

    def _revoke(self, ctx: RunContext, browser: Browser, state: BrowserState, params: dict[str, Any]) -> Outcome:
        token = params.get("token") or params.get("refresh_token") or state.refresh_token
        if not token:
            raise Unsupported("no refresh token from an earlier step")
        answer = self._post_form(ctx, browser, state, params, "/oauth2/revoke", {"token": str(token)})
        if answer.status == 200:
            return Outcome({}, {"Revoked": True})
        return self._json_error(answer, _json(answer), {})

    def _logout(self, ctx: RunContext, browser: Browser, state: BrowserState, params: dict[str, Any]) -> Outcome:
        query = {"client_id": str(params.get("client_id") or ctx.client.client_id)}
        if params.get("logout_uri") is not None:
            query["logout_uri"] = str(params["logout_uri"])
        query.update({str(k): str(v) for k, v in (params.get("query") or {}).items()})
        answer = browser.send("GET", f"{browser.transport.base}/logout?{urlencode(query)}")
        location = answer.header("Location") or ""
        if urlsplit(location).path.endswith("/error"):
            found = dict(parse_qsl(urlsplit(location).query))
            return _error(found.get("error", "http_error"), "", query)
        if answer.status not in (301, 302, 303):
            return _error("http_error", f"HTTP {answer.status}", query)
        return Outcome(query, {"Location": location})

    def _confirm_user(self, ctx: RunContext, browser: Browser, state: BrowserState, params: dict[str, Any]) -> Outcome:
        """Open a sign-up confirmation link as the user's browser would: /confirmUser on the step's domain with
        the link's query. The page's heading is the response's Message; a refusal is invalid_request."""
        link = str(params.get("link") or "")
        sent = {"link": link}
        query = urlsplit(link).query
        if not query:
            return _error(
                "invalid_request",
                "params.link is not a confirmation link (no client_id, user_name, confirmation_code)",
                sent,
            )
        answer = browser.send("GET", f"{browser.transport.base}/confirmUser?{query}")
        text = answer.body.decode("utf-8", "replace")
        if answer.status != 200:
            shown = re.search(r'id="errorMessage"[^>]*>([^<]*)<', text)
            detail = html.unescape(shown.group(1)) if shown else f"HTTP {answer.status}"
            return _error("invalid_request", detail, sent)
        heading = re.search(r"<h1[^>]*>([^<]*)</h1>", text)
        return Outcome(sent, {"Message": html.unescape(heading.group(1)) if heading else ""})

    # -- drawing ----------------------------------------------------------------------------------------------

    def request_label(self, step: Step) -> str | None:
        paths = {"authorize": "/oauth2/authorize + login", "token": "/oauth2/token", "userinfo": "/oauth2/userInfo",
                 "revoke": "/oauth2/revoke", "logout": "/logout", "confirm_user": "/confirmUser"}  # fmt: skip
        grant = step.params.get("grant_type")
        return paths[str(step.operation)] + (f" ({grant})" if isinstance(grant, str) else "")

    def reply(self, step: Step, expectation: Expectation) -> Reply:
        return expected_reply(expectation)


KIND = OAuth()
