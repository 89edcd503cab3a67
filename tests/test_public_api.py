"""The public API of ``harness``: pinned, so a name is added or removed only on purpose, and every name loads."""

from __future__ import annotations

import subprocess
import sys

import pytest

import harness

PUBLIC = [
    "AmplifyClient", "AuthflowError", "Backend", "Emulator", "EmulatorServer", "Library", "PoolConfig", "Powers",
    "Redactor", "RunContext", "STEP_KINDS", "Scenario", "ScenarioResult", "SoftwareAuthenticator", "SpecError",
    "SrpClient", "Status", "StepKind", "StepResult", "TemplateError", "create_backend", "discover", "load_pool",
    "load_scenario", "mock_cognito", "run_scenario", "write_reports",
]  # fmt: skip


def test_all_is_pinned() -> None:
    assert harness.__all__ == sorted(PUBLIC)


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_loads(name: str) -> None:
    assert getattr(harness, name) is not None


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = harness.nothing  # type: ignore[attr-defined]


def test_importing_the_package_loads_none_of_it() -> None:
    """`import harness` (where every command starts) costs nothing until a name is used: it loads only the
    helper that loads names on first use."""
    code = "import sys, harness; print(sorted(m for m in sys.modules if m.startswith('harness.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "['harness.lazy']"
