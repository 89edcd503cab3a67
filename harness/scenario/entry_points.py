"""The entry points installed packages declare for authflow (step kinds, template functions).

Asking importlib for one group opens every installed package's metadata; the harness asks three times at
start-up (the loader for function names, then the plugin loader for kinds and for functions). One read per
process serves them all.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from typing import Any


def entry_points(group: str) -> tuple[metadata.EntryPoint, ...]:
    """The entry points of ``group`` that installed packages declare."""
    return tuple(_all_entry_points().select(group=group))


@cache
def _all_entry_points() -> Any:  # EntryPoints from Python 3.12, SelectableGroups before: both select by group
    return metadata.entry_points()
