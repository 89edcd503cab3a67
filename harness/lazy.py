"""Packages whose public names load on first use (PEP 562).

pytest imports the authflow plugin in every run of a project that has authflow installed, scenarios or not.
The plugin reaches light modules of the scenario and report packages; importing those packages must not load
the scenario loader, the emulator and botocore with them. `import harness` (where every command starts) must
not either.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, where: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of `package`, whose public names live in the modules `where` gives;
    `namespace` is the package's globals(), where a loaded name is kept so it is looked up once."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted([*namespace, *where])

    return __getattr__, __dir__
