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
_values: set[str] = set()
_generation = 0


class ExposedValue(str):
    """A string from the environment. Templates refuse to slice it or to hand it to a built-in that would
    echo it, and a string built around it is exposed as a whole."""

    __slots__ = ()


def expose(value: str) -> ExposedValue:
    """Register ``value`` as never to be shown, and return it marked."""
    global _generation
    text = str(value)
    with _lock:
        if text not in _values:
            _values.add(text)
            _generation += 1
    return ExposedValue(text)


def exposed() -> tuple[int, frozenset[str]]:
    """The registry's generation (it changes whenever a value is added) and its values."""
    with _lock:
        return _generation, frozenset(_values)
