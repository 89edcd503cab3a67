"""State files (`authflow emulator --state`): what a restarted emulator must still know, written generically from
the state's dataclasses, refused clearly when they do not fit."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import pytest

from harness.cognito.secret_hash import secret_hash
from harness.emulator import Emulator, persist
from harness.emulator.persist import StateFileError
from harness.emulator.state import User, UserPool, new_sub
from tests.emulator.conftest import PASSWORD, confirmed_user, make_client, sign_in


def populated() -> tuple[Emulator, str, str, dict[str, Any]]:
    """An emulator with an email-alias pool, a confirmed user signed in, and an unconfirmed one with a code."""
    emu = Emulator()
    cognito = emu.client()
    pool_id = cognito.create_user_pool(PoolName="app", AliasAttributes=["email"], AutoVerifiedAttributes=["email"])
    pool_id = pool_id["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    cognito.sign_up(ClientId=client_id, Username="bob", Password=PASSWORD,
                    UserAttributes=[{"Name": "email", "Value": "bob@example.com"}])  # fmt: skip
    tokens = sign_in(cognito, client_id, "ada")["AuthenticationResult"]
    return emu, pool_id, client_id, tokens


def restarted(emu: Emulator, path: Path) -> Emulator:
    persist.save(emu, path)
    again = Emulator()
    assert persist.load(again, path) == list(emu.pools)
    return again


def test_a_restarted_emulator_keeps_pools_users_tokens_and_codes(tmp_path: Path) -> None:
    emu, pool_id, client_id, tokens = populated()
    emu.advance_clock(60)
    again = restarted(emu, tmp_path / "state.json")
    cognito = again.client()
    # the password, through the username and through the verified email alias (the sign-in index is rebuilt)
    assert sign_in(cognito, client_id, "ada")["AuthenticationResult"]["AccessToken"]
    assert sign_in(cognito, client_id, "ada@example.com")["AuthenticationResult"]["AccessToken"]
    # tokens issued before the restart: the access token is accepted, the refresh token refreshes
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ada"
    refreshed = cognito.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                      AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})  # fmt: skip
    assert refreshed["AuthenticationResult"]["IdToken"]
    # the same signing key: the old id token verifies against the restarted pool's JWKS
    key = jwt.PyJWKSet.from_dict(again.jwks(pool_id)).keys[0]
    claims = jwt.decode(tokens["IdToken"], key, algorithms=["RS256"], audience=client_id, issuer=again.issuer(pool_id))
    assert claims["cognito:username"] == "ada"
    # the code sent before the restart still confirms; the clock kept its offset
    code = again.outbox.last(to="bob@example.com")
    assert code is not None
    cognito.confirm_sign_up(ClientId=client_id, Username="bob", ConfirmationCode=code.code)
    assert again.clock.offset == pytest.approx(60)
    users = cognito.list_users(UserPoolId=pool_id)["Users"]
    assert [user["Username"] for user in users] == ["ada", "bob"]


def test_the_file_is_private_and_replaced_in_one_step(tmp_path: Path) -> None:
    emu, *_ = populated()
    path = tmp_path / "state.json"
    persist.save(emu, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    before = path.read_bytes()
    emu.pools[next(iter(emu.pools))].settings["Broken"] = object()  # a value no codec handles
    with pytest.raises(StateFileError, match=r"pools\[.*\]\.settings\['Broken'\] is a object"):
        persist.save(emu, path)
    assert path.read_bytes() == before  # the last good file is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]  # no temporary file left behind


# --- fields and records other parts of the emulator add to the state ---------------------------------


@dataclass
class Device:
    """A record type this module's code has never heard of, with values of every codec."""

    key: str
    remembered: bool
    secret: bytes
    seen_from: tuple[str, int]
    tags: set[str] = field(default_factory=set)
    by_number: dict[int, str] = field(default_factory=dict)


@dataclass
class UserWithDevices(User):
    devices: list[Device] = field(default_factory=list)
    pending_attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class PoolWithGroups(UserPool):
    groups: dict[str, frozenset[str]] = field(default_factory=dict)


def test_fields_added_to_the_state_later_are_saved_without_the_saver_knowing_them(tmp_path: Path) -> None:
    emu = Emulator()
    now = emu.clock.now()
    pool = PoolWithGroups(
        "us-east-1_Groups1", "groups", {}, now, now, "us-east-1", groups={"admins": frozenset({"ada"})}
    )
    device = Device("dk-1", True, b"\x00\xffkey", ("10.0.0.1", 443), {"phone"}, {1: "one"})
    user = UserWithDevices("ada", new_sub(), {"email": "ada@example.com"}, "CONFIRMED", now, now,
                           devices=[device], pending_attributes={"email": "new@example.com"})  # fmt: skip
    pool.add_user(user)
    emu.pools[pool.pool_id] = pool
    again = restarted(emu, tmp_path / "state.json")
    loaded = again.pools["us-east-1_Groups1"]
    assert isinstance(loaded, PoolWithGroups) and loaded.groups == {"admins": frozenset({"ada"})}
    loaded_user = loaded.find_user("ada")
    assert isinstance(loaded_user, UserWithDevices)
    assert loaded_user.devices == [device] and loaded_user.pending_attributes == {"email": "new@example.com"}
    assert loaded.find_by_sub(user.sub) is loaded_user  # the indexes over the users are rebuilt


# --- files that do not fit -------------------------------------------------------------------------------


def saved_document(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    emu, *_ = populated()
    path = tmp_path / "state.json"
    persist.save(emu, path)
    return path, json.loads(path.read_text())


def test_a_file_of_another_format_version_is_refused_clearly(tmp_path: Path) -> None:
    path, document = saved_document(tmp_path)
    path.write_text(json.dumps({**document, "version": persist.VERSION + 1}))
    with pytest.raises(StateFileError, match=f"version {persist.VERSION + 1}, but this authflow reads version"):
        persist.load(Emulator(), path)


@pytest.mark.parametrize("text", ["not json", "[]", '{"format": "something-else", "version": 1}'])
def test_a_file_that_is_not_a_state_file_is_refused_clearly(tmp_path: Path, text: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(text)
    with pytest.raises(StateFileError, match=r"not (a readable|an) authflow emulator state file"):
        persist.load(Emulator(), path)


def test_fields_the_code_no_longer_has_are_refused_clearly(tmp_path: Path) -> None:
    path, document = saved_document(tmp_path)
    document["pools"][0]["fields"]["retired_setting"] = 1
    path.write_text(json.dumps(document))
    with pytest.raises(StateFileError, match=r"UserPool has fields this authflow does not know \(retired_setting\)"):
        persist.load(Emulator(), path)


def test_a_type_that_is_not_loaded_is_never_imported(tmp_path: Path) -> None:
    path, document = saved_document(tmp_path)
    document["pools"][0]["$dataclass"] = "antigravity:Fly"
    path.write_text(json.dumps(document))
    with pytest.raises(StateFileError, match="names a type this authflow does not have: antigravity:Fly"):
        persist.load(Emulator(), path)
    assert "antigravity" not in __import__("sys").modules


def test_loading_over_existing_pools_is_refused(tmp_path: Path) -> None:
    emu, *_ = populated()
    persist.save(emu, tmp_path / "state.json")
    with pytest.raises(StateFileError, match="already has the pools"):
        persist.load(emu, tmp_path / "state.json")


def test_a_file_from_before_secret_rotation_still_loads(tmp_path: Path) -> None:
    """Clients were saved with one `secret` (None for a public client); they load with it as their only secret."""
    emu = Emulator()
    cognito = emu.client()
    pool_id = cognito.create_user_pool(PoolName="app")["UserPool"]["Id"]
    confidential = make_client(cognito, pool_id, GenerateSecret=True)
    public = make_client(cognito, pool_id)
    path = tmp_path / "state.json"
    persist.save(emu, path)
    document = json.loads(path.read_text())
    for saved in document["pools"][0]["fields"]["clients"].values():
        fields = saved["fields"]
        secrets = fields.pop("secrets")
        fields["secret"] = secrets[0]["fields"]["value"] if secrets else None
    path.write_text(json.dumps(document))
    again = Emulator()
    persist.load(again, path)
    reloaded = again.client()
    described = reloaded.describe_user_pool_client(UserPoolId=pool_id, ClientId=confidential["ClientId"])
    assert described["UserPoolClient"]["ClientSecret"] == confidential["ClientSecret"]
    listed = reloaded.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=confidential["ClientId"])
    assert len(listed["ClientSecrets"]) == 1
    public_list = reloaded.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=public["ClientId"])
    assert public_list["ClientSecrets"] == []
    assert (
        "ClientSecret"
        not in reloaded.describe_user_pool_client(UserPoolId=pool_id, ClientId=public["ClientId"])["UserPoolClient"]
    )


def test_a_restarted_emulator_keeps_rotated_secrets_tracked_sessions_and_legacy_mfa(tmp_path: Path) -> None:
    emu = Emulator()
    cognito = emu.client()
    pool_id = cognito.create_user_pool(PoolName="app")["UserPool"]["Id"]
    cognito.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 3}
    )
    client = make_client(cognito, pool_id, GenerateSecret=True)
    second = cognito.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client["ClientId"])
    cognito.set_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=client["ClientId"], SSOSession={"MaxValidityMinutes": 5}
    )
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_set_user_settings(
        UserPoolId=pool_id, Username="ada", MFAOptions=[{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    )
    hashed = secret_hash(client["ClientId"], second["ClientSecretDescriptor"]["ClientSecretValue"], "ada")
    tokens = cognito.initiate_auth(
        ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD, "SECRET_HASH": hashed},
    )["AuthenticationResult"]  # fmt: skip
    before = cognito.list_user_sessions(AccessToken=tokens["AccessToken"])["Sessions"]
    again = restarted(emu, tmp_path / "state.json").client()
    assert again.list_user_sessions(AccessToken=tokens["AccessToken"])["Sessions"] == before
    secrets = again.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client["ClientId"])["ClientSecrets"]
    assert len(secrets) == 2
    config = again.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=client["ClientId"])
    assert config["SSOSession"] == {"MaxValidityMinutes": 5}
    assert again.admin_get_user(UserPoolId=pool_id, Username="ada")["MFAOptions"][0]["DeliveryMedium"] == "SMS"
