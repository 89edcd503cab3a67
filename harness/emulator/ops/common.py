"""Lookups and checks that many operations share."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from harness.cognito.secret_hash import secret_hash
from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter, not_authorized, resource_not_found
from harness.emulator.ops.messages import deliver
from harness.emulator.state import VERIFIABLE_ALIASES, AppClient, PendingCode, User, UserPool

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

CONFIRMATION_CODE_VALIDITY_S = 24 * 3600  # sign-up and attribute codes [DG]
RESET_CODE_VALIDITY_S = 3600  # forgot-password codes [DG]


def get_pool(emu: Emulator, pool_id: str) -> UserPool:
    pool = emu.pools.get(pool_id)
    if pool is None:
        raise resource_not_found(errors.POOL_NOT_FOUND.format(pool_id=pool_id))
    return pool


def get_client(emu: Emulator, client_id: str, pool_id: str | None = None) -> tuple[UserPool, AppClient]:
    client = emu.clients.get(client_id)
    if client is None or (pool_id is not None and client.pool_id != pool_id):
        if pool_id is not None:
            get_pool(emu, pool_id)
        raise resource_not_found(errors.CLIENT_NOT_FOUND.format(client_id=client_id))
    return emu.pools[client.pool_id], client


def check_secret_hash(client: AppClient, usernames: tuple[str, ...], given: str | None) -> None:
    """A client with a secret needs SECRET_HASH over one of the user's names (username, alias or sub), made with
    any of its active secrets: while a rotation runs, apps with the old secret and the new one both sign in
    [API AddUserPoolClientSecret, "zero-downtime credential rotation"]."""
    if not client.secrets:
        return
    if not given:
        raise not_authorized(errors.SECRET_HASH_MISSING.format(client_id=client.client_id))
    for secret in client.secrets:
        for name in usernames:
            if hmac.compare_digest(secret_hash(client.client_id, secret.value, name), given):
                return
    raise not_authorized(errors.SECRET_HASH_MISMATCH.format(client_id=client.client_id))


def is_client_secret(client: AppClient, given: str | None) -> bool:
    """Whether `given` is one of the client's active secrets (compared in constant time, every one of them)."""
    if given is None:
        return False
    matches = [hmac.compare_digest(secret.value.encode(), given.encode()) for secret in client.secrets]
    return any(matches)


def find_caller(pool: UserPool, client: AppClient, username: str, given_hash: str | None) -> User | None:
    """The user a public call names (None if unknown), once the client's SECRET_HASH checks out."""
    user = pool.find_user(username)
    check_secret_hash(client, (username, *(user_names(user) if user else ())), given_hash)
    return user


def require_user(pool: UserPool, username: str) -> User:
    user = pool.find_user(username)
    if user is None:
        raise errors.user_not_found()
    return user


def delivery_to_unknown_user(client: AppClient, username: str) -> dict[str, Any]:
    """The answer to a request for a code (ForgotPassword, ResendConfirmationCode) for a user the pool does not
    have. A client that hides unknown users answers with the CodeDeliveryDetails of a code never sent: "account
    confirmation and password recovery return a response indicating a code was sent to a simulated destination"
    [BC UserPoolClientType.PreventUserExistenceErrors] (its shape is the emulator's, UNCONFIRMED); any other
    refuses with a username and client id that do not match (errors.py), as `unknown_code_owner` does."""
    if not client.prevents_user_existence_errors:
        raise errors.username_client_not_found()
    destination = username if "@" in username else f"{username[:1]}@example.com"
    simulated = {"Destination": mask_destination(destination), "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    return {"CodeDeliveryDetails": simulated}  # nothing is sent [DG]


def unknown_code_owner(client: AppClient) -> CognitoError:
    """The answer to a code (ConfirmSignUp, ConfirmForgotPassword) for a user the pool does not have: a wrong code
    for a client that hides unknown users [DG; for ConfirmSignUp a documented choice], else a username and client
    id that do not match (errors.py), not sign-in's "User does not exist."."""
    if client.prevents_user_existence_errors:
        return CognitoError("CodeMismatchException", errors.CODE_MISMATCH)
    return errors.username_client_not_found()


def mask_destination(destination: str) -> str:
    """Cognito's masking: t***@e*** for an email, +*******1234 for a phone number."""
    if "@" in destination:
        local, _, domain = destination.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    return "+" + "*" * max(len(destination) - 5, 0) + destination[-4:]


def delivery_for(pool: UserPool, user: User) -> tuple[str, str, str] | None:
    """Where the pool would send a code for this user: (attribute, medium, destination)."""
    preferred = pool.auto_verified_attributes or ["email", "phone_number"]
    for attribute in preferred:
        value = user.attributes.get(attribute)
        if value:
            return attribute, ("EMAIL" if attribute == "email" else "SMS"), value
    return None


def new_code(digits: int = 6) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def send_code(
    emu: Emulator,
    pool: UserPool,
    user: User,
    purpose: str,
    *,
    validity_s: float,
    destination: tuple[str, str, str] | None = None,
    source: str | None = None,
    client_id: str | None = None,
    client_metadata: dict[str, Any] | None = None,
) -> dict[str, str] | None:
    """Record a code for the user in the outbox (through the CustomMessage trigger, ops/messages.py; `source`
    names its trigger source when `purpose` does not; `client_metadata` is the request's ClientMetadata, which
    the trigger receives); returns CodeDeliveryDetails (None: nowhere to send)."""
    target = destination or delivery_for(pool, user)
    if target is None:
        return None
    attribute, medium, address = target
    code = new_code()
    now = emu.clock.now()
    deliver(
        emu, pool, user, destination=address, medium=medium, purpose=purpose, code=code, source=source,
        client_id=client_id, client_metadata=client_metadata,
    )  # fmt: skip
    user.codes[purpose] = PendingCode(code, now + validity_s)
    return {"Destination": mask_destination(address), "DeliveryMedium": medium, "AttributeName": attribute}


def check_code(emu: Emulator, user: User, purpose: str, given: str) -> None:
    """Verify a sent code: mismatch and expiry give Cognito's exact errors; a used code is gone."""
    pending = user.codes.get(purpose)
    if pending is None or not hmac.compare_digest(pending.code, given):
        raise CognitoError("CodeMismatchException", errors.CODE_MISMATCH)
    if emu.clock.now() >= pending.expires_at:
        raise CognitoError("ExpiredCodeException", errors.CODE_EXPIRED)
    del user.codes[purpose]


def user_names(user: User) -> tuple[str, ...]:
    """Every name a SECRET_HASH may have been computed over."""
    names = [user.username, user.sub]
    names += [user.attributes[a] for a in ("email", "phone_number", "preferred_username") if a in user.attributes]
    return tuple(names)


T = TypeVar("T")


def page_start(token: str | None) -> int:
    """Where a page begins: our pagination tokens are offsets; anything else starts from the top."""
    return int(token) if token and token.isdigit() else 0


def offset_page(items: Sequence[T], token: str | None, limit: int) -> tuple[Sequence[T], str | None]:
    """One page of `items` from the offset `token` names, and the token of the next page (None at the end): the
    pagination of every list operation whose order is stable (pools, clients, groups, devices, resource servers)."""
    start = page_start(token)
    page = items[start : start + limit]
    return page, (str(start + len(page)) if start + len(page) < len(items) else None)


def listed(
    key: str,
    items: Sequence[T],
    token: str | None,
    limit: int,
    shape: Callable[[T], Any] = lambda item: item,
    *,
    token_key: str = "NextToken",
) -> dict[str, Any]:
    """A list operation's answer: one page of `items` (each through `shape`, only those on the page) under `key`,
    and the next page's token under `token_key` when there is a next page."""
    page, following = offset_page(items, token, limit)
    result: dict[str, Any] = {key: [shape(item) for item in page]}
    if following:
        result[token_key] = following
    return result


def timestamp(value: float) -> float:
    """Timestamps on the JSON wire are epoch seconds."""
    return round(value, 3)


def user_type(user: User, *, attributes_key: str = "Attributes") -> dict[str, Any]:
    return {
        "Username": user.username,
        attributes_key: user.attribute_list(),
        "UserCreateDate": timestamp(user.created_at),
        "UserLastModifiedDate": timestamp(user.modified_at),
        "Enabled": user.enabled,
        "UserStatus": user.status,
    }


def check_preferred_username_alias(pool: UserPool, status: str, attributes: dict[str, str]) -> None:
    """A preferred_username alias is refused for an unconfirmed account: at SignUp (errors.py has the sources)
    and, by the text's own wording, in an administrator's change to a user not yet confirmed (UNCONFIRMED).
    A user an administrator created (FORCE_CHANGE_PASSWORD) may have one (UNCONFIRMED)."""
    aliased = "preferred_username" in pool.alias_attributes
    if aliased and status == "UNCONFIRMED" and attributes.get("preferred_username"):
        raise invalid_parameter(errors.PREFERRED_USERNAME_UNCONFIRMED)


def check_unique_sign_in(pool: UserPool, user: User | None, attribute: str, value: str, *, verified: bool) -> None:
    """A username attribute must be unique among all users; an alias among users who verified it [DG "User pool
    attributes"], and a preferred_username alias, which cannot be verified, among all users. `user` is the one
    being written (None: being created). UNCONFIRMED: that a clash is refused with AliasExistsException when the
    value is written (username attributes, preferred_username) or verified (email, phone), as ConfirmSignUp
    refuses it here; the preferred_username text."""
    aliased = attribute in pool.alias_attributes and (verified or attribute not in VERIFIABLE_ALIASES)
    if (attribute in pool.username_attributes or aliased) and any(
        other is not user for other in pool.sign_in_holders(attribute, value)
    ):
        raise CognitoError("AliasExistsException", errors.alias_exists(attribute))
