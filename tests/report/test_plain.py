"""Plain lines for CI logs (one per run, failures in full, GitHub annotations) and the table's icon fallback."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from harness.engine.results import ScenarioResult, Status, StepResult
from harness.report.redact import Redactor
from harness.report.terminal import github_annotations, plain_failure, plain_line, result_table
from tests.report.planted import SECRETS, planted_results


def test_one_plain_line_per_run_greppable_and_redacted() -> None:
    redactor = Redactor()
    lines = [plain_line(result, redactor) for result in planted_results()]
    assert lines[0].split("  ")[0].strip() in {"PASSED", "FAILED", "BROKEN", "SKIPPED"}
    for line, result in zip(lines, planted_results(), strict=True):
        assert "\n" not in line
        assert line.startswith(f"{result.status.value.upper():<7}  {result.scenario_id}  pool={result.pool}  ")
    text = "\n".join(lines) + "\n".join(plain_failure(r, redactor) for r in planted_results())
    for secret in SECRETS.values():
        assert secret not in text


def test_a_plain_line_says_why_a_run_was_skipped_on_the_same_line() -> None:
    result = ScenarioResult(
        "c[p]", "C", "c.yaml", "p", "aws", Status.SKIPPED, message="no clock\non aws", duration_s=0.5
    )
    assert plain_line(result, Redactor()) == "SKIPPED  c[p]  pool=p  0.500s  no clock / on aws"


def test_a_failure_in_full_shows_control_characters_instead_of_sending_them() -> None:
    step = StepResult(0, "call X", "call", 4, Status.FAILED, message="bad \x1b[2J thing")
    result = ScenarioResult("x[p]", "X", "x.yaml", "p", "emulator", Status.FAILED, steps=[step])
    text = plain_failure(result, Redactor())
    assert "\x1b" not in text and "\\x1b[2J" in text and "at x.yaml:4" in text


def _problem(file: str, message: str) -> ScenarioResult:
    step = StepResult(1, "call InitiateAuth", "call", 7, Status.FAILED, message=message)
    return ScenarioResult("wrong[pool,a:b]", "W", file, "p", "emulator", Status.FAILED, steps=[step], message=message)


def test_github_annotations_one_line_escaped_for_failures_only(tmp_path: Path) -> None:
    passed = ScenarioResult("ok[p]", "OK", "ok.yaml", "p", "emulator", Status.PASSED)
    [line] = github_annotations(
        [passed, _problem("s/wrong.yaml", "100% wrong\r\nsecond, line: x")], Redactor(), tmp_path
    )
    assert line == ("::error file=s/wrong.yaml,line=7,title=wrong[pool%2Ca%3Ab]::100%25 wrong\\x0d%0Asecond, line: x")


def test_github_annotation_files_are_relative_to_the_workspace(tmp_path: Path) -> None:
    file = str(tmp_path / "scenarios" / "wrong.yaml")
    [line] = github_annotations([_problem(file, "m")], Redactor(), tmp_path)
    assert line.startswith("::error file=scenarios/wrong.yaml,line=7,")


def test_github_annotations_never_show_a_secret() -> None:
    text = "\n".join(github_annotations(planted_results(), Redactor(), Path.cwd()))
    assert text.count("::error ") == 2
    for secret in SECRETS.values():
        assert secret not in text


def test_the_table_falls_back_to_words_where_the_encoding_has_no_emoji() -> None:
    result = ScenarioResult("f[p]", "F", "f.yaml", "p", "emulator", Status.FAILED)
    console = Console(record=True, width=120, color_system=None)
    console.print(result_table([result], encoding="cp1252"))
    text = console.export_text()
    assert "failed" in text and "❌" not in text
    console.print(result_table([result], encoding="utf-8"))
    assert "❌ failed" in console.export_text()
