"""docs/emulator.md lists the implemented operations as the registry has them: the count is generated, not typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cognito import service
from harness.emulator.operations_doc import BEGIN, END, main, operations_block, updated
from harness.emulator.ops import registry

PAGE = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"


def test_the_page_is_current_with_the_registry() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert updated(page) == page, (
        "docs/emulator.md is out of date: python -m harness.emulator.operations_doc docs/emulator.md"
    )


def test_the_block_names_every_implemented_operation_once_and_counts_them() -> None:
    block = operations_block()
    rows = [line for line in block.split("|---|---|", 1)[1].splitlines() if line.startswith("| ")]
    operations = [name for row in rows for name in row.rstrip(" |").rsplit(" | ", 1)[1].split(", ")]
    assert sorted(operations) == sorted(registry.implemented())
    assert f"**{len(registry.implemented())} of the {len(service.operation_names())} cognito-idp operations**" in block


def test_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "emulator.md"
    page.write_text(f"# The emulator\n\n{BEGIN}\nstale: 49 of 153\n{END}\n\nmore\n", encoding="utf-8")
    assert main([str(page), "--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    assert main([str(page)]) == 0
    assert main([str(page), "--check"]) == 0
    assert "stale" not in page.read_text() and page.read_text().endswith("\n\nmore\n")
    page.write_text("no markers\n")
    with pytest.raises(ValueError, match="markers"):
        main([str(page)])
