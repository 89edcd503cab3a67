"""One report set per run, switched in whole: the reports directory never shows files of two runs at once.

A run writes its whole report set (summary.html, summary.md, junit.xml, results.json and allure-results/)
into a fresh generation, ``<reports>/.authflow/run-<id>/``, and publishes it by replacing one symlink,
``<reports>/.authflow/current``, with ``os.replace``. rename(2) replaces a file or a symlink atomically but
never a non-empty directory, so the switch is a link, not the directory itself. The paths people and CI use do
not change: ``<reports>/summary.html`` and the others are relative symlinks through ``current``, made once::

    reports/
      summary.html   -> .authflow/current/summary.html      (and summary.md, junit.xml, results.json,
      allure-results -> .authflow/current/allure-results     allure-results: the same)
      .authflow/current -> run-1a2b3c4d                     (the switch)
      .authflow/run-1a2b3c4d/                               (the complete generation it points at)
      .authflow/lock                                        (see below)

A run killed at any moment (kill -9 included) leaves ``current`` on the previous complete generation; what it
was writing is removed by the next run's `ReportSet.sweep`, together with the hidden temporaries of the atomic
file writer. Other entries of the directory (``compare/``, ``.gitkeep``, files of other tools) are never
touched. A directory written by an older authflow (plain files) is adopted first: its files become a
generation of their own, so even that first switch never mixes two runs (see `ReportSet._adopt_older_files`).

Several runs may share one reports directory: each holds a shared advisory lock on ``.authflow/lock`` while
its generation exists, and a sweep removes anything only while it holds the lock exclusively, so it never
deletes what a live run is writing (POSIX; without ``fcntl`` a sweep assumes runs do not overlap).

Where symlinks cannot be made (Windows without the privilege, some network shares) the entries are moved in
one at a time, results.json last: each move is atomic, the set is not, and each report names its run id.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from harness.report.atomic import sync_directory

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None

ALLURE_DIR = "allure-results"
ENTRIES = (ALLURE_DIR, "junit.xml", "summary.md", "summary.html", "results.json")
"""The report set, in the order the fallback moves entries in (results.json, what tools read, last)."""
STATE_DIR = ".authflow"
CURRENT = "current"
LOCK = "lock"
_GENERATION = "run-"
# Temporaries of harness.report.atomic (``.<name>.<8 hex>.tmp``) next to a report entry, and the temporary
# links made here: what a run killed while writing leaves behind.
_TEMPORARY = re.compile(r"^\.?(?:{})\.[0-9a-f]{{8}}\.tmp$".format("|".join(map(re.escape, (*ENTRIES, CURRENT)))))


def _remove(path: Path) -> None:
    """Remove a file, a link or a directory tree; what is already gone is fine."""
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    """A hard link shares the data without copying it; a copy where the file system has none."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


class ReportSet:
    """The report set of one run in one reports directory: a staging generation, then one switch."""

    def __init__(self, reports_dir: Path, run_id: str) -> None:
        self.root = Path(os.path.abspath(reports_dir))
        self.state = self.root / STATE_DIR
        self.staging = self.state / f"{_GENERATION}{run_id}"
        self.run_id = run_id
        self._lock: int | None = None
        self._made_root = False  # whether begin() made the reports directory (discard then tidies it away)

    # --- the lifecycle: sweep at start, begin before anything is written, then publish or discard
    def sweep(self) -> list[Path]:
        """Remove what runs killed while writing left behind, unless another run is writing right now."""
        removed: list[Path] = []
        if not self.root.is_dir():
            return removed
        with self._exclusive() as alone:
            if not alone:
                return removed
            candidates = [self.root / name for name in os.listdir(self.root) if _TEMPORARY.match(name)]
            if self.state.is_dir():
                keep = {LOCK, CURRENT, self._current() or ""}
                candidates += [self.state / name for name in os.listdir(self.state) if name not in keep]
            for path in candidates:
                _remove(path)
                removed.append(path)
        return removed

    def begin(self) -> Path:
        """Create this run's (empty) generation and hold the shared lock; returns the directory to write into."""
        if self._lock is None and not self.staging.is_dir():
            self._made_root = self._made_root or not self.root.exists()
            self._lock = self._shared_lock()
            self.staging.mkdir()
            (self.staging / ALLURE_DIR).mkdir()  # always there: the entry link must not dangle without allure
        return self.staging

    @property
    def begun(self) -> bool:
        return self.staging.is_dir()

    def publish(self) -> Path:
        """Switch the reports directory to this run's generation in one step; returns the reports directory."""
        try:
            missing = [name for name in ENTRIES if not (self.staging / name).exists()]
            if missing:
                raise FileNotFoundError(f"the report set in {self.staging} lacks {', '.join(missing)}")
            sync_directory(self.staging)
            try:
                switch = self._switch_link(self.staging.name)
            except (OSError, NotImplementedError):
                self._move_in_one_at_a_time()
                return self.root
            previous = self._current() or self._adopt_older_files()
            os.replace(switch, self.state / CURRENT)
            sync_directory(self.state)
            self._link_entries()
            if previous is not None and previous != self.staging.name:
                _remove(self.state / previous)
            return self.root
        finally:
            self._release()

    def discard(self) -> None:
        """Drop this run's generation (nothing to report, or writing failed): the previous set stays. A
        generation already switched in stays too (a failure after the switch must not empty the directory)."""
        try:
            if self._current() != self.staging.name:
                _remove(self.staging)
        finally:
            self._release()
        self._tidy()

    def _tidy(self) -> None:
        """A run that leaves no reports leaves nothing else either (a project's pytest run without scenarios
        must not grow a reports folder): the lock and state folder go when no other run uses them and no set
        was ever switched in, and the reports folder too when this run made it and it is empty."""
        with self._exclusive() as alone:
            if not alone or not self.state.is_dir() or set(os.listdir(self.state)) - {LOCK}:
                return
            (self.state / LOCK).unlink(missing_ok=True)
            self.state.rmdir()
        if self._made_root:
            with contextlib.suppress(OSError):  # not empty (someone wrote there meanwhile): it stays
                self.root.rmdir()

    # --- helpers
    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[bool]:
        """Whether no other run holds the lock (then it is held exclusively for the block)."""
        if fcntl is None or not self.state.is_dir():
            yield True  # no generation was ever made here, so no run can be writing one
            return
        handle = os.open(self.state / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
            yield True
        finally:
            os.close(handle)

    def _shared_lock(self) -> int | None:
        """The shared lock a writing run holds (it waits only while another run sweeps), in a state folder made
        first. A run tidying up an unused folder (`_tidy`) may remove both in between: then it is tried again,
        and so is a lock taken on a file that was removed meanwhile."""
        while True:
            self.state.mkdir(parents=True, exist_ok=True)
            if fcntl is None:
                return None
            path = self.state / LOCK
            try:
                handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
            except FileNotFoundError:
                continue
            fcntl.flock(handle, fcntl.LOCK_SH)
            try:
                if os.stat(path).st_ino == os.fstat(handle).st_ino:
                    return handle
            except FileNotFoundError:
                pass
            os.close(handle)

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _current(self) -> str | None:
        """The name of the generation ``current`` points at, if any."""
        try:
            return os.path.basename(os.readlink(self.state / CURRENT))
        except OSError:
            return None

    def _switch_link(self, generation: str) -> Path:
        """A new link to `generation`, under a temporary name, to be renamed over ``current``."""
        while True:
            link = self.state / f".{CURRENT}.{secrets.token_hex(4)}.tmp"
            try:
                os.symlink(generation, link, target_is_directory=True)
                return link
            except FileExistsError:
                continue

    def _link_entries(self) -> None:
        """Make every entry a link through ``current`` (once per directory; later runs find them in place)."""
        for name in ENTRIES:
            path = self.root / name
            target = os.path.join(STATE_DIR, CURRENT, name)
            if path.is_symlink() and os.readlink(path) == target:
                continue
            if path.is_dir() and not path.is_symlink():  # rename(2) cannot put a link over a directory
                _remove(self._move_aside(path))
            link = self.root / f".{name}.{secrets.token_hex(4)}.tmp"
            os.symlink(target, link, target_is_directory=name == ALLURE_DIR)
            os.replace(link, path)
        sync_directory(self.root)

    def _move_aside(self, path: Path) -> Path:
        aside = self.state / f"old-{secrets.token_hex(4)}-{path.name}"
        os.rename(path, aside)
        return aside

    def _adopt_older_files(self) -> str | None:
        """Plain report files of an older authflow become a generation of their own (hard links, no copies),
        and `current` points at it, before this run's switch: each path keeps its content until the switch
        changes all at once. Only an old allure-results directory is absent for an instant: rename(2) cannot
        put its link over it, so it is moved aside first."""
        older = [name for name in ENTRIES if os.path.lexists(self.root / name)]
        if not older:
            return None
        adopted = self.state / f"{_GENERATION}older-{secrets.token_hex(4)}"
        adopted.mkdir()
        for name in older:
            source = self.root / name
            if source.is_dir() and not source.is_symlink():
                shutil.copytree(source, adopted / name, symlinks=True, copy_function=_link_or_copy)
            else:
                _link_or_copy(str(source), str(adopted / name))
        sync_directory(adopted)
        os.replace(self._switch_link(adopted.name), self.state / CURRENT)
        self._link_entries()
        return adopted.name

    def _move_in_one_at_a_time(self) -> None:
        """Without symlinks: each entry replaced atomically, results.json last; the set as a whole is not."""
        for name in ENTRIES:
            source, target = self.staging / name, self.root / name
            if source.is_dir():
                aside = self._move_aside(target) if os.path.lexists(target) else None
                os.rename(source, target)
                if aside is not None:
                    _remove(aside)
            else:
                os.replace(source, target)
        sync_directory(self.root)
        _remove(self.staging)
