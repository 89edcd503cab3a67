"""Every operation that changes, verifies or deletes user attributes (the schema itself is in schema.py).

One function, `change_attributes`, applies a change for both the user's own UpdateUserAttributes and the
administrator's AdminUpdateUserAttributes; they differ only in who may write what (`client` is None for admin).

Email and phone number changes [BC UpdateUserAttributes, AdminUpdateUserAttributes, UserAttributeUpdateSettingsType;
DG "Configuring email or phone verification", "Verifying updates to email addresses and phone numbers"]:
- in a pool whose `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate` lists the attribute, the
  original value stays in effect (sign-in by alias, ForgotPassword, EMAIL_OTP, MFA codes) and the new one waits in
  `User.pending_attributes` until VerifyUserAttribute (or an administrator's `<attribute>_verified: true`);
- otherwise the new value takes effect at once, unverified: it cannot sign in as an alias and receives no
  recovery messages until verified, and the old value is gone;
- either way, when the pool auto-verifies the attribute, a code goes to the NEW value (CodeDeliveryDetailsList);
- an administrator who sends `<attribute>_verified: true` with the change sets it verified, with no message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter, not_authorized
from harness.emulator.ops.common import (
    CONFIRMATION_CODE_VALIDITY_S,
    check_code,
    check_preferred_username_alias,
    check_unique_sign_in,
    get_client,
    get_pool,
    require_user,
    send_code,
)
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.issue import revoke_user_tokens
from harness.emulator.ops.registry import operation
from harness.emulator.ops.schema import STANDARD_ATTRIBUTES, attribute_map, check_attributes, schema_entry
from harness.emulator.state import AppClient, User, UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

# The attributes a code can verify, and the flag each sets.
VERIFIABLE = {"email": "email_verified", "phone_number": "phone_number_verified"}
# What an app client without WriteAttributes may write: "the Standard attributes of your user pool" [BC
# CreateUserPoolClient WriteAttributes] - which do not include the *_verified flags (ReadAttributes lists those
# apart), nor `sub`. Custom attributes are writable too: UNCONFIRMED (the text names only standard attributes).
DEFAULT_CLIENT_WRITABLE = STANDARD_ATTRIBUTES - {"sub", "email_verified", "phone_number_verified"}


def _check_writable(pool: UserPool, names: list[str], client: AppClient | None, *, deleting: bool) -> None:
    """Who may write (or delete) these attributes of an existing user: the schema, then the app client's
    WriteAttributes (for the user's own calls), then mutability and requiredness."""
    for name in names:
        entry = schema_entry(pool, name)
        if entry is None:
            raise invalid_parameter(errors.ATTRIBUTE_UNKNOWN.format(name=name))
        if client is not None and not client_may_write(client, name, entry):
            raise not_authorized(errors.ATTRIBUTE_NOT_WRITABLE)
        # sub never changes; a schema attribute with Mutable false is set only when the user is created [BC
        # SchemaAttributeType Mutable; DG "User pool attributes"].
        if name == "sub" or entry.get("Mutable") is False:
            raise invalid_parameter(errors.ATTRIBUTE_IMMUTABLE.format(name=name))
        if deleting and entry.get("Required"):
            raise invalid_parameter(errors.REQUIRED_ATTRIBUTE_DELETED.format(name=name))


def client_may_write(client: AppClient, name: str, entry: dict[str, Any]) -> bool:
    """Whether the app client's WriteAttributes let a user's own call write `name` (`entry`: its schema entry).
    Developer-only attributes are written by administrators only [BC SchemaAttributeType DeveloperOnlyAttribute]."""
    if name.startswith("dev:") or entry.get("DeveloperOnlyAttribute"):
        return False
    listed = client.settings.get("WriteAttributes")
    if listed is None:
        return name in DEFAULT_CLIENT_WRITABLE or name.startswith("custom:")
    return name in listed


def verification_purpose(attribute: str) -> str:
    """The key of an attribute's pending code in `User.codes`, and the purpose its message has in the outbox."""
    return f"VerifyUserAttribute:{attribute}"


def requires_verification_before_update(pool: UserPool) -> frozenset[str]:
    settings = pool.settings.get("UserAttributeUpdateSettings") or {}
    return frozenset(settings.get("AttributesRequireVerificationBeforeUpdate") or ())


def change_attributes(
    emu: Emulator,
    pool: UserPool,
    user: User,
    changes: dict[str, str],
    *,
    client: AppClient | None,
    client_metadata: dict[str, Any] | None = None,
) -> list[dict[str, str]]:
    """Apply an attribute update (a blank value deletes); returns the CodeDeliveryDetails of the codes sent.

    `client` is the app client of the user's access token, or None for an administrator. Nothing changes and
    nothing is sent unless every attribute of the request is acceptable.
    """
    check_attributes(pool, changes, creating=False)
    _check_writable(pool, list(changes), client, deleting=False)
    _check_writable(pool, [name for name, value in changes.items() if value == ""], client, deleting=True)
    plain = {name: value for name, value in changes.items() if name not in VERIFIABLE}  # flags handled below
    updates = {name: value for name, value in plain.items() if value and name not in VERIFIABLE.values()}
    removals = [name for name, value in plain.items() if value == ""]
    pending: dict[str, str | None] = {}  # attribute -> its new pending value, or None to drop one
    deliveries: list[tuple[str, str, str]] = []  # (attribute, medium, address) of the codes to send
    later = requires_verification_before_update(pool)
    for attribute, flag in VERIFIABLE.items():
        new = changes.get(attribute)
        verified_now = changes.get(flag) == "true"  # only an administrator may send it
        current = user.attributes.get(attribute)
        if new is None or new == current:
            if verified_now and new is None and attribute in user.pending_attributes:
                # An administrator verifying a pending value puts it in effect [BC UserAttributeUpdateSettingsType].
                updates[attribute] = user.pending_attributes[attribute]
                pending[attribute] = None
            elif new == current and new is not None:
                pending[attribute] = None  # changed back: nothing waits any more
            if changes.get(flag):
                updates[flag] = changes[flag]
            continue
        pending[attribute] = None
        if new == "":
            removals += [attribute, flag]
        elif verified_now:
            updates.update({attribute: new, flag: "true"})  # no message [BC AdminUpdateUserAttributes]
        elif attribute in later and current:
            pending[attribute] = new  # the original value stays in effect until the new one is verified
            if attribute in pool.auto_verified_attributes:
                deliveries.append((attribute, _medium(attribute), new))
        else:
            updates.update({attribute: new, flag: "false"})
            if attribute in pool.auto_verified_attributes:
                deliveries.append((attribute, _medium(attribute), new))
    for attribute, flag in VERIFIABLE.items():
        if attribute in updates or updates.get(flag) == "true":
            value = updates.get(attribute, user.attributes.get(attribute))
            verified = updates.get(flag, user.attributes.get(flag)) == "true"
            if value:
                check_unique_sign_in(pool, user, attribute, value, verified=verified)
        if pending.get(attribute):
            check_unique_sign_in(pool, user, attribute, str(pending[attribute]), verified=False)
    if updates.get("preferred_username"):
        check_preferred_username_alias(pool, user.status, updates)
        check_unique_sign_in(pool, user, "preferred_username", updates["preferred_username"], verified=False)
    pool.update_attributes(user, updates)
    for name in removals:
        user.attributes.pop(name, None)
    for attribute, value in pending.items():
        user.codes.pop(verification_purpose(attribute), None)
        if value is None:
            user.pending_attributes.pop(attribute, None)
        else:
            user.pending_attributes[attribute] = value
    user.modified_at = emu.clock.now()
    sent = []
    for attribute, medium, address in deliveries:
        delivery = send_code(
            emu, pool, user, verification_purpose(attribute),
            validity_s=CONFIRMATION_CODE_VALIDITY_S, destination=(attribute, medium, address),
            source="CustomMessage_UpdateUserAttribute", client_metadata=client_metadata,
        )  # fmt: skip
        if delivery is not None:
            sent.append(delivery)
    return sent


def _medium(attribute: str) -> str:
    return "EMAIL" if attribute == "email" else "SMS"


def signed_in_user(emu: Emulator, access_token: str) -> tuple[UserPool, AppClient, User]:
    """The caller of a self-service operation: a valid access token with the user-admin scope, of a user whose
    password is not being reset [BC UpdateUserAttributes errors: PasswordResetRequiredException]."""
    pool, user, claims = user_from_access_token(emu, access_token)
    _, client = get_client(emu, str(claims.get("client_id", "")))
    if user.status == "RESET_REQUIRED":
        raise CognitoError("PasswordResetRequiredException", errors.PASSWORD_RESET_REQUIRED)
    return pool, client, user


def _verifiable(name: str) -> str:
    if name not in VERIFIABLE:
        raise invalid_parameter(errors.ATTRIBUTE_NOT_VERIFIABLE)
    return name


@operation("UpdateUserAttributes")
def update_user_attributes(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client, user = signed_in_user(emu, request["AccessToken"])
    changes = attribute_map(request["UserAttributes"])
    sent = change_attributes(emu, pool, user, changes, client=client, client_metadata=request.get("ClientMetadata"))
    return {"CodeDeliveryDetailsList": sent} if sent else {}


@operation("AdminUpdateUserAttributes")
def admin_update_user_attributes(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    user = require_user(pool, request["Username"])
    changes = attribute_map(request["UserAttributes"])
    change_attributes(emu, pool, user, changes, client=None, client_metadata=request.get("ClientMetadata"))
    return {}


@operation("GetUserAttributeVerificationCode")
def get_user_attribute_verification_code(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """A code to the value awaiting verification if there is one, else to the current value."""
    pool, _, user = signed_in_user(emu, request["AccessToken"])
    attribute = _verifiable(request["AttributeName"])
    address = user.pending_attributes.get(attribute) or user.attributes.get(attribute)
    if not address:
        raise invalid_parameter(errors.ATTRIBUTE_MISSING[attribute])
    delivery = send_code(
        emu, pool, user, verification_purpose(attribute),
        validity_s=CONFIRMATION_CODE_VALIDITY_S, destination=(attribute, _medium(attribute), address),
        source="CustomMessage_VerifyUserAttribute", client_metadata=request.get("ClientMetadata"),
    )  # fmt: skip
    return {"CodeDeliveryDetails": delivery}


@operation("VerifyUserAttribute")
def verify_user_attribute(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """The right code marks the attribute verified and puts a pending value in effect [BC VerifyUserAttribute]."""
    pool, _, user = signed_in_user(emu, request["AccessToken"])
    attribute = _verifiable(request["AttributeName"])
    value = user.pending_attributes.get(attribute) or user.attributes.get(attribute)
    if value is None:
        raise invalid_parameter(errors.ATTRIBUTE_MISSING[attribute])
    check_unique_sign_in(pool, user, attribute, value, verified=True)
    check_code(emu, user, verification_purpose(attribute), request["Code"])
    pool.update_attributes(user, {attribute: value, VERIFIABLE[attribute]: "true"})
    user.pending_attributes.pop(attribute, None)
    user.modified_at = emu.clock.now()
    return {}


def _delete_attributes(emu: Emulator, pool: UserPool, user: User, names: list[str], client: AppClient | None) -> None:
    """Removing email or phone_number removes its verified flag and any value awaiting verification (a choice)."""
    _check_writable(pool, names, client, deleting=True)
    for name in names:
        user.attributes.pop(name, None)
        if name in VERIFIABLE:
            user.attributes.pop(VERIFIABLE[name], None)
            user.pending_attributes.pop(name, None)
            user.codes.pop(verification_purpose(name), None)
    user.modified_at = emu.clock.now()


@operation("DeleteUserAttributes")
def delete_user_attributes(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client, user = signed_in_user(emu, request["AccessToken"])
    _delete_attributes(emu, pool, user, list(request["UserAttributeNames"]), client)
    return {}


@operation("AdminDeleteUserAttributes")
def admin_delete_user_attributes(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """Tokens already issued keep the deleted attributes; the next id token has none [BC AdminDeleteUserAttributes]."""
    pool = get_pool(emu, request["UserPoolId"])
    user = require_user(pool, request["Username"])
    _delete_attributes(emu, pool, user, list(request["UserAttributeNames"]), None)
    return {}


@operation("DeleteUser")
def delete_user(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """The user deletes their own profile: it can no longer sign in, and its tokens are revoked [BC DeleteUser]."""
    pool, _, user = signed_in_user(emu, request["AccessToken"])
    revoke_user_tokens(pool, user)
    pool.remove_user(user)
    return {}
