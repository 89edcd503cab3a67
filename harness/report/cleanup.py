"""What a run could not clean up, in one shape for every command and report.

A scenario's teardown can fail, and a backend's ``close()`` (which deletes what the run still owns, also after
Ctrl-C) can leave pools behind. Both cost money on a real account and must be seen: `authflow run` and
`authflow compare` print them with `cleanup_lines`, and results.json, summary.html and summary.md carry them
in a ``cleanup`` section (``run.cleanup`` in results.json).

A backend reports through two optional attributes: ``cleanup_log`` (lines saying what ``close()`` did) and
``leftovers()`` (what it could not remove, each with the command that removes it). Backends without them
(the emulator) have nothing to report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from harness.report.redact import Redactor  # loads the botocore model: only where lines are printed


@runtime_checkable
class ReportsLeftovers(Protocol):
    """A backend that can name what it could not remove (the aws backend, after ``close()``)."""

    def leftovers(self) -> Sequence[object]: ...


@dataclass
class Cleanup:
    """The cleanup part of a run: JSON-ready, and merged across xdist workers."""

    log: list[str] = field(default_factory=list)
    """What backends' close() did, each line prefixed with the backend's name."""
    leftovers: list[dict[str, Any]] = field(default_factory=list)
    """What could not be removed: pool_id, name, reason, command (the shell command that removes it), ..."""
    teardown_failures: list[dict[str, str]] = field(default_factory=list)
    """{"scenario_id", "message"} for each scenario whose pool could not be torn down."""

    def __bool__(self) -> bool:
        return bool(self.log or self.leftovers or self.teardown_failures)

    def add(self, other: Cleanup) -> None:
        self.log += other.log
        self.leftovers += other.leftovers
        self.teardown_failures += other.teardown_failures

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cleanup:
        return cls(
            log=[str(line) for line in data.get("log", [])],
            leftovers=[dict(item) for item in data.get("leftovers", [])],
            teardown_failures=[dict(item) for item in data.get("teardown_failures", [])],
        )


def _plain(item: object) -> dict[str, Any]:
    """A leftover as JSON data, whatever the backend's type for it (a dataclass, a mapping, or text)."""
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        data: dict[str, Any] = _json_safe(dataclasses.asdict(item))
        return data
    if isinstance(item, Mapping):
        return _json_safe(dict(item))  # type: ignore[no-any-return]
    return {"description": str(item)}


def _json_safe(value: Any) -> Any:
    """Tuples become lists and unknown objects text, so the data survives JSON and xdist's channel."""
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def backend_cleanup(backend: object) -> Cleanup:
    """What `backend` reported after ``close()``: its cleanup log and its leftovers (none when it has no API)."""
    name = str(getattr(backend, "name", "backend"))
    log = [f"{name}: {line}" for line in getattr(backend, "cleanup_log", None) or []]
    leftovers = backend.leftovers() if isinstance(backend, ReportsLeftovers) else []
    return Cleanup(log=log, leftovers=[{"backend": name, **_plain(item)} for item in leftovers])


def describe_leftover(leftover: Mapping[str, Any], with_command: bool = True) -> str:
    """One line a person can act on: what was left, why, and (unless shown apart) the command that removes it."""
    what = str(leftover.get("kind") or "pool")
    pool = str(leftover.get("pool_id") or "")
    name = str(leftover.get("name") or "")
    users = leftover.get("usernames") or []
    subject = leftover.get("description") or (f"{what} {pool}" + (f" ({name})" if name else ""))
    if users:
        subject = f"users {', '.join(map(str, users))} in pool {pool}"
    reason = f": {leftover['reason']}" if leftover.get("reason") else ""
    command = f"; remove with: {leftover['command']}" if with_command and leftover.get("command") else ""
    backend = f"{leftover['backend']}: " if leftover.get("backend") else ""
    return f"{backend}{subject}{reason}{command}"


def cleanup_lines(cleanup: Cleanup, redactor: Redactor | None = None) -> list[str]:
    """The lines a command prints after a run (redacted): the same text for `authflow run` and compare."""
    lines: list[str] = [*cleanup.log]
    lines += [f"teardown failed: {f['scenario_id']}: {f['message']}" for f in cleanup.teardown_failures]
    if cleanup.leftovers:
        lines.append(f"left behind ({len(cleanup.leftovers)}):")
        lines += [f"  {describe_leftover(item)}" for item in cleanup.leftovers]
    if redactor is None:
        from harness.report.redact import Redactor

        redactor = Redactor()
    return [str(redactor.redact_text(line)) for line in lines]
