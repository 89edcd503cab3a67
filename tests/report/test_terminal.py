"""The rich result table: one row per run, redacted, markup in messages printed literally."""

from __future__ import annotations

from rich.console import Console

from harness.engine.results import ScenarioResult, Status
from harness.report.terminal import result_table
from tests.report.planted import SECRETS, planted_results


def _render(results: list[ScenarioResult], width: int = 240) -> str:
    console = Console(record=True, width=width, color_system=None)
    console.print(result_table(results))
    return console.export_text()


def test_one_row_per_run_redacted() -> None:
    text = _render(planted_results())
    assert "authflow: 4 scenario runs: 1 passed, 1 failed, 1 broken, 1 skipped" in text
    for scenario_id in ("reuse[pool-a]", "broken[pool-a]", "clock[pool-b]", "list[pool-b]"):
        assert scenario_id in text
    assert "backend" in text  # two backends ran, so the column is there
    assert "❌ failed" in text and "66 ms" in text and "500 ms" in text
    for secret in SECRETS.values():
        assert secret not in text


def test_markup_in_a_message_is_printed_literally() -> None:
    result = ScenarioResult("m[p]", "M", "m.yaml", "p", "emulator", Status.FAILED, message="got [red]x[/] and [/bold]")
    text = _render([result])
    assert "got [red]x[/] and [/bold]" in text
    header = next(line for line in text.splitlines() if "status" in line)
    assert "scenario" in header and "backend" not in header  # one backend: no column


def test_control_characters_are_shown_not_sent_to_the_terminal() -> None:
    result = ScenarioResult("c[p]", "C", "c.yaml", "p", "emulator", Status.BROKEN, message="\x1b[2Jcleared\x07")
    text = _render([result])
    assert "\x1b" not in text and "\\x1b[2Jcleared\\x07" in text


def test_long_messages_are_cut_to_three_lines() -> None:
    result = ScenarioResult("m[p]", "M", "m.yaml", "p", "emulator", Status.BROKEN, message="1\n2\n3\n4\n5")
    assert "… 2 more lines" in _render([result])
