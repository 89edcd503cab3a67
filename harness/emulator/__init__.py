"""An in-memory Amazon Cognito user-pool emulator that speaks the real AWS JSON 1.1 wire protocol."""

from harness.emulator.emulator import Emulator, Reply
from harness.emulator.errors import CognitoError

__all__ = ["CognitoError", "Emulator", "Reply"]
