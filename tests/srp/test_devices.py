"""Device SRP helpers: the verifier a client confirms a device with, and the device's claim, checked by the server."""

from __future__ import annotations

import base64

import pytest

from harness.cognito import srp

GROUP, KEY = "-Grp4ABCDe", "us-east-1_6e3cb5cf-6c22-4110-97cc-fa43e3b13280"
BLOCK = base64.b64encode(b"secret block").decode()


def _exchange(secret: srp.DeviceSecret, config: dict[str, str]) -> tuple[srp.SrpServerSession, dict[str, str]]:
    salt_hex, verifier = srp.parse_device_verifier_config(config)
    client = srp.DeviceSrpClient(secret)
    assert client.start("ada") == {"USERNAME": "ada", "DEVICE_KEY": KEY, "SRP_A": client.srp_a_hex}
    server = srp.SrpServerSession.start(verifier, salt_hex, client.srp_a_hex)
    parameters = {"SRP_B": server.srp_b_hex, "SALT": salt_hex, "SECRET_BLOCK": BLOCK}
    return server, client.respond(parameters, "ada")


def test_the_device_proves_its_secret_as_group_key_and_device_key() -> None:
    secret, config = srp.new_device_secret(GROUP, KEY)
    server, answer = _exchange(secret, config)
    assert answer["USERNAME"] == "ada" and answer["DEVICE_KEY"] == KEY
    claim = (answer["PASSWORD_CLAIM_SECRET_BLOCK"], answer["TIMESTAMP"], answer["PASSWORD_CLAIM_SIGNATURE"])
    assert server.verify(GROUP, KEY, *claim)
    assert not server.verify("AbC123", KEY, *claim)  # a user's identity (the pool name) is not the device's
    assert not server.verify(GROUP, "us-east-1_other", *claim)


def test_another_secret_does_not_match_the_verifier() -> None:
    _secret, config = srp.new_device_secret(GROUP, KEY)
    server, answer = _exchange(srp.DeviceSecret(KEY, GROUP, "guess"), config)
    assert not server.verify(
        GROUP, KEY, answer["PASSWORD_CLAIM_SECRET_BLOCK"], answer["TIMESTAMP"], answer["PASSWORD_CLAIM_SIGNATURE"]
    )
    assert "guess" not in repr(srp.DeviceSecret(KEY, GROUP, "guess"))


def test_the_config_carries_padded_bytes_in_base64() -> None:
    """A salt with its top bit set travels with a leading zero byte, as Amplify's getPaddedHex makes it."""
    _, config = srp.new_device_secret(GROUP, KEY, salt_hex="80" + "00" * 15)
    assert base64.b64decode(config["Salt"]) == b"\x00\x80" + b"\x00" * 15
    salt_hex, verifier = srp.parse_device_verifier_config(config)
    assert salt_hex == "0080" + "00" * 15 and 1 < verifier < srp.N


@pytest.mark.parametrize("config", [
    {},
    {"Salt": "AQ=="},
    {"Salt": "AQ==", "PasswordVerifier": "not base64!"},
    {"Salt": "AQ==", "PasswordVerifier": "AQ=="},  # 1 is not a verifier
    {"Salt": "AQ==", "PasswordVerifier": base64.b64encode(bytes.fromhex(srp.N_HEX)).decode()},
])  # fmt: skip
def test_configs_that_hold_no_verifier_are_refused(config: dict[str, str]) -> None:
    with pytest.raises(srp.SrpError):
        srp.parse_device_verifier_config(config)
