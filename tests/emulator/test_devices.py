"""Device tracking through boto3: NewDeviceMetadata, ConfirmDevice, device SRP sign-in (the device secret really
verified), remembered devices in place of MFA, refresh tokens bound to their device, and the device operations."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError

from harness.cognito import srp
from harness.emulator import Emulator
from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, make_client, sign_in

ALWAYS = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
OPT_IN = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}


def tracking_pool(cognito: Any, config: dict[str, bool] | None = None, *, totp: bool = False) -> tuple[str, str]:
    """(pool id, client id) of a pool that remembers devices (and requires TOTP MFA when ``totp``)."""
    pool_id = str(cognito.create_user_pool(PoolName="devices", DeviceConfiguration=config or ALWAYS)["UserPool"]["Id"])
    if totp:
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
        )
    confirmed_user(cognito, pool_id, "ada")
    return pool_id, str(make_client(cognito, pool_id)["ClientId"])


def clock_of(emu: Emulator) -> Any:
    return lambda: datetime.fromtimestamp(emu.clock.now(), UTC)


def remember(cognito: Any, tokens: dict[str, Any]) -> tuple[srp.DeviceSecret, dict[str, Any]]:
    """What a client does with NewDeviceMetadata: make a device secret and confirm the device with its verifier."""
    metadata = tokens["NewDeviceMetadata"]
    secret, config = srp.new_device_secret(metadata["DeviceGroupKey"], metadata["DeviceKey"])
    confirmed = cognito.confirm_device(
        AccessToken=tokens["AccessToken"],
        DeviceKey=metadata["DeviceKey"],
        DeviceSecretVerifierConfig=config,
        DeviceName="ada's laptop",
    )
    return secret, dict(confirmed)


def srp_start(cognito: Any, emu: Emulator, pool_id: str, client_id: str, device_key: str | None) -> dict[str, Any]:
    """USER_SRP_AUTH answered up to the password: DEVICE_KEY at InitiateAuth and with the claim, as the
    developer guide describes; the reply is what follows the password."""
    client = srp.SrpClient(pool_id, "ada", PASSWORD, clock=clock_of(emu))
    extra = {"DEVICE_KEY": device_key} if device_key else {}
    challenge = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": "ada", "SRP_A": client.srp_a_hex, **extra},
    )
    return dict(
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=challenge["Session"],
            ChallengeResponses={**client.respond(challenge["ChallengeParameters"]), **extra},
        )
    )


def device_auth(cognito: Any, emu: Emulator, client_id: str, reply: dict[str, Any], secret: srp.DeviceSecret) -> Any:
    """Answer DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER with the device's secret."""
    assert reply["ChallengeName"] == "DEVICE_SRP_AUTH"
    device = srp.DeviceSrpClient(secret, clock=clock_of(emu))
    verifier = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="DEVICE_SRP_AUTH",
        Session=reply["Session"],
        ChallengeResponses=device.start("ada"),
    )
    assert verifier["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    return cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="DEVICE_PASSWORD_VERIFIER",
        Session=verifier["Session"],
        ChallengeResponses=device.respond(verifier["ChallengeParameters"], "ada"),
    )


def test_device_configuration_is_kept_and_changed(cognito: Any) -> None:
    pool_id, _ = tracking_pool(cognito, OPT_IN)
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["DeviceConfiguration"] == OPT_IN
    cognito.update_user_pool(UserPoolId=pool_id, DeviceConfiguration=ALWAYS)
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["DeviceConfiguration"] == ALWAYS


def test_every_sign_in_without_a_device_gets_a_new_device_key(cognito: Any) -> None:
    _pool_id, client_id = tracking_pool(cognito)
    first = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["NewDeviceMetadata"]
    second = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["NewDeviceMetadata"]
    assert re.fullmatch(r"us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", first["DeviceKey"])
    assert first["DeviceGroupKey"] and first["DeviceKey"] != second["DeviceKey"]
    plain = str(cognito.create_user_pool(PoolName="plain")["UserPool"]["Id"])
    confirmed_user(cognito, plain, "ada")
    plain_client = make_client(cognito, plain)["ClientId"]
    assert "NewDeviceMetadata" not in sign_in(cognito, plain_client, "ada")["AuthenticationResult"]


def test_confirm_device_remembers_at_once_unless_the_user_is_asked(cognito: Any) -> None:
    _pool_id, client_id = tracking_pool(cognito)
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    _, confirmed = remember(cognito, tokens)
    assert confirmed["UserConfirmationNecessary"] is False
    key = tokens["NewDeviceMetadata"]["DeviceKey"]
    device = cognito.get_device(AccessToken=tokens["AccessToken"], DeviceKey=key)["Device"]
    attributes = {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}
    assert attributes == {"device_name": "ada's laptop", "dev:device_remembered_status": "remembered"}

    opt_in_pool, opt_in_client = tracking_pool(cognito, OPT_IN)
    tokens = sign_in(cognito, opt_in_client, "ada")["AuthenticationResult"]
    assert remember(cognito, tokens)[1]["UserConfirmationNecessary"] is True
    key = tokens["NewDeviceMetadata"]["DeviceKey"]
    device = cognito.admin_get_device(UserPoolId=opt_in_pool, Username="ada", DeviceKey=key)["Device"]
    assert {"Name": "dev:device_remembered_status", "Value": "not_remembered"} in device["DeviceAttributes"]
    cognito.update_device_status(AccessToken=tokens["AccessToken"], DeviceKey=key, DeviceRememberedStatus="remembered")
    device = cognito.admin_get_device(UserPoolId=opt_in_pool, Username="ada", DeviceKey=key)["Device"]
    assert {"Name": "dev:device_remembered_status", "Value": "remembered"} in device["DeviceAttributes"]


def test_confirm_device_refusals(cognito: Any) -> None:
    _, client_id = tracking_pool(cognito)
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    key = tokens["NewDeviceMetadata"]["DeviceKey"]
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_device(
            AccessToken=tokens["AccessToken"],
            DeviceKey=key,
            DeviceSecretVerifierConfig={"Salt": "AQ==", "PasswordVerifier": "%%"},
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_device(
            AccessToken=tokens["AccessToken"], DeviceKey="us-east-1_00000000-0000-0000-0000-000000000000"
        )
    assert error_of(excinfo) == ("InvalidParameterException", "Invalid device key given.")
    remember(cognito, tokens)
    with pytest.raises(ClientError) as excinfo:
        remember(cognito, tokens)
    assert error_of(excinfo)[0] == "DeviceKeyExistsException"


def test_unconfirmed_devices_are_not_listed_and_cannot_be_read(cognito: Any) -> None:
    pool_id, client_id = tracking_pool(cognito)
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    assert cognito.list_devices(AccessToken=tokens["AccessToken"])["Devices"] == []
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_get_device(UserPoolId=pool_id, Username="ada", DeviceKey=tokens["NewDeviceMetadata"]["DeviceKey"])
    assert error_of(excinfo) == ("ResourceNotFoundException", "Device does not exist.")


def test_list_devices_pages_and_forget_device(cognito: Any, emu: Emulator) -> None:
    pool_id, client_id = tracking_pool(cognito)
    keys = []
    for _ in range(3):
        tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
        remember(cognito, tokens)
        keys.append(tokens["NewDeviceMetadata"]["DeviceKey"])
        emu.clock.advance(1)
    access = tokens["AccessToken"]
    first = cognito.list_devices(AccessToken=access, Limit=2)
    second = cognito.list_devices(AccessToken=access, Limit=2, PaginationToken=first["PaginationToken"])
    assert [d["DeviceKey"] for d in first["Devices"] + second["Devices"]] == keys
    assert "PaginationToken" not in second
    admin = cognito.admin_list_devices(UserPoolId=pool_id, Username="ada")
    assert [d["DeviceKey"] for d in admin["Devices"]] == keys

    cognito.forget_device(AccessToken=access, DeviceKey=keys[0])
    cognito.admin_forget_device(UserPoolId=pool_id, Username="ada", DeviceKey=keys[1])
    assert [d["DeviceKey"] for d in cognito.list_devices(AccessToken=access)["Devices"]] == [keys[2]]
    cognito.admin_update_device_status(
        UserPoolId=pool_id, Username="ada", DeviceKey=keys[2], DeviceRememberedStatus="not_remembered"
    )
    status = cognito.get_device(AccessToken=access, DeviceKey=keys[2])["Device"]["DeviceAttributes"]
    assert {"Name": "dev:device_remembered_status", "Value": "not_remembered"} in status
    with pytest.raises(ClientError) as excinfo:
        cognito.forget_device(AccessToken=access, DeviceKey=keys[0])
    assert error_of(excinfo) == ("ResourceNotFoundException", "Device does not exist.")


def test_another_users_device_does_not_exist_for_them(cognito: Any) -> None:
    pool_id, client_id = tracking_pool(cognito)
    confirmed_user(cognito, pool_id, "bob")
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    remember(cognito, tokens)
    bob = sign_in(cognito, client_id, "bob")["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        cognito.get_device(AccessToken=bob["AccessToken"], DeviceKey=tokens["NewDeviceMetadata"]["DeviceKey"])
    assert error_of(excinfo) == ("ResourceNotFoundException", "Device does not exist.")


def test_a_deleted_users_devices_go_with_it(cognito: Any) -> None:
    """A user created again under the same name starts with no devices: the old ones were the deleted user's."""
    pool_id, client_id = tracking_pool(cognito)
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    remember(cognito, tokens)
    assert len(cognito.admin_list_devices(UserPoolId=pool_id, Username="ada")["Devices"]) == 1
    cognito.admin_delete_user(UserPoolId=pool_id, Username="ada")
    confirmed_user(cognito, pool_id, "ada")
    assert cognito.admin_list_devices(UserPoolId=pool_id, Username="ada")["Devices"] == []
    again = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        cognito.get_device(AccessToken=again["AccessToken"], DeviceKey=tokens["NewDeviceMetadata"]["DeviceKey"])
    assert error_of(excinfo) == ("ResourceNotFoundException", "Device does not exist.")


def test_device_srp_sign_in_end_to_end(cognito: Any, emu: Emulator) -> None:
    pool_id, client_id = tracking_pool(cognito)
    tokens = srp_start(cognito, emu, pool_id, client_id, None)["AuthenticationResult"]
    secret, _ = remember(cognito, tokens)
    emu.clock.advance(60)
    reply = srp_start(cognito, emu, pool_id, client_id, secret.device_key)
    signed_in = device_auth(cognito, emu, client_id, reply, secret)["AuthenticationResult"]
    assert signed_in["AccessToken"] and "NewDeviceMetadata" not in signed_in
    device = cognito.admin_get_device(UserPoolId=pool_id, Username="ada", DeviceKey=secret.device_key)["Device"]
    assert device["DeviceLastAuthenticatedDate"].timestamp() == pytest.approx(emu.clock.now(), abs=1)


def test_a_wrong_device_secret_is_refused(cognito: Any, emu: Emulator) -> None:
    pool_id, client_id = tracking_pool(cognito)
    secret, _ = remember(cognito, sign_in(cognito, client_id, "ada")["AuthenticationResult"])
    impostor = srp.DeviceSecret(secret.device_key, secret.device_group_key, "not-the-device-secret")
    reply = srp_start(cognito, emu, pool_id, client_id, secret.device_key)
    with pytest.raises(ClientError) as excinfo:
        device_auth(cognito, emu, client_id, reply, impostor)
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_password_sign_in_with_a_device_key_authenticates_the_device(cognito: Any, emu: Emulator) -> None:
    _, client_id = tracking_pool(cognito)
    secret, _ = remember(cognito, sign_in(cognito, client_id, "ada")["AuthenticationResult"])
    reply = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD, "DEVICE_KEY": secret.device_key},
    )
    assert "AccessToken" in device_auth(cognito, emu, client_id, reply, secret)["AuthenticationResult"]


def totp_sign_in(cognito: Any, emu: Emulator, client_id: str, device_key: str | None, secret: str) -> dict[str, Any]:
    extra = {"DEVICE_KEY": device_key} if device_key else {}
    reply = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD, **extra},
    )
    if reply.get("ChallengeName") != "SOFTWARE_TOKEN_MFA":
        return dict(reply)
    code = pyotp.TOTP(secret).at(int(emu.clock.now()))
    return dict(
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=reply["Session"],
            ChallengeResponses={"USERNAME": "ada", "SOFTWARE_TOKEN_MFA_CODE": code, **extra},
        )
    )


def totp_user(cognito: Any, emu: Emulator, pool_id: str) -> str:
    """ada with TOTP set up (through the admin and an access token, outside any sign-in)."""
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    client_id = make_client(cognito, pool_id)["ClientId"]
    access = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    secret = str(cognito.associate_software_token(AccessToken=access)["SecretCode"])
    cognito.verify_software_token(AccessToken=access, UserCode=pyotp.TOTP(secret).at(int(emu.clock.now())))
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    return secret


@pytest.mark.parametrize(("config", "remembered", "skips_mfa"), [
    (ALWAYS, True, True),
    (OPT_IN, False, False),  # confirmed but never remembered: MFA, then the device
    ({"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": False}, True, False),
])  # fmt: skip
def test_a_remembered_device_stands_in_for_mfa(
    cognito: Any, emu: Emulator, config: dict[str, bool], remembered: bool, skips_mfa: bool
) -> None:
    pool_id, client_id = tracking_pool(cognito, config)
    totp = totp_user(cognito, emu, pool_id)
    first = totp_sign_in(cognito, emu, client_id, None, totp)["AuthenticationResult"]
    secret, _ = remember(cognito, first)
    status = cognito.admin_get_device(UserPoolId=pool_id, Username="ada", DeviceKey=secret.device_key)["Device"]
    assert ({"Name": "dev:device_remembered_status", "Value": "remembered"} in status["DeviceAttributes"]) is remembered
    emu.clock.advance(31)  # a fresh TOTP window
    reply = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD, "DEVICE_KEY": secret.device_key},
    )
    assert reply["ChallengeName"] == ("DEVICE_SRP_AUTH" if skips_mfa else "SOFTWARE_TOKEN_MFA")
    if not skips_mfa:
        reply = totp_sign_in(cognito, emu, client_id, secret.device_key, totp)
    assert "AccessToken" in device_auth(cognito, emu, client_id, reply, secret)["AuthenticationResult"]


def test_a_forgotten_device_does_not_exist_and_the_same_answer_works_without_it(cognito: Any, emu: Emulator) -> None:
    """Amplify's recovery: on "Device does not exist." it drops its device and sends the same answer again."""
    pool_id, client_id = tracking_pool(cognito)
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    secret, _ = remember(cognito, tokens)
    cognito.admin_forget_device(UserPoolId=pool_id, Username="ada", DeviceKey=secret.device_key)
    client = srp.SrpClient(pool_id, "ada", PASSWORD, clock=clock_of(emu))
    challenge = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "ada", "SRP_A": client.srp_a_hex}
    )
    answer = client.respond(challenge["ChallengeParameters"])
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", Session=challenge["Session"],
            ChallengeResponses={**answer, "DEVICE_KEY": secret.device_key},
        )  # fmt: skip
    assert error_of(excinfo) == ("ResourceNotFoundException", "Device does not exist.")
    again = cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", Session=challenge["Session"], ChallengeResponses=answer
    )
    assert "NewDeviceMetadata" in again["AuthenticationResult"]


def refresh(cognito: Any, client_id: str, token: str, device_key: str | None) -> Any:
    extra = {"DEVICE_KEY": device_key} if device_key else {}
    return cognito.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token, **extra}
    )


def test_refresh_needs_the_confirmed_device_key(cognito: Any) -> None:
    pool_id, client_id = tracking_pool(cognito)
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    key = tokens["NewDeviceMetadata"]["DeviceKey"]
    with pytest.raises(ClientError) as excinfo:
        refresh(cognito, client_id, tokens["RefreshToken"], key)  # not confirmed yet
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Refresh Token")
    remember(cognito, tokens)
    assert "AccessToken" in refresh(cognito, client_id, tokens["RefreshToken"], key)["AuthenticationResult"]
    fresh = cognito.get_tokens_from_refresh_token(
        ClientId=client_id, RefreshToken=tokens["RefreshToken"], DeviceKey=key
    )
    assert "AccessToken" in fresh["AuthenticationResult"]
    for missing in (None, "us-east-1_00000000-0000-0000-0000-000000000000"):
        with pytest.raises(ClientError) as excinfo:
            refresh(cognito, client_id, tokens["RefreshToken"], missing)
        assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Refresh Token")
    with pytest.raises(ClientError) as excinfo:
        cognito.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=tokens["RefreshToken"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Refresh Token")
    cognito.admin_forget_device(UserPoolId=pool_id, Username="ada", DeviceKey=key)
    with pytest.raises(ClientError) as excinfo:
        refresh(cognito, client_id, tokens["RefreshToken"], key)
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Refresh Token")


def test_device_operations_need_an_access_token_or_a_known_user(cognito: Any) -> None:
    pool_id, _ = tracking_pool(cognito)
    with pytest.raises(ClientError) as excinfo:
        cognito.get_device(DeviceKey="us-east-1_00000000-0000-0000-0000-000000000000")
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Access Token")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_list_devices(UserPoolId=pool_id, Username="nobody")
    assert error_of(excinfo)[0] == "UserNotFoundException"


def test_a_passwordless_sign_in_gets_a_device_key_too(cognito: Any, emu: Emulator) -> None:
    """ "Amazon Cognito includes a device key in the response to any sign-in that doesn't already include device
    information" [DG device tracking]."""
    policy = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
    pool_id = cognito.create_user_pool(
        PoolName="passwordless", AutoVerifiedAttributes=["email"], Policies=policy, DeviceConfiguration=ALWAYS
    )["UserPool"]["Id"]
    confirmed_user(cognito, pool_id, "ada")
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])[
        "ClientId"
    ]
    otp = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "EMAIL_OTP"}
    )
    code = emu.outbox.last().code  # type: ignore[union-attr]
    result = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=otp["Session"],
        ChallengeResponses={"USERNAME": "ada", "EMAIL_OTP_CODE": code},
    )
    assert "DeviceKey" in result["AuthenticationResult"]["NewDeviceMetadata"]
