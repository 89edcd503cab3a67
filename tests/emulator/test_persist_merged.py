"""A state file holds everything the emulator's features keep, not only what existed when persist.py was written:
groups, devices, attribute changes awaiting verification and a managed-login domain all survive a restart."""

from __future__ import annotations

from pathlib import Path

import jwt

from harness.cognito.srp import new_device_secret
from harness.emulator import Emulator, persist
from tests.emulator.conftest import PASSWORD, confirmed_user, make_client, sign_in


def test_groups_devices_pending_attributes_and_domains_survive_a_restart(tmp_path: Path) -> None:
    emu = Emulator()
    cognito = emu.client()
    pool_id = cognito.create_user_pool(
        PoolName="app",
        AliasAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": False},
    )["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    cognito.create_group(GroupName="admins", UserPoolId=pool_id, Precedence=1)
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="ada", GroupName="admins")
    result = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    device = result["NewDeviceMetadata"]
    _, verifier = new_device_secret(device["DeviceGroupKey"], device["DeviceKey"])
    cognito.confirm_device(AccessToken=result["AccessToken"], DeviceKey=device["DeviceKey"],
                           DeviceSecretVerifierConfig=verifier, DeviceName="laptop")  # fmt: skip
    cognito.update_user_attributes(AccessToken=result["AccessToken"],
                                   UserAttributes=[{"Name": "email", "Value": "ada@new.example.com"}])  # fmt: skip

    cognito.create_user_pool_domain(Domain="app-login", UserPoolId=pool_id)
    cognito.create_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com", Name="api",
                                   Scopes=[{"ScopeName": "read", "ScopeDescription": "read"}])  # fmt: skip

    persist.save(emu, tmp_path / "state.json")
    again = Emulator()
    persist.load(again, tmp_path / "state.json")
    cognito = again.client()

    assert [g["GroupName"] for g in cognito.list_groups(UserPoolId=pool_id)["Groups"]] == ["admins"]
    assert [u["Username"] for u in cognito.list_users_in_group(UserPoolId=pool_id, GroupName="admins")["Users"]] == [
        "ada"
    ]
    listed = cognito.admin_list_devices(UserPoolId=pool_id, Username="ada")["Devices"]
    assert [d["DeviceKey"] for d in listed] == [device["DeviceKey"]]
    # the old email stays in effect until the new one is verified, after the restart too
    assert sign_in(cognito, client_id, "ada@example.com")["AuthenticationResult"]
    id_token = sign_in(cognito, client_id, "ada")["AuthenticationResult"]["IdToken"]
    assert jwt.decode(id_token, options={"verify_signature": False})["cognito:groups"] == ["admins"]
    user = again.pools[pool_id].users[again.pools[pool_id].user_key("ada")]
    assert user.pending_attributes == {"email": "ada@new.example.com"}
    assert PASSWORD
    assert cognito.describe_user_pool_domain(Domain="app-login")["DomainDescription"]["UserPoolId"] == pool_id
    servers = cognito.list_resource_servers(UserPoolId=pool_id, MaxResults=10)["ResourceServers"]
    assert [server["Identifier"] for server in servers] == ["https://api.example.com"]
