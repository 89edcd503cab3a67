"""Scenario values as a reader should see them in the catalogue: templates named, never evaluated; secrets
never shown; durations in words.

The catalogue is committed documentation, so nothing here may run a template (``unique()`` would change the
file on every run) or copy a password or code out of a scenario file.
"""

from __future__ import annotations

import re

from harness.spec.template import Expr, TemplateError, parse_string

_SECRET_KEY = re.compile(
    r"password|secret|session|credential|answer|(^|_)code$|confirmationcode|usercode|(access|id|refresh)_?token$",
    re.IGNORECASE,
)
"""Keys whose values are secrets (Password, NEW_PASSWORD, ConfirmationCode, SMS_MFA_CODE, Session, tokens,
SECRET_HASH, ...). Their values are never shown, only that they are there."""


def is_secret_key(key: str) -> bool:
    """True for a key whose value must stay out of the documentation."""
    return bool(_SECRET_KEY.search(key))


def show_templates(value: object) -> str:
    """``${{ username }}`` as ``‹username›`` (the expression, unevaluated); ``$${{`` as the literal it means."""
    text = str(value)
    try:
        segments = parse_string(text)
    except TemplateError:  # loaded scenarios parse; stay readable for anything else
        return text
    return "".join(f"‹{segment.source}›" if isinstance(segment, Expr) else segment for segment in segments)


def one_line(text: str) -> str:
    """Whitespace runs (newlines included) as one space: diagram statements and list items are one line."""
    return " ".join(text.split())


_UNITS = (("d", 86400), ("h", 3600), ("min", 60))


def duration_words(seconds: float) -> str:
    """181 -> ``3 min 1 s``; 86400 -> ``1 d``: how long a ``clock`` step waits, as a reader says it."""
    parts: list[str] = []
    rest = seconds
    for unit, size in _UNITS:
        count = int(rest // size)
        if count:
            parts.append(f"{count} {unit}")
            rest -= count * size
    if rest or not parts:
        parts.append(f"{rest:g} s")
    return " ".join(parts)
