"""Multi-factor authentication: pool and user settings, TOTP association, and the MFA challenges.

[BC SetUserPoolMfaConfig, SetUserMFAPreference, AssociateSoftwareToken, VerifySoftwareToken,
AdminDeleteSoftwareToken, SetUserSettings, AdminSetUserSettings; DG "Adding MFA"]
MFA follows a password first factor only (password or SRP); passwordless sign-ins get no MFA [DG]. With MFA
ON, a user who has no method yet is asked to set one up (MFA_SETUP); email and SMS count as set up when the
pool enables them and the user has a verified address or number.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pyotp

from harness.emulator import errors
from harness.emulator.errors import (
    CognitoError,
    invalid_parameter,
    missing_parameter,
    not_authorized,
    resource_not_found,
)
from harness.emulator.ops.auth import AFTER_FIRST_FACTOR, AuthContext, challenge, chosen_option, finish_sign_in
from harness.emulator.ops.common import get_pool, mask_destination, new_code, require_user
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.messages import deliver
from harness.emulator.ops.mfa_rules import check_email_mfa_can_send, check_first_factors_with_mfa
from harness.emulator.ops.registry import operation
from harness.emulator.sessions import AuthSession
from harness.emulator.state import User, UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

SMS, TOTP, EMAIL = "SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"
# Checks of WebAuthnConfiguration (the passkeys module registers the public-suffix rule here).
RELYING_PARTY_CHECKS: list[Callable[[dict[str, Any]], None]] = []
_SETTINGS_KEYS = {"SMSMfaSettings": SMS, "SoftwareTokenMfaSettings": TOTP, "EmailMfaSettings": EMAIL}
_DELIVERY = {SMS: ("phone_number", "SMS", 6), EMAIL: ("email", "EMAIL", 8)}
_METHOD_CONFIGURATIONS = ("SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration")
_CODE_KEYS = {SMS: "SMS_MFA_CODE", TOTP: "SOFTWARE_TOKEN_MFA_CODE", EMAIL: "EMAIL_OTP_CODE"}
# [OBS] all three: EMAIL_OTP's; SMS_MFA's and SOFTWARE_TOKEN_MFA's (amplify-swift tests).
_MISMATCH = {SMS: "Invalid code received for user", TOTP: "Invalid code received for user", EMAIL: errors.OTP_MISMATCH}


def pool_methods(pool: UserPool) -> list[str]:
    """The MFA methods the pool enables, in Cognito's order."""
    config = pool.mfa_config
    methods = []
    if config.get("SmsMfaConfiguration"):
        methods.append(SMS)
    if config.get("SoftwareTokenMfaConfiguration", {}).get("Enabled"):
        methods.append(TOTP)
    if config.get("EmailMfaConfiguration"):
        methods.append(EMAIL)
    return methods


def _verified(user: User, attribute: str) -> bool:
    return bool(user.attributes.get(attribute)) and user.attributes.get(f"{attribute}_verified") == "true"


def user_methods(pool: UserPool, user: User) -> list[str]:
    """Methods this user can be challenged with now. The legacy SMS setting (SetUserSettings) counts as SMS MFA
    turned on, for a user with a number to send to [C: amplify-js#1259 and #1343, SMS challenges after
    enableSMS]."""
    enabled = pool_methods(pool)
    legacy_sms = bool(user.mfa_options) and bool(user.attributes.get("phone_number"))
    methods = [m for m in enabled if m in user.mfa_enabled or (m == SMS and legacy_sms)]
    if pool.settings.get("MfaConfiguration") == "ON" and not methods:
        # Required MFA uses a verified number or address the pool can send to [DG].
        methods = [m for m in (SMS, EMAIL) if m in enabled and _verified(user, _DELIVERY[m][0])]
    return methods


def mfa_step(ctx: AuthContext, user: User, *, auth_time: float) -> dict[str, Any] | None:
    """The MFA challenge owed after a password first factor, or None when tokens may be issued."""
    mode = ctx.pool.settings.get("MfaConfiguration", "OFF")
    if mode == "OFF":
        return None
    methods = user_methods(ctx.pool, user)
    if not methods:
        if mode != "ON":
            return None
        can_setup = [m for m in pool_methods(ctx.pool) if m in (TOTP, EMAIL)]
        return ctx.challenge(user, "MFA_SETUP", {"MFAS_CAN_SETUP": json.dumps(can_setup)}, auth_time=auth_time)
    chosen = user.mfa_preferred if user.mfa_preferred in methods else (methods[0] if len(methods) == 1 else None)
    if chosen is None:
        return ctx.challenge(
            user, "SELECT_MFA_TYPE", {"MFAS_CAN_CHOOSE": json.dumps(methods)}, offered=methods, auth_time=auth_time
        )
    return start_mfa(ctx, user, chosen, auth_time=auth_time)


def start_mfa(ctx: AuthContext, user: User, method: str, *, auth_time: float) -> dict[str, Any]:
    if method == TOTP:
        return ctx.challenge(user, TOTP, {}, auth_time=auth_time, mfa=True)
    attribute, medium, digits = _DELIVERY[method]
    address = user.attributes[attribute]
    code = new_code(digits)
    deliver(
        ctx.emu, ctx.pool, user, destination=address, medium=medium, purpose=method, code=code,
        client_id=ctx.client.client_id, client_metadata=ctx.trigger_metadata,
    )  # fmt: skip
    parameters = {"CODE_DELIVERY_DELIVERY_MEDIUM": medium, "CODE_DELIVERY_DESTINATION": mask_destination(address)}
    return ctx.challenge(user, method, parameters, code=code, auth_time=auth_time, mfa=True)


def _tokens(ctx: AuthContext, user: User, session: AuthSession) -> dict[str, Any]:
    return finish_sign_in(ctx, user, auth_time=float(session.context.get("auth_time", ctx.now)))


def _totp_matches(secret: str | None, given: str, now: float) -> bool:
    return secret is not None and pyotp.TOTP(secret).verify(given, for_time=int(now), valid_window=1)


def _totp_step(secret: str | None, given: str, now: float) -> int | None:
    """The 30-second step whose code `given` is (the current one or a neighbour), or None."""
    if secret is None:
        return None
    totp = pyotp.TOTP(secret)
    current = int(now) // totp.interval
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * totp.interval), given):
            return step
    return None


def answer_mfa(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    """SMS_MFA / SOFTWARE_TOKEN_MFA, and EMAIL_OTP when it follows a password."""
    method = session.challenge
    key = _CODE_KEYS[method]
    given = responses.get(key)
    if not given:
        raise missing_parameter(key)
    if method == TOTP:
        step = _totp_step(user.totp_secret, given, ctx.now)
        right = step is not None
        if step is not None and step <= user.totp_last_step:  # a code answers one sign-in [OBS]
            ctx.emu.sessions.settle_wrong_answer(session)
            raise CognitoError("ExpiredCodeException", errors.TOTP_CODE_REUSED)
        if step is not None:
            user.totp_last_step = step
    else:
        right = hmac.compare_digest(str(session.context.get("code", "")), given)
    if not right:
        ctx.emu.sessions.settle_wrong_answer(session)
        raise CognitoError("CodeMismatchException", _MISMATCH[method])
    ctx.emu.sessions.consume(session)
    return _tokens(ctx, user, session)


challenge(SMS)(answer_mfa)
challenge(TOTP)(answer_mfa)
AFTER_FIRST_FACTOR.append(mfa_step)


@challenge("SELECT_MFA_TYPE")
def select_mfa_type(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    answer = chosen_option(session, responses)
    ctx.emu.sessions.consume(session)
    return start_mfa(ctx, user, answer, auth_time=float(session.context.get("auth_time", ctx.now)))


@challenge("MFA_SETUP")
def mfa_setup(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    """Completes after VerifySoftwareToken succeeded with this session's successor, or sets up email MFA."""
    if responses.get("EMAIL"):
        user.attributes.update({"email": responses["EMAIL"], "email_verified": "true"})
        user.mfa_enabled.add(EMAIL)
        ctx.emu.sessions.consume(session)
        return start_mfa(ctx, user, EMAIL, auth_time=float(session.context.get("auth_time", ctx.now)))
    if not session.context.get("totp_verified"):
        raise not_authorized(errors.SESSION_INVALID)
    ctx.emu.sessions.consume(session)
    return _tokens(ctx, user, session)


# --- pool settings


def _normalised_mfa_config(request: dict[str, Any]) -> dict[str, Any]:
    config = {k: v for k, v in request.items() if k not in ("UserPoolId", "MfaConfiguration")}
    return config


@operation("SetUserPoolMfaConfig")
def set_user_pool_mfa_config(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    config = _normalised_mfa_config(request)
    mode = request.get("MfaConfiguration", pool.settings.get("MfaConfiguration", "OFF"))
    if request.get("MfaConfiguration") == "OFF" and any(request.get(key) for key in _METHOD_CONFIGURATIONS):
        raise invalid_parameter(errors.MFA_OFF_WITH_METHOD)  # a passkey configuration is not an MFA method
    if config.get("EmailMfaConfiguration") and pool.tier == "LITE":
        raise CognitoError(
            "FeatureUnavailableInTierException", errors.FEATURE_NOT_IN_TIER.format(feature="Email MFA", tier="LITE")
        )
    if config.get("EmailMfaConfiguration"):
        check_email_mfa_can_send(pool.settings)
    if config.get("WebAuthnConfiguration"):
        for check in RELYING_PARTY_CHECKS:
            check(config["WebAuthnConfiguration"])
    web_authn = config.get("WebAuthnConfiguration") or pool.mfa_config.get("WebAuthnConfiguration")
    check_first_factors_with_mfa(mode, pool.first_auth_factors, web_authn)
    previous = pool.mfa_config
    pool.mfa_config = {**previous, **config}
    if mode in ("ON", "OPTIONAL") and not pool_methods(pool):
        pool.mfa_config = previous
        raise invalid_parameter(errors.MFA_METHOD_REQUIRED)
    pool.settings["MfaConfiguration"] = mode
    return {**pool.mfa_config, "MfaConfiguration": mode}


@operation("GetUserPoolMfaConfig")
def get_user_pool_mfa_config(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    return {**pool.mfa_config, "MfaConfiguration": pool.settings.get("MfaConfiguration", "OFF")}


# --- user preferences


def _set_preferences(pool: UserPool, user: User, request: dict[str, Any]) -> None:
    for key, method in _SETTINGS_KEYS.items():
        settings = request.get(key)
        if settings is None:
            continue
        if settings.get("Enabled"):
            # TOTP needs a verified token; SMS and email a number or an address to send to
            missing = user.totp_secret is None if method == TOTP else not user.attributes.get(_DELIVERY[method][0])
            if missing:
                raise invalid_parameter(errors.MFA_NOT_DELIVERABLE.format(method=method))
            user.mfa_enabled.add(method)
        elif "Enabled" in settings:
            user.mfa_enabled.discard(method)
        if settings.get("PreferredMfa"):
            user.mfa_preferred = method
        elif user.mfa_preferred == method and (
            settings.get("PreferredMfa") is False or not settings.get("Enabled", True)
        ):
            user.mfa_preferred = None


@operation("SetUserMFAPreference")
def set_user_mfa_preference(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, _ = user_from_access_token(emu, request["AccessToken"])
    _set_preferences(pool, user, request)
    return {}


@operation("AdminSetUserMFAPreference")
def admin_set_user_mfa_preference(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    _set_preferences(pool, require_user(pool, request["Username"]), request)
    return {}


# --- TOTP association


def _session_user(emu: Emulator, token: str) -> tuple[UserPool, User, AuthSession]:
    """An MFA_SETUP session stands in for an access token during sign-in."""
    session = emu.sessions.peek(token, now=emu.clock.now())
    if session.challenge != "MFA_SETUP":
        raise not_authorized(errors.SESSION_INVALID)
    pool = emu.pools[session.pool_id]
    user = pool.find_user(session.username)
    if user is None:
        raise not_authorized(errors.SESSION_INVALID)
    return pool, user, session


def _caller(emu: Emulator, request: dict[str, Any]) -> tuple[UserPool, User, AuthSession | None]:
    if request.get("AccessToken"):
        pool, user, _ = user_from_access_token(emu, request["AccessToken"])
        return pool, user, None
    if request.get("Session"):
        return _session_user(emu, request["Session"])
    raise invalid_parameter(errors.TOKEN_OR_SESSION_REQUIRED)


def _successor(emu: Emulator, session: AuthSession, **context: Any) -> str:
    """Each step of TOTP setup during sign-in consumes its session and hands out the next."""
    emu.sessions.consume(session)
    client = emu.clients[session.client_id]
    successor = emu.sessions.issue(
        pool_id=session.pool_id, client_id=session.client_id, username=session.username, challenge=session.challenge,
        now=emu.clock.now(), validity_s=client.session_validity_s, context={**session.context, **context},
    )  # fmt: skip
    return successor.token


@operation("AssociateSoftwareToken")
def associate_software_token(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, session = _caller(emu, request)
    if TOTP not in pool_methods(pool):
        raise CognitoError("SoftwareTokenMFANotFoundException", errors.TOTP_NOT_ENABLED_IN_POOL)
    user.totp_pending = pyotp.random_base32(length=32)
    result: dict[str, Any] = {"SecretCode": user.totp_pending}
    if session is not None:
        result["Session"] = _successor(emu, session)
    return result


@operation("VerifySoftwareToken")
def verify_software_token(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    _, user, session = _caller(emu, request)
    if user.totp_pending is None:
        raise CognitoError("SoftwareTokenMFANotFoundException", errors.TOTP_NOT_ASSOCIATED)
    if not _totp_matches(user.totp_pending, request["UserCode"], emu.clock.now()):
        raise CognitoError("EnableSoftwareTokenMFAException", errors.TOTP_ENABLE_MISMATCH)
    user.totp_secret, user.totp_pending = user.totp_pending, None
    user.mfa_enabled.add(TOTP)
    result: dict[str, Any] = {"Status": "SUCCESS"}
    if session is not None:
        result["Session"] = _successor(emu, session, totp_verified=True)
    return result


@operation("AdminDeleteSoftwareToken")
def admin_delete_software_token(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """For a user who lost their authenticator app [API AdminDeleteSoftwareToken]: the verified token, an
    association not yet verified and any TOTP preference go; the user's other MFA methods stay. The next sign-in
    falls back to another method, or asks for MFA_SETUP where MFA is required and none is left (`mfa_step`).
    UNCONFIRMED: that only a verified token counts as a registration to delete (one merely associated does not);
    that unconfirmed and disabled users are treated as any other (the reference lists UserNotConfirmedException
    without saying when)."""
    pool = get_pool(emu, request["UserPoolId"])
    user = require_user(pool, request["Username"])
    if user.totp_secret is None:
        raise resource_not_found(errors.TOTP_NOTHING_TO_DELETE)
    user.totp_secret = user.totp_pending = None
    user.totp_last_step = -1
    user.mfa_enabled.discard(TOTP)
    if user.mfa_preferred == TOTP:
        user.mfa_preferred = None
    user.modified_at = emu.clock.now()  # UNCONFIRMED: whether UserLastModifiedDate moves
    return {}


# --- the legacy MFA settings


def _set_mfa_options(user: User, options: list[dict[str, str]]) -> None:
    """SetUserSettings' MFAOptions: SMS to phone_number only; an empty list turns the legacy setting off [API
    SetUserSettings: "You can use it to configure only SMS MFA"; MFAOptionType: AttributeName "The only valid
    value is phone_number", DeliveryMedium "only the SMS delivery medium value"]."""
    for option in options:
        if option.get("AttributeName") != "phone_number":
            raise invalid_parameter(errors.MFA_OPTION_ATTRIBUTE)
        if option.get("DeliveryMedium") != "SMS":
            raise invalid_parameter(errors.MFA_OPTION_MEDIUM)
    user.mfa_options = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}] if options else []


@operation("SetUserSettings")
def set_user_settings(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    _, user, _ = user_from_access_token(emu, request["AccessToken"])
    _set_mfa_options(user, request["MFAOptions"])
    return {}


@operation("AdminSetUserSettings")
def admin_set_user_settings(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    _set_mfa_options(require_user(pool, request["Username"]), request["MFAOptions"])
    return {}
