"""InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge / AdminRespondToAuthChallenge.

Each flow authenticates a first factor and then hands over to `next_step`, which decides whether a challenge
follows (a new password, later MFA) or tokens are issued.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness.emulator import errors, lockout
from harness.emulator.errors import CognitoError, invalid_parameter, missing_parameter, not_authorized
from harness.emulator.ops.attributes import client_may_write
from harness.emulator.ops.common import check_secret_hash, check_unique_sign_in, find_caller, get_client, user_names
from harness.emulator.ops.issue import TOKEN_SOURCE_AUTH, TOKEN_SOURCE_NEW_PASSWORD, issue_tokens, refresh_tokens
from harness.emulator.ops.registry import operation
from harness.emulator.ops.schema import check_attributes, schema_entry
from harness.emulator.ops.sign_in_triggers import MIGRATE_AT_SIGN_IN, migrate_user, pre_authentication
from harness.emulator.passwords import Credential, check_policy
from harness.emulator.sessions import AuthSession
from harness.emulator.state import AppClient, User, UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

# Which ExplicitAuthFlows value each AuthFlow needs, and whether its refusal names the flow.
FLOW_SETTING = {
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
    "CUSTOM_AUTH": "ALLOW_CUSTOM_AUTH",
    "USER_AUTH": "ALLOW_USER_AUTH",
    "REFRESH_TOKEN_AUTH": "ALLOW_REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH",
    "ADMIN_USER_PASSWORD_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
}
ADMIN_ONLY_FLOWS = frozenset({"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"})
PUBLIC_ONLY_FLOWS = frozenset({"USER_PASSWORD_AUTH"})


class AuthContext:
    """What every step of one sign-in needs: where, with which client, whether through the admin API."""

    def __init__(
        self, emu: Emulator, pool: UserPool, client: AppClient, *, admin: bool, session_token: str | None = None
    ) -> None:
        self.emu = emu
        self.pool = pool
        self.client = client
        self.admin = admin
        self.session_token = session_token  # InitiateAuth's Session (the SignUp chain)
        # DEVICE_KEY of the sign-in and whether the device proved itself (ops/devices.py acts on them); both
        # travel in every session of the sign-in.
        self.device_key: str | None = None
        self.device_verified = False
        self.client_metadata: dict[str, str] = {}  # InitiateAuth's ClientMetadata (triggers' validationData)
        # What every other trigger of this request receives as clientMetadata: RespondToAuthChallenge's
        # ClientMetadata; nothing from InitiateAuth, whose ClientMetadata reaches only PreSignUp,
        # PreAuthentication and UserMigration [BC InitiateAuth ClientMetadata].
        self.trigger_metadata: dict[str, str] = {}
        # A sign-in on the managed login pages (emulator/oauth): the app's tokens come from the token endpoint,
        # so the API tokens its last step issues (and retires) start no token session (ops/user_sessions.py).
        self.managed_login = False

    @property
    def now(self) -> float:
        return self.emu.clock.now()

    def challenge(self, user: User, name: str, parameters: dict[str, str], **context: Any) -> dict[str, Any]:
        if self.device_key:
            context.setdefault("device_key", self.device_key)
        if self.device_verified:
            context.setdefault("device_verified", True)
        if self.managed_login:
            context.setdefault("managed_login", True)
        session = self.emu.sessions.issue(
            pool_id=self.pool.pool_id,
            client_id=self.client.client_id,
            username=user.username,
            challenge=name,
            now=self.now,
            validity_s=self.client.session_validity_s,
            context=context,
        )
        return {"ChallengeName": name, "Session": session.token, "ChallengeParameters": parameters}

    def find_user_or_fail(self, username: str) -> User:
        """The user, or the error PreventUserExistenceErrors calls for."""
        user = self.pool.find_user(username)
        if user is None:
            if self.client.prevents_user_existence_errors:
                raise not_authorized(errors.BAD_CREDENTIALS)
            raise errors.user_not_found()
        return user


def chosen_option(session: AuthSession, responses: dict[str, str]) -> str:
    """The ANSWER to a selection challenge (SELECT_CHALLENGE, SELECT_MFA_TYPE): one of the options offered."""
    answer = responses.get("ANSWER")
    if not answer:
        raise missing_parameter("ANSWER")
    if answer not in session.context.get("offered", []):
        raise invalid_parameter(errors.CHALLENGE_NOT_AVAILABLE.format(challenge=answer))
    return answer


def phantom_user(username: str) -> User:
    """Stands in for an unknown user when PreventUserExistenceErrors hides that the user does not exist."""
    return User(username, str(uuid.uuid4()), {}, "CONFIRMED", 0.0, 0.0)


FlowHandler = Callable[[AuthContext, dict[str, str]], dict[str, Any]]
ChallengeHandler = Callable[[AuthContext, AuthSession, User, dict[str, str]], dict[str, Any]]
FLOWS: dict[str, FlowHandler] = {}
CHALLENGES: dict[str, ChallengeHandler] = {}
# What may follow a verified password (MFA registers here): a challenge, or None to go on.
AFTER_FIRST_FACTOR: list[Callable[..., dict[str, Any] | None]] = []
# What stands between a finished sign-in and its tokens (device authentication registers here): a challenge, or
# None to go on; then what is added to the tokens (NewDeviceMetadata). See finish_sign_in.
BEFORE_TOKENS: list[Callable[[AuthContext, User, float], dict[str, Any] | None]] = []
AFTER_TOKENS: list[Callable[[AuthContext, User, dict[str, Any]], None]] = []
# Challenges whose answer identifies its session without the Session member (PASSWORD_VERIFIER's SECRET_BLOCK).
SESSION_IN_RESPONSES: dict[str, Callable[[dict[str, str]], str | None]] = {}


def flow(*names: str) -> Callable[[FlowHandler], FlowHandler]:
    def register(function: FlowHandler) -> FlowHandler:
        for name in names:
            FLOWS[name] = function
        return function

    return register


def challenge(
    name: str, *, session_from: Callable[[dict[str, str]], str | None] | None = None
) -> Callable[[ChallengeHandler], ChallengeHandler]:
    """Register a challenge's handler; ``session_from`` finds the session in the answer when a client sends
    none (PASSWORD_VERIFIER's secret block carries it)."""

    def register(function: ChallengeHandler) -> ChallengeHandler:
        CHALLENGES[name] = function
        if session_from is not None:
            SESSION_IN_RESPONSES[name] = session_from
        return function

    return register


def _initiate(
    emu: Emulator, pool: UserPool, client: AppClient, request: dict[str, Any], *, admin: bool
) -> dict[str, Any]:
    auth_flow = request["AuthFlow"]
    if auth_flow in (PUBLIC_ONLY_FLOWS if admin else ADMIN_ONLY_FLOWS):
        raise invalid_parameter(errors.INITIATE_METHOD_NOT_SUPPORTED)
    if FLOW_SETTING[auth_flow] not in client.explicit_auth_flows:
        if auth_flow in ADMIN_ONLY_FLOWS:
            raise invalid_parameter(errors.ADMIN_FLOW_NOT_ENABLED)
        shown = "REFRESH_TOKEN_AUTH" if auth_flow == "REFRESH_TOKEN" else auth_flow
        text = (
            errors.FLOW_NOT_ENABLED_FOR_CLIENT if shown in ("USER_SRP_AUTH", "CUSTOM_AUTH") else errors.FLOW_NOT_ENABLED
        )
        raise invalid_parameter(text.format(flow=shown))
    handler = FLOWS.get(auth_flow)
    if handler is None:
        raise CognitoError("UnsupportedOperationException", errors.FLOW_NOT_SUPPORTED.format(flow=auth_flow))
    ctx = AuthContext(emu, pool, client, admin=admin, session_token=request.get("Session"))
    ctx.client_metadata = dict(request.get("ClientMetadata") or {})
    parameters = dict(request.get("AuthParameters") or {})
    ctx.device_key = parameters.get("DEVICE_KEY") or None
    return handler(ctx, parameters)


@operation("InitiateAuth")
def initiate_auth(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"])
    return _initiate(emu, pool, client, request, admin=False)


@operation("AdminInitiateAuth")
def admin_initiate_auth(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"], request["UserPoolId"])
    return _initiate(emu, pool, client, request, admin=True)


def _respond(
    emu: Emulator, pool: UserPool, client: AppClient, request: dict[str, Any], *, admin: bool
) -> dict[str, Any]:
    ctx = AuthContext(emu, pool, client, admin=admin)
    ctx.trigger_metadata = dict(request.get("ClientMetadata") or {})  # [BC RespondToAuthChallenge ClientMetadata]
    responses = dict(request.get("ChallengeResponses") or {})
    finder = SESSION_IN_RESPONSES.get(request["ChallengeName"])
    token = request.get("Session") or (finder(responses) if finder else None)
    if not token:
        raise missing_parameter("Session")
    session = emu.sessions.take(token, client_id=client.client_id, now=ctx.now)
    if request["ChallengeName"] != session.challenge:
        raise not_authorized(errors.CHALLENGE_MISMATCH)
    if not responses.get("USERNAME"):
        raise missing_parameter("USERNAME")
    user = pool.find_user(session.username)
    if user is None and session.context.get("phantom"):
        user = phantom_user(session.username)
    if user is None:
        raise not_authorized(errors.SESSION_INVALID)
    check_secret_hash(client, user_names(user), responses.get("SECRET_HASH"))
    ctx.device_key = responses.get("DEVICE_KEY") or session.context.get("device_key")
    ctx.device_verified = bool(session.context.get("device_verified"))
    ctx.managed_login = bool(session.context.get("managed_login"))
    handler = CHALLENGES.get(session.challenge)
    if handler is None:
        raise CognitoError(
            "UnsupportedOperationException",
            errors.CHALLENGE_NOT_SUPPORTED.format(challenge=session.challenge),
        )
    return handler(ctx, session, user, responses)


@operation("RespondToAuthChallenge")
def respond_to_auth_challenge(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"])
    return _respond(emu, pool, client, request, admin=False)


@operation("AdminRespondToAuthChallenge")
def admin_respond_to_auth_challenge(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"], request["UserPoolId"])
    return _respond(emu, pool, client, request, admin=True)


# --- first factors


def verify_password(ctx: AuthContext, user: User, password: str) -> None:
    """Check a password under the lockout rules; the account states are checked once it matched."""
    now = ctx.now
    lockout.check_not_locked(user, now)
    if not user.enabled:
        raise not_authorized(errors.USER_DISABLED)
    credential = user.credential
    if credential is None or not credential.matches(ctx.pool.pool_id, user.username, password):
        lockout.record_failure(user, now)
        raise not_authorized(errors.BAD_CREDENTIALS)
    check_account_state(ctx, user)
    lockout.record_success(user)


def check_account_state(ctx: AuthContext, user: User) -> None:
    """The states that stop a user whose first factor was right."""
    if user.status == "UNCONFIRMED":
        raise CognitoError("UserNotConfirmedException", errors.USER_NOT_CONFIRMED)
    if user.status == "RESET_REQUIRED":
        raise CognitoError("PasswordResetRequiredException", errors.PASSWORD_RESET_REQUIRED)
    expires = user.temporary_password_expires_at
    if user.status == "FORCE_CHANGE_PASSWORD" and expires is not None and ctx.now >= expires:
        raise not_authorized(errors.TEMPORARY_PASSWORD_EXPIRED)


def next_step(
    ctx: AuthContext, user: User, *, auth_time: float, token_source: str = TOKEN_SOURCE_AUTH
) -> dict[str, Any]:
    """After a verified first factor: the challenges still owed, or tokens."""
    if user.status == "FORCE_CHANGE_PASSWORD":
        attributes = {k: v for k, v in user.attributes.items() if k != "sub"}
        return ctx.challenge(
            user,
            "NEW_PASSWORD_REQUIRED",
            {
                "USER_ID_FOR_SRP": user.username,
                "requiredAttributes": json.dumps(_missing_required(ctx.pool, user)),
                "userAttributes": json.dumps(attributes),
            },
            auth_time=auth_time,
        )
    for second_factor in AFTER_FIRST_FACTOR:
        owed = second_factor(ctx, user, auth_time=auth_time)
        if owed is not None:
            return owed
    return finish_sign_in(ctx, user, auth_time=auth_time, token_source=token_source)


def finish_sign_in(
    ctx: AuthContext, user: User, *, auth_time: float, token_source: str = TOKEN_SOURCE_AUTH
) -> dict[str, Any]:
    """Every factor is proven: tokens, unless a BEFORE_TOKENS step (device authentication) is still owed."""
    for step in BEFORE_TOKENS:
        owed = step(ctx, user, auth_time)
        if owed is not None:
            owed.setdefault("ChallengeParameters", {})
            return owed
    result = issue_tokens(
        ctx.emu, ctx.pool, ctx.client, user, auth_time=auth_time, source=token_source,
        client_metadata=ctx.trigger_metadata, starts_session=not ctx.managed_login,
    )  # fmt: skip
    for addition in AFTER_TOKENS:
        addition(ctx, user, result)
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


def _missing_required(pool: UserPool, user: User) -> list[str]:
    return [
        f"userAttributes.{a['Name']}"
        for a in pool.settings.get("Schema", [])
        if a.get("Required") and a.get("Name") not in user.attributes
    ]


@flow("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH")
def password_flow(ctx: AuthContext, parameters: dict[str, str]) -> dict[str, Any]:
    username = parameters.get("USERNAME")
    if not username:
        raise missing_parameter("USERNAME")
    password = parameters.get("PASSWORD")
    if not password:
        raise missing_parameter("PASSWORD")
    found = find_caller(ctx.pool, ctx.client, username, parameters.get("SECRET_HASH"))
    if found is None:  # a user the pool does not have may be migrated: this flow sends the password [DG]
        found = migrate_user(
            ctx.emu, ctx.pool, ctx.client.client_id, username, source=MIGRATE_AT_SIGN_IN, password=password,
            client_metadata=ctx.client_metadata,
        )  # fmt: skip
    if found is None and ctx.client.prevents_user_existence_errors:
        pre_authentication(ctx.emu, ctx.pool, ctx.client.client_id, None, username, ctx.client_metadata)
    user = found or ctx.find_user_or_fail(username)
    pre_authentication(ctx.emu, ctx.pool, ctx.client.client_id, user, username, ctx.client_metadata)
    verify_password(ctx, user, password)
    return next_step(ctx, user, auth_time=ctx.now)


@flow("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN")
def refresh_flow(ctx: AuthContext, parameters: dict[str, str]) -> dict[str, Any]:
    token = parameters.get("REFRESH_TOKEN")
    if not token:
        raise missing_parameter("REFRESH_TOKEN")
    return {
        "ChallengeParameters": {},
        "AuthenticationResult": refresh_tokens(
            ctx.emu, ctx.client, token, parameters.get("SECRET_HASH"), rotate=False, device_key=ctx.device_key
        ),
    }


# --- challenges


@challenge("NEW_PASSWORD_REQUIRED")
def new_password_required(
    ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]
) -> dict[str, Any]:
    password = responses.get("NEW_PASSWORD")
    if not password:
        raise missing_parameter("NEW_PASSWORD")
    check_policy(password, ctx.pool.password_policy, text=errors.NEW_PASSWORD_POLICY)
    updates = {k.removeprefix("userAttributes."): v for k, v in responses.items() if k.startswith("userAttributes.")}
    check_attributes(ctx.pool, updates, creating=False)  # in the schema, formats as everywhere attributes are written
    for name in updates:
        # As for UpdateUserAttributes, the app client's WriteAttributes decide (so never email_verified by default:
        # "the api doesn't accept this field" [C: amazon-archives/amazon-cognito-identity-js#232]). UNCONFIRMED
        # that the refusal is UpdateUserAttributes' NotAuthorizedException.
        if not client_may_write(ctx.client, name, schema_entry(ctx.pool, name) or {}):
            raise not_authorized(errors.ATTRIBUTE_NOT_WRITABLE)
    if updates.get("preferred_username"):
        check_unique_sign_in(ctx.pool, user, "preferred_username", updates["preferred_username"], verified=False)
    missing = [a for a in _missing_required(ctx.pool, user) if a.removeprefix("userAttributes.") not in updates]
    if missing:
        raise invalid_parameter(
            errors.REQUIRED_ATTRIBUTE_MISSING.format(name=missing[0].removeprefix("userAttributes."))
        )
    ctx.emu.sessions.consume(session)
    user.attributes.update(updates)
    user.credential = Credential.create(ctx.pool.pool_id, user.username, password)
    user.status = "CONFIRMED"
    user.temporary_password_expires_at = None
    user.modified_at = ctx.now
    auth_time = float(session.context.get("auth_time", ctx.now))
    return next_step(ctx, user, auth_time=auth_time, token_source=TOKEN_SOURCE_NEW_PASSWORD)
