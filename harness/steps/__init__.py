"""Step kinds: one object each (see :class:`harness.steps.kind.StepKind`), one module each under ``kinds/``.

The table is read from the modules of ``harness/steps/kinds`` that define ``KIND``, so a new kind is one new
module (plus its tests and docs). Reading a module's ``KIND`` is not registration by side effect: the table is
built here, in one place, from what the modules define.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType

from harness.steps import kinds
from harness.steps.context import RunContext
from harness.steps.kind import StepKind


def _read_kinds() -> Mapping[str, StepKind]:
    found: dict[str, StepKind] = {}
    for module_info in sorted(pkgutil.iter_modules(kinds.__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{kinds.__name__}.{module_info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, StepKind):
            if kind.key in found:
                raise RuntimeError(f"two step kinds are named {kind.key!r}")
            found[kind.key] = kind
    return MappingProxyType(found)


STEP_KINDS: Mapping[str, StepKind] = _read_kinds()
"""Every step kind by its YAML key."""

__all__ = ["STEP_KINDS", "RunContext", "StepKind"]
