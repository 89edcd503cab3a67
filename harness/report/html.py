"""summary.html: one self-contained page for people (inline CSS, a few lines of inline JS for the filters).

The template is package data (`harness/report/templates/summary.html.j2`, covered by pyproject's
`**/*.html.j2`). Autoescaping is on, and a Content-Security-Policy forbids loading anything from elsewhere, so
a message holding `<script>` is shown, not run, and the page works offline (CI artifacts, mail attachments).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from harness.report.atomic import write_atomic
from harness.report.cleanup import describe_leftover
from harness.report.summary import (
    ICONS,
    RunView,
    first_problem_step,
    headline,
    human_duration,
    partial_note,
    pretty,
    reasons,
)


def pretty_text(value: Any) -> Markup:
    """Indented JSON for a <pre>: only &, < and > need escaping in text content (quotes stay readable and
    the page stays smaller than with attribute-grade escaping)."""
    text = pretty(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(text)  # escaped on the line above


def link_target(ref: str) -> str | None:
    """`ref` when it is safe as a link (http or https); anything else (javascript:, data:) is shown as text."""
    try:
        parts = urlsplit(ref)
    except ValueError:
        return None
    return ref if parts.scheme in ("http", "https") and parts.netloc else None


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's per-user cache of compiled templates (a private directory in the system's temporary folder):
    compiling the page's template costs about a tenth of a second in every run otherwise. None where that
    directory is not safe to use (jinja checks its owner and mode) or cannot be made."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (RuntimeError, OSError):
        return None


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("harness.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )
    environment.globals.update(
        icons=ICONS,
        pretty=pretty_text,
        duration=human_duration,
        link_target=link_target,
        first_problem=first_problem_step,
        reasons=reasons,
        leftover=describe_leftover,
    )
    return environment.get_template("summary.html.j2")


def render_html(view: RunView) -> str:
    return _template().render(view=view, headline=headline(view), partial=partial_note(view))


def write_html(view: RunView, path: Path) -> Path:
    return write_atomic(path, render_html(view))
