"""A trigger named by its handler source, as Lambda names it: ``lambdas/define.mjs:handler``.

The runtime follows the file type (Node.js for .mjs/.js/.cjs, Python for .py), the function is the exported name
after the colon, and the path is relative to the pool file that names it. Lambda's own limits apply to what a pool
file may set: a timeout of 1 to 900 seconds (default 3) [Lambda API reference, CreateFunction `Timeout`], and
environment variables as a map of names (letters, digits, underscores; starting with a letter) to strings
[CreateFunction `Environment.Variables`].
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Runtime = Literal["node", "python"]

NODE_SUFFIXES = (".mjs", ".js", ".cjs")
PYTHON_SUFFIXES = (".py",)
HANDLER_PATTERN = r"^[^:]+\.(mjs|js|cjs|py):[A-Za-z_$][\w$]*$"
"""The `handler:` value of a pool file: a path with a known suffix, a colon, an exported name."""
ENV_NAME_PATTERN = r"^[a-zA-Z]\w*$"
DEFAULT_TIMEOUT_S = 3.0  # Lambda's default function timeout
MAX_TIMEOUT_S = 900.0
RESERVED_ENV = frozenset(
    {
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    }
)  # fmt: skip
"""Names Lambda reserves ("Defined runtime environment variables", Lambda developer guide): a function cannot set
them, so a pool file cannot either."""


class HandlerSpecError(ValueError):
    """A `handler:` trigger a pool file names cannot be used; the message says why."""


def runtime_of(path: str) -> Runtime | None:
    """The runtime a handler file runs on, by its suffix; None for a suffix Lambda has no runtime for here."""
    suffix = Path(path).suffix
    if suffix in NODE_SUFFIXES:
        return "node"
    if suffix in PYTHON_SUFFIXES:
        return "python"
    return None


@dataclass(frozen=True)
class HandlerSpec:
    """One handler trigger: the file (absolute once resolved), the exported function, its settings."""

    file: Path
    function: str
    environment: dict[str, str] = field(default_factory=dict)
    timeout_s: float = DEFAULT_TIMEOUT_S
    shown: str = ""
    """The `handler:` value as the pool file wrote it, for messages."""

    @property
    def runtime(self) -> Runtime:
        runtime = runtime_of(str(self.file))
        assert runtime is not None  # parse() refuses other suffixes
        return runtime

    @property
    def module(self) -> str:
        """The file name without its suffix: Lambda's handler setting is `<module>.<function>`."""
        return self.file.stem

    @property
    def lambda_handler(self) -> str:
        """The function's Handler setting on Lambda (the file sits at the root of the deployed zip)."""
        return f"{self.module}.{self.function}"


def spec_problems(spec: Mapping[str, Any], base_dir: Path) -> list[tuple[tuple[str, ...], str]]:
    """What the pool schema cannot see in a `handler:` trigger, as (key path under the trigger, message) pairs: a
    file that is not there, a variable name Lambda reserves. (Its shapes and ranges are the schema's to check.)"""
    problems: list[tuple[tuple[str, ...], str]] = []
    written = spec.get("handler")
    if isinstance(written, str) and re.match(HANDLER_PATTERN, written):
        path = written.rpartition(":")[0]
        file = (base_dir / path).resolve()
        if not file.is_file():
            problems.append((("handler",), f"handler file {path} not found (looked for {file})"))
    environment = spec.get("environment")
    if isinstance(environment, Mapping):
        for name in environment:
            if name in RESERVED_ENV:
                problems.append((("environment", str(name)), f"environment variable {name} is reserved by Lambda"))
    return problems


def parse_spec(spec: Mapping[str, Any], base_dir: Path) -> HandlerSpec:
    """A pool file's `{handler: path:function, environment: {...}, timeout: seconds}`, the path resolved against
    ``base_dir`` (the pool file's folder); HandlerSpecError, saying why, when it cannot be used."""
    written = spec.get("handler")
    if not isinstance(written, str) or not re.match(HANDLER_PATTERN, written):
        raise HandlerSpecError(
            f"handler {written!r} must be <file>.mjs|.js|.cjs|.py:<function>, e.g. lambdas/define.mjs:handler"
        )
    problems = spec_problems(spec, base_dir)
    if problems:
        raise HandlerSpecError(problems[0][1])
    environment = spec.get("environment") or {}
    if not isinstance(environment, Mapping):
        raise HandlerSpecError("environment must be a map of NAME: value")
    for name, value in environment.items():
        if not isinstance(name, str) or not re.match(ENV_NAME_PATTERN, name):
            raise HandlerSpecError(
                f"environment variable name {name!r} must start with a letter and hold letters, digits and _"
            )
        if not isinstance(value, (str, int, float, bool)):
            raise HandlerSpecError(f"environment variable {name} must be a string")
    timeout = spec.get("timeout", DEFAULT_TIMEOUT_S)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 1 <= timeout <= MAX_TIMEOUT_S:
        raise HandlerSpecError(f"timeout {timeout!r} must be a number of seconds from 1 to 900")
    path, _, function = written.rpartition(":")
    return HandlerSpec(
        file=(base_dir / path).resolve(),  # an absolute path stays itself
        function=function,
        environment={str(k): _env_text(v) for k, v in environment.items()},
        timeout_s=float(timeout),
        shown=written,
    )


def _env_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
