"""The emulator's clock: every time-dependent rule reads it, and tests advance it instead of sleeping."""

from __future__ import annotations

import threading
import time


class Clock:
    """Wall-clock time plus an offset that only ever grows."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Seconds since the epoch, as the emulated pool sees them."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        """Move time forward (never back: tokens and sessions would become valid again)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()

    @property
    def offset(self) -> float:
        return self._offset

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
