"""Reports: redaction everywhere (a canary run), JSON round trip, HTML, Markdown, JUnit, atomic writes."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.engine.results import ScenarioResult, Status, StepResult
from harness.report import write_reports
from harness.report.atomic import write_atomic
from harness.report.json_results import read_json
from harness.report.redact import Redactor, fingerprint

PASSWORD = "Planted-Password-1!"
CODE = "48151623"
SESSION = "AYABeplanted-session-value-" + "x" * 60
ACCESS = "eyJraWQiOiJwbGFudGVkIn0.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlLXBsYW50ZWQ"
REFRESH = "afrt.planted-refresh-token-value"
CLIENT_SECRET = "plantedclientsecret0123456789abcdefghijklmnopq"
SECRETS = (PASSWORD, CODE, SESSION, ACCESS, REFRESH, CLIENT_SECRET)


def planted_results() -> list[ScenarioResult]:
    steps = [
        StepResult(0, "call InitiateAuth", "call", 12, Status.PASSED,
                   request={"AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "ada", "PASSWORD": PASSWORD}},
                   response={"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": SESSION}),
        StepResult(1, "call RespondToAuthChallenge", "call", 20, Status.PASSED,
                   request={"Session": SESSION, "ChallengeResponses": {"USERNAME": "ada", "EMAIL_OTP_CODE": CODE}},
                   response={"AuthenticationResult": {"AccessToken": ACCESS, "RefreshToken": REFRESH}}),
        StepResult(2, "call DescribeUserPoolClient", "call", 30, Status.FAILED,
                   request={"ClientId": "abc"}, response={"UserPoolClient": {"ClientSecret": CLIENT_SECRET}},
                   expected={"response": {"Session": "present"}},
                   message=f"got code {CODE} and session {SESSION} where <script>alert(1)</script> was expected"),
    ]  # fmt: skip
    failed = ScenarioResult(
        "reuse[pool-a]", "Planted secrets", "scenarios/reuse.yaml", "pool-a", "emulator", Status.FAILED, steps,
        tags=["session"], refs=["https://example.com/issue"], message=f"step 3: saw {PASSWORD}",
        variables={"password": PASSWORD, "first_session": SESSION, "access": ACCESS},
    )  # fmt: skip
    broken = ScenarioResult(
        "b[pool-a]", "Broken one", "scenarios/b.yaml", "pool-a", "emulator", Status.BROKEN, message="backend down"
    )
    skipped = ScenarioResult(
        "s[pool-a]", "Skipped one", "scenarios/s.yaml", "pool-a", "aws", Status.SKIPPED, message="no clock"
    )
    passed = ScenarioResult("p[pool-b]", "Passed one", "scenarios/p.yaml", "pool-b", "emulator", Status.PASSED)
    return [failed, broken, skipped, passed]


@pytest.fixture
def written(tmp_path: Path) -> dict[str, Path]:
    return write_reports(planted_results(), tmp_path, run_info={"backend": "emulator"})


def test_no_secret_reaches_any_report(written: dict[str, Path], tmp_path: Path) -> None:
    for file in tmp_path.rglob("*"):
        if file.is_file():
            content = file.read_bytes()
            for secret in SECRETS:
                assert secret.encode() not in content, f"{secret[:12]}... leaked into {file.name}"
    document = json.loads(written["json"].read_text())
    [failed] = [r for r in document["results"] if r["status"] == "failed"]
    marker = f"‹session:{fingerprint(SESSION)}›"
    assert failed["steps"][0]["response"]["Session"] == marker
    assert failed["steps"][1]["request"]["Session"] == marker  # the same session shows the same fingerprint
    assert failed["variables"]["first_session"] == marker
    assert marker in failed["steps"][2]["message"]
    assert failed["steps"][2]["expected"] == {"response": {"Session": "present"}}  # matchers are not secrets
    assert failed["steps"][0]["request"]["AuthParameters"]["USERNAME"] == "ada"  # usernames stay readable


def test_json_round_trip(written: dict[str, Path]) -> None:
    results = read_json(written["json"])
    assert [r.status for r in results] == [Status.FAILED, Status.BROKEN, Status.SKIPPED, Status.PASSED]
    assert results[0].steps[0].line == 12
    document = json.loads(written["json"].read_text())
    assert document["run"]["counts"] == {"passed": 1, "failed": 1, "broken": 1, "skipped": 1}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts += 1
            assert "src" not in values
        if tag in ("link", "img", "iframe"):
            self.sources.append(str(values.get("href") or values.get("src")))


def test_html_is_self_contained_and_escapes(written: dict[str, Path]) -> None:
    html = written["html"].read_text()
    collector = _Collector()
    collector.feed(html)
    assert collector.sources == [] and collector.scripts == 1
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://example.com/issue">' in html


def test_markdown_points_at_the_failing_step(written: dict[str, Path]) -> None:
    markdown = written["markdown"].read_text()
    assert "`scenarios/reuse.yaml:30`" in markdown
    assert "| ❌ | Planted secrets | pool-a | emulator |" in markdown


def test_junit_counts_and_kinds(written: dict[str, Path]) -> None:
    root = ET.parse(written["junit"]).getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    emulator = suites["authflow.emulator"]
    assert (emulator.get("tests"), emulator.get("failures"), emulator.get("errors")) == ("3", "1", "1")
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["reuse[pool-a]"].find("failure") is not None
    assert cases["b[pool-a]"].find("error") is not None
    assert cases["s[pool-a]"].find("skipped") is not None


def test_an_interrupted_write_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "summary.md"
    write_atomic(target, "previous report\n")

    def crash(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "half of a new report")
    assert target.read_text() == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.md"]


def test_redactor_rules() -> None:
    redactor = Redactor()
    assert redactor.redact({"Password": "hunter22"}) == {"Password": "‹redacted:password›"}
    assert redactor.redact_text("the password hunter22 leaked") == "the password ‹redacted:password› leaked"
    assert redactor.redact({"ClientSecret": "s3cr3t-value"})["ClientSecret"].startswith("‹redacted:")
    assert redactor.redact({"Username": "ada", "ChallengeName": "SMS_MFA"}) == {
        "Username": "ada",
        "ChallengeName": "SMS_MFA",
    }
    assert redactor.redact({"ConfirmationCode": "123456"}) == {"ConfirmationCode": "‹redacted:confirmationcode›"}
    assert redactor.redact("eyJa.eyJb.c2ln") == f"‹jwt:{fingerprint('eyJa.eyJb.c2ln')}›"
    assert redactor.redact(redactor.redact({"Session": "s" * 40})) == redactor.redact({"Session": "s" * 40})


def test_codes_in_outbox_messages_are_secret_but_error_codes_are_not() -> None:
    redactor = Redactor()
    message = {"Destination": "ada@example.com", "Medium": "EMAIL", "Code": "123456", "Purpose": "SignUp"}
    assert redactor.redact(message)["Code"] == "‹redacted:code›"
    error = {"Error": {"Code": "NotAuthorizedException", "Message": "Incorrect username or password."}}
    assert redactor.redact(error) == error
