"""junit.xml: parseable, counts right, failed -> <failure>, broken -> <error>, skipped -> <skipped>."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.report import write_reports
from harness.report.junit import xml_text
from tests.report.planted import ESCAPE_SEQUENCE, SECRETS, planted_results


@pytest.fixture
def root(tmp_path: Path) -> ET.Element:
    path = write_reports(planted_results(), tmp_path, run_info={"backend": "emulator"})["junit"]
    return ET.parse(path).getroot()


def _counts(element: ET.Element) -> tuple[str | None, ...]:
    return tuple(element.get(k) for k in ("tests", "failures", "errors", "skipped"))


def test_counts_per_run_and_per_backend(root: ET.Element) -> None:
    assert root.tag == "testsuites" and _counts(root) == ("4", "1", "1", "1")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == ["authflow.emulator", "authflow.aws"]
    assert _counts(suites["authflow.emulator"]) == ("3", "1", "1", "0")
    assert _counts(suites["authflow.aws"]) == ("1", "0", "0", "1")
    assert suites["authflow.emulator"].get("timestamp") == "2023-11-14T22:13:20"
    for suite in suites.values():
        assert len(suite.findall("testcase")) == int(suite.get("tests") or 0)


def test_failed_is_a_failure_and_broken_an_error(root: ET.Element) -> None:
    cases = {c.get("name"): c for c in root.iter("testcase")}
    failed, broken, skipped, passed = (
        cases[n] for n in ("reuse[pool-a]", "broken[pool-a]", "clock[pool-b]", "list[pool-b]")
    )
    assert failed.get("classname") == "scenarios/reuse.yaml" and failed.get("time") == "0.066"
    failure = failed.find("failure")
    assert failure is not None and failed.find("error") is None
    assert (failure.text or "").startswith("scenarios/reuse.yaml:30: step 4 call DescribeUserPoolClient\n")
    assert "expected: " in (failure.text or "") and "got:      " in (failure.text or "")
    error = broken.find("error")
    assert error is not None and broken.find("failure") is None
    assert (error.get("message") or "").startswith("the backend failed: Invalid verification code ‹redacted:")
    skip = skipped.find("skipped")
    assert skip is not None and skip.get("message") == "the aws backend has no clock"
    assert [child.tag for child in passed] == ["system-out"]


def test_the_step_log_is_in_system_out(root: ET.Element) -> None:
    case = next(c for c in root.iter("testcase") if c.get("name") == "reuse[pool-a]")
    log = case.findtext("system-out") or ""
    assert "[ passed] 1. call InitiateAuth (scenarios/reuse.yaml:12, 12 ms)" in log
    assert (
        "[ failed] 4. call DescribeUserPoolClient (scenarios/reuse.yaml:30, 4 ms): UserPoolClient.ClientSecret" in log
    )


def test_characters_xml_cannot_carry_are_escaped_not_written(root: ET.Element) -> None:
    text = ET.tostring(root, encoding="unicode")
    assert ESCAPE_SEQUENCE not in text and "\\x1b[31m" in text and "\\x00" in text
    for secret in SECRETS.values():
        assert secret not in text


def test_exactly_the_characters_outside_xml_are_escaped() -> None:
    def is_xml_char(point: int) -> bool:  # XML 1.0's Char production
        return point in (0x9, 0xA, 0xD) or 0x20 <= point <= 0xD7FF or 0xE000 <= point <= 0xFFFD or point >= 0x10000

    points = range(0x110000)
    expected = "".join(chr(point) if is_xml_char(point) else f"\\x{point:02x}" for point in points)
    assert xml_text("".join(map(chr, points))) == expected
