"""Federated users: signing in through a pool's identity provider, and AdminLinkProviderForUser /
AdminDisableProviderForUser.

A user who signs in through a provider for the first time gets a profile of their own [DG "Adding user pool
sign-in through a third party"]:
- its username is `<provider name>_<the provider's id of the user>`, the id being `sub` (Google, Apple, OIDC),
  `id` (Facebook), `user_id` (Login with Amazon) or the SAML NameID [API AdminLinkProviderForUser]; the provider
  name is written in lower case in a pool whose usernames are not case sensitive (UNCONFIRMED, inferred:
  captures show `Google_1093...` in 2019-2021 and `google_1052...` since 2024, amplify-js#13844);
- its status is EXTERNAL_PROVIDER, its attributes are the provider's claims through the provider's
  AttributeMapping (each sign-in writes them again), and `identities` records the provider: a JSON list of
  {userId, providerName, providerType, issuer, primary, dateCreated} [DG "Consolidating user profiles"; C: a
  2021 ListUsers capture];
- a required attribute the mapping leaves empty refuses the sign-in: "attributes required: [email]" (messages.py);
- the profile joins the provider's group, `[user pool ID]_[IdP name]`, which the pool made with the provider
  (ops/groups.py; linked users do not join it) [DG "Adding groups to a user pool"];
- the triggers: PreSignUp_ExternalProvider and PostConfirmation_ConfirmSignUp the first time,
  PreAuthentication_Authentication and PostAuthentication_Authentication after [DG "Lambda triggers", the
  federated sign-in table].
AdminLinkProviderForUser links a provider identity that has not signed in yet to an existing user: that user signs
in through the provider from then on, and gains the identity in `identities` (as not primary: UNCONFIRMED); a user
holds at most five [DG "Linking federated users"]. AdminDisableProviderForUser removes a link, and disables the
identity's own profile if it has one ("the user must create a new user account": UNCONFIRMED how).
Texts: errors.py (the API's) and oauth/messages.py (the sign-in's, which reach the app as error_description).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter, missing_parameter
from harness.emulator.oauth import messages
from harness.emulator.ops.common import get_pool, require_user
from harness.emulator.ops.groups import ensure_provider_group
from harness.emulator.ops.registry import operation
from harness.emulator.ops.users import post_confirmation, pre_sign_up_trigger
from harness.emulator.state import User, UserPool, new_sub
from harness.emulator.triggers import invoke

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

SUBJECT_KEYS = {"Facebook": "id", "LoginWithAmazon": "user_id", "SAML": "NameID"}
"""The claim that identifies the user at each provider type; `sub` for the others [API AdminLinkProviderForUser]."""
MAX_LINKS = 5  # [DG "Linking federated users": "You can link up to five federated users to each user profile."]
COGNITO_SUBJECT = "Cognito_Subject"


class FederationRefused(Exception):
    """The sign-in is refused: the text goes back to the app as error_description."""


def subject_key(provider: dict[str, Any]) -> str:
    return SUBJECT_KEYS.get(str(provider.get("ProviderType")), "sub")


def federated_username(pool: UserPool, provider_name: str, subject: str) -> str:
    prefix = provider_name if pool.case_sensitive else provider_name.lower()
    return f"{prefix}_{subject}"


def _identity(provider: dict[str, Any], subject: str, *, primary: bool, now: float) -> dict[str, Any]:
    details = provider.get("ProviderDetails") or {}
    return {
        "userId": subject,
        "providerName": provider["ProviderName"],
        "providerType": provider["ProviderType"],
        "issuer": details.get("oidc_issuer") or None,
        "primary": primary,
        "dateCreated": int(now * 1000),
    }


def _identities(user: User) -> list[dict[str, Any]]:
    try:
        found = json.loads(user.attributes.get("identities") or "[]")
    except json.JSONDecodeError:
        return []
    return found if isinstance(found, list) else []


def _mapped(provider: dict[str, Any], claims: dict[str, Any]) -> dict[str, str]:
    """The pool attributes the provider's claims give, through its AttributeMapping (pool name -> claim)."""
    values: dict[str, str] = {}
    for attribute, claim in (provider.get("AttributeMapping") or {}).items():
        if attribute in ("username", "identities") or claim not in claims or claims[claim] is None:
            continue
        value = claims[claim]
        values[attribute] = str(value).lower() if isinstance(value, bool) else str(value)
    return values


def sign_in_federated(emu: Emulator, pool: UserPool, provider_name: str, claims: dict[str, Any]) -> User:
    """The user a provider's answer signs in (created the first time), or FederationRefused: a refusal of the
    emulator's own or of a trigger (CognitoError), whose text goes back to the app."""
    try:
        return _sign_in(emu, pool, provider_name, claims)
    except CognitoError as exc:
        raise FederationRefused(exc.message) from None


def _sign_in(emu: Emulator, pool: UserPool, provider_name: str, claims: dict[str, Any]) -> User:
    provider = pool.identity_providers[provider_name]
    key = subject_key(provider)
    subject = claims.get(key)
    if subject is None or str(subject) == "":
        raise FederationRefused(messages.FEDERATION_NO_SUBJECT.format(key=key))
    subject = str(subject)
    attributes = _mapped(provider, claims)
    linked = pool.provider_links.get((provider_name, subject))
    if linked is not None and pool.users.get(pool.user_key(linked)) is None:
        # linked to a user deleted since: the link goes, and the identity signs in as itself (UNCONFIRMED)
        del pool.provider_links[(provider_name, subject)]
        linked = None
    user = pool.users.get(pool.user_key(linked or federated_username(pool, provider_name, subject)))
    if user is None:
        return _first_sign_in(emu, pool, provider, subject, attributes)
    if not user.enabled:
        raise FederationRefused(messages.FEDERATION_USER_DISABLED)
    _trigger(emu, pool, user, "PreAuthentication", "PreAuthentication_Authentication")
    _write_mapped(emu, pool, user, attributes)
    _trigger(emu, pool, user, "PostAuthentication", "PostAuthentication_Authentication")
    return user


def _first_sign_in(
    emu: Emulator, pool: UserPool, provider: dict[str, Any], subject: str, attributes: dict[str, str]
) -> User:
    required = [entry["Name"] for entry in pool.settings.get("Schema", []) if entry.get("Required")]
    missing = [name for name in required if not attributes.get(name)]
    if missing:
        raise FederationRefused(messages.FEDERATION_ATTRIBUTES_REQUIRED.format(names=", ".join(missing)))
    now = emu.clock.now()
    identity = _identity(provider, subject, primary=True, now=now)
    sub = new_sub()
    username = federated_username(pool, provider["ProviderName"], subject)
    user = User(username, sub, {"sub": sub, **attributes, "identities": json.dumps([identity])}, "EXTERNAL_PROVIDER",
                now, now)  # fmt: skip
    pre_sign_up_trigger(emu, pool, None, user, {}, "PreSignUp_ExternalProvider")
    linked = pool.users.get(pool.user_key(pool.provider_links.get((provider["ProviderName"], subject), "")))
    if linked is not None:
        # The trigger linked the identity (AdminLinkProviderForUser), as the DG now recommends: it signs in as
        # the linked user. UNCONFIRMED: until at least 2022 this first sign-in was refused with "Already found an
        # entry for username <username>" and only the next one succeeded (amplify-js#9976, amplify-swift#2226).
        _write_mapped(emu, pool, linked, attributes)
        return linked
    user.status = "EXTERNAL_PROVIDER"  # whatever the trigger answered: a federated profile is confirmed
    pool.add_user(user)
    ensure_provider_group(pool, provider["ProviderName"], now).members[user.sub] = None
    post_confirmation(emu, pool, None, user, "PostConfirmation_ConfirmSignUp", None)
    return user


def _write_mapped(emu: Emulator, pool: UserPool, user: User, attributes: dict[str, str]) -> None:
    """Each sign-in through the provider writes its mapped claims to the user it signs in as [DG]."""
    if attributes:
        pool.update_attributes(user, attributes)
        user.modified_at = emu.clock.now()


def _trigger(emu: Emulator, pool: UserPool, user: User, name: str, source: str) -> None:
    invoke(emu.triggers, pool, name, source, client_id=None, user=user, username=user.username, request={})


# --- the API


def _provider_of(pool: UserPool, name: str) -> dict[str, Any]:
    provider = pool.identity_providers.get(name)
    if provider is None:
        raise invalid_parameter(errors.PROVIDER_UNKNOWN.format(provider=name, pool_id=pool.pool_id))
    return provider


def _source(pool: UserPool, source: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The provider and subject a SourceUser (or AdminDisableProviderForUser's User) names."""
    if source.get("ProviderName") == "Cognito":
        raise invalid_parameter(errors.LINK_SOURCE_IS_COGNITO)
    provider = _provider_of(pool, str(source.get("ProviderName")))
    if provider["ProviderType"] not in ("OIDC", "SAML") and source.get("ProviderAttributeName") != COGNITO_SUBJECT:
        raise invalid_parameter(errors.LINK_ATTRIBUTE_NAME.format(type=provider["ProviderType"]))
    value = source.get("ProviderAttributeValue")
    if not value:
        raise missing_parameter("ProviderAttributeValue")
    return provider, str(value)


@operation("AdminLinkProviderForUser")
def admin_link_provider_for_user(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    destination = request["DestinationUser"]
    if destination.get("ProviderName") != "Cognito":
        raise invalid_parameter(errors.LINK_DESTINATION_PROVIDER)
    provider, subject = _source(pool, request["SourceUser"])
    user = require_user(pool, str(destination.get("ProviderAttributeValue") or ""))
    name = provider["ProviderName"]
    if (name, subject) in pool.provider_links:
        raise invalid_parameter(errors.LINK_SOURCE_ALREADY_LINKED)
    if pool.users.get(pool.user_key(federated_username(pool, name, subject))) is not None:
        raise invalid_parameter(errors.LINK_SOURCE_SIGNED_UP)
    identities = _identities(user)
    if sum(1 for entry in identities if not entry.get("primary")) >= MAX_LINKS:
        raise CognitoError("LimitExceededException", errors.LINK_LIMIT.format(limit=MAX_LINKS))
    pool.provider_links[(name, subject)] = user.username
    identities.append(_identity(provider, subject, primary=False, now=emu.clock.now()))
    pool.update_attributes(user, {"identities": json.dumps(identities)})
    return {}


@operation("AdminDisableProviderForUser")
def admin_disable_provider_for_user(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool = get_pool(emu, request["UserPoolId"])
    provider, subject = _source(pool, request["User"])
    name = provider["ProviderName"]
    linked = pool.provider_links.pop((name, subject), None)
    if linked is not None and (user := pool.users.get(pool.user_key(linked))) is not None:
        kept = [e for e in _identities(user) if (e.get("providerName"), e.get("userId")) != (name, subject)]
        pool.update_attributes(user, {"identities": json.dumps(kept)})
    own = pool.users.get(pool.user_key(federated_username(pool, name, subject)))
    if own is not None:
        own.enabled = False
    return {}
