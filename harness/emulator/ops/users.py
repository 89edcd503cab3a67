"""Sign-up, confirmation and the administration of users."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter, not_authorized
from harness.emulator.ops.common import (
    CONFIRMATION_CODE_VALIDITY_S,
    check_code,
    check_preferred_username_alias,
    check_secret_hash,
    check_unique_sign_in,
    delivery_to_unknown_user,
    get_client,
    get_pool,
    require_user,
    send_code,
    unknown_code_owner,
    user_type,
)
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.issue import revoke_user_tokens
from harness.emulator.ops.messages import deliver
from harness.emulator.ops.registry import operation
from harness.emulator.ops.schema import (
    EMAIL_FORMAT,
    PHONE_FORMAT,
    attribute_map,
    check_attributes,
)
from harness.emulator.passwords import Credential, check_policy, temporary_password
from harness.emulator.state import AppClient, User, UserPool, new_sub, order_key
from harness.emulator.triggers import invoke

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


_SHAPES = {"email": EMAIL_FORMAT, "phone_number": PHONE_FORMAT}
_ALIAS_SHAPED = {"email": errors.USERNAME_EMAIL_FORMAT, "phone_number": errors.USERNAME_PHONE_FORMAT}


def _sign_in_attribute(pool: UserPool, username: str) -> str | None:
    """In a pool that signs in by email or phone, which attribute the given username is.

    In a pool with an email or phone alias, a username shaped like one is refused (errors.py has the sources):
    signing in with it could mean that user or another user's alias. "Shaped like" is read as the attribute
    checks read email and phone values (ops/schema.py); Cognito's own test is not published (UNCONFIRMED)."""
    for attribute in pool.username_attributes:
        if _SHAPES[attribute].fullmatch(username):
            return attribute
    if pool.username_attributes == ["email"]:
        raise invalid_parameter(errors.USERNAME_SHOULD_BE_EMAIL)
    if pool.username_attributes == ["phone_number"]:
        raise invalid_parameter(errors.USERNAME_SHOULD_BE_PHONE)
    if pool.username_attributes:
        raise invalid_parameter(errors.USERNAME_SHOULD_BE)
    for attribute, refusal in _ALIAS_SHAPED.items():
        if attribute in pool.alias_attributes and _SHAPES[attribute].fullmatch(username):
            raise invalid_parameter(refusal)
    return None


def _new_user(emu: Emulator, pool: UserPool, username: str, attributes: dict[str, str], status: str) -> User:
    """Create a user record, enforcing unique usernames and sign-in attributes."""
    attribute = _sign_in_attribute(pool, username)
    now = emu.clock.now()
    sub = new_sub()
    if attribute is not None:
        attributes = {**attributes, attribute: username}
        if pool.find_user(username) is not None:
            message = errors.USERNAME_EXISTS_EMAIL if attribute == "email" else errors.USERNAME_EXISTS_PHONE
            raise CognitoError("UsernameExistsException", message)
        username = sub  # the internal username is immutable: Cognito uses the sub [DG]
    elif pool.users.get(pool.user_key(username)) is not None:
        raise CognitoError("UsernameExistsException", errors.USERNAME_EXISTS)
    if attributes.get("preferred_username"):
        check_unique_sign_in(pool, None, "preferred_username", attributes["preferred_username"], verified=False)
    return User(username, sub, {"sub": sub, **attributes}, status, now, now)


@operation("SignUp")
def sign_up(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"])
    if pool.settings.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly"):
        raise not_authorized(errors.SIGN_UP_NOT_PERMITTED)  # before SECRET_HASH and the request: UNCONFIRMED order
    check_secret_hash(client, (request["Username"],), request.get("SecretHash"))
    attributes = attribute_map(request.get("UserAttributes"))
    check_attributes(pool, attributes, creating=True)
    check_preferred_username_alias(pool, "UNCONFIRMED", attributes)
    password = request.get("Password")
    if password is None and not pool.allows_passwordless:
        raise invalid_parameter(errors.PASSWORD_REQUIRED)
    if password is not None:
        check_policy(password, pool.password_policy)
    user = _new_user(emu, pool, request["Username"], attributes, "UNCONFIRMED")
    pre_sign_up = pre_sign_up_trigger(emu, pool, client.client_id, user, request, "PreSignUp_SignUp")
    if password is not None:
        user.credential = Credential.create(pool.pool_id, user.username, password)
    pool.add_user(user)
    result: dict[str, Any] = {"UserConfirmed": user.status == "CONFIRMED", "UserSub": user.sub}
    if pool.auto_verified_attributes and not pre_sign_up.get("autoConfirmUser"):
        delivery = send_code(
            emu, pool, user, "SignUp", validity_s=CONFIRMATION_CODE_VALIDITY_S, client_id=client.client_id,
            client_metadata=request.get("ClientMetadata"),
        )  # fmt: skip
        if delivery is not None:
            result["CodeDeliveryDetails"] = delivery
    if "ALLOW_USER_AUTH" in client.explicit_auth_flows:
        result["Session"] = _sign_up_session(emu, pool.pool_id, client, user, SIGN_UP_STAGE)
    return result


def pre_sign_up_trigger(
    emu: Emulator, pool: UserPool, client_id: str | None, user: User, request: dict[str, Any], source: str
) -> dict[str, Any]:
    """The PreSignUp trigger may refuse (its error) or auto-confirm and auto-verify [DG "Pre sign-up"]."""
    details = {
        "validationData": attribute_map(request.get("ValidationData")),
        "clientMetadata": request.get("ClientMetadata") or {},
    }
    response = (
        invoke(
            emu.triggers,
            pool,
            "PreSignUp",
            source,
            client_id=client_id,
            user=user,
            username=user.username,
            request=details,
        )
        or {}
    )
    if response.get("autoConfirmUser") and user.status == "UNCONFIRMED":
        user.status = "CONFIRMED"
        for attribute, flag in (("email", "autoVerifyEmail"), ("phone_number", "autoVerifyPhone")):
            if response.get(flag) and attribute in user.attributes:
                pool.update_attributes(user, {f"{attribute}_verified": "true"})
    return response


def post_confirmation(
    emu: Emulator,
    pool: UserPool,
    client_id: str | None,
    user: User,
    source: str,
    client_metadata: dict[str, Any] | None,
) -> None:
    """The PostConfirmation trigger, given the confirming request's ClientMetadata."""
    invoke(
        emu.triggers,
        pool,
        "PostConfirmation",
        source,
        client_id=client_id,
        user=user,
        username=user.username,
        request={"clientMetadata": dict(client_metadata or {})},
    )


# The SignUp -> ConfirmSignUp -> InitiateAuth(USER_AUTH) chain rides on sessions whose "challenge" is the stage.
SIGN_UP_STAGE = "SIGN_UP"
CONFIRMED_STAGE = "CONFIRMED_SIGN_UP"


def _sign_up_session(emu: Emulator, pool_id: str, client: AppClient, user: User, stage: str) -> str:
    """Only clients that allow USER_AUTH get one (aws-sdk-js-v3#6724)."""
    session = emu.sessions.issue(
        pool_id=pool_id,
        client_id=client.client_id,
        username=user.username,
        challenge=stage,
        now=emu.clock.now(),
        validity_s=client.session_validity_s,
    )
    return session.token


def _confirm_attribute(pool: UserPool, user: User) -> None:
    """Confirming sign-up verifies the attribute the code went to; an alias must then be unique."""
    for attribute in pool.auto_verified_attributes or ["email"]:
        if attribute not in user.attributes:
            continue
        if attribute in pool.alias_attributes:
            # the pool indexes an alias only for users who verified it: exactly the ones it would clash with
            holders = pool.sign_in_holders(attribute, user.attributes[attribute])
            if any(other is not user for other in holders):
                raise CognitoError("AliasExistsException", errors.alias_exists(attribute))
        pool.update_attributes(user, {f"{attribute}_verified": "true"})
        break


@operation("ConfirmSignUp")
def confirm_sign_up(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"])
    check_secret_hash(client, (request["Username"],), request.get("SecretHash"))
    user = pool.find_user(request["Username"])
    if user is None:
        raise unknown_code_owner(client)
    if user.status != "UNCONFIRMED":
        raise not_authorized(errors.CANNOT_CONFIRM.format(status=user.status))
    sign_up_session = None
    if request.get("Session"):
        sign_up_session = emu.sessions.take(request["Session"], client_id=client.client_id, now=emu.clock.now())
        if sign_up_session.challenge != SIGN_UP_STAGE or sign_up_session.username != user.username:
            raise not_authorized(errors.SESSION_INVALID)
    check_code(emu, user, "SignUp", request["ConfirmationCode"])
    _confirm_attribute(pool, user)
    user.status = "CONFIRMED"
    user.modified_at = emu.clock.now()
    post_confirmation(
        emu, pool, client.client_id, user, "PostConfirmation_ConfirmSignUp", request.get("ClientMetadata")
    )
    if sign_up_session is not None:
        emu.sessions.consume(sign_up_session)
    # Clients that allow USER_AUTH get a Session to sign in with at once, whether or not they passed SignUp's:
    # Amplify's confirmSignUp never sends it but reads the reply's (amplify-js#14138).
    if "ALLOW_USER_AUTH" not in client.explicit_auth_flows:
        return {}
    return {"Session": _sign_up_session(emu, pool.pool_id, client, user, CONFIRMED_STAGE)}


@operation("ResendConfirmationCode")
def resend_confirmation_code(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = get_client(emu, request["ClientId"])
    check_secret_hash(client, (request["Username"],), request.get("SecretHash"))
    user = pool.find_user(request["Username"])
    if user is None:
        return delivery_to_unknown_user(client, request["Username"])
    if user.status != "UNCONFIRMED":
        raise invalid_parameter(errors.ALREADY_CONFIRMED)
    delivery = send_code(
        emu, pool, user, "SignUp", validity_s=CONFIRMATION_CODE_VALIDITY_S, source="CustomMessage_ResendCode",
        client_id=client.client_id, client_metadata=request.get("ClientMetadata"),
    )  # fmt: skip
    if delivery is None:
        raise invalid_parameter(errors.NO_RECOVERY_DESTINATION)
    return {"CodeDeliveryDetails": delivery}


@operation("AdminCreateUser")
def admin_create_user(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    attributes = attribute_map(request.get("UserAttributes"))
    check_attributes(pool, attributes, creating=True)
    action = request.get("MessageAction")
    policy = pool.password_policy
    if action == "RESEND":
        user = require_user(pool, request["Username"])
        if user.status != "FORCE_CHANGE_PASSWORD":
            raise CognitoError(
                "UnsupportedUserStateException",
                errors.RESEND_NOT_FORCE_CHANGE_PASSWORD.format(username=request["Username"]),
            )
    else:
        try:
            user = _new_user(emu, pool, request["Username"], attributes, "FORCE_CHANGE_PASSWORD")
        except CognitoError as exc:
            if exc.code == "UsernameExistsException":
                raise CognitoError("UsernameExistsException", errors.USER_ACCOUNT_EXISTS) from None
            raise
        pre_sign_up_trigger(emu, pool, None, user, request, "PreSignUp_AdminCreateUser")
    if pool.allows_passwordless and not request.get("TemporaryPassword") and action == "SUPPRESS":
        # A passwordless user: confirmed, no password; signs in with an OTP or a passkey [DG]. UNCONFIRMED choice.
        user.status = "CONFIRMED"
        pool.add_user(user)
        return {"User": user_type(user)}
    password = request.get("TemporaryPassword") or temporary_password(policy)
    check_policy(password, policy)  # before the user is stored: a refused request leaves nothing behind
    pool.add_user(user)  # (RESEND: already stored, a no-op)
    user.credential = Credential.create(pool.pool_id, user.username, password)
    validity_days = int(policy.get("TemporaryPasswordValidityDays", 7))
    user.temporary_password_expires_at = emu.clock.now() + validity_days * 86400
    if action != "SUPPRESS":
        mediums = request.get("DesiredDeliveryMediums") or ["SMS"]
        _send_invitation(emu, pool, user, password, mediums, request.get("ClientMetadata"))
    return {"User": user_type(user)}


def _send_invitation(
    emu: Emulator, pool: UserPool, user: User, password: str, mediums: list[str], client_metadata: dict[str, Any] | None
) -> None:
    """The invitation carries the temporary password; the outbox records it as the message's code."""
    for medium in mediums:
        attribute = "email" if medium == "EMAIL" else "phone_number"
        address = user.attributes.get(attribute)
        if address:
            deliver(
                emu, pool, user, destination=address, medium=medium, purpose="Invitation", code=password,
                client_metadata=client_metadata,
            )  # fmt: skip


@operation("AdminConfirmSignUp")
def admin_confirm_sign_up(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    user = require_user(pool, request["Username"])
    if user.status != "UNCONFIRMED":
        raise not_authorized(errors.CANNOT_CONFIRM.format(status=user.status))
    user.status = "CONFIRMED"
    user.codes.pop("SignUp", None)
    user.modified_at = emu.clock.now()
    # PostConfirmation runs on AdminConfirmSignUp too [DG "Post confirmation Lambda trigger"], with the source
    # of ConfirmSignUp (the DG names no other) and no app client.
    post_confirmation(emu, pool, None, user, "PostConfirmation_ConfirmSignUp", request.get("ClientMetadata"))
    return {}


def mfa_view(user: User) -> dict[str, Any]:
    """The MFA members of GetUser / AdminGetUser."""
    view: dict[str, Any] = {"UserMFASettingList": sorted(user.mfa_enabled)}
    if user.mfa_preferred:
        view["PreferredMfaSetting"] = user.mfa_preferred
    return view


def legacy_mfa_view(user: User) -> dict[str, Any]:
    """MFAOptions, only when the legacy SMS setting is on: "MFAOptions will only be defined if SMS MFA settings are
    enabled" [C: amplify-js#2707, a maintainer], and SetUserMFAPreference does not fill it (aws-sdk#693)."""
    return {"MFAOptions": [dict(option) for option in user.mfa_options]} if user.mfa_options else {}


def _get_user_view(user: User) -> dict[str, Any]:
    return {
        "Username": user.username,
        "UserAttributes": user.attribute_list(),
        **legacy_mfa_view(user),
        **mfa_view(user),
    }


@operation("AdminGetUser")
def admin_get_user(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    user = require_user(pool, request["Username"])
    return {**user_type(user, attributes_key="UserAttributes"), **legacy_mfa_view(user), **mfa_view(user)}


@operation("GetUser")
def get_user(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    _, user, _ = user_from_access_token(emu, request["AccessToken"])
    return _get_user_view(user)


# ListUsers' Filter [BC ListUsers Filter]: `AttributeName = "value"` (exact) or `AttributeName ^= "value"` (starts
# with), one attribute, the value in double quotes with inner quotes escaped by a backslash; an empty filter lists
# everyone. Only these attributes are searchable (custom ones are not). `cognito:user_status` matches without regard
# to case; `username` and `status` ("Enabled"/"Disabled") with regard to it. The documentation says nothing of case
# for the others: they match exactly here (UNCONFIRMED).
_FILTER = re.compile(r'^\s*([^\s=^"]+)\s*(=|\^=)\s*"((?:[^"\\]|\\.)*)"\s*$')
_UNESCAPE = re.compile(r"\\(.)")
_FILTERABLE = {
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
}
_CASE_INSENSITIVE = {"cognito:user_status"}


def _parse_filter(expression: str) -> tuple[str, str, str]:
    """(attribute, operator, value) of a Filter, or Cognito's errors for one it cannot use."""
    match = _FILTER.match(expression)
    if match is None:
        raise invalid_parameter(errors.FILTER_UNPARSABLE)
    name, operator, quoted = match.groups()
    if name not in _FILTERABLE:
        raise invalid_parameter(errors.FILTER_NOT_SEARCHABLE.format(name=name))
    return name, operator, _UNESCAPE.sub(r"\1", quoted)


def _filter_value(user: User, name: str) -> str:
    if name == "username":
        return user.username
    if name == "cognito:user_status":
        return user.status
    if name == "status":
        return "Enabled" if user.enabled else "Disabled"
    return user.attributes.get(name, "")


def _matches(user: User, name: str, operator: str, value: str) -> bool:
    actual = _filter_value(user, name)
    if name in _CASE_INSENSITIVE:
        actual, value = actual.lower(), value.lower()
    return actual == value if operator == "=" else actual.startswith(value)


def _page_token(user: User) -> str:
    """A PaginationToken: the order key of the page's last user, so a page starts just after it however many
    users were added or deleted since (an offset would skip or repeat them). Opaque to callers."""
    return base64.urlsafe_b64encode(json.dumps(order_key(user)).encode()).decode()


def _page_cursor(token: str | None) -> tuple[float, str] | None:
    """Where a page begins; a token we did not issue starts from the top."""
    if not token:
        return None
    try:
        created_at, username = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError):
        return None
    if isinstance(created_at, bool) or not isinstance(created_at, int | float) or not isinstance(username, str):
        return None
    return float(created_at), username


@operation("ListUsers")
def list_users(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    """Walks the pool's creation order from the cursor, filtering as it goes: no page sorts or scans the pool."""
    pool = get_pool(emu, request["UserPoolId"])
    test: tuple[str, str, str] | None = None
    expression = request.get("Filter")
    if expression:
        test = _parse_filter(expression)
    cursor = _page_cursor(request.get("PaginationToken"))
    candidates: Iterable[User] = pool.users_after(cursor)
    if test is not None and test[:2] == ("username", "="):  # one user at most: take it from the index
        found = pool.users.get(pool.user_key(test[2]))
        candidates = [found] if found is not None and (cursor is None or order_key(found) > cursor) else []
    limit = int(request.get("Limit") or 60)
    page: list[User] = []
    more = False
    for user in candidates:
        if test is not None and not _matches(user, *test):
            continue
        if len(page) == limit:
            more = True
            break
        page.append(user)
    wanted = request.get("AttributesToGet")
    listed = []
    for user in page:
        entry = user_type(user)
        if wanted is not None:
            entry["Attributes"] = [a for a in entry["Attributes"] if a["Name"] in wanted]
        listed.append(entry)
    result: dict[str, Any] = {"Users": listed}
    if more:
        result["PaginationToken"] = _page_token(page[-1])
    return result


@operation("AdminDeleteUser")
def admin_delete_user(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    user = require_user(pool, request["Username"])
    pool.remove_user(user)
    return {}


@operation("AdminSetUserPassword")
def admin_set_user_password(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    user = require_user(pool, request["Username"])
    check_policy(request["Password"], pool.password_policy)
    user.credential = Credential.create(pool.pool_id, user.username, request["Password"])
    if request.get("Permanent"):
        user.status = "CONFIRMED"
        user.temporary_password_expires_at = None
    else:
        user.status = "FORCE_CHANGE_PASSWORD"
        days = int(pool.password_policy.get("TemporaryPasswordValidityDays", 7))
        user.temporary_password_expires_at = emu.clock.now() + days * 86400
    user.failed_attempts = 0
    user.locked_until = 0.0
    user.modified_at = emu.clock.now()
    return {}


def _set_enabled(emu: Emulator, request: dict[str, Any], enabled: bool) -> dict[str, Any]:
    """Disabling revokes the user's tokens, and enabling does not bring them back: the user signs in again [BC
    AdminDisableUser "revokes all access tokens"; DG "Managing and searching for user accounts"; OBS
    jagregory/cognito-local#381: a refresh token from before AdminDisableUser is refused as revoked]."""
    pool = get_pool(emu, request["UserPoolId"])
    user = require_user(pool, request["Username"])
    if not enabled:
        revoke_user_tokens(pool, user)
    user.enabled = enabled
    user.modified_at = emu.clock.now()
    return {}


@operation("AdminDisableUser")
def admin_disable_user(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return _set_enabled(emu, request, False)


@operation("AdminEnableUser")
def admin_enable_user(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return _set_enabled(emu, request, True)
