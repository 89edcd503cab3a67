"""`create_backend`: the names, the aws options, and refusals of options a backend cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.backends import BACKEND_NAMES, create_backend
from harness.backends.aws import AwsBackend, AwsSetupError
from harness.backends.aws_existing import ExistingPool, existing_pools_from_options, load_existing_pools
from harness.emulator.server import EmulatorServer


def test_the_backend_names() -> None:
    assert BACKEND_NAMES == ("emulator", "emulator-http", "aws", "moto")
    with pytest.raises(ValueError, match="unknown backend 'nope'"):
        create_backend("nope")


@pytest.mark.parametrize("name", ["emulator", "moto"])
def test_aws_options_are_refused_elsewhere(name: str) -> None:
    with pytest.raises(ValueError, match="--endpoint-url, --pool-id only apply to --backend aws"):
        create_backend(name, endpoint_url="http://127.0.0.1:1", pool_id="us-east-1_x")


def test_aws_takes_its_options(server: EmulatorServer) -> None:
    backend = create_backend("aws", endpoint_url=server.url, region="eu-west-1", pool_id="eu-west-1_x", client_id="c")
    assert isinstance(backend, AwsBackend)
    assert backend.region == "eu-west-1"
    assert backend.settings.existing is not None
    assert backend.settings.existing.for_config("any") == ExistingPool("eu-west-1_x", default_client_id="c")


def test_without_a_region_aws_says_how_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with pytest.raises(AwsSetupError, match="no AWS region: pass --aws-region"):
        create_backend("aws")


def test_an_endpoint_without_credentials_gets_dummy_ones(
    monkeypatch: pytest.MonkeyPatch, server: EmulatorServer
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.delenv("AWS_REGION")
    backend = create_backend("aws", endpoint_url=server.url)
    assert isinstance(backend, AwsBackend) and backend.region == "us-east-1"
    assert backend.cognito().list_user_pools(MaxResults=1)["UserPools"] == []


def test_existing_pools_file(tmp_path: Path) -> None:
    file = tmp_path / "pools.yaml"
    file.write_text("pool_id: p1\nclient_id: c1\nclients: {confidential: c2}\npools:\n  srp-only: {pool_id: p2}\n")
    pools = load_existing_pools(file)
    assert pools.for_config("password-only") == ExistingPool("p1", {"confidential": "c2"}, "c1")
    assert pools.for_config("srp-only") == ExistingPool("p2")
    assert pools.pool_ids() == {"p1", "p2"}
    (tmp_path / "bad.json").write_text('{"pools": {"x": {"clients": {}}}}')
    with pytest.raises(ValueError, match=r"pools\.x: expected a mapping with a pool_id string"):
        load_existing_pools(tmp_path / "bad.json")
    with pytest.raises(ValueError, match="--client-id needs --pool-id"):
        existing_pools_from_options(None, "c1")


def test_max_wait_and_code_source_from_the_environment(monkeypatch: pytest.MonkeyPatch, server: EmulatorServer) -> None:
    monkeypatch.setenv("AUTHFLOW_AWS_MAX_WAIT", "2m")
    monkeypatch.setenv("AUTHFLOW_CODE_SOURCE", "tests.backends.test_create_backend:no_codes")
    backend = create_backend("aws", endpoint_url=server.url)
    assert isinstance(backend, AwsBackend)
    assert backend.max_wait_s == 120
    assert backend.sent_messages("p", "a@example.com") == []
    monkeypatch.setenv("AUTHFLOW_AWS_MAX_WAIT", "soon")
    with pytest.raises(AwsSetupError, match="AUTHFLOW_AWS_MAX_WAIT: not a duration"):
        create_backend("aws", endpoint_url=server.url)


def no_codes(pool_id: str, to: str | None) -> list[dict[str, str]]:
    return []
