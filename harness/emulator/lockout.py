"""The failed-password lockout [DG "User pool sign-in throttling and lockout"].

After five failed attempts a user is locked for 2^(n-5) seconds (n = failures), at most 15 minutes.
Attempts during a lockout fail with "Password attempts exceeded" and do not count. The counter resets after
a successful sign-in once the lockout has passed, or after 15 minutes without attempts.
"""

from __future__ import annotations

from harness.emulator import errors
from harness.emulator.errors import not_authorized
from harness.emulator.state import User

FREE_ATTEMPTS = 4  # the fifth failure starts the first (1 s) lockout
MAX_LOCK_S = 15 * 60
QUIET_RESET_S = 15 * 60


def check_not_locked(user: User, now: float) -> None:
    if now < user.locked_until:
        raise not_authorized(errors.PASSWORD_ATTEMPTS_EXCEEDED)


def record_failure(user: User, now: float) -> None:
    if user.last_failure_at and now - user.last_failure_at >= QUIET_RESET_S:
        user.failed_attempts = 0
    user.failed_attempts += 1
    user.last_failure_at = now
    if user.failed_attempts > FREE_ATTEMPTS:
        user.locked_until = now + min(2 ** (user.failed_attempts - FREE_ATTEMPTS - 1), MAX_LOCK_S)


def record_success(user: User) -> None:
    user.failed_attempts = 0
    user.last_failure_at = 0.0
    user.locked_until = 0.0
