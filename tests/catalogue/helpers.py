"""A small scenario library written to a temporary folder, loaded the way `authflow docs` loads one."""

from __future__ import annotations

import textwrap
from pathlib import Path

from harness.engine.library import discover
from harness.scenario.model import Library


def write_library(tmp_path: Path, **files: str) -> Library:
    """Scenario files (``name=YAML``, ``_`` in a name becomes ``-``) and pools a, b, c under ``tmp_path/scenarios``."""
    root = tmp_path / "scenarios"
    (root / "pools").mkdir(parents=True, exist_ok=True)
    for pool in ("a", "b", "c"):
        (root / "pools" / f"{pool}.yaml").write_text("clients:\n  - name: web\n  - name: other\n")
    for name, body in files.items():
        (root / f"{name.replace('_', '-')}.yaml").write_text(textwrap.dedent(body))
    library = discover(root)
    assert library.ok, "\n".join(str(issue) for issue in library.issues)
    return library
