"""results.json: a documented format that reads back into the same ScenarioResults (redacted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.engine.results import ScenarioResult, Status, result_from_dict
from harness.report import build_view, write_reports
from harness.report.json_results import FORMAT, VERSION, read_json, read_run, write_json
from harness.report.redact import Redactor, fingerprint
from harness.report.summary import redacted_results
from tests.report.planted import SESSION, passed_result, planted_results


def test_round_trip_keeps_every_field_but_the_secrets(tmp_path: Path) -> None:
    original = planted_results()
    path = write_json(original, tmp_path / "results.json", run_info={"backend": "emulator"})
    back = read_json(path)
    assert [r.status for r in back] == [Status.FAILED, Status.BROKEN, Status.SKIPPED, Status.PASSED]
    for before, after in zip(original, back, strict=True):
        assert isinstance(after, ScenarioResult)
        for name in ("scenario_id", "title", "file", "pool", "backend", "tags", "refs", "started_at", "duration_s",
                     "description"):  # fmt: skip
            assert getattr(after, name) == getattr(before, name), name
        assert [(s.index, s.label, s.kind, s.line, s.status, s.duration_s, s.retries) for s in after.steps] == [
            (s.index, s.label, s.kind, s.line, s.status, s.duration_s, s.retries) for s in before.steps
        ]
    assert back[0].steps[0].response == {
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": f"‹session:{fingerprint(SESSION)}›",
        "ChallengeParameters": {"USER_ID_FOR_SRP": "ada", "requiredAttributes": "[]"},
    }
    # A second trip changes nothing: markers are stable.
    assert read_json(write_json(back, tmp_path / "again.json", run_info={"backend": "emulator"})) == back


def test_the_document_has_a_format_a_version_and_a_run_block(tmp_path: Path) -> None:
    path = write_json(planted_results(), tmp_path / "results.json", run_info={"backend": "emulator", "workers": 2})
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == (FORMAT, VERSION)
    run = document["run"]
    assert run["backends"] == ["emulator", "aws"]
    assert run["counts"] == {"passed": 1, "failed": 1, "broken": 1, "skipped": 1}
    assert run["total"] == 4
    assert run["started_at"] == 1_700_000_000.0 and run["started"] == "2023-11-14T22:13:20Z"
    assert run["duration_s"] == pytest.approx(2.25)  # first start to last end
    assert run["workers"] == 2  # the caller's extra run info is kept
    assert len(document["results"]) == 4 and len(document["results"][0]["steps"]) == 4


def test_the_callers_run_info_wins_and_is_redacted(tmp_path: Path) -> None:
    redactor = Redactor()
    redactor.remember(SESSION, "Session")
    run_info = {"started_at": 1_600_000_000.0, "duration_s": 9.5, "endpoint": f"http://x/?s={SESSION}"}
    path = write_json([passed_result()], tmp_path / "r.json", run_info=run_info, redactor=redactor)
    run, _ = read_run(path)
    assert (run["started_at"], run["duration_s"]) == (1_600_000_000.0, 9.5)
    assert run["endpoint"] == f"http://x/?s=‹session:{fingerprint(SESSION)}›"


def test_an_empty_run_is_still_a_valid_document(tmp_path: Path) -> None:
    run, results = read_run(write_json([], tmp_path / "results.json", run_info={"backend": "aws"}))
    assert results == [] and run["backends"] == ["aws"] and run["started"] is None and run["total"] == 0


def test_fields_from_a_newer_writer_are_ignored(tmp_path: Path) -> None:
    path = write_json([passed_result()], tmp_path / "results.json", run_info={})
    document = json.loads(path.read_text(encoding="utf-8"))
    document["results"][0]["flakiness"] = 0.5
    document["results"][0]["steps"][0]["trace_id"] = "abc"
    path.write_text(json.dumps(document), encoding="utf-8")
    [result] = read_json(path)
    assert result.scenario_id == "list[pool-b]" and result.steps[0].label == "call ListUserPools"


@pytest.mark.parametrize(
    ("document", "error"),
    [({"format": "something-else", "version": 1, "results": []}, "not an authflow results file"),
     ([1, 2], "not an authflow results file"),
     ({"format": FORMAT, "version": VERSION + 1, "results": []}, "format version"),
     ({"format": FORMAT, "results": []}, "format version")],
)  # fmt: skip
def test_other_files_are_refused_with_a_reason(tmp_path: Path, document: object, error: str) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        read_json(path)


def test_published_copies_are_written_as_they_travelled(tmp_path: Path) -> None:
    """The pytest plugin hands over each result's redacted data beside the result read from it: the reports
    written from that pair say what reports written from the raw results say."""
    raw = planted_results()
    published = redacted_results(raw, Redactor())
    from_raw = write_reports(raw, tmp_path / "raw", run_info={"backend": "emulator"})
    from_published = write_reports(
        [result_from_dict(item) for item in published], tmp_path / "published", run_info={"backend": "emulator"},
        published=published,
    )  # fmt: skip
    for kind in ("json", "markdown", "junit"):
        assert from_published[kind].read_text("utf-8") == from_raw[kind].read_text("utf-8"), kind
    assert json.loads(from_published["json"].read_text("utf-8"))["results"] == published


def test_published_copies_must_match_the_results_one_for_one() -> None:
    raw = planted_results()
    with pytest.raises(ValueError, match="3 published results for 4 results"):
        build_view(raw, {}, Redactor(), published=redacted_results(raw, Redactor())[:3])
