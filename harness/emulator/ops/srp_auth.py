"""USER_SRP_AUTH and the PASSWORD_VERIFIER challenge, with real SRP verification (harness/srp.py).

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
    flow,
    next_step,
    phantom_user,
)
from harness.emulator.ops.common import find_caller
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
            raise invalid_parameter("SRP_A is not a valid SRP value.") from None
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
        raise invalid_parameter("TIMESTAMP format is invalid.") from None
    now = datetime.fromtimestamp(ctx.now, UTC)
    return abs((now - stamp.replace(tzinfo=UTC)).total_seconds()) <= MAX_TIMESTAMP_SKEW_S


@challenge("PASSWORD_VERIFIER", session_from=_session_from_secret_block)
def password_verifier(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    for key in ("PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"):
        if not responses.get(key):
            raise missing_parameter(key)
    lockout.check_not_locked(user, ctx.now)
    server = session.context.get("server")
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
