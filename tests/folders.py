"""Scenario folders the command-line tests run: the smallest library that passes."""

from __future__ import annotations

from pathlib import Path


def one_passing_scenario(root: Path, conftest: str = "") -> Path:
    """`root/scenarios` with a default pool and one scenario that passes (and `conftest` as its conftest.py)."""
    scenarios = root / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "default.yaml").write_text("clients:\n  - name: web\n")
    (scenarios / "no-user.yaml").write_text(
        "scenario: No such user\nsteps:\n  - call: AdminGetUser\n    params: {Username: nobody}\n"
        "    expect: {error: UserNotFoundException}\n"
    )
    if conftest:
        (scenarios / "conftest.py").write_text(conftest)
    return scenarios
