"""Write report files atomically, so a run killed mid-write leaves the previous report readable, never half a file.

The new content goes to a temporary file in the target's own directory (`os.replace` is atomic only within
one file system), is flushed and fsync'ed, then renamed over the target. On any failure, including
KeyboardInterrupt, the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create_temporary(directory: Path, name: str) -> tuple[int, Path]:
    """A new file next to the target, created with the umask's permissions (mkstemp would make it 0600)."""
    while True:
        candidate = directory / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(candidate, _FLAGS, 0o666), candidate
        except FileExistsError:
            continue


def sync_directory(directory: Path) -> None:
    """Make the rename itself durable where a directory can be opened (POSIX); best effort elsewhere."""
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Replace `path` with `data` (text is written as UTF-8) in one step; creates the parent directories."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = _create_temporary(path.parent, path.name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(payload)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_directory(path.parent)
    return path
