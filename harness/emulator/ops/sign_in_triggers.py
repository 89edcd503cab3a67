"""The triggers a sign-in runs around the first factor: PreAuthentication, and UserMigration for unknown users.

PreAuthentication [DG "Pre authentication Lambda trigger"]: invoked when a user attempts to sign in, with the
InitiateAuth ClientMetadata as `validationData`; an error refuses the sign-in ("PreAuthentication failed with
error ..."). It is not invoked for a user who does not exist unless the app client has PreventUserExistenceErrors
ENABLED (then `userNotFound` is true), nor when tokens are refreshed. UNCONFIRMED: the emulator invokes it after
the user is looked up and before the password (or SRP, OTP, custom challenge) is checked.

UserMigration [DG "Migrate user Lambda trigger", "Importing users into user pools with a user migration Lambda
trigger"]: invoked only for a user the pool does not have, at sign-in with a password the client sends
(USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH; triggerSource UserMigration_Authentication, with the password) and
in ForgotPassword (UserMigration_ForgotPassword, no password). Never for USER_SRP_AUTH: "An SRP obscures your
user's password from your Lambda function", so an unknown user there is just unknown; not for passwordless
sign-in either [seed fact, cognito-behaviour.md]. The function returns the user's attributes and
`finalUserStatus` (CONFIRMED, else RESET_REQUIRED); the pool creates the user, with the password it was given and
without checking it against the password policy [DG].
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError
from harness.emulator.outbox import Message
from harness.emulator.passwords import Credential
from harness.emulator.state import User, UserPool, new_sub
from harness.emulator.triggers import configured, invoke

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

MIGRATE_AT_SIGN_IN = "UserMigration_Authentication"
MIGRATE_AT_FORGOT_PASSWORD = "UserMigration_ForgotPassword"


def pre_authentication(
    emu: Emulator,
    pool: UserPool,
    client_id: str,
    user: User | None,
    username: str,
    client_metadata: dict[str, str],
) -> None:
    """Run PreAuthentication; `user` None means the user does not exist (and existence errors are hidden)."""
    invoke(
        emu.triggers, pool, "PreAuthentication", "PreAuthentication_Authentication", client_id=client_id,
        user=user, username=username,
        request={"validationData": dict(client_metadata), "userNotFound": user is None},
    )  # fmt: skip


def migrate_user(
    emu: Emulator,
    pool: UserPool,
    client_id: str,
    username: str,
    *,
    source: str,
    password: str | None,
    client_metadata: dict[str, str],
) -> User | None:
    """Ask UserMigration for an unknown user and create them from its answer; None when the pool has no such
    trigger. A trigger that refuses gives its error ("UserMigration failed with error Bad password." [OBS])."""
    if configured(pool, "UserMigration") is None:
        return None
    request: dict[str, Any] = {"validationData": {}, "clientMetadata": dict(client_metadata)}
    if password is not None:
        request = {"password": password, "validationData": dict(client_metadata), "clientMetadata": {}}
    response = invoke(
        emu.triggers, pool, "UserMigration", source, client_id=client_id, user=None, username=username,
        request=request,
    ) or {}  # fmt: skip
    attributes = response.get("userAttributes")
    if not isinstance(attributes, dict) or not attributes:  # userAttributes is required [DG]; errors.py has the text
        raise CognitoError("UserNotFoundException", errors.MIGRATION_WITHOUT_USER.format(client_id=client_id))
    user = _new_migrated_user(emu, pool, username, {str(k): str(v) for k, v in attributes.items()})
    user.status = "CONFIRMED" if response.get("finalUserStatus") == "CONFIRMED" else "RESET_REQUIRED"
    if password is not None:
        user.credential = Credential.create(pool.pool_id, user.username, password)  # no policy check [DG]
    if response.get("enableSMSMFA") and user.attributes.get("phone_number"):
        user.mfa_enabled.add("SMS_MFA")
    pool.add_user(user)
    if response.get("messageAction") != "SUPPRESS":
        _welcome(emu, pool, user, list(response.get("desiredDeliveryMediums") or ["SMS"]))
    return user


def _new_migrated_user(emu: Emulator, pool: UserPool, username: str, attributes: dict[str, str]) -> User:
    """The user record: in a pool that signs in by email or phone, the name typed is that attribute and the
    internal username is the sub, as for any new user [DG "User pool attributes", username attributes]."""
    sub = new_sub()
    now = emu.clock.now()
    internal = username
    for attribute in pool.username_attributes:
        if (attribute == "email" and "@" in username) or (attribute == "phone_number" and username[:1] == "+"):
            attributes = {**attributes, attribute: username}
            internal = sub
            break
    attributes.pop("sub", None)
    return User(internal, sub, {"sub": sub, **attributes}, "RESET_REQUIRED", now, now)


def _welcome(emu: Emulator, pool: UserPool, user: User, mediums: list[str]) -> None:
    """The welcome message the pool sends a migrated user unless messageAction is SUPPRESS, by SMS unless
    desiredDeliveryMediums says otherwise [DG]. It carries no code; UNCONFIRMED: its text."""
    for medium in mediums:
        address = user.attributes.get("email" if medium == "EMAIL" else "phone_number")
        if address:
            emu.outbox.record(Message(pool.pool_id, user.username, address, medium, "Welcome", "", emu.clock.now()))
