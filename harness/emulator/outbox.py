"""Every code the emulated pools "send", recorded instead of delivered."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Message:
    """One delivered code: to whom, how, what for."""

    pool_id: str
    username: str
    destination: str
    medium: str  # EMAIL | SMS
    purpose: str  # SignUp | ForgotPassword | Invitation | ResendCode | EMAIL_OTP | SMS_OTP | ...
    code: str
    sent_at: float
    text: str | None = None  # the message as delivered (a CustomMessage trigger may write it)
    subject: str | None = None  # emails only
    link: str | None = None  # a CONFIRM_WITH_LINK email's confirmation link (ops/messages.py)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Outbox:
    """An append-only log of messages, readable by destination or pool."""

    def __init__(self) -> None:
        self._messages: list[Message] = []
        self._by_destination: dict[str, list[Message]] = {}
        self._lock = threading.Lock()

    def record(self, message: Message) -> None:
        with self._lock:
            self._messages.append(message)
            self._by_destination.setdefault(message.destination.lower(), []).append(message)

    def messages(self, *, to: str | None = None, pool_id: str | None = None) -> list[Message]:
        with self._lock:
            found = list(self._messages if to is None else self._by_destination.get(to.lower(), ()))
        return [m for m in found if pool_id is None or m.pool_id == pool_id]

    def last(self, *, to: str | None = None, pool_id: str | None = None) -> Message | None:
        found = self.messages(to=to, pool_id=pool_id)
        return found[-1] if found else None

    def forget_pool(self, pool_id: str) -> None:
        """Drop a deleted pool's messages, so long runs keep a flat memory."""
        with self._lock:
            self._messages = [m for m in self._messages if m.pool_id != pool_id]
            self._by_destination = {}
            for message in self._messages:
                self._by_destination.setdefault(message.destination.lower(), []).append(message)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
            self._by_destination.clear()
