"""summary.html: one self-contained page (inline CSS and JS, no external resources) for people to read."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from harness.report.atomic import write_atomic
from harness.report.summary import RunView, pretty


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("harness.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("summary.html.j2")


def render_html(view: RunView) -> str:
    return _template().render(view=view, pretty=pretty)


def write_html(view: RunView, path: Path) -> Path:
    return write_atomic(path, render_html(view))
