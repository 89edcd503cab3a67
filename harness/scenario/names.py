"""Naming rules shared by both schemas, the loader and the docs (a test keeps the JSON files in step)."""

from __future__ import annotations

import re
from typing import Final

POOL_NAME_PATTERN: Final = "^[a-z0-9][a-z0-9-]*$"
CLIENT_NAME_PATTERN: Final = "^[a-z0-9][a-z0-9-]*$"
VAR_NAME_PATTERN: Final = "^[A-Za-z_][A-Za-z0-9_]*$"
TAG_PATTERN: Final = "^[a-z0-9]+(-[a-z0-9]+)*$"

EXPECTATION_KEYS: Final = ("challenge", "error", "message", "response", "tokens")
"""Keys of one expectation; a pool may not be named like one, so the per-pool form stays unambiguous."""
DEFAULT_POOL: Final = "default"
"""The pool a scenario runs on when it names none, and the per-pool ``expect`` key covering other pools."""


def is_pool_name(name: str) -> bool:
    return bool(re.match(POOL_NAME_PATTERN, name)) and name not in EXPECTATION_KEYS


YAML_SUFFIXES: Final = (".yaml", ".yml")
POOLS_DIR: Final = "pools"
"""Pool files live in a ``pools/`` folder; the folder holding the nearest one is the library's root."""
FRAGMENTS_DIR: Final = "fragments"
"""Fragment files live in ``fragments/`` folders; neither folder holds scenarios."""

SUPPORT_DIRS: Final = (POOLS_DIR, FRAGMENTS_DIR)
"""Folders holding what scenarios use, never scenarios."""
