"""Problems found in a spec file, reported as ``path:line:col key.path: message (hint)``.

Every check in the spec layer produces :class:`Problem` values (a key path, no position); the loader turns
them into :class:`SpecIssue` values by looking the key path up in the YAML mark index. Keeping positions out
of the checks lets them run on plain Python values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.errors import AuthflowError

KeyPath = tuple[str | int, ...]
"""A path into a document: mapping keys and list indexes, e.g. ``("steps", 2, "params", "AuthFlow")``."""

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def format_key_path(path: Sequence[str | int]) -> str:
    """Render ``("steps", 2, "params")`` as ``steps[2].params``; the empty path is ``<root>``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out or "<root>"


@dataclass(frozen=True)
class SpecIssue:
    """One problem at one place of one file (line and column are 1-based)."""

    path: Path
    line: int
    col: int
    key_path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col} {self.key_path}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SpecError(AuthflowError):
    """A spec file (or several) could not be loaded; ``issues`` lists every problem found."""

    def __init__(self, issues: Iterable[SpecIssue]) -> None:
        self.issues: list[SpecIssue] = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


@dataclass(frozen=True)
class Problem:
    """A problem at a key path: ``on_key`` places it on the mapping key rather than on its value.

    ``at`` (1-based line, column) overrides the key-path lookup, for the few problems whose place is not a
    key path (a duplicate key has the same path as the first one).
    """

    path: KeyPath
    message: str
    hint: str = ""
    on_key: bool = False
    at: tuple[int, int] | None = None
