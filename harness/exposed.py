"""Values a scenario read from outside itself (environment variables), and its own secrets: shown nowhere, ever.

A scenario may read the environment only through the ``env("NAME")`` built-in. The value it gets is an
:class:`ExposedValue`, and the value, like every string a template builds around it, is registered here, in one
process-wide set, because the environment is process-wide too: every Redactor of the process (reports, allure
attachments written while a step runs, failure messages, the terminal) consults this set, whichever scenario
read the value. Under pytest-xdist each worker registers what its own scenarios read and redacts before its
results travel to the controller. A scenario's own secrets (the variables it lists in ``secrets:``, values it
wraps in ``sensitive(...)``) are registered the same way, labelled ``secret`` instead of ``env``.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_values: frozenset[str] = frozenset()
"""Replaced, never changed in place: a reader holding it has a consistent set, and a new object means news."""
_labels: dict[str, str] = {}
"""What each value is (``env``, ``secret``): the word its redaction marker shows. The first label sticks."""


class ExposedValue(str):
    """A string from the environment. Templates refuse to slice it or to hand it to a built-in that would
    echo it, and a string built around it is exposed as a whole."""

    __slots__ = ()


def expose(value: str, label: str = "env") -> ExposedValue:
    """Register ``value`` as never to be shown (``label`` says what it is: ``env``, ``secret``), and return it
    marked."""
    global _values
    text = str(value)
    with _lock:
        if text not in _values:
            _labels.setdefault(text, label)
            _values = _values | {text}
    return ExposedValue(text)


def label_of(value: str) -> str:
    """What a registered value is (``env`` for one never registered)."""
    return _labels.get(value, "env")


def exposed() -> frozenset[str]:
    """Every value registered so far (the same object until one is added: cheap to ask on every redaction)."""
    return _values
