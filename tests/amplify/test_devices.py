"""Devices in the Amplify model against the emulator: the device a sign-in announces is confirmed and stored,
the next sign-in answers DEVICE_SRP_AUTH with it (a remembered device in place of MFA), refresh sends its key,
rememberDevice / fetchDevices / forgetDevice, and Amplify's recovery from a device the pool forgot."""

from __future__ import annotations

from collections.abc import Callable

import pyotp

from .conftest import PASSWORD, App, cognito_request, operations

AppFactory = Callable[..., App]


def _sign_in_with_totp_setup(a: App) -> str:
    """ada's first sign-in in the remembered-devices pool: TOTP set up through confirmSignIn; the TOTP secret."""
    started = a.ok("signIn", username="ada", password=PASSWORD)
    secret = str(started["nextStep"]["totpSetupDetails"]["sharedSecret"])
    done = a.amplify("confirmSignIn", challengeResponse=pyotp.TOTP(secret).at(int(a.backend.now())))
    assert done.response == {"isSignedIn": True, "nextStep": {"signInStep": "DONE"}}
    assert operations(done) == ["VerifySoftwareToken", "RespondToAuthChallenge", "ConfirmDevice"]
    confirm = cognito_request(done, 2)
    assert confirm["DeviceName"] == "authflow Amplify model"
    assert set(confirm["DeviceSecretVerifierConfig"]) == {"Salt", "PasswordVerifier"}
    return secret


def test_a_confirmed_device_signs_in_without_mfa_and_refreshes_with_its_key(app: AppFactory) -> None:
    a = app("remembered-devices")
    a.user("ada")
    _sign_in_with_totp_setup(a)
    device = a.client.state.devices["ada"]
    listed = a.ok("fetchDevices")["devices"]
    assert [d["id"] for d in listed] == [device.device_key]
    assert listed[0]["name"] == "authflow Amplify model"
    assert listed[0]["attributes"]["dev:device_remembered_status"] == "remembered"
    assert listed[0]["createDate"].endswith("Z")

    a.ok("signOut")
    assert a.client.state.devices["ada"] == device  # device metadata outlives signOut (localStorage)
    again = a.amplify("signIn", username="ada", password=PASSWORD)
    assert again.response == {"isSignedIn": True, "nextStep": {"signInStep": "DONE"}}
    names = [c["request"].get("ChallengeName") for c in again.request["calls"]] if again.request else []
    assert names == [None, "PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]
    assert cognito_request(again, 1)["ChallengeResponses"]["DEVICE_KEY"] == device.device_key
    assert "ConfirmDevice" not in operations(again)

    refreshed = a.amplify("fetchAuthSession", forceRefresh=True)
    assert refreshed.error is None and cognito_request(refreshed)["DeviceKey"] == device.device_key


def test_forget_device_brings_mfa_back(app: AppFactory) -> None:
    a = app("remembered-devices")
    a.user("ada")
    _sign_in_with_totp_setup(a)
    key = a.client.state.devices["ada"].device_key
    forgot = a.amplify("forgetDevice")
    assert operations(forgot) == ["ForgetDevice"] and cognito_request(forgot)["DeviceKey"] == key
    assert "ada" not in a.client.state.devices
    assert a.ok("fetchDevices") == {"devices": []}
    a.ok("signOut")
    result = a.ok("signIn", username="ada", password=PASSWORD)
    assert result["nextStep"]["signInStep"] == "CONFIRM_SIGN_IN_WITH_TOTP_CODE"


def test_remember_device_in_an_opt_in_pool(app: AppFactory) -> None:
    a = app("devices-opt-in")
    a.user("ada")
    a.ok("signIn", username="ada", password=PASSWORD)
    status = a.ok("fetchDevices")["devices"][0]["attributes"]["dev:device_remembered_status"]
    assert status == "not_remembered"
    remembered = a.amplify("rememberDevice")
    assert operations(remembered) == ["UpdateDeviceStatus"]
    assert cognito_request(remembered)["DeviceRememberedStatus"] == "remembered"
    status = a.ok("fetchDevices")["devices"][0]["attributes"]["dev:device_remembered_status"]
    assert status == "remembered"


def test_forget_another_device_keeps_this_one(app: AppFactory) -> None:
    a = app("devices-opt-in")
    a.user("ada")
    other = a.cognito(
        "InitiateAuth", AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD}
    )
    a.ok("signIn", username="ada", password=PASSWORD)
    mine = a.client.state.devices["ada"]
    other_key = other["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
    failed = a.fails("forgetDevice", device={"id": other_key})  # never confirmed: it does not exist
    assert failed == {"Code": "ResourceNotFoundException", "Message": "Device does not exist."}
    assert a.client.state.devices["ada"] == mine


def test_device_apis_need_a_signed_in_user(app: AppFactory) -> None:
    a = app("devices-opt-in")
    for api in ("rememberDevice", "fetchDevices", "forgetDevice"):
        assert a.fails(api) == {
            "Code": "UserUnAuthenticatedException",
            "Message": "User needs to be authenticated to call this API.",
            "RecoverySuggestion": "Sign in before calling this API again.",
        }


def test_a_device_the_pool_forgot_is_dropped_and_the_answer_sent_again(app: AppFactory) -> None:
    a = app("devices-opt-in")
    a.user("ada")
    a.ok("signIn", username="ada", password=PASSWORD)
    old = a.client.state.devices["ada"].device_key
    a.cognito("AdminForgetDevice", Username="ada", DeviceKey=old)
    a.ok("signOut")
    again = a.amplify("signIn", username="ada", password=PASSWORD)
    assert again.response["isSignedIn"] is True
    assert operations(again) == ["InitiateAuth", "RespondToAuthChallenge", "RespondToAuthChallenge", "ConfirmDevice"]
    assert "DEVICE_KEY" in cognito_request(again, 1)["ChallengeResponses"]
    assert "DEVICE_KEY" not in cognito_request(again, 2)["ChallengeResponses"]
    assert a.client.state.devices["ada"].device_key != old


def test_user_password_flow_sends_the_device_key_and_answers_device_srp(app: AppFactory) -> None:
    a = app("devices-opt-in")
    a.user("ada")
    options = {"authFlowType": "USER_PASSWORD_AUTH"}
    a.ok("signIn", username="ada", password=PASSWORD, options=options)
    key = a.client.state.devices["ada"].device_key
    a.ok("signOut")
    again = a.amplify("signIn", username="ada", password=PASSWORD, options=options)
    assert again.response["isSignedIn"] is True
    assert cognito_request(again, 0)["AuthParameters"]["DEVICE_KEY"] == key
    assert operations(again) == ["InitiateAuth", "RespondToAuthChallenge", "RespondToAuthChallenge"]
