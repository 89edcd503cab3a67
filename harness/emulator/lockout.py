"""The failed-password lockout [DG "User pool sign-in throttling and lockout"], and the limit on password-reset
attempts [DG "Recovering user accounts", forgot password].

After five failed attempts a user is locked for 2^(n-5) seconds (n = failures), at most 15 minutes.
Attempts during a lockout fail with "Password attempts exceeded" and do not count. The counter resets after
a successful sign-in once the lockout has passed, or after 15 minutes without attempts.

"In a given hour, we allow between 5 and 20 attempts for a user to request or enter a password reset code as
part of forgot-password and confirm-forgot-password actions" [DG, quoted in aws-amplify/amplify-js#13225]; past
that, LimitExceededException "Attempt limit exceeded, please try after some time." [C:
aws-amplify/aws-sdk-android#627]. The emulator allows 5, the documented lower bound, so a suite that would meet
the limit on some real pools meets it here; which attempts count and that a success does not clear the count are
UNCONFIRMED.
"""

from __future__ import annotations

from harness.emulator import errors
from harness.emulator.errors import CognitoError, not_authorized
from harness.emulator.state import User

FREE_ATTEMPTS = 4  # the fifth failure starts the first (1 s) lockout
MAX_LOCK_S = 15 * 60
QUIET_RESET_S = 15 * 60
RESET_ATTEMPTS_PER_HOUR = 5
RESET_WINDOW_S = 60 * 60


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


def count_reset_attempt(user: User, now: float) -> None:
    """A ForgotPassword request or ConfirmForgotPassword attempt; refused past the hour's allowance."""
    user.reset_attempts = [at for at in user.reset_attempts if now - at < RESET_WINDOW_S]
    if len(user.reset_attempts) >= RESET_ATTEMPTS_PER_HOUR:
        raise CognitoError("LimitExceededException", errors.ATTEMPT_LIMIT_EXCEEDED)
    user.reset_attempts.append(now)
