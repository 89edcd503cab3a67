"""summary.html: well formed, self-contained (nothing loaded from elsewhere), escaped, one card per run."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.engine.results import ScenarioResult, Status, StepResult
from harness.report import write_reports
from harness.report.html import link_target, render_html
from harness.report.redact import Redactor
from harness.report.summary import build_view
from tests.report.planted import SCRIPT, planted_results

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_URL = re.compile(r"\b(?:https?:)?//[\w.-]+", re.IGNORECASE)


class Page(HTMLParser):
    """Checks nesting as it goes and collects what the tests look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.links: list[str] = []
        self.scripts = 0
        self.cards: list[dict[str, str | None]] = []
        self.text_outside_links: list[str] = []
        self.code: list[str] = []  # inline CSS and JS

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value and _URL.search(value) and not (tag == "a" and name == "href"):
                self.problems.append(f"<{tag} {name}={value!r}> points elsewhere")
        if tag == "script":
            self.scripts += 1
            if "src" in values:
                self.problems.append("an external script")
        if tag in ("link", "img", "iframe", "object", "embed", "base", "form"):
            self.problems.append(f"<{tag}> has no business here")
        if tag == "a":
            self.links.append(str(values.get("href")))
        if tag == "details" and "card" in (values.get("class") or ""):
            self.cards.append(values)
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] in ("style", "script"):
            self.code.append(data)
        elif "a" not in self.open:
            self.text_outside_links.append(data)


@pytest.fixture
def page(tmp_path: Path) -> tuple[str, Page]:
    html = write_reports(planted_results(), tmp_path, run_info={"backend": "emulator"})["html"].read_text("utf-8")
    parsed = Page()
    parsed.feed(html)
    parsed.close()
    return html, parsed


def test_the_page_is_well_formed(page: tuple[str, Page]) -> None:
    html, parsed = page
    assert html.startswith("<!doctype html>")
    assert parsed.problems == [] and parsed.open == []


def test_nothing_is_loaded_from_elsewhere(page: tuple[str, Page]) -> None:
    html, parsed = page
    assert parsed.scripts == 1
    assert not any(_URL.search(code) for code in parsed.code), "a URL in the inline CSS or JS"
    assert "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html  # and the browser is told so
    assert not [text for text in parsed.text_outside_links if _URL.search(text)]


def test_refs_are_links_but_only_http_ones(page: tuple[str, Page]) -> None:
    html, parsed = page
    assert parsed.links == ["https://example.com/issue/1"]
    assert "javascript:alert(1)" in html  # shown as text, not as a link
    assert link_target("http://example.com/x") == "http://example.com/x"
    assert link_target("data:text/html,hi") is None and link_target("https:///nohost") is None


def test_a_planted_script_is_escaped(page: tuple[str, Page]) -> None:
    html, parsed = page
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&#34;planted&#34;)&lt;/script&gt;" in html
    assert parsed.scripts == 1


def test_one_card_per_run_worst_first_problems_open(page: tuple[str, Page]) -> None:
    _, parsed = page
    assert [(c["data-status"], "open" in c) for c in parsed.cards] == [
        ("broken", True),
        ("failed", True),
        ("skipped", False),
        ("passed", False),
    ]
    assert parsed.cards[1]["data-tags"] == "session user-auth"


def test_the_card_shows_pool_backend_tags_and_the_failing_line(page: tuple[str, Page]) -> None:
    html, _ = page
    assert "pool <b>pool-a</b>" in html and '<span class="tag">user-auth</span>' in html
    assert "step 4 · call DescribeUserPoolClient · <code>scenarios/reuse.yaml:30</code>" in html
    assert '<option value="smoke">smoke</option>' in html  # the tag filter


def test_an_empty_run_renders(tmp_path: Path) -> None:
    empty: list[ScenarioResult] = []
    html = render_html(build_view(empty, {"backend": "emulator"}, Redactor()))
    parsed = Page()
    parsed.feed(html)
    assert parsed.problems == [] and "No scenario ran." in html


def test_json_in_pre_blocks_is_escaped() -> None:
    step = StepResult(0, "call X", "call", 1, Status.FAILED, response={"Message": "</pre><script>x()</script>&amp;"})
    result = ScenarioResult("x[p]", "X", "x.yaml", "p", "emulator", Status.FAILED, [step])
    html = render_html(build_view([result], {}, Redactor()))
    assert "<script>x()" not in html
    assert '"Message": "&lt;/pre&gt;&lt;script&gt;x()&lt;/script&gt;&amp;amp;"' in html
    parsed = Page()
    parsed.feed(html)
    assert parsed.problems == [] and parsed.scripts == 1


def test_a_partial_run_and_its_cleanup_are_shown() -> None:
    from tests.report.test_markdown import HOSTILE_CLEANUP

    run_info = {"backend": "emulator", "interrupted": True, "collected": 9, "cleanup": HOSTILE_CLEANUP}
    html = render_html(build_view(planted_results(), run_info, Redactor()))
    assert '<p class="partial" role="alert"><strong>partial: interrupted after 4 of 9 scenario runs</strong>' in html
    section = html.split('<section class="cleanup"', 1)[1].split("</section>", 1)[0]
    assert "<script>" not in section and "&lt;script&gt;" in section and "\x1b" not in section
    assert "<pre>sweep --pool-id `p`</pre>" in section


def test_a_failure_is_shown_once_as_expected_against_got() -> None:
    why = "error: expected UserNotFoundException, got NotAuthorizedException: Wrong.; message: expected 'Nope.', got 'Wrong.'"
    step = StepResult(
        1, "call InitiateAuth", "call", 10, Status.FAILED,
        request={"AuthFlow": "USER_PASSWORD_AUTH"},
        response={"Error": {"Code": "NotAuthorizedException", "Message": "Wrong."}},
        expected={"error": "UserNotFoundException", "message": "Nope."},
        message=why,
    )  # fmt: skip
    result = ScenarioResult("s[p]", "S", "s.yaml", "p", "emulator", Status.FAILED, steps=[step])
    result.message = f"step 2 (call InitiateAuth, line 10): {why}"
    html = render_html(build_view([result], {}, Redactor()))
    assert html.count("expected UserNotFoundException") == 0  # the reasons are a table, not the raw sentence
    assert html.count("Nope.") == 2  # once in the table, once in the collapsed "expected" data
    table = html[html.index('<table class="why">') : html.index("</table>")]
    rows = re.findall(
        r"<tr><th scope=\"row\">(.*?)</th><td><code>(.*?)</code></td><td><code>(.*?)</code></td></tr>", table
    )
    assert rows == [
        ("error", "UserNotFoundException", "NotAuthorizedException: Wrong."),
        ("message", "&#39;Nope.&#39;", "&#39;Wrong.&#39;"),
    ]
    assert "why is shown above" in html
    assert "<details open>" not in html  # the raw data stays folded: the table already says what differs


def test_reasons_that_are_not_expected_against_got_are_kept_whole() -> None:
    from harness.report.summary import reasons

    found = reasons("expected success, got X: y; save: session = Session found nothing in the response")
    assert [(r.what, r.expected, r.got) for r in found] == [("outcome", "success", "X: y"), ("", "", "")]
    assert found[1].text == "save: session = Session found nothing in the response"
    [but] = reasons("error: expected E, but the call succeeded")
    assert (but.what, but.expected, but.got) == ("error", "E", "the call succeeded")
