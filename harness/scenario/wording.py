"""Wording shared by all messages: did-you-mean hints, lists, type names (one voice for every error)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str], n: int = 1) -> list[str]:
    """The candidates that look most like ``word`` (case-insensitive), best first."""
    pool = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(word.lower(), list(pool), n=n, cutoff=0.6)
    return [pool[f] for f in found]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"did you mean 'params'?"`` or ``""`` when nothing is close."""
    found = closest(word, candidates)
    return f"did you mean {found[0]!r}?" if found else ""


def one_of(candidates: Iterable[str], limit: int = 12, conjunction: str = "or") -> str:
    """``"A, B or C"``; long lists are cut with an ellipsis so a message stays one line."""
    items = list(candidates)
    if len(items) > limit:
        return ", ".join(items[:limit]) + ", ..."
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def schema_type_words(types: str | list[str]) -> str:
    """JSON Schema type names as a reader says them: ``["string", "array"]`` -> ``a string or a list``."""
    names = [types] if isinstance(types, str) else list(types)
    return one_of([_TYPE_WORDS.get(name, name) for name in names])


def value_type_words(value: object) -> str:
    """What a YAML value is, in the words :func:`schema_type_words` uses."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    name = type(value).__name__
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"
