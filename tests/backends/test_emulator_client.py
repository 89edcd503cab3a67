"""The emulator backends' botocore clients share the loader that read the model for the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.backends.emulator import EmulatorBackend
from harness.scenario.model import ClientConfig, PoolConfig
from tests.emulator.conftest import botocore_files_read

CONFIG = PoolConfig(name="plain", path=Path("plain.yaml"), clients=(ClientConfig(name="web"),))


@pytest.mark.parametrize("http", [False, True], ids=["in-process", "http"])
def test_a_backend_reads_no_model_file_the_emulator_has_read(http: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    first = EmulatorBackend(http=http)
    first.teardown(first.provision(CONFIG, run_id="warm"))  # every file read once in this process
    first.close()
    read = botocore_files_read(monkeypatch)
    backend = EmulatorBackend(http=http)
    try:
        pool = backend.provision(CONFIG, run_id="shared")
        assert backend.cognito().describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]["Id"] == pool.pool_id
        backend.teardown(pool)
    finally:
        backend.close()
    assert read == []
