"""rememberDevice, forgetDevice and fetchDevices: the device APIs of a signed-in user.

Source: amplify-js v6 ``providers/cognito/apis/rememberDevice.ts`` (UpdateDeviceStatus remembered for the stored
device), ``forgetDevice.ts`` (ForgetDevice of the given or the stored device; the stored metadata is cleared when
it is the one forgotten), ``fetchDevices.ts`` (ListDevices with Limit 60, each device as id, name, attributes and
dates). Each first fetches the session (tokens are refreshed when due) and asserts a signed-in user.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from harness.clients.amplify.device_auth import require_device
from harness.clients.amplify.errors import UNAUTHENTICATED, other_error
from harness.clients.amplify.service import Amplify, compact
from harness.clients.amplify.state import Tokens
from harness.clients.amplify.tokens import get_tokens

MAX_DEVICES = 60
"""fetchDevices' Limit (MAX_DEVICES in fetchDevices.ts, ListDevices' maximum)."""


def _signed_in(amp: Amplify) -> Tokens:
    """fetchAuthSession then assertAuthTokens."""
    tokens = get_tokens(amp)
    if tokens is None:
        raise other_error(UNAUTHENTICATED)
    return tokens


def remember_device(amp: Amplify, inputs: dict[str, Any]) -> dict[str, Any]:
    """rememberDevice: mark the device this app signed in with as remembered."""
    tokens = _signed_in(amp)
    device = require_device(amp, tokens.username)
    amp.cognito(
        "UpdateDeviceStatus",
        {"AccessToken": tokens.access_token, "DeviceKey": device.device_key, "DeviceRememberedStatus": "remembered"},
    )
    return {}


def forget_device(amp: Amplify, inputs: dict[str, Any]) -> dict[str, Any]:
    """forgetDevice: the given device (``device.id``) or, without one, this app's device."""
    tokens = _signed_in(amp)
    given = inputs.get("device")
    external = given.get("id") if isinstance(given, Mapping) else None
    current = amp.state.devices.get(tokens.username)
    if not external:
        current = require_device(amp, tokens.username)
    amp.cognito(
        "ForgetDevice",
        {"AccessToken": tokens.access_token, "DeviceKey": external or (current.device_key if current else None)},
    )
    if not external or (current is not None and external == current.device_key):
        amp.state.devices.pop(tokens.username, None)
    return {}


def _date(value: Any) -> str | None:
    """A Cognito time (epoch seconds on the wire, a datetime once boto3 parsed it) as Amplify's Date in JSON
    (ISO 8601 with milliseconds, as Date.toJSON writes it)."""
    if isinstance(value, datetime):
        moment = value.astimezone(UTC)
    elif isinstance(value, int | float) and value:
        moment = datetime.fromtimestamp(value, UTC)
    else:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def fetch_devices(amp: Amplify, inputs: dict[str, Any]) -> dict[str, Any]:
    """fetchDevices: the user's devices (under ``devices``: a step's response is a mapping, Amplify returns the
    array itself)."""
    tokens = _signed_in(amp)
    response = amp.cognito("ListDevices", {"AccessToken": tokens.access_token, "Limit": MAX_DEVICES})
    devices = []
    for device in response.get("Devices") or []:
        attributes = {
            a["Name"]: a["Value"] for a in device.get("DeviceAttributes") or [] if a.get("Name") and a.get("Value")
        }
        devices.append(
            compact(
                {
                    "id": device.get("DeviceKey") or "",
                    "name": attributes.get("device_name"),
                    "attributes": attributes,
                    "createDate": _date(device.get("DeviceCreateDate")),
                    "lastModifiedDate": _date(device.get("DeviceLastModifiedDate")),
                    "lastAuthenticatedDate": _date(device.get("DeviceLastAuthenticatedDate")),
                }
            )
        )
    return {"devices": devices}
