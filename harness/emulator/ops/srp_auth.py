"""USER_SRP_AUTH and the PASSWORD_VERIFIER challenge, with real SRP verification (harness/srp.py), and device
authentication (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER), the same SRP over a device's secret.

The SECRET_BLOCK the emulator hands out is the session token itself (base64): like Cognito's encrypted
secret block it carries the server's state, so clients that answer PASSWORD_VERIFIER without a Session
(pycognito, older SDKs) work too.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from harness.cognito import srp
from harness.emulator import errors, lockout
from harness.emulator.errors import invalid_parameter, missing_parameter, not_authorized
from harness.emulator.ops.auth import (
    AuthContext,
    challenge,
    check_account_state,
    finish_sign_in,
    flow,
    next_step,
    phantom_user,
)
from harness.emulator.ops.common import find_caller
from harness.emulator.ops.devices import find_device, signing_device
from harness.emulator.ops.sign_in_triggers import pre_authentication
from harness.emulator.sessions import AuthSession
from harness.emulator.state import User

# UNCONFIRMED: how far the client's TIMESTAMP may be from the pool's clock.
MAX_TIMESTAMP_SKEW_S = 5 * 60


@flow("USER_SRP_AUTH")
def user_srp_flow(ctx: AuthContext, parameters: dict[str, str]) -> dict[str, Any]:
    username = parameters.get("USERNAME")
    if not username:
        raise missing_parameter("USERNAME")
    if not parameters.get("SRP_A"):
        raise missing_parameter("SRP_A")
    found = find_caller(ctx.pool, ctx.client, username, parameters.get("SECRET_HASH"))
    if found is None and not ctx.client.prevents_user_existence_errors:
        raise errors.user_not_found()  # no UserMigration here: SRP never sends the password [DG]
    pre_authentication(ctx.emu, ctx.pool, ctx.client.client_id, found, username, ctx.client_metadata)
    return start_password_verifier(ctx, found or phantom_user(username), parameters, phantom=found is None)


AfterPassword = Callable[[AuthContext, User], dict[str, Any]]
"""What follows a verified password when it is not the usual next step (CUSTOM_WITH_SRP's custom challenges)."""


def start_password_verifier(
    ctx: AuthContext,
    user: User,
    parameters: dict[str, str],
    *,
    phantom: bool,
    after_password: AfterPassword | None = None,
) -> dict[str, Any]:
    """Answer SRP_A with SRP_B and SALT; unknown users (hidden) get a plausible fake and fail at the verifier.

    ``after_password`` travels in the session, so this module needs to know nothing of the flows that use it.
    """
    srp_a = parameters.get("SRP_A")
    if not srp_a:
        raise missing_parameter("SRP_A")
    pool_name = srp.pool_name(ctx.pool.pool_id)
    server: srp.SrpServerSession | None = None
    if phantom or user.credential is None:
        salt_hex, srp_b = srp.fake_challenge(pool_name, user.username)
    else:
        try:
            server = srp.SrpServerSession.start(srp.verifier_from_x(user.credential.x), user.credential.salt_hex, srp_a)
        except ValueError:
            raise invalid_parameter(errors.SRP_A_INVALID) from None
        salt_hex, srp_b = user.credential.salt_hex, server.srp_b_hex
    reply = ctx.challenge(user, "PASSWORD_VERIFIER", {}, server=server, phantom=phantom, after_password=after_password)
    reply["ChallengeParameters"] = {
        "SALT": salt_hex,
        "SECRET_BLOCK": base64.b64encode(reply["Session"].encode()).decode(),
        "SRP_B": srp_b,
        "USERNAME": user.username,
        "USER_ID_FOR_SRP": user.username,
    }
    return reply


def _session_from_secret_block(responses: dict[str, str]) -> str | None:
    try:
        return base64.b64decode(responses.get("PASSWORD_CLAIM_SECRET_BLOCK", ""), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None


def _timestamp_ok(ctx: AuthContext, text: str) -> bool:
    try:
        stamp = srp.parse_timestamp(text)
    except ValueError:
        raise invalid_parameter(errors.TIMESTAMP_INVALID) from None
    now = datetime.fromtimestamp(ctx.now, UTC)
    return abs((now - stamp.replace(tzinfo=UTC)).total_seconds()) <= MAX_TIMESTAMP_SKEW_S


@challenge("PASSWORD_VERIFIER", session_from=_session_from_secret_block)
def password_verifier(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    for key in ("PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"):
        if not responses.get(key):
            raise missing_parameter(key)
    lockout.check_not_locked(user, ctx.now)
    server = session.context.get("server")
    if server is not None:
        # Before the session is used: Amplify answers "Device does not exist." by forgetting its device and
        # sending the same answer again [AJS retryOnResourceNotFoundException].
        signing_device(ctx, user)
    ctx.emu.sessions.consume(session)  # one answer per SRP exchange, right or wrong
    if not user.enabled and server is not None:
        raise not_authorized(errors.USER_DISABLED)
    verified = (
        isinstance(server, srp.SrpServerSession)
        and _timestamp_ok(ctx, responses["TIMESTAMP"])
        and server.verify(
            srp.pool_name(ctx.pool.pool_id),
            user.username,
            responses["PASSWORD_CLAIM_SECRET_BLOCK"],
            responses["TIMESTAMP"],
            responses["PASSWORD_CLAIM_SIGNATURE"],
        )
    )
    if not verified:
        if server is not None:
            lockout.record_failure(user, ctx.now)
        raise not_authorized(errors.BAD_CREDENTIALS)
    check_account_state(ctx, user)
    lockout.record_success(user)
    after_password: AfterPassword | None = session.context.get("after_password")
    if after_password is not None:
        return after_password(ctx, user)
    return next_step(ctx, user, auth_time=ctx.now)


# --- device authentication [BC RespondToAuthChallenge ChallengeResponses; AJS utils/handleDeviceSRPAuth.ts]


@challenge("DEVICE_SRP_AUTH")
def device_srp_auth(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    """The device's SRP_A: answer with its salt, SRP_B and a secret block, as PASSWORD_VERIFIER does for users."""
    for key in ("DEVICE_KEY", "SRP_A"):
        if not responses.get(key):
            raise missing_parameter(key)
    device = find_device(ctx.pool, user, responses["DEVICE_KEY"])
    assert device.verifier is not None and device.salt_hex is not None  # find_device returns confirmed ones
    try:
        server = srp.SrpServerSession.start(device.verifier, device.salt_hex, responses["SRP_A"])
    except ValueError:
        raise invalid_parameter(errors.SRP_A_INVALID) from None
    ctx.emu.sessions.consume(session)
    ctx.device_key = device.key
    auth_time = float(session.context.get("auth_time", ctx.now))
    reply = ctx.challenge(user, "DEVICE_PASSWORD_VERIFIER", {}, server=server, auth_time=auth_time)
    reply["ChallengeParameters"] = {
        "DEVICE_KEY": device.key,
        "SALT": device.salt_hex,
        "SECRET_BLOCK": base64.b64encode(reply["Session"].encode()).decode(),
        "SRP_B": server.srp_b_hex,
        "USERNAME": user.username,
    }
    return reply


@challenge("DEVICE_PASSWORD_VERIFIER", session_from=_session_from_secret_block)
def device_password_verifier(
    ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]
) -> dict[str, Any]:
    """The device's claim, signed as (DeviceGroupKey, DeviceKey) with its secret; then the sign-in finishes.

    UNCONFIRMED: a wrong claim answers NotAuthorizedException "Incorrect username or password." and does not
    count towards the user's lockout (it proves nothing about the password)."""
    for key in ("PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "DEVICE_KEY"):
        if not responses.get(key):
            raise missing_parameter(key)
    server = session.context.get("server")
    ctx.emu.sessions.consume(session)
    device = find_device(ctx.pool, user, session.context.get("device_key"))
    verified = (
        isinstance(server, srp.SrpServerSession)
        and responses["DEVICE_KEY"] == device.key
        and _timestamp_ok(ctx, responses["TIMESTAMP"])
        and server.verify(
            device.group_key,
            device.key,
            responses["PASSWORD_CLAIM_SECRET_BLOCK"],
            responses["TIMESTAMP"],
            responses["PASSWORD_CLAIM_SIGNATURE"],
        )
    )
    if not verified:
        raise not_authorized(errors.BAD_CREDENTIALS)
    ctx.device_key, ctx.device_verified = device.key, True
    return finish_sign_in(ctx, user, auth_time=float(session.context.get("auth_time", ctx.now)))
