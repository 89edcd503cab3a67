"""Choice-based sign-in (USER_AUTH): SELECT_CHALLENGE, PASSWORD, EMAIL_OTP and SMS_OTP, the SignUp Session.

[DG "Authentication flows: choice-based", BC InitiateAuth/RespondToAuthChallenge, OBS in cognito-behaviour.md]
A user is offered the first factors the pool allows (Policies.SignInPolicy.AllowedFirstAuthFactors) that they
can use: a password if they have one, EMAIL_OTP with a verified email, SMS_OTP with a verified phone,
WEB_AUTHN with a registered passkey. Signing in without a password issues tokens without MFA.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter, missing_parameter, not_authorized
from harness.emulator.ops.auth import (
    AuthContext,
    challenge,
    chosen_option,
    finish_sign_in,
    flow,
    next_step,
    phantom_user,
    verify_password,
)
from harness.emulator.ops.common import find_caller, get_pool, mask_destination, new_code, require_user
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.messages import deliver
from harness.emulator.ops.registry import operation
from harness.emulator.ops.sign_in_triggers import pre_authentication
from harness.emulator.ops.srp_auth import start_password_verifier
from harness.emulator.ops.users import CONFIRMED_STAGE, mfa_view
from harness.emulator.sessions import AuthSession
from harness.emulator.state import User, UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

OTP_DIGITS = 8  # observed real EMAIL_OTP codes [OBS]
_OTP_FACTORS = {"EMAIL_OTP": ("email", "EMAIL"), "SMS_OTP": ("phone_number", "SMS")}

# Extra first factors (passkeys) register here: factor -> (user can use it?, start the challenge).
ExtraFactor = tuple[Callable[[UserPool, User], bool], Callable[[AuthContext, User], dict[str, Any]]]
EXTRA_FACTORS: dict[str, ExtraFactor] = {}


def _verified(user: User, attribute: str) -> bool:
    return bool(user.attributes.get(attribute)) and user.attributes.get(f"{attribute}_verified") == "true"


def available_challenges(pool: UserPool, user: User) -> list[str]:
    """What SELECT_CHALLENGE offers this user, in the order Cognito lists them."""
    if user.status == "FORCE_CHANGE_PASSWORD":
        return ["PASSWORD_SRP", "PASSWORD"]  # [OBS]
    allowed = pool.first_auth_factors
    offered: list[str] = []
    if "PASSWORD" in allowed and user.credential is not None:
        offered += ["PASSWORD", "PASSWORD_SRP"]
    for factor, (attribute, _) in _OTP_FACTORS.items():
        if factor in allowed and _verified(user, attribute):
            offered.append(factor)
    for factor, (usable, _) in EXTRA_FACTORS.items():
        if factor in allowed and usable(pool, user):
            offered.append(factor)
    return offered


def _is_phantom(session: AuthSession) -> bool:
    return bool(session.context.get("phantom"))


@flow("USER_AUTH")
def user_auth_flow(ctx: AuthContext, parameters: dict[str, str]) -> dict[str, Any]:
    if ctx.pool.tier == "LITE":
        raise CognitoError(
            "FeatureUnavailableInTierException",
            errors.FEATURE_NOT_IN_TIER.format(feature="Choice-based sign-in", tier="LITE"),  # UNCONFIRMED name
        )
    username = parameters.get("USERNAME")
    if not username:
        raise missing_parameter("USERNAME")
    found = find_caller(ctx.pool, ctx.client, username, parameters.get("SECRET_HASH"))
    if ctx.session_token:
        return _sign_in_after_sign_up(ctx, found, ctx.session_token)
    if found is None and not ctx.client.prevents_user_existence_errors:
        raise errors.user_not_found()
    user = found or phantom_user(username)
    phantom = found is None
    if not phantom and not user.enabled:
        raise not_authorized(errors.USER_DISABLED)
    pre_authentication(ctx.emu, ctx.pool, ctx.client.client_id, found, username, ctx.client_metadata)
    offered = _fake_offer(ctx.pool) if phantom else available_challenges(ctx.pool, user)
    preferred = parameters.get("PREFERRED_CHALLENGE")
    if preferred and preferred in offered:
        return _start(ctx, user, preferred, parameters, phantom=phantom)
    return _select_challenge(ctx, user, offered, phantom=phantom)


def _fake_offer(pool: UserPool) -> list[str]:
    allowed = pool.first_auth_factors
    offered = ["PASSWORD", "PASSWORD_SRP"] if "PASSWORD" in allowed else []
    return offered + [f for f in ("EMAIL_OTP", "SMS_OTP") if f in allowed]


def _select_challenge(ctx: AuthContext, user: User, offered: list[str], *, phantom: bool) -> dict[str, Any]:
    reply = ctx.challenge(user, "SELECT_CHALLENGE", {}, offered=offered, phantom=phantom, auth_time=ctx.now)
    reply["AvailableChallenges"] = offered
    return reply


def _sign_in_after_sign_up(ctx: AuthContext, user: User | None, token: str) -> dict[str, Any]:
    """InitiateAuth(USER_AUTH, Session from ConfirmSignUp): once, in time, for a first sign-in only [BC]."""
    session = ctx.emu.sessions.take(token, client_id=ctx.client.client_id, now=ctx.now)
    if session.challenge != CONFIRMED_STAGE or user is None or session.username != user.username:
        raise not_authorized(errors.SESSION_INVALID)
    if user.last_sign_in_at:
        raise not_authorized(errors.SESSION_INVALID)
    ctx.emu.sessions.consume(session)
    return finish_sign_in(ctx, user, auth_time=ctx.now)


def _start(ctx: AuthContext, user: User, factor: str, responses: dict[str, str], *, phantom: bool) -> dict[str, Any]:
    """Begin (or, for a password sent along, complete) the chosen first factor."""
    if factor == "PASSWORD":
        password = responses.get("PASSWORD")
        if not password:
            raise missing_parameter("PASSWORD")
        if phantom:
            raise not_authorized(errors.BAD_CREDENTIALS)
        verify_password(ctx, user, password)
        return next_step(ctx, user, auth_time=ctx.now)
    if factor in _OTP_FACTORS:
        return _send_otp(ctx, user, factor, phantom=phantom)
    if factor in EXTRA_FACTORS and not phantom:
        return EXTRA_FACTORS[factor][1](ctx, user)
    if factor == "PASSWORD_SRP":
        return start_password_verifier(ctx, user, responses, phantom=phantom)
    raise invalid_parameter(errors.CHALLENGE_NOT_AVAILABLE.format(challenge=factor))


def _send_otp(ctx: AuthContext, user: User, factor: str, *, phantom: bool) -> dict[str, Any]:
    attribute, medium = _OTP_FACTORS[factor]
    code = new_code(OTP_DIGITS)
    if phantom:
        # A believable challenge, nothing sent: callers cannot tell the user does not exist [DG].
        address = user.username if "@" in user.username else f"{user.username[:1]}@example.com"
    else:
        address = user.attributes[attribute]
        deliver(
            ctx.emu, ctx.pool, user, destination=address, medium=medium, purpose=factor, code=code,
            client_id=ctx.client.client_id, client_metadata=ctx.trigger_metadata,
        )  # fmt: skip
    parameters = {"CODE_DELIVERY_DELIVERY_MEDIUM": medium, "CODE_DELIVERY_DESTINATION": mask_destination(address)}
    return ctx.challenge(user, factor, parameters, code=code, phantom=phantom, auth_time=ctx.now)


@challenge("SELECT_CHALLENGE")
def select_challenge(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    answer = chosen_option(session, responses)
    result = _start(ctx, user, answer, responses, phantom=_is_phantom(session))
    ctx.emu.sessions.consume(session)
    return result


def _answer_otp(ctx: AuthContext, session: AuthSession, user: User, given: str | None, key: str) -> dict[str, Any]:
    if not given:
        raise missing_parameter(key)
    expected = str(session.context.get("code", ""))
    if _is_phantom(session) or not hmac.compare_digest(expected, given):
        ctx.emu.sessions.settle_wrong_answer(session)  # EMAIL_OTP: the session survives [OBS]
        raise CognitoError("CodeMismatchException", errors.OTP_MISMATCH)
    ctx.emu.sessions.consume(session)
    return finish_sign_in(ctx, user, auth_time=ctx.now)


@challenge("EMAIL_OTP")
def email_otp(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    return _answer_otp(ctx, session, user, responses.get("EMAIL_OTP_CODE"), "EMAIL_OTP_CODE")


@challenge("SMS_OTP")
def sms_otp(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    return _answer_otp(ctx, session, user, responses.get("SMS_OTP_CODE"), "SMS_OTP_CODE")


def _auth_factors(pool: UserPool, user: User) -> dict[str, Any]:
    """The user's MFA settings, as GetUser shows them, and the first factors USER_AUTH offers them [BC
    GetUserAuthFactors, AdminGetUserAuthFactors]."""
    factors = [c for c in available_challenges(pool, user) if c != "PASSWORD_SRP"]
    return {"Username": user.username, "ConfiguredUserAuthFactors": factors, **mfa_view(user)}


@operation("GetUserAuthFactors")
def get_user_auth_factors(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, _ = user_from_access_token(emu, request["AccessToken"])
    return _auth_factors(pool, user)


@operation("AdminGetUserAuthFactors")
def admin_get_user_auth_factors(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    return _auth_factors(pool, require_user(pool, request["Username"]))
