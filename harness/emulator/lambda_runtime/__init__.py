"""Lambda triggers from handler source files: Node.js (.mjs/.js/.cjs) and Python (.py), run as Lambda runs them.

A pool file names a handler as Lambda does (``{handler: lambdas/define.mjs:handler}``, relative to the pool
file); each becomes a :class:`HandlerFunction`, a trigger callable for the emulator's TriggerRegistry, backed by a
long-lived worker process (``node`` or this Python, JSON over pipes). See docs/triggers.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from harness.emulator.lambda_runtime.function import (
    COGNITO_WAIT_S,
    TRIGGER_LOGS,
    FunctionError,
    HandlerFunction,
    TriggerLogs,
)
from harness.emulator.lambda_runtime.spec import (
    HANDLER_PATTERN,
    HandlerSpec,
    HandlerSpecError,
    parse_spec,
    runtime_of,
    spec_problems,
)
from harness.emulator.lambda_runtime.worker import NODE_MISSING, RuntimeMissing, node_executable

__all__ = [
    "COGNITO_WAIT_S",
    "HANDLER_PATTERN",
    "NODE_MISSING",
    "TRIGGER_LOGS",
    "FunctionError",
    "HandlerFunction",
    "HandlerSpec",
    "HandlerSpecError",
    "RuntimeMissing",
    "TriggerLogs",
    "handler_function",
    "is_handler",
    "node_executable",
    "parse_spec",
    "resolve_handlers",
    "runtime_of",
    "spec_problems",
]


def is_handler(spec: Any) -> bool:
    """Whether a pool file's trigger entry names handler source (rather than a recipe or a Python callable)."""
    return isinstance(spec, dict) and "handler" in spec


def handler_function(
    trigger: str, spec: dict[str, Any], *, region: str, label: str, base_dir: Path | None = None
) -> HandlerFunction:
    """The trigger callable for a `handler:` entry (paths relative to ``base_dir``, else absolute or the working
    directory's); HandlerSpecError for an unusable entry, RuntimeMissing when node is not installed."""
    parsed = parse_spec(spec, base_dir or Path.cwd())
    function_name = re.sub(r"[^\w-]", "-", f"authflow-{label}-{trigger}")[:64]
    arn = f"arn:aws:lambda:{region}:000000000000:function:{function_name}"
    return HandlerFunction(parsed, trigger, function_name=function_name, arn=arn, region=region)


def resolve_handlers(triggers: dict[str, dict[str, Any]], base_dir: Path) -> dict[str, dict[str, Any]]:
    """A pool file's triggers with each handler's path made absolute (it is written relative to the pool file),
    so the configuration works wherever it is used from; other entries as they are."""
    resolved = {}
    for name, spec in triggers.items():
        if is_handler(spec) and isinstance(spec["handler"], str) and ":" in spec["handler"]:
            path, _, function = spec["handler"].rpartition(":")
            spec = {**spec, "handler": f"{(base_dir / path).resolve()}:{function}"}
        resolved[name] = spec
    return resolved
