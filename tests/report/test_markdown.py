"""summary.md: headline, a table of every run, and for each problem the step, file:line, why, expected vs got."""

from __future__ import annotations

from harness.engine.results import ScenarioResult, Status, StepResult
from harness.report.markdown import MAX_SECTIONS, block, code, render_markdown
from harness.report.redact import Redactor
from harness.report.summary import build_view
from tests.report.planted import CLIENT_SECRET, SCRIPT, planted_results


def _markdown(results: list[ScenarioResult]) -> str:
    return render_markdown(build_view(results, {"backend": "emulator"}, Redactor()))


def test_headline_and_table() -> None:
    text = _markdown(planted_results())
    assert text.startswith("## authflow: 4 scenario runs: 1 passed, 1 failed, 1 broken, 1 skipped\n")
    assert "✅ **1** passed · ❌ **1** failed · 💥 **1** broken · ⏭️ **1** skipped" in text
    assert "| ❌ failed | Planted \\| secrets<br>`reuse[pool-a]` | pool-a | emulator | 66 ms |" in text
    assert "| ⏭️ skipped | Needs a clock<br>`clock[pool-b]` | pool-b | aws | 0 ms |" in text
    assert "backend emulator, aws · 2.25 s · started 2023-11-14T22:13:20Z" in text


def test_the_failing_step_is_located_by_file_and_line() -> None:
    text = _markdown(planted_results())
    assert "**Step 4** `call DescribeUserPoolClient` at `scenarios/reuse.yaml:30` — failed" in text
    assert "**Step 2** `call ConfirmSignUp` at `scenarios/broken.yaml:14` — broken" in text
    section = text.split("### ❌ Planted \\| secrets")[1].split("### ")[0]
    assert '"ClientSecret": "absent"' in section  # expected
    assert '"ClientSecret": "‹redacted:clientsecret›"' in section  # got, redacted
    assert CLIENT_SECRET not in text


def test_free_text_cannot_inject_html_or_break_the_table() -> None:
    text = _markdown(planted_results())
    assert SCRIPT in text  # shown, inside a code block...
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            assert "<script" not in line  # ...and nowhere else
        if line.startswith("| ") and "Planted" in line:
            assert line.count(" | ") == 4  # five cells: the title's pipe is escaped


def test_skipped_runs_are_listed_with_their_reason() -> None:
    assert "- `clock[pool-b]` on aws: the aws backend has no clock" in _markdown(planted_results())


def test_a_problem_without_steps_shows_its_message() -> None:
    broken = ScenarioResult("x[p]", "Crashed", "x.yaml", "p", "emulator", Status.BROKEN, message="harness crashed")
    assert "```text\nharness crashed\n```" in _markdown([broken])


def test_a_step_without_expectation_must_succeed() -> None:
    step = StepResult(0, "call GetUser", "call", 7, Status.FAILED, response={"Error": {"Code": "X"}}, message="no")
    failed = ScenarioResult("g[p]", "GetUser", "g.yaml", "p", "emulator", Status.FAILED, [step], message="no")
    assert "expected:\n\n```text\nthe step succeeds\n```" in _markdown([failed])


def test_detail_sections_stop_at_the_limit_and_large_values_are_cut() -> None:
    step = StepResult(0, "call X", "call", 3, Status.FAILED, response={"Items": ["v" * 50] * 200}, message="no")
    results = [
        ScenarioResult(f"s{i}[p]", f"S {i}", "s.yaml", "p", "emulator", Status.FAILED, [step])
        for i in range(MAX_SECTIONS + 5)
    ]
    text = _markdown(results)
    assert text.count("\n### ") == MAX_SECTIONS
    assert "…and 5 more: see summary.html or results.json." in text
    assert "more characters)" in text and len(text) < 300_000


def test_code_spans_and_blocks_survive_backticks() -> None:
    assert code("a`b") == "``a`b``"
    assert code("`x") == "`` `x ``"
    assert block("```\nx\n```") == ["````text", "```\nx\n```", "````"]


def test_an_empty_run() -> None:
    assert _markdown([]).startswith("## authflow: 0 scenario runs: nothing ran\n\nnothing ran\n")


HOSTILE_CLEANUP = {
    "log": ["aws: could not delete pool p | <script>alert(1)</script>\x1b[31m"],
    "leftovers": [{"pool_id": "p|1", "name": "<b>x</b>", "reason": "`tick` | pipe", "command": "sweep --pool-id `p`"}],
    "teardown_failures": [{"scenario_id": "s[pool]", "message": "could not tear down pool p: <i>busy</i>\n| x"}],
}


def test_a_partial_run_says_so_above_everything_else() -> None:
    run_info = {"backend": "emulator", "interrupted": True, "collected": 9}
    text = render_markdown(build_view(planted_results(), run_info, Redactor()))
    assert text.startswith("## authflow: 4 scenario runs: 1 passed, 1 failed, 1 broken, 1 skipped (partial: ")
    assert "> **partial: interrupted after 4 of 9 scenario runs**" in text.split("|")[0]


def test_the_cleanup_section_cannot_break_the_page() -> None:
    text = render_markdown(build_view(planted_results(), {"cleanup": HOSTILE_CLEANUP}, Redactor()))
    section, log = text.split("## Cleanup", 1)[1].split("<details><summary>cleanup log (1)</summary>")
    assert "<b>" not in section and "<i>" not in section
    assert "```text\naws: could not delete pool p | <script>alert(1)</script>\\x1b[31m\n```" in log  # fenced
    assert "- pool p\\|1 (&lt;b&gt;x&lt;/b&gt;): `tick` \\| pipe: `` sweep --pool-id `p` ``" in section
    assert "- `s[pool]`: could not tear down pool p: &lt;i&gt;busy&lt;/i&gt; \\| x" in section
