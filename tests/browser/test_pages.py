"""The HTML pages in a real headless browser: the filters, expand/collapse and the failure card work, and the
page logs no error (a script error would leave the toolbar hidden, a planted `<script>` must not run).

Chromium comes from the system (Debian's `chromium` package), driven by Playwright's Python API. Without
either, these tests are skipped with the reason; `.ci/run` installs chromium and sets
AUTHFLOW_REQUIRE_BROWSER=1, so in CI a missing browser fails instead of passing silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.backends.emulator import EmulatorBackend
from harness.compare import ASSERT, compare, write_comparison
from harness.engine.library import discover
from harness.report.html import write_html
from harness.report.redact import Redactor
from harness.report.summary import build_view
from tests.report.planted import SECRETS, planted_results

REPO = Path(__file__).resolve().parents[2]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless in a closed network: no sandbox (CI runs as root), no background connections that would be refused.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("AUTHFLOW_REQUIRE_BROWSER") == "1":
        pytest.fail(f"AUTHFLOW_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    executable = os.environ.get("AUTHFLOW_CHROMIUM") or next(filter(None, map(shutil.which, CANDIDATES)), None)
    if executable is None:
        _unavailable("no chromium on this machine: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        except Error as exc:
            _unavailable(f"{executable} did not start: {exc}")
        yield launched
        launched.close()


class Page:
    """A page opened from a file, with every console error and uncaught exception it produced."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(path.as_uri())

    def visible_cards(self) -> int:
        return int(self.page.locator("details.card:visible").count())

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def summary_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(build_view(planted_results(), {}, Redactor()), tmp_path_factory.mktemp("summary") / "s.html")


@pytest.fixture
def summary(browser: Any, summary_file: Path) -> Iterator[Page]:
    page = Page(browser, summary_file)
    yield page
    page.close()


def test_the_summary_runs_its_script_without_errors_and_no_planted_script(summary: Page) -> None:
    assert summary.page.locator("#toolbar").is_visible()  # the script un-hides it as its last act
    assert summary.page.locator("#shown").inner_text() == "4 of 4 shown"
    assert summary.errors == [] and summary.dialogs == []  # '<script>alert(...)' in a message stayed text
    html = summary.page.content()
    assert not any(secret in html for secret in SECRETS.values())


def test_status_buttons_and_the_tag_filter_narrow_the_cards(summary: Page) -> None:
    page = summary.page
    page.get_by_role("button", name="failed 1").click()
    assert summary.visible_cards() == 1
    assert page.locator("details.card:visible").get_attribute("data-status") == "failed"
    assert page.get_by_role("button", name="failed 1").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="all 4").click()
    assert summary.visible_cards() == 4
    page.select_option("#tag-filter", "smoke")
    assert summary.visible_cards() == 1 and page.locator("#shown").inner_text() == "1 of 4 shown"
    page.get_by_role("button", name="skipped 1").click()  # smoke is the passed run: nothing left
    assert summary.visible_cards() == 0 and page.locator("#empty").is_visible()
    assert summary.errors == []


def test_expand_and_collapse_all_and_the_failure_card(summary: Page) -> None:
    page = summary.page
    opened = page.locator("details.card[open]")
    assert opened.count() == 2  # failed and broken open by themselves
    failed = page.locator("details.card[data-status=failed]")
    assert failed.locator(".callout").is_visible()
    page.get_by_role("button", name="collapse all").click()
    assert opened.count() == 0 and not failed.locator(".callout").is_visible()
    page.get_by_role("button", name="expand all").click()
    assert opened.count() == 4
    failed.locator("> summary").click()  # a card's own summary still toggles it
    assert not failed.locator(".callout").is_visible()
    assert summary.errors == []


@pytest.fixture(scope="module")
def compare_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    library = discover(REPO / "scenarios")
    scenario = next(s for s in library.scenarios if s.id == "flow-not-enabled")
    backend = EmulatorBackend()
    try:
        pools = [library.pools["srp-only"], library.pools["password-only"]]
        comparison = compare([scenario], lambda _: pools, [backend], mode=ASSERT, run_id="browser1")
    finally:
        backend.close()
    return write_comparison(comparison, tmp_path_factory.mktemp("compare"))["html"]


def test_the_compare_page_shows_only_the_differing_steps_on_request(browser: Any, compare_file: Path) -> None:
    page = Page(browser, compare_file)
    rows = page.page.locator("tbody tr")
    assert rows.count() == 3 and page.page.locator("tbody tr:visible").count() == 3
    page.page.get_by_label("show only the steps that differ").check()
    assert page.page.locator("tbody tr:visible").count() == 1
    assert "InitiateAuth" in page.page.locator("tbody tr:visible").inner_text()
    assert page.page.locator("tbody tr:visible .changed").count() >= 1  # what differs is marked
    page.page.get_by_label("show only the steps that differ").uncheck()
    assert page.page.locator("tbody tr:visible").count() == 3
    assert page.errors == []
    page.close()
