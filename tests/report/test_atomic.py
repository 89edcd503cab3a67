"""Atomic writes: a crash mid-write leaves the previous file intact and no temporary file behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.report.atomic import write_atomic


def test_writes_text_and_bytes_and_creates_directories(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "summary.md"
    assert write_atomic(target, "héllo\n") == target
    assert target.read_bytes() == "héllo\n".encode()
    write_atomic(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert [p.name for p in target.parent.iterdir()] == ["summary.md"]


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_crash_mid_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "summary.md"
    write_atomic(target, "previous report\n")

    def crash(*_: object) -> None:
        raise KeyboardInterrupt  # the run is killed (Ctrl-C) just then

    monkeypatch.setattr(os, failing, crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "half of a new report")
    monkeypatch.undo()
    assert target.read_text() == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.md"]  # no temporary file left


def test_a_new_file_gets_the_umasks_permissions(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    umask = os.umask(0o022)
    try:
        target = write_atomic(tmp_path / "report.html", "x")
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644  # readable by CI artifact uploaders, not 0600
