"""A team's own secrets (`secrets:` variables, `sensitive(...)` values) show in no report of a real run."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from harness.engine.results import ScenarioResult, Status

API_KEY = "Canary-ApiKey-7781xyz"
OTHER = "Canary-Other-5512q"
SAVED = "canary-saved-user-4410"

SCENARIO = f"""\
scenario: Secrets of the team's own
secrets: [api_key, saved_name]
vars:
  api_key: {API_KEY}
  other: ${{{{ sensitive("{OTHER}") }}}}
steps:
  - call: AdminCreateUser     # Username is normally shown in reports: here it is the team's secret
    params: {{Username: "${{{{ api_key }}}}", MessageAction: SUPPRESS,
             UserAttributes: [{{Name: email, Value: "${{{{ other }}}}@example.com"}}]}}
  - call: AdminCreateUser
    params: {{Username: {SAVED}, MessageAction: SUPPRESS}}
    save: {{saved_name: User.Username}}
  - name: a failing expectation shows both sides, masked
    call: AdminGetUser
    params: {{Username: "${{{{ api_key }}}}"}}
    expect: {{response: {{Username: "not-${{{{ other }}}}", UserAttributes: [{{Value: "${{{{ saved_name }}}}"}}]}}}}
"""


def test_secret_values_show_in_no_report_terminal_or_allure_file(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "default.yaml").write_text("clients:\n  - name: web\n")
    (scenarios / "secrets.yaml").write_text(SCENARIO)
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "run", str(scenarios), "--reports", str(tmp_path / "reports")],
        capture_output=True, text=True, cwd=tmp_path, timeout=180, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr  # the last step fails, as written
    reports = tmp_path / "reports"
    names = {path.name for path in reports.iterdir()}
    assert {"results.json", "summary.html", "summary.md", "junit.xml", "allure-results"} <= names
    written = {path: path.read_bytes() for path in reports.rglob("*") if path.is_file()}
    assert any(path.parent.name == "allure-results" and b"attachment" in path.name.encode() for path in written)
    for value in (API_KEY, OTHER, SAVED):
        assert value not in done.stdout + done.stderr, value
        assert not [path for path, text in written.items() if value.encode() in text], value
    assert "‹redacted:secret›" in done.stdout  # said what it was, not left out
    results = (reports / "results.json").read_text(encoding="utf-8")
    assert "‹redacted:secret›@example.com" not in results  # a string built around a secret is masked whole
    assert "‹redacted:secret›" in results


def test_a_secret_number_is_masked_however_the_variable_is_set() -> None:
    from harness.report.redact import Redactor
    from harness.steps.context import Variables

    variables = Variables.for_scenario(("pin", "result"))
    variables.update(pin=918273, other=5)
    variables.setdefault("result", {"Secret": "Nested-Secret-55", "ExpiresIn": 3600})
    assert variables["other"] == 5
    redacted = Redactor().redact({"x": 918273, "y": "code 918273", "z": "Nested-Secret-55", "n": 3600})
    assert redacted == {"x": "‹redacted:secret›", "y": "code ‹redacted:secret›", "z": "‹redacted:secret›", "n": 3600}
    copied = dataclasses.asdict(ScenarioResult("s", "t", "f", "p", "b", Status.PASSED, variables=variables))
    assert copied["variables"] == {
        "pin": 918273,
        "other": 5,
        "result": {"Secret": "Nested-Secret-55", "ExpiresIn": 3600},
    }
