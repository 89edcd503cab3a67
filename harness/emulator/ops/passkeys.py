"""Passkeys: registration (Start/CompleteWebAuthnRegistration), listing, deletion, and the WEB_AUTHN first
factor of USER_AUTH. Attestations and assertions are verified with py_webauthn; a relying-party ID on the
Public Suffix List is refused (tldextract's bundled list, private suffixes included, no network).

py_webauthn and tldextract are imported where they are used: the emulator loads every operation module on its
first request, and these two would add about 150 ms to that request in every process that never sees a passkey.
"""

from __future__ import annotations

import json
import secrets
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter, missing_parameter, not_authorized
from harness.emulator.ops import choice_auth, mfa
from harness.emulator.ops.auth import AuthContext, challenge, finish_sign_in
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.registry import operation
from harness.emulator.sessions import AuthSession
from harness.emulator.state import Passkey, User, UserPool

if TYPE_CHECKING:
    import tldextract

    from harness.emulator.emulator import Emulator

REGISTRATION_VALIDITY_S = 300


@cache
def _suffixes() -> tldextract.TLDExtract:
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def _b64url(data: bytes) -> str:
    from webauthn.helpers import bytes_to_base64url

    return bytes_to_base64url(data)


def _verification(required: bool) -> Any:
    """py_webauthn's UserVerificationRequirement for the pool's setting."""
    from webauthn.helpers.structs import UserVerificationRequirement

    return UserVerificationRequirement.REQUIRED if required else UserVerificationRequirement.PREFERRED


def is_public_suffix(rp_id: str) -> bool:
    return not _suffixes()(rp_id).domain


def check_relying_party(config: dict[str, Any]) -> None:
    """Called when SetUserPoolMfaConfig sets WebAuthnConfiguration."""
    rp_id = config.get("RelyingPartyId")
    if rp_id and is_public_suffix(rp_id):
        raise invalid_parameter(errors.RP_ID_PUBLIC_SUFFIX.format(rp_id=rp_id))


def _settings(pool: UserPool) -> tuple[str, bool]:
    """(relying-party id, user verification required) — or the errors Cognito gives when passkeys are off."""
    if "WEB_AUTHN" not in pool.first_auth_factors:
        raise CognitoError("WebAuthnNotEnabledException", errors.WEB_AUTHN_NOT_ENABLED)
    config = pool.mfa_config.get("WebAuthnConfiguration") or {}
    if not config.get("RelyingPartyId"):
        raise CognitoError("WebAuthnConfigurationMissingException", errors.WEB_AUTHN_CONFIGURATION_MISSING)
    return str(config["RelyingPartyId"]), config.get("UserVerification") == "required"


def _allowed_origin(credential: dict[str, Any], rp_id: str) -> str:
    """The origin the client data names, if it is https on the relying party's domain (or a subdomain)."""
    from webauthn.helpers import base64url_to_bytes

    try:
        client_data = json.loads(base64url_to_bytes(credential["response"]["clientDataJSON"]))
        origin = str(client_data["origin"])
        parts = urlsplit(origin)
        host = parts.hostname or ""
    except (KeyError, TypeError, ValueError):  # unreadable client data, or an origin urllib cannot read
        raise invalid_parameter(errors.PASSKEY_REJECTED) from None
    if parts.scheme != "https" or not (host == rp_id or host.endswith("." + rp_id)):
        raise CognitoError(
            "WebAuthnOriginNotAllowedException", errors.PASSKEY_ORIGIN_NOT_ALLOWED.format(origin=origin, rp_id=rp_id)
        )
    return origin


@operation("StartWebAuthnRegistration")
def start_registration(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    import webauthn
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialDescriptor,
        ResidentKeyRequirement,
    )

    pool, user, _ = user_from_access_token(emu, request["AccessToken"])
    rp_id, verification_required = _settings(pool)
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=pool.name,
        user_name=user.attributes.get("email") or user.username,
        user_id=user.sub.encode(),
        user_display_name=user.username,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=_verification(verification_required)
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=p.credential_id) for p in user.passkeys],
    )
    user.passkey_registration = (options.challenge, emu.clock.now() + REGISTRATION_VALIDITY_S)
    return {"CredentialCreationOptions": json.loads(webauthn.options_to_json(options))}


@operation("CompleteWebAuthnRegistration")
def complete_registration(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    import webauthn
    from webauthn.helpers.exceptions import InvalidRegistrationResponse

    pool, user, _ = user_from_access_token(emu, request["AccessToken"])
    rp_id, verification_required = _settings(pool)
    pending = user.passkey_registration
    if pending is None or emu.clock.now() >= pending[1]:
        raise CognitoError("WebAuthnChallengeNotFoundException", errors.PASSKEY_REGISTRATION_NOT_STARTED)
    credential = request["Credential"]
    try:
        verified = webauthn.verify_registration_response(
            credential=credential, expected_challenge=pending[0], expected_rp_id=rp_id,
            expected_origin=_allowed_origin(credential, rp_id), require_user_verification=verification_required,
        )  # fmt: skip
    except InvalidRegistrationResponse as exc:
        if "RP ID" in str(exc):
            raise CognitoError("WebAuthnRelyingPartyMismatchException", str(exc)) from None
        raise invalid_parameter(errors.PASSKEY_REJECTED) from None
    user.passkey_registration = None
    transports = list(credential.get("response", {}).get("transports") or ["internal"])
    user.passkeys.append(
        Passkey(
            verified.credential_id,
            verified.credential_public_key,
            verified.sign_count,
            emu.clock.now(),
            rp_id,
            transports,
            credential.get("authenticatorAttachment"),
            f"passkey {len(user.passkeys) + 1}",
        )
    )
    return {}


@operation("ListWebAuthnCredentials")
def list_credentials(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    _, user, _ = user_from_access_token(emu, request["AccessToken"])
    described = []
    for passkey in user.passkeys:
        entry: dict[str, Any] = {
            "CredentialId": _b64url(passkey.credential_id),
            "FriendlyCredentialName": passkey.name,
            "RelyingPartyId": passkey.relying_party_id,
            "AuthenticatorTransports": passkey.transports,
            "CreatedAt": round(passkey.created_at, 3),
        }
        if passkey.attachment:
            entry["AuthenticatorAttachment"] = passkey.attachment
        described.append(entry)
    return {"Credentials": described}


@operation("DeleteWebAuthnCredential")
def delete_credential(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    _, user, _ = user_from_access_token(emu, request["AccessToken"])
    kept = [p for p in user.passkeys if _b64url(p.credential_id) != request["CredentialId"]]
    if len(kept) == len(user.passkeys):
        raise CognitoError("ResourceNotFoundException", errors.PASSKEY_NOT_FOUND)
    user.passkeys = kept
    return {}


# --- the WEB_AUTHN first factor


def _usable(pool: UserPool, user: User) -> bool:
    return bool(user.passkeys)


def _start_web_authn(ctx: AuthContext, user: User) -> dict[str, Any]:
    import webauthn
    from webauthn.helpers.structs import PublicKeyCredentialDescriptor

    rp_id, verification_required = _settings(ctx.pool)
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        challenge=secrets.token_bytes(32),
        allow_credentials=[PublicKeyCredentialDescriptor(id=p.credential_id) for p in user.passkeys],
        user_verification=_verification(verification_required),
    )
    parameters = {"CREDENTIAL_REQUEST_OPTIONS": webauthn.options_to_json(options)}
    return ctx.challenge(user, "WEB_AUTHN", parameters, webauthn_challenge=options.challenge)


@challenge("WEB_AUTHN")
def web_authn(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    import webauthn
    from webauthn.helpers.exceptions import InvalidAuthenticationResponse

    given = responses.get("CREDENTIAL")
    if not given:
        raise missing_parameter("CREDENTIAL")
    rp_id, verification_required = _settings(ctx.pool)
    try:
        credential = json.loads(given)
        passkey = next(p for p in user.passkeys if _b64url(p.credential_id) == credential.get("id"))
        verified = webauthn.verify_authentication_response(
            credential=credential, expected_challenge=session.context["webauthn_challenge"], expected_rp_id=rp_id,
            expected_origin=_allowed_origin(credential, rp_id), credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count, require_user_verification=verification_required,
        )  # fmt: skip
    except (ValueError, StopIteration, InvalidAuthenticationResponse, AttributeError):
        ctx.emu.sessions.settle_wrong_answer(session)
        raise not_authorized(errors.BAD_CREDENTIALS) from None
    passkey.sign_count = verified.new_sign_count
    ctx.emu.sessions.consume(session)
    return finish_sign_in(ctx, user, auth_time=ctx.now)


choice_auth.EXTRA_FACTORS["WEB_AUTHN"] = (_usable, _start_web_authn)
mfa.RELYING_PARTY_CHECKS.append(check_relying_party)
