"""Values a scenario read from outside itself (environment variables): shown nowhere, ever.

A scenario may read the environment only through the ``env("NAME")`` built-in. The value it gets is an
:class:`ExposedValue`, and the value, like every string a template builds around it, is registered here, in one
process-wide set, because the environment is process-wide too: every Redactor of the process (reports, allure
attachments written while a step runs, failure messages, the terminal) consults this set, whichever scenario
read the value. Under pytest-xdist each worker registers what its own scenarios read and redacts before its
results travel to the controller.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_values: frozenset[str] = frozenset()
"""Replaced, never changed in place: a reader holding it has a consistent set, and a new object means news."""


class ExposedValue(str):
    """A string from the environment. Templates refuse to slice it or to hand it to a built-in that would
    echo it, and a string built around it is exposed as a whole."""

    __slots__ = ()


def expose(value: str) -> ExposedValue:
    """Register ``value`` as never to be shown, and return it marked."""
    global _values
    text = str(value)
    with _lock:
        if text not in _values:
            _values = _values | {text}
    return ExposedValue(text)


def exposed() -> frozenset[str]:
    """Every value registered so far (the same object until one is added: cheap to ask on every redaction)."""
    return _values
