"""Forgotten and changed passwords."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.emulator import errors, lockout
from harness.emulator.errors import invalid_parameter, not_authorized
from harness.emulator.ops.common import (
    RESET_CODE_VALIDITY_S,
    check_code,
    delivery_to_unknown_user,
    find_caller,
    get_client,
    get_pool,
    require_user,
    send_code,
    unknown_code_owner,
)
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.registry import operation
from harness.emulator.ops.sign_in_triggers import MIGRATE_AT_FORGOT_PASSWORD, migrate_user
from harness.emulator.ops.users import post_confirmation
from harness.emulator.passwords import Credential, check_policy

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


def _verified_destination(user_attributes: dict[str, str]) -> tuple[str, str, str] | None:
    for attribute, medium in (("email", "EMAIL"), ("phone_number", "SMS")):
        if user_attributes.get(attribute) and user_attributes.get(f"{attribute}_verified") == "true":
            return attribute, medium, user_attributes[attribute]
    return None


@operation("ForgotPassword")
def forgot_password(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"])
    username = request["Username"]
    user = find_caller(pool, client, username, request.get("SecretHash"))
    if user is None:  # a user the pool does not have may be migrated [DG "Migrate user Lambda trigger"]
        user = migrate_user(
            emu, pool, client.client_id, username, source=MIGRATE_AT_FORGOT_PASSWORD, password=None,
            client_metadata=dict(request.get("ClientMetadata") or {}),
        )  # fmt: skip
    if user is None:
        return delivery_to_unknown_user(client, username)
    if not user.enabled:
        raise not_authorized(errors.USER_DISABLED)
    destination = _verified_destination(user.attributes)
    if destination is None:
        raise invalid_parameter(errors.NO_RECOVERY_DESTINATION)
    if user.status == "FORCE_CHANGE_PASSWORD":  # the temporary password must be used first (errors.py)
        raise not_authorized(errors.PASSWORD_RESET_NOT_ALLOWED)  # after the destination check: UNCONFIRMED order
    lockout.count_reset_attempt(user, emu.clock.now())
    delivery = send_code(
        emu, pool, user, "ForgotPassword", validity_s=RESET_CODE_VALIDITY_S, destination=destination,
        client_id=client.client_id, client_metadata=request.get("ClientMetadata"),
    )  # fmt: skip
    return {"CodeDeliveryDetails": delivery}


@operation("AdminResetUserPassword")
def admin_reset_user_password(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """The user must choose a new password with a code: sign-in answers PasswordResetRequiredException [DG]."""
    pool = get_pool(emu, request["UserPoolId"])
    user = require_user(pool, request["Username"])
    destination = _verified_destination(user.attributes)
    if destination is None:
        raise invalid_parameter(errors.NO_RECOVERY_DESTINATION)
    send_code(
        emu, pool, user, "ForgotPassword", validity_s=RESET_CODE_VALIDITY_S, destination=destination,
        client_metadata=request.get("ClientMetadata"),
    )  # fmt: skip
    if user.status != "UNCONFIRMED":
        user.status = "RESET_REQUIRED"
    user.modified_at = emu.clock.now()
    return {}


@operation("ConfirmForgotPassword")
def confirm_forgot_password(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"])
    username = request["Username"]
    user = find_caller(pool, client, username, request.get("SecretHash"))
    if user is None:
        raise unknown_code_owner(client)
    check_policy(request["Password"], pool.password_policy, text=errors.NEW_PASSWORD_POLICY)
    lockout.count_reset_attempt(user, emu.clock.now())
    check_code(emu, user, "ForgotPassword", request["ConfirmationCode"])
    user.credential = Credential.create(pool.pool_id, user.username, request["Password"])
    if user.status in ("RESET_REQUIRED", "FORCE_CHANGE_PASSWORD", "UNCONFIRMED"):
        user.status = "CONFIRMED"
    user.temporary_password_expires_at = None
    lockout.record_success(user)
    user.modified_at = emu.clock.now()
    post_confirmation(
        emu, pool, client.client_id, user, "PostConfirmation_ConfirmForgotPassword", request.get("ClientMetadata")
    )
    return {}


@operation("ChangePassword")
def change_password(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, _ = user_from_access_token(emu, request["AccessToken"])
    now = emu.clock.now()
    lockout.check_not_locked(user, now)
    previous = request.get("PreviousPassword")
    credential = user.credential
    if credential is not None and (previous is None or not credential.matches(pool.pool_id, user.username, previous)):
        lockout.record_failure(user, now)
        raise not_authorized(errors.BAD_CREDENTIALS)
    check_policy(request["ProposedPassword"], pool.password_policy, text=errors.NEW_PASSWORD_POLICY)
    user.credential = Credential.create(pool.pool_id, user.username, request["ProposedPassword"])
    lockout.record_success(user)
    user.modified_at = now
    return {}
