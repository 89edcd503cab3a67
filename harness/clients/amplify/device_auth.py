"""Devices during sign-in: the DEVICE_KEY Amplify sends, device SRP when Cognito asks for it, and confirming the
device a sign-in announced.

Source: amplify-js v6 ``providers/cognito/utils/handleDeviceSRPAuth.ts`` (DEVICE_SRP_AUTH, then
DEVICE_PASSWORD_VERIFIER signed as (deviceGroupKey, deviceKey) with the stored random password),
``utils/getNewDeviceMetadata.ts`` (ConfirmDevice with a fresh secret; any failure is swallowed and the device is
not stored), ``utils/retryOnResourceNotFoundException.ts``, and the DEVICE_KEY lines of ``signInHelpers.ts`` and
``handlePasswordVerifierChallenge.ts``. The stored metadata lives in ``AmplifyState.devices``, per username.
"""

from __future__ import annotations

from typing import Any

from harness.clients.amplify.errors import NO_DEVICE_METADATA, AmplifyError, other_error
from harness.clients.amplify.service import Amplify
from harness.cognito.srp import DeviceSecret, DeviceSrpClient, new_device_secret

Response = dict[str, Any]

DEVICE_NAME = "authflow Amplify model"
"""ConfirmDevice's DeviceName: in a browser Amplify sends getDeviceName() (the user agent); the model a fixed name."""
DEVICE_GONE = "Device does not exist."
"""The message retryOnResourceNotFoundException looks for in a ResourceNotFoundException."""


def with_device_key(amp: Amplify, username: str | None, parameters: dict[str, Any]) -> dict[str, Any]:
    """AuthParameters / ChallengeResponses plus DEVICE_KEY when a device is stored for ``username``."""
    device = amp.state.devices.get(username or "")
    return {**parameters, "DEVICE_KEY": device.device_key} if device else parameters


def require_device(amp: Amplify, username: str | None) -> DeviceSecret:
    """assertDeviceMetadata: the stored device, or DeviceMetadataNotFoundException."""
    device = amp.state.devices.get(username or "")
    if device is None:
        raise other_error(NO_DEVICE_METADATA)
    return device


def is_device_gone(error: AmplifyError) -> bool:
    return error.name == "ResourceNotFoundException" and DEVICE_GONE in error.message


def device_srp(amp: Amplify, response: Response, username: str, meta: Any) -> Response:
    """handleDeviceSRPAuth when Cognito answered DEVICE_SRP_AUTH; any other response is passed on."""
    if response.get("ChallengeName") != "DEVICE_SRP_AUTH":
        return response
    client = DeviceSrpClient(require_device(amp, username), clock=amp.timestamp_clock)
    verifier = amp.cognito(
        "RespondToAuthChallenge",
        {
            "ChallengeName": "DEVICE_SRP_AUTH",
            "ChallengeResponses": client.start(username),
            "ClientMetadata": meta,
            "Session": response.get("Session"),
        },
    )
    require_device(amp, username)
    return amp.cognito(
        "RespondToAuthChallenge",
        {
            "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
            "ChallengeResponses": client.respond(verifier.get("ChallengeParameters") or {}, username),
            "Session": verifier.get("Session"),
            "ClientMetadata": meta,
        },
    )


def confirm_new_device(amp: Amplify, result: dict[str, Any]) -> DeviceSecret | None:
    """getNewDeviceMetadata: confirm the device a sign-in announced with a fresh secret (None: nothing announced,
    or ConfirmDevice failed, which Amplify ignores so that the sign-in still completes)."""
    metadata = result.get("NewDeviceMetadata")
    if not isinstance(metadata, dict):
        return None
    key, group = str(metadata.get("DeviceKey") or ""), str(metadata.get("DeviceGroupKey") or "")
    secret, config = new_device_secret(group, key)
    try:
        amp.cognito(
            "ConfirmDevice",
            {
                "AccessToken": result.get("AccessToken"),
                "DeviceName": DEVICE_NAME,
                "DeviceKey": metadata.get("DeviceKey"),
                "DeviceSecretVerifierConfig": config,
            },
        )
    except AmplifyError:
        return None
    return secret
