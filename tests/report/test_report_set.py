"""ReportSet: a run's reports are written aside and switched in at once; leftovers of killed runs are swept,
but never what another live run is writing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.report.report_set import ENTRIES, STATE_DIR, ReportSet, fcntl

FILES = [name for name in ENTRIES if name != "allure-results"]


def _write_generation(reports: Path, run_id: str) -> ReportSet:
    report_set = ReportSet(reports, run_id)
    report_set.sweep()
    staging = report_set.begin()
    for name in FILES:
        (staging / name).write_text(f"{name} of {run_id}")
    (staging / "allure-results" / f"{run_id}-result.json").write_text(run_id)
    return report_set


def _seen(reports: Path) -> dict[str, str]:
    """Each entry as a reader sees it (links followed): the run id it holds."""
    seen = {name: (reports / name).read_text().rsplit(" ", 1)[-1] for name in FILES}
    seen["allure-results"] = ",".join(sorted(p.stem.split("-")[0] for p in (reports / "allure-results").iterdir()))
    return seen


def test_each_publish_switches_every_entry_to_one_run(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _write_generation(reports, "aaaa1111").publish()
    assert set(_seen(reports).values()) == {"aaaa1111"}
    second = _write_generation(reports, "bbbb2222")
    assert set(_seen(reports).values()) == {"aaaa1111"}  # written aside: nothing visible changed yet
    second.publish()
    assert set(_seen(reports).values()) == {"bbbb2222"}
    assert sorted(os.listdir(reports / STATE_DIR)) == ["current", "lock", "run-bbbb2222"]  # the first is gone


def test_a_run_that_fails_before_the_switch_leaves_the_previous_set(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _write_generation(reports, "aaaa1111").publish()
    broken = _write_generation(reports, "bbbb2222")
    (broken.staging / "summary.html").unlink()  # the writer died before this file
    with pytest.raises(FileNotFoundError, match=r"summary\.html"):
        broken.publish()
    broken.discard()
    assert set(_seen(reports).values()) == {"aaaa1111"}
    assert not broken.staging.exists()


def test_discard_never_removes_the_generation_already_switched_in(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    published = _write_generation(reports, "aaaa1111")
    published.publish()
    published.discard()  # e.g. a failure after the switch: the directory must not be emptied
    assert set(_seen(reports).values()) == {"aaaa1111"}


def test_the_sweep_removes_what_killed_runs_left(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _write_generation(reports, "aaaa1111").publish()
    killed = _write_generation(reports, "dead0000")  # written, never published nor discarded: killed
    killed._release()  # the kernel drops a killed process's lock
    (reports / ".summary.html.0badf00d.tmp").write_text("half")  # the atomic writer's, killed mid-write
    (reports / STATE_DIR / ".current.0badf00d.tmp").symlink_to("run-dead0000")
    removed = ReportSet(reports, "cccc3333").sweep()
    assert sorted(p.name for p in removed) == [".current.0badf00d.tmp", ".summary.html.0badf00d.tmp", "run-dead0000"]
    assert sorted(os.listdir(reports / STATE_DIR)) == ["current", "lock", "run-aaaa1111"]
    assert set(_seen(reports).values()) == {"aaaa1111"}


@pytest.mark.skipif(fcntl is None, reason="advisory locks are POSIX")
def test_the_sweep_spares_a_run_that_is_still_writing(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _write_generation(reports, "aaaa1111").publish()
    live = _write_generation(reports, "bbbb2222")  # holds the shared lock while it writes
    assert ReportSet(reports, "cccc3333").sweep() == []
    assert live.staging.is_dir()
    live.publish()
    assert set(_seen(reports).values()) == {"bbbb2222"}


def test_files_of_an_older_authflow_are_adopted_and_other_files_left_alone(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    (reports / "allure-results").mkdir(parents=True)
    (reports / "allure-results" / "old0000-result.json").write_text("old")
    for name in FILES:
        (reports / name).write_text(f"{name} of old0000")
    (reports / "compare").mkdir()
    (reports / ".gitkeep").write_text("")
    _write_generation(reports, "aaaa1111").publish()
    assert set(_seen(reports).values()) == {"aaaa1111"}
    assert all((reports / name).is_symlink() for name in ENTRIES)
    assert sorted(os.listdir(reports)) == sorted([".authflow", ".gitkeep", "compare", *ENTRIES])
    assert sorted(os.listdir(reports / STATE_DIR)) == ["current", "lock", "run-aaaa1111"]


def test_without_symlinks_the_entries_are_moved_in_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_symlinks(*args: object, **kwargs: object) -> None:
        raise OSError("symbolic links are not supported here")

    monkeypatch.setattr(os, "symlink", no_symlinks)
    reports = tmp_path / "reports"
    _write_generation(reports, "aaaa1111").publish()
    _write_generation(reports, "bbbb2222").publish()
    assert set(_seen(reports).values()) == {"bbbb2222"}
    assert not any((reports / name).is_symlink() for name in ENTRIES)
    assert [name for name in os.listdir(reports / STATE_DIR) if name != "lock"] == []


def test_a_run_with_nothing_to_report_leaves_no_reports_folder(tmp_path: Path) -> None:
    """A project's pytest run without scenarios begins a set (allure may need its place) and discards it."""
    reports = tmp_path / "reports"
    empty = ReportSet(reports, "aaaa1111")
    empty.sweep()
    empty.begin()
    empty.discard()
    assert not reports.exists()


def test_a_discarded_run_leaves_a_folder_it_did_not_make(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "notes.txt").write_text("mine")
    empty = ReportSet(reports, "aaaa1111")
    empty.begin()
    empty.discard()
    assert sorted(os.listdir(reports)) == ["notes.txt"]


def test_a_discarded_run_leaves_the_previous_set_whole(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _write_generation(reports, "aaaa1111").publish()
    empty = ReportSet(reports, "bbbb2222")
    empty.begin()
    empty.discard()
    assert set(_seen(reports).values()) == {"aaaa1111"}
    assert sorted(os.listdir(reports / STATE_DIR)) == ["current", "lock", "run-aaaa1111"]


@pytest.mark.skipif(fcntl is None, reason="advisory locks (fcntl) are POSIX-only")
def test_a_discarded_run_leaves_the_state_of_a_run_still_writing(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    writing = _write_generation(reports, "bbbb2222")
    empty = ReportSet(reports, "aaaa1111")
    empty.begin()
    empty.discard()  # the other run holds the lock: nothing of the state folder may go
    assert sorted(os.listdir(reports / STATE_DIR)) == ["lock", "run-bbbb2222"]
    writing.publish()
    assert set(_seen(reports).values()) == {"bbbb2222"}


@pytest.mark.skipif(fcntl is None, reason="advisory locks (fcntl) are POSIX-only")
def test_a_run_beginning_while_another_tidies_up_locks_the_file_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tidy-up removes the lock file and the state folder; a run that opened the old file just before locks
    it after they are gone: it must notice, and take a lock on a file in place, or a sweep could take its work."""
    assert fcntl is not None
    reports = tmp_path / "reports"
    first = ReportSet(reports, "aaaa1111")
    first.begin()
    real_flock = fcntl.flock
    interleaved: list[str] = []

    def flock(handle: int, operation: int) -> None:
        if operation == fcntl.LOCK_SH and not interleaved:  # the second run, between its open and its lock
            interleaved.append("tidied")
            first.discard()
            assert not reports.exists()
        real_flock(handle, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    second = ReportSet(reports, "bbbb2222")
    second.begin()
    monkeypatch.setattr(fcntl, "flock", real_flock)
    assert interleaved == ["tidied"] and second.staging.is_dir()
    assert second._lock is not None and os.stat(reports / STATE_DIR / "lock").st_ino == os.fstat(second._lock).st_ino
    assert ReportSet(reports, "cccc3333").sweep() == []  # its lock counts: the sweep spares its generation
    assert second.staging.is_dir()
    second.discard()
