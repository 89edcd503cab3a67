"""Preloading pools from pool files (`authflow emulator --pools`, the `cognito_pool` fixture): stable ids, fixed
ids, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.backends.preload import load_pools, provision_on
from harness.emulator import Emulator
from harness.emulator.stable_ids import CLIENT_ID_PATTERN, POOL_ID_PATTERN, IdConflict, stable_client_id, stable_pool_id
from harness.errors import AuthflowError
from harness.scenario.errors import SpecError
from harness.scenario.loader import load_pool

POOL = "clients:\n  - name: web\n  - name: server\n    GenerateSecret: true\n"


def pool_file(folder: Path, name: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(POOL + extra)
    return path


def test_ids_are_derived_from_the_names_and_have_cognito_s_shapes(tmp_path: Path) -> None:
    config = load_pool(pool_file(tmp_path, "shop"))
    first, second = Emulator(region="eu-west-1"), Emulator(region="eu-west-1")
    made = [provision_on(emu, config, stable_ids=True) for emu in (first, second)]
    assert made[0] == made[1]  # the same ids, and the same derived secret, in two separate emulators
    pool_id = made[0].pool_id
    assert pool_id == stable_pool_id("eu-west-1", "shop") and POOL_ID_PATTERN.match(pool_id)
    assert made[0].client("web").client_id == stable_client_id(pool_id, "web")
    assert all(CLIENT_ID_PATTERN.match(c.client_id) and len(c.client_id) == 26 for c in made[0].clients.values())
    assert made[0].client("web").secret is None and made[0].client("server").secret
    described = first.client().describe_user_pool_client(
        UserPoolId=pool_id, ClientId=made[0].client("server").client_id
    )
    assert described["UserPoolClient"]["ClientSecret"] == made[0].client("server").secret
    assert first.client().describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "shop"
    other = provision_on(first, load_pool(pool_file(tmp_path, "blog")), stable_ids=True)
    assert other.pool_id != pool_id and other.client("web").client_id != made[0].client("web").client_id


def test_without_stable_ids_every_pool_is_new(tmp_path: Path) -> None:
    config = load_pool(pool_file(tmp_path, "shop"))
    emu = Emulator()
    assert provision_on(emu, config).pool_id != provision_on(emu, config).pool_id


def test_a_fixed_id_taken_by_another_pool_is_refused_and_leaves_nothing_behind(tmp_path: Path) -> None:
    fixed = "emulator:\n  pool_id: us-east-1_Same00001\n"
    emu = Emulator()
    provision_on(emu, load_pool(pool_file(tmp_path, "one", fixed)), stable_ids=True)
    with pytest.raises(IdConflict, match="us-east-1_Same00001 is already taken by pool 'one'"):
        provision_on(emu, load_pool(pool_file(tmp_path, "two", fixed)), stable_ids=True)
    assert [pool.name for pool in emu.pools.values()] == ["one"] and len(emu.clients) == 2


def test_two_pool_files_of_one_name_are_refused(tmp_path: Path) -> None:
    pool_file(tmp_path / "a", "shop")
    pool_file(tmp_path / "b", "shop")
    with pytest.raises(AuthflowError, match="a pool named 'shop' was already loaded from"):
        load_pools([tmp_path / "a", tmp_path / "b"])


def test_a_path_that_is_not_there_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AuthflowError, match="no such pool file or folder"):
        load_pools([tmp_path / "missing"])


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ("emulator:\n  pool_id: not-an-id\n", "emulator.pool_id"),
        ("emulator:\n  client_ids: {web: 'has spaces'}\n", "emulator.client_ids.web"),
        ("emulator:\n  pool_ids: us-east-1_Abc\n", "emulator"),
    ],
)
def test_the_pool_file_s_emulator_key_is_checked(tmp_path: Path, extra: str, where: str) -> None:
    with pytest.raises(SpecError) as error:
        load_pool(pool_file(tmp_path, "shop", extra))
    assert where in str(error.value)


def test_a_pool_file_s_identity_providers_are_made_before_its_clients(tmp_path: Path) -> None:
    """A client that lists Google provisions only because Google is made first (ops/identity_providers.py)."""
    extra = (
        "identity_providers:\n"
        "  - {ProviderName: Google, ProviderType: Google, ProviderDetails: {client_id: c, client_secret: s, authorize_scopes: openid}}\n"
    )
    path = pool_file(tmp_path, "federated", extra)
    path.write_text(
        path.read_text().replace(
            "  - name: web\n", "  - name: web\n    SupportedIdentityProviders: [COGNITO, Google]\n"
        )
    )
    emu = Emulator()
    made = provision_on(emu, load_pool(path), stable_ids=False)
    cognito = emu.client()
    providers = cognito.list_identity_providers(UserPoolId=made.pool_id)["Providers"]
    assert [(p["ProviderName"], p["ProviderType"]) for p in providers] == [("Google", "Google")]
    client = cognito.describe_user_pool_client(UserPoolId=made.pool_id, ClientId=made.clients["web"].client_id)
    assert client["UserPoolClient"]["SupportedIdentityProviders"] == ["COGNITO", "Google"]


def test_a_pool_file_cognito_refuses_is_said_with_the_file_and_cognito_s_words(tmp_path: Path) -> None:
    """Valid for the schema, refused by the service (a Google provider must be named Google): one line naming the
    file, no traceback from botocore."""
    extra = (
        "identity_providers:\n"
        "  - {ProviderName: MyGoogle, ProviderType: Google, ProviderDetails: {client_id: c, client_secret: s, authorize_scopes: openid}}\n"
    )
    path = pool_file(tmp_path, "federated", extra)
    emu = Emulator()
    with pytest.raises(AuthflowError) as raised:
        provision_on(emu, load_pool(path), stable_ids=True)
    assert str(raised.value) == (
        f"{path}: the emulator refused pool 'federated': InvalidParameterException: "
        "Provider MyGoogle cannot be of type Google."
    )
    assert emu.client().list_user_pools(MaxResults=10)["UserPools"] == []  # nothing left behind
