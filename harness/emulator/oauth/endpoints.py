"""The endpoints of a pool's domain: /oauth2/authorize, /login, /oauth2/token, /oauth2/userInfo, /oauth2/revoke,
/logout, /error. `handle()` answers one request; the HTTP server routes `/<domain prefix>/...` here.

Every rule cites its source; choices where no source says what Cognito does are marked UNCONFIRMED and listed
in docs/oauth.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from harness.cognito.secret_hash import secret_hash
from harness.emulator import errors
from harness.emulator.emulator import Reply
from harness.emulator.errors import CognitoError
from harness.emulator.oauth import messages
from harness.emulator.oauth.client_rules import STANDARD_SCOPES
from harness.emulator.oauth.store import (
    CODE_VALIDITY_S,
    AuthorizationCode,
    LoginSession,
    new_secret_token,
    oauth_state,
)
from harness.emulator.oauth.tokens import client_tokens, user_tokens
from harness.emulator.oauth.wire import DomainRequest, json_reply, oauth_error, page, redirect, with_params
from harness.emulator.ops.auth import AFTER_FIRST_FACTOR, AuthContext, next_step, verify_password
from harness.emulator.ops.common import is_client_secret
from harness.emulator.ops.federation import FederationRefused, sign_in_federated
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.issue import new_refresh_record
from harness.emulator.ops.mfa import TOTP
from harness.emulator.ops.user_sessions import (
    may_reuse,
    sso_lifetime_s,
    start_session,
    start_sso_session,
    touch_session,
)
from harness.emulator.state import AppClient, User, UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

SESSION_COOKIE = "cognito"  # managed login's session cookie [C: the cookie name seen on every Cognito domain]
CSRF_COOKIE = "XSRF-TOKEN"  # and its form's CSRF cookie, echoed in the `_csrf` field [C: same]
PROFILE_CLAIMS = (
    "name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
    "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
)  # fmt: skip
"""What the `profile` scope reads at userInfo; custom attributes too [DG "UserInfo endpoint"]."""


def handle(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    """Answer one request to the pool's domain; an emulator bug answers 500 `server_error`, never an exception."""
    route = ROUTES.get((request.method, request.path))
    if route is None:
        methods = sorted(method for method, path in ROUTES if path == request.path)
        if methods:
            return page(405, "Method Not Allowed", f"<p>Use {html.escape(', '.join(methods))}.</p>")
        return page(404, "Not Found", f"<p>No such page on this domain: {html.escape(request.path)}</p>")
    try:
        with emu.lock:
            return route(emu, pool, request)
    except Exception as exc:  # noqa: BLE001 - like Emulator.handle: a bug must still answer
        return oauth_error("server_error", 500, f"authflow emulator bug: {type(exc).__name__}: {exc}")


# --- /oauth2/authorize and the login page ----------------------------------------------------------------


@dataclass(frozen=True)
class AuthorizeRequest:
    client: AppClient
    response_type: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    provider: str | None = None  # identity_provider: a provider of the pool the client supports (federation)


def _error_location(request: DomainRequest, error: str, client_id: str | None) -> Reply:
    """A problem with the client or its redirect_uri cannot go back to the app: the domain's own error page
    [C: facts file: a bad redirect_uri at /oauth2/authorize goes to the domain's /error?error=redirect_mismatch]."""
    return redirect(with_params(f"{request.base}/error", {"error": error, "client_id": client_id}))


def _check_authorize(pool: UserPool, request: DomainRequest) -> AuthorizeRequest | Reply:
    """The authorize request's parameters as Cognito checks them [DG "Authorize endpoint", negative responses]."""
    params = request.params()
    client_id = params.get("client_id")
    client = pool.clients.get(client_id or "")
    if client is None:
        return _error_location(request, "invalid_request", client_id)  # UNCONFIRMED: an unknown client
    if not client.settings.get("AllowedOAuthFlowsUserPoolClient"):
        return _error_location(request, "unauthorized_client", client_id)  # UNCONFIRMED: OAuth off for the client
    redirect_uri = params.get("redirect_uri") or ""
    if redirect_uri not in (client.settings.get("CallbackURLs") or []):  # exact match, [DG redirect_uri]
        return _error_location(request, "redirect_mismatch", client_id)
    state = params.get("state")

    def back(error: str) -> Reply:
        return redirect(with_params(redirect_uri, {"error": error, "state": state}))

    response_type = params.get("response_type")
    method = params.get("code_challenge_method")
    challenge = params.get("code_challenge")
    if response_type not in ("code", "token"):
        return back("invalid_request")
    if (challenge and not method) or (method and method != "S256") or (method and not challenge):
        return back("invalid_request")  # only S256 [DG code_challenge_method]
    flows = set(client.settings.get("AllowedOAuthFlows") or [])
    if (response_type == "code" and "code" not in flows) or (response_type == "token" and "implicit" not in flows):
        return back("unauthorized_client")
    allowed = list(client.settings.get("AllowedOAuthScopes") or [])
    requested = params.get("scope")
    scopes = tuple(requested.split()) if requested else tuple(allowed)  # the query is already decoded
    if any(scope not in allowed for scope in scopes):
        return back("invalid_scope")  # "invalid, unknown, malformed scope" [DG]; not allowed: UNCONFIRMED
    if {"email", "phone", "profile"} & set(scopes) and "openid" not in scopes:
        return back("invalid_scope")  # they "can only be requested if openid scope is also requested" [DG]
    provider = params.get("identity_provider")
    identifier = params.get("idp_identifier")
    if provider is None and identifier:  # a provider by one of its IdpIdentifiers [DG "Authorize endpoint"]
        named = [
            name for name, idp in pool.identity_providers.items() if identifier in (idp.get("IdpIdentifiers") or [])
        ]
        provider = named[0] if named else identifier  # an unknown one is refused below as an unknown name
    if provider == "COGNITO":
        provider = None
    if provider is not None and (
        provider not in pool.identity_providers
        or provider not in (client.settings.get("SupportedIdentityProviders") or [])
    ):
        return back("invalid_request")  # UNCONFIRMED: a provider the pool lacks or the client does not support
    return AuthorizeRequest(
        client, response_type, redirect_uri, scopes, state, params.get("nonce"), challenge, method, provider
    )


def _authorize(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    """Check the request; a user with a live managed-login session gets the code at once, anyone else the login
    page with the same parameters [DG "Authorize endpoint": "it redirects to the Login endpoint with the same
    URL parameters"]."""
    checked = _check_authorize(pool, request)
    if not isinstance(checked, AuthorizeRequest):
        return checked
    if checked.provider is not None:  # to the provider's sign-in (here the emulator's stand-in for it)
        return redirect(f"{request.base}{IDP_STAND_IN}?{request.query}")
    now = emu.clock.now()
    session = oauth_state(pool).session(request.cookie(SESSION_COOKIE), now)
    user = pool.users.get(pool.user_key(session.username)) if session is not None else None
    if session is not None and user is not None and user.enabled and may_reuse(pool, session, checked.client, now):
        return _grant(emu, pool, checked, user, session.auth_time, cookies=[], login=session)
    return redirect(f"{request.base}/login?{request.query}")


def _csrf_cookie(token: str, request: DomainRequest) -> str:
    return f"{CSRF_COOKIE}={token}; Path={_cookie_path(request)}; HttpOnly; SameSite=Lax"


def _csrf_matches(request: DomainRequest, form: dict[str, str]) -> bool:
    """The form's `_csrf` is the one its page set in the XSRF-TOKEN cookie."""
    cookie = request.cookie(CSRF_COOKIE)
    return bool(cookie) and hmac.compare_digest(cookie or "", form.get("_csrf", ""))


def _cookie_path(request: DomainRequest) -> str:
    return urlsplit(request.base).path or "/"


def _form_page(
    request: DomainRequest,
    title: str,
    form_name: str,
    body: str,
    *,
    status_title: str,
    error: str | None,
    path: str = "/login",
) -> Reply:
    """A managed-login page with one form posting back to `path` (the login page's own, or the provider stand-in's)
    with the same query: the heading, the error if any, the CSRF token Cognito's forms carry (and its cookie), then
    `body` (the form's own fields and button)."""
    token = new_secret_token()
    action = html.escape(f"{request.base}{path}?{request.query}", quote=True)
    shown = f'<p id="loginErrorMessage" class="error">{html.escape(error)}</p>' if error else ""
    form = (
        f"<h1>{html.escape(title)}</h1>{shown}"
        f'<form method="post" action="{action}" name="{form_name}">'
        f'<input type="hidden" name="_csrf" value="{token}">{body}</form>'
    )
    return page(400 if error else 200, status_title, form, cookies=[_csrf_cookie(token, request)])


def _login_form(request: DomainRequest, *, error: str | None = None) -> Reply:
    """A minimal managed login page: username and password, and the CSRF token Cognito's form carries."""
    body = (
        '<label>Username <input name="username" type="text" autocomplete="username"></label>'
        '<label>Password <input name="password" type="password" autocomplete="current-password"></label>'
        '<button type="submit" name="signInSubmitButton">Sign in</button>'
    )
    return _form_page(request, "Sign in", "cognitoSignInForm", body, status_title="Signin", error=error)


def _login_page(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    checked = _check_authorize(pool, request)
    if not isinstance(checked, AuthorizeRequest):
        return checked
    return _login_form(request)


def _login_submit(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    """Sign the user in with a password (and the challenges that follow: a new password, an MFA code), then back
    to the app with a code (or tokens, implicit). The steps after the password are the API's own
    (ops/auth.py next_step and RespondToAuthChallenge), so the same rules apply as for InitiateAuth."""
    checked = _check_authorize(pool, request)
    if not isinstance(checked, AuthorizeRequest):
        return checked
    form = request.form() or {}
    if not _csrf_matches(request, form):
        return _error_location(request, "invalid_request", checked.client.client_id)  # UNCONFIRMED: CSRF failed
    if form.get("challenge") and form.get("session"):
        return _answer_challenge(emu, pool, request, checked, form)
    username, password = form.get("username", ""), form.get("password", "")
    user = pool.find_user(username) if username else None
    if user is None or not password:
        # Managed login never says whether a user exists [UNCONFIRMED for LEGACY clients]
        return _login_form(request, error=errors.BAD_CREDENTIALS)
    ctx = AuthContext(emu, pool, checked.client, admin=False)
    ctx.managed_login = True
    try:
        verify_password(ctx, user, password)
        result = _owed_after_password(ctx, user)
    except CognitoError as exc:
        return _login_form(request, error=exc.message)
    return _after_step(emu, pool, request, checked, user, result)


def _owed_after_password(ctx: AuthContext, user: User) -> dict[str, Any] | None:
    """The challenge the API's next_step (ops/auth.py) would answer with after a right password, in its order
    (a new password, then the second factors), or None when it would issue tokens: those are not made here."""
    if user.status == "FORCE_CHANGE_PASSWORD":
        return next_step(ctx, user, auth_time=ctx.now)  # the NEW_PASSWORD_REQUIRED challenge
    for second_factor in AFTER_FIRST_FACTOR:
        owed = second_factor(ctx, user, auth_time=ctx.now)
        if owed is not None:
            return owed
    return None


CHALLENGE_FIELDS = {
    "NEW_PASSWORD_REQUIRED": ("new_password", "NEW_PASSWORD", "password"),
    "SMS_MFA": ("code", "SMS_MFA_CODE", "text"),
    "SOFTWARE_TOKEN_MFA": ("code", "SOFTWARE_TOKEN_MFA_CODE", "text"),
    "EMAIL_OTP": ("code", "EMAIL_OTP_CODE", "text"),
    "SELECT_MFA_TYPE": ("mfa_type", "ANSWER", "select"),
}
"""The challenges this login page answers with one field, each as (form field, ChallengeResponses key, input
type). MFA setup has its own page (`_totp_setup_form`). Managed login asks for a new password and MFA codes
[DG "TOTP software token MFA": "submits the TOTP password on an additional sign-in page"], offers the choice of
MFA method and sets up an authenticator app when MFA is required [same page: "prompts your user to choose an MFA
method, displays a QR code to set up their authenticator app, and verifies their MFA registration"]. Custom
challenges are not part of managed login [C: "Per AWS Support CUSTOM_AUTH is not supported with the Cognito
Hosted UI", aws-samples/aws-netcore-aspnetmvc-amazon-cognito-authentication-authorization-samples#5]: those, and
setting up email MFA, end on a page saying the emulator stops there."""


def _after_step(
    emu: Emulator, pool: UserPool, request: DomainRequest, checked: AuthorizeRequest, user: User,
    result: dict[str, Any] | None,
) -> Reply:  # fmt: skip
    """After the password or a challenge: the next challenge's form, or signed in (None, or the API's tokens
    after a challenge answered through RespondToAuthChallenge)."""
    if result is None or "AuthenticationResult" in result:
        # The API's tokens are not what the app gets here: retire their refresh token, issue the code instead.
        issued = (result or {}).get("AuthenticationResult") or {}
        record = pool.refresh_tokens.get(issued.get("RefreshToken", ""))
        if record is not None:
            pool.revoke_refresh_token(record)
        return _signed_in(emu, pool, request, checked, user)
    name = str(result.get("ChallengeName"))
    challenge_session = str(result["Session"])
    parameters = result.get("ChallengeParameters") or {}
    if name == "MFA_SETUP" and TOTP in _json_list(parameters.get("MFAS_CAN_SETUP")):
        try:
            associated = emu.call("AssociateSoftwareToken", {"Session": challenge_session})
        except CognitoError as exc:
            return _login_form(request, error=exc.message)
        return _totp_setup_form(request, str(associated["Session"]), user.username, str(associated["SecretCode"]))
    if name not in CHALLENGE_FIELDS:
        return _login_form(request, error=messages.LOGIN_UNSUPPORTED_CHALLENGE.format(challenge=name))
    choices = _json_list(parameters.get("MFAS_CAN_CHOOSE"))
    return _challenge_form(request, name, challenge_session, user.username, choices=choices)


def _signed_in(emu: Emulator, pool: UserPool, request: DomainRequest, checked: AuthorizeRequest, user: User) -> Reply:
    """Signed in on the pages (or through a provider): the managed-login session and its cookie, then the code
    (or the tokens) back to the app."""
    now = emu.clock.now()
    session = LoginSession(
        new_secret_token(), user.username, now, now + sso_lifetime_s(pool), client_id=checked.client.client_id
    )
    start_sso_session(pool, session, now)
    oauth_state(pool).sessions[session.token] = session
    cookie_line = f"{SESSION_COOKIE}={session.token}; Path={_cookie_path(request)}; HttpOnly; SameSite=Lax"
    return _grant(emu, pool, checked, user, now, cookies=[cookie_line], login=session)


# --- federation: the emulator's stand-in for a provider's sign-in page -------------------------------------------

IDP_STAND_IN = "/authflow-idp/sign-in"
"""Where /oauth2/authorize?identity_provider=... sends the browser. Cognito sends it to the provider (Google's
page, a SAML IdP, ...), which comes back to /oauth2/idpresponse; the emulator cannot be Google, so this page of
its own stands for both: the browser (or the `oauth: authorize` step, given `identity`) posts the claims the
provider would answer with, as a JSON object, and the sign-in goes on as Cognito's would (ops/federation.py)."""


def _idp_page(request: DomainRequest, provider: str, *, error: str | None = None) -> Reply:
    body = (
        f"<p>{html.escape(messages.IDP_STAND_IN_TEXT.format(provider=provider))}</p>"
        '<input type="hidden" name="challenge" value="IDP_SIGN_IN">'
        '<label>Claims (JSON) <textarea name="claims"></textarea></label>'
        '<button type="submit" name="idpSignInButton">Sign in</button>'
    )
    return _form_page(request, provider, "idpSignInForm", body, status_title="Sign in", error=error, path=IDP_STAND_IN)


def _checked_for_provider(pool: UserPool, request: DomainRequest) -> AuthorizeRequest | Reply:
    """The stand-in's own request: an authorize request that names a provider."""
    checked = _check_authorize(pool, request)
    if isinstance(checked, AuthorizeRequest) and checked.provider is None:
        return _error_location(request, "invalid_request", checked.client.client_id)  # UNCONFIRMED: no provider
    return checked


def _idp_sign_in_page(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    checked = _checked_for_provider(pool, request)
    if not isinstance(checked, AuthorizeRequest):
        return checked
    return _idp_page(request, str(checked.provider))


def _idp_sign_in(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    checked = _checked_for_provider(pool, request)
    if not isinstance(checked, AuthorizeRequest):
        return checked
    provider = str(checked.provider)
    form = request.form() or {}
    if not _csrf_matches(request, form):
        return _error_location(request, "invalid_request", checked.client.client_id)  # UNCONFIRMED: CSRF failed
    try:
        claims = json.loads(form.get("claims") or "")
    except json.JSONDecodeError:
        claims = None
    if not isinstance(claims, dict):
        return _idp_page(request, provider, error=messages.IDP_CLAIMS_NOT_JSON)
    try:
        user = sign_in_federated(emu, pool, provider, claims)
    except FederationRefused as exc:
        refused = {"error_description": str(exc), "state": checked.state, "error": "invalid_request"}
        return redirect(with_params(checked.redirect_uri, refused, fragment=checked.response_type == "token"))
    return _signed_in(emu, pool, request, checked, user)


def _json_list(text: Any) -> list[str]:
    """A challenge parameter holding a JSON list of names (MFAS_CAN_SETUP, MFAS_CAN_CHOOSE); [] otherwise."""
    try:
        found = json.loads(text) if isinstance(text, str) else []
    except ValueError:
        return []
    return [str(item) for item in found] if isinstance(found, list) else []


def _hidden(**fields: str) -> str:
    return "".join(f'<input type="hidden" name="{k}" value="{html.escape(v, quote=True)}">' for k, v in fields.items())


def _challenge_form(
    request: DomainRequest,
    challenge: str,
    session: str,
    username: str,
    *,
    choices: list[str] | None = None,
    error: str | None = None,
) -> Reply:
    """A challenge's page: one field for its answer (a list of `choices` to pick from for SELECT_MFA_TYPE)."""
    field, _, kind = CHALLENGE_FIELDS[challenge]
    if kind == "select":
        options = "".join(
            f'<option value="{html.escape(c, quote=True)}">{html.escape(c)}</option>' for c in choices or ()
        )
        answer = f'<select name="{field}">{options}</select>'
        hidden = _hidden(challenge=challenge, session=session, username=username, choices=",".join(choices or []))
    else:
        answer = f'<input name="{field}" type="{kind}">'
        hidden = _hidden(challenge=challenge, session=session, username=username)
    body = f'{hidden}<label>{html.escape(field)} {answer}</label><button type="submit">Continue</button>'
    return _form_page(request, challenge, "cognitoChallengeForm", body, status_title=challenge, error=error)


def _totp_setup_form(
    request: DomainRequest, session: str, username: str, secret: str, *, error: str | None = None
) -> Reply:
    """Setting up an authenticator app: the key it needs (managed login also draws it as a QR code) and the
    first code it shows. The key is the user's own, shown to them as AssociateSoftwareToken gives it."""
    body = (
        _hidden(challenge="MFA_SETUP", session=session, username=username, secret_code=secret)
        + f'<p>Add this key to your authenticator app: <code id="totpSecretCode">{html.escape(secret)}</code></p>'
        '<label>code <input name="code" type="text"></label>'
        '<label>device name <input name="device_name" type="text"></label>'
        '<button type="submit">Continue</button>'
    )
    return _form_page(request, "MFA_SETUP", "cognitoMfaSetupForm", body, status_title="MFA_SETUP", error=error)


def _answer_challenge(
    emu: Emulator, pool: UserPool, request: DomainRequest, checked: AuthorizeRequest, form: dict[str, str]
) -> Reply:
    challenge, username, session = form["challenge"], form.get("username", ""), form["session"]
    if challenge == "MFA_SETUP" and form.get("secret_code"):
        return _answer_totp_setup(emu, pool, request, checked, form)
    if challenge not in CHALLENGE_FIELDS:
        return _login_form(request, error=messages.LOGIN_UNSUPPORTED_CHALLENGE.format(challenge=challenge))
    field, response_key, _ = CHALLENGE_FIELDS[challenge]
    try:
        result = _respond(emu, checked.client, challenge, session, username, {response_key: form.get(field, "")})
    except CognitoError as exc:
        choices = [choice for choice in form.get("choices", "").split(",") if choice]
        return _challenge_form(request, challenge, session, username, choices=choices, error=exc.message)
    return _after_answer(emu, pool, request, checked, username, result)


def _answer_totp_setup(
    emu: Emulator, pool: UserPool, request: DomainRequest, checked: AuthorizeRequest, form: dict[str, str]
) -> Reply:
    """The app's first code verifies the key (VerifySoftwareToken), then the MFA_SETUP challenge is answered:
    the same operations, and so the same rules, as an app that sets up TOTP through the API [DG "TOTP software
    token MFA"]. A wrong code leaves the key and the session as they were: the page asks again."""
    username, session, secret = form.get("username", ""), form["session"], form["secret_code"]
    verify: dict[str, Any] = {"Session": session, "UserCode": form.get("code", "")}
    if form.get("device_name"):
        verify["FriendlyDeviceName"] = form["device_name"]
    try:
        verified = emu.call("VerifySoftwareToken", verify)
    except CognitoError as exc:
        return _totp_setup_form(request, session, username, secret, error=exc.message)
    try:
        result = _respond(emu, checked.client, "MFA_SETUP", str(verified["Session"]), username, {})
    except CognitoError as exc:
        return _login_form(request, error=exc.message)
    return _after_answer(emu, pool, request, checked, username, result)


def _respond(
    emu: Emulator, client: AppClient, challenge: str, session: str, username: str, answers: dict[str, str]
) -> dict[str, Any]:
    """RespondToAuthChallenge as the page's app client (with its SECRET_HASH when it has a secret)."""
    responses = {"USERNAME": username, **answers}
    if client.secret is not None:
        responses["SECRET_HASH"] = secret_hash(client.client_id, client.secret, username)
    request_body = {
        "ClientId": client.client_id,
        "ChallengeName": challenge,
        "Session": session,
        "ChallengeResponses": responses,
    }
    return emu.call("RespondToAuthChallenge", request_body)


def _after_answer(
    emu: Emulator, pool: UserPool, request: DomainRequest, checked: AuthorizeRequest, username: str,
    result: dict[str, Any],
) -> Reply:  # fmt: skip
    user = pool.find_user(username)
    if user is None:
        return _login_form(request, error=errors.BAD_CREDENTIALS)
    return _after_step(emu, pool, request, checked, user, result)


def _grant(
    emu: Emulator,
    pool: UserPool,
    checked: AuthorizeRequest,
    user: User,
    auth_time: float,
    *,
    cookies: list[str],
    login: LoginSession,
) -> Reply:
    """Back to the app: a single-use code in the query, or (implicit) the tokens in the fragment [DG]. A code
    remembers the tracked SSO session of `login`, the managed-login session it came through."""
    user.last_sign_in_at = emu.clock.now()
    if checked.response_type == "token":
        try:
            tokens = user_tokens(
                emu, pool, checked.client, user, scopes=checked.scopes, auth_time=auth_time,
                origin_jti=str(uuid.uuid4()), nonce=checked.nonce,
            )  # fmt: skip
        except CognitoError as exc:  # a PreTokenGeneration failure (UNCONFIRMED: how managed login shows it)
            failed = {"error": "invalid_request", "error_description": exc.message, "state": checked.state}
            return redirect(with_params(checked.redirect_uri, failed, fragment=True), cookies)
        fragment = {**{k: str(v) for k, v in tokens.items()}, "state": checked.state}
        return redirect(with_params(checked.redirect_uri, fragment, fragment=True), cookies)
    grant = AuthorizationCode(
        code=str(uuid.uuid4()),
        client_id=checked.client.client_id,
        redirect_uri=checked.redirect_uri,
        scopes=checked.scopes,
        username=user.username,
        auth_time=auth_time,
        expires_at=emu.clock.now() + CODE_VALIDITY_S,
        nonce=checked.nonce,
        code_challenge=checked.code_challenge,
        code_challenge_method=checked.code_challenge_method,
        origin_session_id=login.tracked.session_id if login.tracked is not None else None,
    )
    oauth_state(pool).issue_code(grant)
    return redirect(with_params(checked.redirect_uri, {"code": grant.code, "state": checked.state}), cookies)


# --- client authentication (token, revoke) ---------------------------------------------------------------


class ClientAuthError(Exception):
    pass


def _authenticate_client(pool: UserPool, request: DomainRequest, form: dict[str, str]) -> AppClient:
    """The client, by Basic `client_id:client_secret` or by the body's client_id (and client_secret)
    [DG "Token endpoint", Authorization and client_id; RFC 6749 2.3.1]."""
    header = request.header("authorization") or ""
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ClientAuthError from None
        client_id, _, secret = (unquote(part) for part in decoded.partition(":"))
        given: str | None = secret
    else:
        client_id, given = form.get("client_id", ""), form.get("client_secret")
    client = pool.clients.get(client_id)
    if client is None:
        raise ClientAuthError
    if client.secrets:
        if not is_client_secret(client, given):  # either active secret, during a rotation
            raise ClientAuthError
    elif given:
        raise ClientAuthError  # UNCONFIRMED: a secret for a client that has none
    return client


# --- /oauth2/token -----------------------------------------------------------------------------------------


def _token(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    """The token endpoint [DG "Token endpoint"]: errors are 400 JSON `{"error": ...}` as in its sample."""
    form = request.form()
    if form is None:
        return oauth_error("invalid_request")  # Content-Type "Must always be application/x-www-form-urlencoded"
    try:
        client = _authenticate_client(pool, request, form)
    except ClientAuthError:
        return oauth_error("invalid_client")
    grant_type = form.get("grant_type")
    if not grant_type:
        return oauth_error("invalid_request")
    if grant_type == "authorization_code":
        return _code_grant(emu, pool, client, form)
    if grant_type == "refresh_token":
        return _refresh_grant(emu, pool, client, form)
    if grant_type == "client_credentials":
        return _client_credentials_grant(emu, pool, client, form)
    return oauth_error("unsupported_grant_type")


def _pkce_matches(grant: AuthorizationCode, verifier: str) -> bool:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return hmac.compare_digest(expected, grant.code_challenge or "")


def _code_grant(emu: Emulator, pool: UserPool, client: AppClient, form: dict[str, str]) -> Reply:
    code, redirect_uri = form.get("code"), form.get("redirect_uri")
    if not code or not redirect_uri:
        return oauth_error("invalid_request")  # both required for this grant [DG]
    if not client.settings.get("AllowedOAuthFlowsUserPoolClient") or "code" not in (
        client.settings.get("AllowedOAuthFlows") or []
    ):
        return oauth_error("unauthorized_client")  # "Client is not allowed for code grant flow" [DG]
    grant = oauth_state(pool).take_code(code, emu.clock.now())  # consumed here, whatever follows [C: re:Post]
    if grant is None or grant.client_id != client.client_id:
        return oauth_error("invalid_grant")  # "consumed already or does not exist" [DG]; expired after 5 min
    if redirect_uri != grant.redirect_uri:
        return oauth_error("unauthorized_client")  # [C: Stack Overflow 50264679, the trailing slash]
    if grant.code_challenge is not None:
        verifier = form.get("code_verifier")
        if not verifier:
            return oauth_error("invalid_request")  # UNCONFIRMED: "Required if ... requested with PKCE" [DG]
        if not _pkce_matches(grant, verifier):
            return oauth_error("invalid_grant")  # [C: facts file, a PKCE-mismatched code]
    user = pool.users.get(pool.user_key(grant.username))
    if user is None or not user.enabled:
        return oauth_error("invalid_grant")  # UNCONFIRMED
    jti = str(uuid.uuid4())
    try:
        tokens = user_tokens(
            emu, pool, client, user, scopes=grant.scopes, auth_time=grant.auth_time, origin_jti=jti, nonce=grant.nonce
        )
    except CognitoError as exc:  # a PreTokenGeneration failure (UNCONFIRMED: the error Cognito answers)
        return oauth_error("invalid_request", 400, exc.message)
    record = new_refresh_record(emu, pool, client, user, scopes=grant.scopes, auth_time=grant.auth_time, jti=jti)
    start_session(pool, record, emu.clock.now(), origin=grant.origin_session_id)
    return json_reply(200, {**tokens, "refresh_token": record.token})


def _refresh_grant(emu: Emulator, pool: UserPool, client: AppClient, form: dict[str, str]) -> Reply:
    token = form.get("refresh_token")
    if not token:
        return oauth_error("invalid_request")  # the doc's own example of invalid_request [DG]
    record = pool.refresh_tokens.get(token)
    now = emu.clock.now()
    if record is None or record.client_id != client.client_id or record.revoked or now >= record.expires_at:
        return oauth_error("invalid_grant")  # "Refresh token has been revoked" [DG]; unknown/expired likewise
    user = pool.users.get(pool.user_key(record.username))
    if user is None or not user.enabled:
        return oauth_error("invalid_grant")  # UNCONFIRMED
    # A refresh token from the API (InitiateAuth) has no OAuth scopes: its tokens get the API's scope and an id
    # token (UNCONFIRMED).
    scopes = record.scopes if record.scopes is not None else ("openid", "aws.cognito.signin.user.admin")
    try:
        tokens = user_tokens(
            emu, pool, client, user, scopes=scopes, auth_time=record.auth_time, origin_jti=record.jti,
            trigger_source="TokenGeneration_RefreshTokens",
        )  # fmt: skip
    except CognitoError as exc:  # a PreTokenGeneration failure (UNCONFIRMED: the error Cognito answers)
        return oauth_error("invalid_request", 400, exc.message)
    if client.settings.get("RefreshTokenRotation", {}).get("Feature") == "ENABLED":
        record.revoked = True
        fresh = new_refresh_record(
            emu, pool, client, user, scopes=scopes, auth_time=record.auth_time, jti=record.jti, continues=record
        )
        tokens["refresh_token"] = fresh.token
    else:
        touch_session(pool, record, now)
    return json_reply(200, tokens)


def _client_credentials_grant(emu: Emulator, pool: UserPool, client: AppClient, form: dict[str, str]) -> Reply:
    """Custom scopes only. Without a `scope`, every custom scope the client allows [DG "Token endpoint", scope]."""
    allowed = [scope for scope in client.settings.get("AllowedOAuthScopes") or [] if scope not in STANDARD_SCOPES]
    requested = form.get("scope")
    scopes = tuple(requested.split()) if requested else tuple(allowed)
    if not scopes or any(scope not in allowed for scope in scopes):
        # No custom scope (a client made for users asking for client_credentials) [C: re:Post "OAUTH Password Grant
        # Type with Cognito": {"error":"invalid_scope"}]; one not allowed: UNCONFIRMED (older docs: "ignored").
        return oauth_error("invalid_scope")
    if "client_credentials" not in (client.settings.get("AllowedOAuthFlows") or []):
        return oauth_error("unauthorized_client")
    if not client.settings.get("AllowedOAuthFlowsUserPoolClient"):
        # The flow is listed but OAuth is off for the client: Cognito answers invalid_grant [C: boto3#3916,
        # aws-sdk-js-v3#7158, both fixed by AllowedOAuthFlowsUserPoolClient].
        return oauth_error("invalid_grant")
    metadata = _client_metadata(form.get("aws_client_metadata"))
    if metadata is None:
        return oauth_error("invalid_request", 400, messages.CLIENT_METADATA_NOT_JSON)
    return json_reply(200, client_tokens(emu, pool, client, scopes, metadata))


def _client_metadata(text: str | None) -> dict[str, Any] | None:
    """`aws_client_metadata`: a JSON object for the V3_0 PreTokenGeneration trigger [DG "Token endpoint"];
    absent, an empty one; None when it is not a JSON object."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# --- /oauth2/userInfo -----------------------------------------------------------------------------------------


def _userinfo_error(status: int, error: str, description: str) -> Reply:
    """[DG "UserInfo endpoint"]: the error in WWW-Authenticate (the JSON body repeats it)."""
    challenge = f'error="{error}", error_description="{description}"'
    return json_reply(status, {"error": error, "error_description": description}, {"WWW-Authenticate": challenge})


def _userinfo(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    header = request.header("authorization") or ""
    if header[:7].lower() != "bearer " or not header[7:].strip():
        return _userinfo_error(400, "invalid_request", messages.USERINFO_BAD_REQUEST)
    try:
        token_pool, user, claims = user_from_access_token(emu, header[7:].strip(), required_scope=None)
    except CognitoError:
        return _userinfo_error(401, "invalid_token", messages.USERINFO_INVALID_TOKEN)
    if token_pool is not pool or not user.enabled:
        return _userinfo_error(401, "invalid_token", messages.USERINFO_INVALID_TOKEN)
    scopes = set(str(claims.get("scope", "")).split())
    if "openid" not in scopes:  # API tokens have no openid scope either [DG "UserInfo endpoint"]
        return _userinfo_error(401, "invalid_token", messages.USERINFO_NO_OPENID)
    return json_reply(200, _user_claims(user, scopes))


def _user_claims(user: User, scopes: set[str]) -> dict[str, Any]:
    """What each scope reads [DG "UserInfo endpoint"]: openid alone, every attribute; otherwise profile's, email's
    and phone's own. `sub` and `username` always. Values are strings, `*_verified` too (UNCONFIRMED)."""
    attributes = dict(user.attributes)
    if scopes & {"profile", "email", "phone"}:
        wanted: set[str] = set()
        if "profile" in scopes:
            wanted |= set(PROFILE_CLAIMS) | {name for name in attributes if name.startswith("custom:")}
        if "email" in scopes:
            wanted |= {"email", "email_verified"}
        if "phone" in scopes:
            wanted |= {"phone_number", "phone_number_verified"}
        attributes = {name: value for name, value in attributes.items() if name in wanted}
    return {**attributes, "sub": user.sub, "username": user.username}


# --- /oauth2/revoke -----------------------------------------------------------------------------------------------


def _revoke(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    """[DG "Revoke endpoint", endpoint errors]: 200 with an empty body, also for a token it does not know."""
    form = request.form()
    if form is None:
        return oauth_error("invalid_request")
    try:
        client = _authenticate_client(pool, request, form)
    except ClientAuthError:
        return oauth_error("invalid_client", 401)
    token = form.get("token")
    if not token or not client.settings.get("EnableTokenRevocation", True):
        return oauth_error("invalid_request")
    if token.count(".") == 2:  # a JWT: an access or id token
        return oauth_error("unsupported_token_type")
    record = pool.refresh_tokens.get(token)
    if record is not None and record.client_id == client.client_id:
        pool.revoke_refresh_token(record)  # and the access tokens it produced [DG]
    return Reply(200, {"Cache-Control": "no-store"}, b"")


# --- /logout and /error -------------------------------------------------------------------------------------------


def _logout(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    """End the managed-login session, then back to a sign-out URL of the client, or to the login page
    [DG "Logout endpoint"]."""
    params = request.params()
    client = pool.clients.get(params.get("client_id") or "")
    if client is None:
        return _error_location(request, "invalid_request", params.get("client_id"))  # UNCONFIRMED
    token = request.cookie(SESSION_COOKIE)
    if token:
        oauth_state(pool).sessions.pop(token, None)
    cleared = [f"{SESSION_COOKIE}=; Path={_cookie_path(request)}; Max-Age=0; HttpOnly; SameSite=Lax"]
    logout_uri = params.get("logout_uri")
    if logout_uri is not None:
        if logout_uri not in (client.settings.get("LogoutURLs") or []):
            return _error_location(request, "redirect_mismatch", client.client_id)  # UNCONFIRMED: as authorize
        return redirect(logout_uri, cleared)
    if params.get("redirect_uri") and params.get("response_type"):
        return redirect(f"{request.base}/login?{request.query}", cleared)
    return _error_location(request, "invalid_request", client.client_id)  # UNCONFIRMED: neither given


def _confirm_user(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    """The link of a CONFIRM_WITH_LINK email [C: aws-amplify/amplify-js#612: `/confirmUser?client_id=&user_name=
    &confirmation_code=`, a confirmation page, no redirect]: ConfirmSignUp with the link's values (and the
    client's SECRET_HASH: the link is the pool's own), so its rules and triggers are the API's. UNCONFIRMED: the
    page's texts; a refusal shows the API's message on the error page."""
    params = request.params()
    client = pool.clients.get(params.get("client_id", ""))
    if client is None:
        return _confirm_error(messages.CONFIRM_LINK_INVALID)
    username = params.get("user_name", "")
    confirm: dict[str, Any] = {
        "ClientId": client.client_id,
        "Username": username,
        "ConfirmationCode": params.get("confirmation_code", ""),
    }
    if client.secret is not None:
        confirm["SecretHash"] = secret_hash(client.client_id, client.secret, username)
    try:
        emu.call("ConfirmSignUp", confirm)
    except CognitoError as exc:
        return _confirm_error(exc.message)
    return page(200, "Confirmed", f'<h1 id="confirmMessage">{html.escape(messages.CONFIRM_LINK_DONE)}</h1>')


def _confirm_error(message: str) -> Reply:
    body = f'<h1>{html.escape(messages.LOGIN_ERROR_PAGE)}</h1><p id="errorMessage">{html.escape(message)}</p>'
    return page(400, "Error", body)


def _error_page(emu: Emulator, pool: UserPool, request: DomainRequest) -> Reply:
    params = request.params()
    detail = html.escape(params.get("error", ""))
    body = f'<h1>{html.escape(messages.LOGIN_ERROR_PAGE)}</h1><p id="errorCode">{detail}</p>'
    return page(400, "Error", body)


def discovery(emu: Emulator, pool: UserPool, domain_base: str | None) -> dict[str, Any]:
    """The pool's OpenID configuration [OpenID Connect Discovery 1.0 section 3; DG "OIDC endpoints"]: the issuer
    and its keys; once the pool has a domain, also the domain's endpoints and what they support (without a domain
    the emulator lists only the issuer and keys: UNCONFIRMED)."""
    issuer = emu.issuer(pool.pool_id)
    # the keys are always the emulator's own, whichever issuer form the tokens carry (`--issuer aws`)
    document: dict[str, Any] = {"issuer": issuer, "jwks_uri": emu.jwks_url(pool.pool_id)}
    if domain_base is not None:
        document |= {
            "authorization_endpoint": f"{domain_base}/oauth2/authorize",
            "token_endpoint": f"{domain_base}/oauth2/token",
            "userinfo_endpoint": f"{domain_base}/oauth2/userInfo",
            "revocation_endpoint": f"{domain_base}/oauth2/revoke",
            "end_session_endpoint": f"{domain_base}/logout",
            "response_types_supported": ["code", "token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }
    return document


ROUTES = {
    ("GET", "/oauth2/authorize"): _authorize,
    ("GET", "/login"): _login_page,
    ("POST", "/login"): _login_submit,
    ("POST", "/oauth2/token"): _token,
    ("GET", "/oauth2/userInfo"): _userinfo,  # GET and POST [DG "UserInfo endpoint"]
    ("POST", "/oauth2/userInfo"): _userinfo,
    ("POST", "/oauth2/revoke"): _revoke,
    ("GET", "/logout"): _logout,
    ("GET", "/error"): _error_page,
    ("GET", "/confirmUser"): _confirm_user,
    ("GET", IDP_STAND_IN): _idp_sign_in_page,
    ("POST", IDP_STAND_IN): _idp_sign_in,
}
"""(method, path under the domain) -> the endpoint."""
