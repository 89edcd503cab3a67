"""Device tracking: a device key with every sign-in, ConfirmDevice, device authentication, remembered devices in
place of MFA, refresh tokens bound to their device, and the device operations.

Sources: [BC] DeviceConfigurationType, NewDeviceMetadataType, ConfirmDevice, UpdateDeviceStatus,
GetTokensFromRefreshToken.DeviceKey, the RespondToAuthChallenge ChallengeResponses text (DEVICE_SRP_AUTH,
DEVICE_PASSWORD_VERIFIER); [DG] "Working with user devices in your user pool"
(https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-device-tracking.html);
[AJS] utils/getNewDeviceMetadata.ts, utils/handleDeviceSRPAuth.ts, utils/retryOnResourceNotFoundException.ts.

The rules:
- Tracking is on when DeviceConfiguration sets either of its members [BC DeviceConfigurationType: "When you provide
  a value for any property of DeviceConfiguration, you activate the device remembering"].
- A sign-in that does not authenticate a device gets NewDeviceMetadata, a key `<region>_<uuid>` and a group key
  [DG; BC DeviceKeyType pattern]; its refresh token is bound to that key.
- ConfirmDevice stores the device's SRP verifier; the device is remembered at once unless
  DeviceOnlyRememberedOnUserPrompt, which makes UserConfirmationNecessary true and leaves it to UpdateDeviceStatus
  [BC DeviceConfigurationType, ConfirmDevice].
- A sign-in that names a confirmed device (DEVICE_KEY) must prove it: DEVICE_SRP_AUTH, then
  DEVICE_PASSWORD_VERIFIER (srp_auth.py), after every other factor. A remembered device stands in for MFA when
  ChallengeRequiredOnNewDevice is true: "When true, a remembered device can sign in with device authentication
  instead of SMS and time-based one-time password (TOTP) factors for multi-factor authentication (MFA). Whether or
  not ChallengeRequiredOnNewDevice is true, users who sign in with devices that have not been confirmed or
  remembered must still provide a second factor in a user pool that requires MFA." [BC DeviceConfigurationType].
  UNCONFIRMED: email MFA is waived likewise (the text predates email MFA and names SMS and TOTP only).
- A DEVICE_KEY that is not a confirmed device of the user: ResourceNotFoundException "Device does not exist."
  [AJS retryOnResourceNotFoundException]. UNCONFIRMED: a pending (never confirmed) key counts as not existing.
  ConfirmDevice of a key the user was never given: InvalidParameterException "Invalid device key given." (errors.py).
- Refresh in a tracking pool needs the DEVICE_KEY (DeviceKey) of the confirmed device the token was issued to,
  else NotAuthorizedException "Invalid Refresh Token" [BC GetTokensFromRefreshToken.DeviceKey: "You must provide
  the confirmed device key in this request if device remembering is enabled in your user pool"; OBS
  aws/aws-sdk-java-v2#1389 (REFRESH_TOKEN_AUTH without DEVICE_KEY, "User Opt In" pool: "Invalid Refresh Token."),
  aws-amplify/aws-sdk-android#1469; aws-amplify/amplify-android#2506 (maintainer: unconfirmed devices cannot
  refresh)]. A forgotten device's refresh tokens fail too (AWS blog "Tracking and Remembering Devices Using Amazon
  Cognito Your User Pools": "all future calls to revalidate that device's refresh tokens will fail").
"""

from __future__ import annotations

import string
import uuid
from typing import TYPE_CHECKING, Any

from harness.cognito import srp
from harness.emulator import errors
from harness.emulator.errors import CognitoError, invalid_parameter, missing_parameter, not_authorized
from harness.emulator.ops.auth import AFTER_FIRST_FACTOR, AFTER_TOKENS, BEFORE_TOKENS, AuthContext
from harness.emulator.ops.common import get_pool, listed, require_user, timestamp
from harness.emulator.ops.identity import user_from_access_token
from harness.emulator.ops.issue import REFRESH_CHECKS
from harness.emulator.ops.registry import operation
from harness.emulator.state import Device, RefreshToken, User, UserPool, new_id

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

_CONFIG_KEYS = ("ChallengeRequiredOnNewDevice", "DeviceOnlyRememberedOnUserPrompt")
MAX_DEVICES_PAGE = 60
"""ListDevices' Limit is 0..60 [BC]; UNCONFIRMED: a Limit left out (or 0) gives pages of 60."""


def device_config(pool: UserPool) -> dict[str, Any] | None:
    """The pool's DeviceConfiguration when it turns tracking on, else None."""
    config = pool.settings.get("DeviceConfiguration")
    if isinstance(config, dict) and any(key in config for key in _CONFIG_KEYS):
        return config
    return None


def _new_device(ctx: AuthContext, user: User) -> Device:
    """A pending device for NewDeviceMetadata. UNCONFIRMED: the group key's shape (real ones are short opaque
    strings); the emulator draws one per device."""
    now = ctx.now
    key = f"{ctx.pool.region}_{uuid.uuid4()}"
    group_key = "-" + new_id(string.ascii_letters + string.digits, 9)
    device = Device(key, group_key, user.username, now, now, last_authenticated_at=now)
    ctx.pool.devices[key] = device
    return device


def find_device(pool: UserPool, user: User, key: str | None) -> Device:
    """A confirmed device of this user, or ResourceNotFoundException "Device does not exist."."""
    device = pool.devices.get(key or "")
    if device is None or device.username != user.username or not device.confirmed:
        raise errors.resource_not_found(errors.DEVICE_NOT_FOUND)
    return device


def signing_device(ctx: AuthContext, user: User) -> Device | None:
    """The device this sign-in names (DEVICE_KEY), in a tracking pool; None when it names none."""
    if not ctx.device_key or device_config(ctx.pool) is None:
        return None
    return find_device(ctx.pool, user, ctx.device_key)


def start_device_auth(ctx: AuthContext, user: User, *, auth_time: float) -> dict[str, Any]:
    """DEVICE_SRP_AUTH: the client answers with USERNAME, DEVICE_KEY and an SRP_A of its device secret.
    UNCONFIRMED: the challenge's parameters (the emulator sends USERNAME)."""
    return ctx.challenge(user, "DEVICE_SRP_AUTH", {"USERNAME": user.username}, auth_time=auth_time)


def _instead_of_mfa(ctx: AuthContext, user: User, *, auth_time: float) -> dict[str, Any] | None:
    """After the first factor: a remembered device proves itself in place of MFA, if the pool says so."""
    device = None if ctx.device_verified else signing_device(ctx, user)
    config = device_config(ctx.pool) or {}
    if device is None or not (device.remembered and config.get("ChallengeRequiredOnNewDevice")):
        return None
    return start_device_auth(ctx, user, auth_time=auth_time)


def _before_tokens(ctx: AuthContext, user: User, auth_time: float) -> dict[str, Any] | None:
    """Every other factor is proven: a named device still has to prove itself."""
    if ctx.device_verified or signing_device(ctx, user) is None:
        return None
    return start_device_auth(ctx, user, auth_time=auth_time)


def _bind_tokens(ctx: AuthContext, user: User, result: dict[str, Any]) -> None:
    """Bind the refresh token to the authenticated device, or to a new one announced as NewDeviceMetadata."""
    if device_config(ctx.pool) is None:
        return
    if ctx.device_verified:
        device = find_device(ctx.pool, user, ctx.device_key)
        device.last_authenticated_at = ctx.now
    else:
        device = _new_device(ctx, user)
        result["NewDeviceMetadata"] = {"DeviceKey": device.key, "DeviceGroupKey": device.group_key}
    record = ctx.pool.refresh_tokens.get(str(result.get("RefreshToken")))
    if record is not None:
        record.device_key = device.key


def _check_refresh(pool: UserPool, record: RefreshToken, device_key: str | None) -> None:
    """A refresh token of a tracking pool works only with the key of its (confirmed, not forgotten) device."""
    if device_config(pool) is None or record.device_key is None:
        return
    device = pool.devices.get(record.device_key)
    if device_key != record.device_key or device is None or not device.confirmed:
        raise not_authorized(errors.REFRESH_TOKEN_INVALID)


AFTER_FIRST_FACTOR.insert(0, _instead_of_mfa)  # before MFA, which it may replace
BEFORE_TOKENS.append(_before_tokens)
AFTER_TOKENS.append(_bind_tokens)
REFRESH_CHECKS.append(_check_refresh)


# --- the operations


def device_type(device: Device) -> dict[str, Any]:
    """DeviceType. Attribute names as AdminListDevices returns them (device_name, dev:device_remembered_status,
    read by public scripts); UNCONFIRMED: no last_ip_used (the emulator sees no client address)."""
    attributes = [{"Name": "device_name", "Value": device.name}] if device.name else []
    status = "remembered" if device.remembered else "not_remembered"
    attributes.append({"Name": "dev:device_remembered_status", "Value": status})
    described: dict[str, Any] = {
        "DeviceKey": device.key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": timestamp(device.created_at),
        "DeviceLastModifiedDate": timestamp(device.modified_at),
    }
    if device.last_authenticated_at is not None:
        described["DeviceLastAuthenticatedDate"] = timestamp(device.last_authenticated_at)
    return described


def _access(emu: Emulator, request: dict[str, Any]) -> tuple[UserPool, User]:
    """The caller of a user operation. UNCONFIRMED: a missing AccessToken (optional in the model for GetDevice
    and ForgetDevice) answers as an invalid one."""
    token = request.get("AccessToken")
    if not token:
        raise not_authorized(errors.ACCESS_TOKEN_INVALID)
    pool, user, _ = user_from_access_token(emu, token)
    return pool, user


def _admin(emu: Emulator, request: dict[str, Any]) -> tuple[UserPool, User]:
    pool = get_pool(emu, request["UserPoolId"])
    return pool, require_user(pool, request["Username"])


@operation("ConfirmDevice")
def confirm_device(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    pool, user = _access(emu, request)
    device = pool.devices.get(request["DeviceKey"])
    if device is None or device.username != user.username:
        raise invalid_parameter(errors.DEVICE_KEY_INVALID)
    if device.confirmed:
        raise CognitoError("DeviceKeyExistsException", errors.DEVICE_KEY_EXISTS)
    try:
        salt_hex, verifier = srp.parse_device_verifier_config(request.get("DeviceSecretVerifierConfig") or {})
    except srp.SrpError as problem:
        raise invalid_parameter(errors.DEVICE_VERIFIER_INVALID.format(reason=problem)) from None
    prompt = bool((device_config(pool) or {}).get("DeviceOnlyRememberedOnUserPrompt"))
    device.salt_hex, device.verifier = salt_hex, verifier
    device.name = request.get("DeviceName") or device.name
    device.remembered = not prompt
    device.modified_at = emu.clock.now()
    return {"UserConfirmationNecessary": prompt}


def _get(pool: UserPool, user: User, request: dict[str, Any]) -> dict[str, Any]:
    return {"Device": device_type(find_device(pool, user, request["DeviceKey"]))}


def _list(pool: UserPool, user: User, request: dict[str, Any]) -> dict[str, Any]:
    """The user's confirmed devices, oldest first, in pages; the token is the offset of the next page."""
    devices = sorted(
        (d for d in pool.devices.values() if d.username == user.username and d.confirmed),
        key=lambda d: (d.created_at, d.key),
    )
    limit = request.get("Limit") or MAX_DEVICES_PAGE
    return listed("Devices", devices, request.get("PaginationToken"), limit, device_type, token_key="PaginationToken")


def _update_status(emu: Emulator, pool: UserPool, user: User, request: dict[str, Any]) -> dict[str, Any]:
    """UNCONFIRMED: DeviceRememberedStatus is optional in the model; the emulator requires it."""
    status = request.get("DeviceRememberedStatus")
    if not status:
        raise missing_parameter("DeviceRememberedStatus")
    device = find_device(pool, user, request["DeviceKey"])
    device.remembered = status == "remembered"
    device.modified_at = emu.clock.now()
    return {}


def _forget(pool: UserPool, user: User, request: dict[str, Any]) -> dict[str, Any]:
    """The device is gone: it no longer signs in, and the refresh tokens bound to it stop working."""
    device = find_device(pool, user, request["DeviceKey"])
    del pool.devices[device.key]
    return {}


@operation("GetDevice")
def get_device(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return _get(*_access(emu, request), request)


@operation("AdminGetDevice")
def admin_get_device(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return _get(*_admin(emu, request), request)


@operation("ListDevices")
def list_devices(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return _list(*_access(emu, request), request)


@operation("AdminListDevices")
def admin_list_devices(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return _list(*_admin(emu, request), request)


@operation("UpdateDeviceStatus")
def update_device_status(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return _update_status(emu, *_access(emu, request), request)


@operation("AdminUpdateDeviceStatus")
def admin_update_device_status(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return _update_status(emu, *_admin(emu, request), request)


@operation("ForgetDevice")
def forget_device(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return _forget(*_access(emu, request), request)


@operation("AdminForgetDevice")
def admin_forget_device(emu: Emulator, request: dict[str, Any]) -> dict[str, Any]:
    return _forget(*_admin(emu, request), request)
