"""`authflow compare` with the aws backend (on the emulator's endpoint) next to the embedded emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.emulator.server import EmulatorServer
from tests.backends.conftest import REPO, tagged_pools


def test_the_same_pools_on_two_backends_differ_only_where_the_pools_do(
    tmp_path: Path, server: EmulatorServer, admin: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["compare", str(REPO / "scenarios" / "flow-not-enabled.yaml"), "--backend", "emulator", "--backend", "aws",
            "--endpoint-url", server.url, "--mode", "assert", "--out", str(tmp_path)]  # fmt: skip
    assert main(argv) == 0
    [scenario] = json.loads((tmp_path / "compare.json").read_text())["scenarios"]
    assert [(c["backend"], c["pool"], c["status"]) for c in scenario["columns"]] == [
        ("emulator", "srp-only", "passed"), ("emulator", "password-only", "passed"),
        ("aws", "srp-only", "passed"), ("aws", "password-only", "passed"),
    ]  # fmt: skip
    refusal = scenario["rows"][2]["cells"]
    assert [cell["code"] for cell in refusal] == ["InvalidParameterException", "", "InvalidParameterException", ""]
    assert [cell["highlighted"] for cell in refusal] == [False, True, False, True]
    assert "emulator · srp-only" in (tmp_path / "compare.md").read_text()
    assert tagged_pools(admin) == {}
