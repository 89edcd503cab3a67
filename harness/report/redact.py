"""The one place secrets are taken out of anything the harness writes or prints.

Policy: a value is secret when it sits under a key the botocore model marks sensitive (Password, Session,
AccessToken, ClientSecret, ...) or under one of the AuthParameters / ChallengeResponses keys that carry
secrets (`SECRET_PARAMETER_KEYS`). Every secret value seen is remembered and replaced wherever it shows up
later, inside any string (a failure message, a variable). Sessions and tokens become short stable
fingerprints (‹session:1a2b3c4d›, ‹jwt:…›) so a reader can still see that the same one was used twice.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from harness.emulator.service_model import service_model

# AuthParameters / ChallengeResponses / ChallengeParameters keys whose values are secrets. The model marks the
# maps sensitive as a whole; these are the entries inside them that must never be shown. (ANSWER is usually
# a challenge name, but for CUSTOM_CHALLENGE it is the secret answer.)
SECRET_PARAMETER_KEYS = frozenset(
    {
        "PASSWORD", "NEW_PASSWORD", "SECRET_HASH", "SRP_A", "SRP_B", "SALT", "SECRET_BLOCK",
        "PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "REFRESH_TOKEN", "DEVICE_KEY",
        "EMAIL_OTP_CODE", "SMS_OTP_CODE", "SMS_MFA_CODE", "SOFTWARE_TOKEN_MFA_CODE", "ANSWER", "CREDENTIAL",
        "CODE", "ConfirmationCode", "UserCode", "SecretCode", "TemporaryPassword",
        "ProposedPassword", "PreviousPassword",
        "challengeResponse", "confirmationCode", "newPassword", "sharedSecret",  # Amplify inputs and outputs
    }
)  # fmt: skip
# Words that mark a harness variable as secret (`password`, `first_session`, `otp_code`, ...).
_SECRET_WORDS = ("password", "secret", "code", "session", "token", "otp")
# Keys that hold codes and passwords in the harness's own data (outbox messages, variables).
_FINGERPRINTED = {"Session": "session", "session": "session", "RefreshToken": "refresh"}
_MIN_REMEMBERED = 6
_JWT = re.compile(r"^[\w-]+\.[\w-]+\.[\w-]+$")
_MATCHER_WORDS = frozenset({"present", "absent", "any", "valid"})
_MARKER = re.compile(r"^‹[a-z_]+(:[0-9a-f]{8})?›$")


@cache
def sensitive_keys() -> frozenset[str]:
    """Member names the cognito-idp model marks sensitive (on the member or its target shape)."""
    model = service_model()
    found: set[str] = set()
    seen: set[str] = set()

    def walk(shape: Shape) -> None:
        if shape.name in seen:
            return
        seen.add(shape.name)
        if isinstance(shape, StructureShape):
            for name, member in shape.members.items():
                if member.metadata.get("sensitive") and not isinstance(member, (StructureShape, ListShape, MapShape)):
                    found.add(name)
                walk(member)
        elif isinstance(shape, ListShape):
            walk(shape.member)
        elif isinstance(shape, MapShape):
            walk(shape.value)

    for operation in model.operation_names:
        op = model.operation_model(operation)
        for shape in (op.input_shape, op.output_shape):
            if shape is not None:
                walk(shape)
    # Identifiers the model marks sensitive but that readers need (and are not secrets).
    return frozenset(found - {"ClientId", "Username", "UserPoolId", "Name", "Value", "Destination"})


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:8]


class Redactor:
    """Redacts data and text; remembers secrets across calls, so use one per run or report."""

    def __init__(self) -> None:
        self._replacements: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None

    def _marker(self, key: str, value: str) -> str:
        if key in _FINGERPRINTED:
            return f"‹{_FINGERPRINTED[key]}:{fingerprint(value)}›"
        if _JWT.match(value):
            return f"‹jwt:{fingerprint(value)}›"
        return f"‹redacted:{key.lower()}›"

    def remember(self, value: str, key: str = "secret") -> str:
        marker = self._replacements.get(value) or self._marker(key, value)
        if len(value) >= _MIN_REMEMBERED and value not in self._replacements:
            self._replacements[value] = marker
            self._pattern = None
        return marker

    def _is_secret(self, key: str) -> bool:
        if key in SECRET_PARAMETER_KEYS or key in sensitive_keys() or key in _FINGERPRINTED:
            return True
        lowered = key.lower()
        return lowered == key and any(word in lowered for word in _SECRET_WORDS)

    def redact(self, data: Any, key: str | None = None) -> Any:
        """A redacted deep copy: secret keys masked, remembered secrets replaced inside strings."""
        if isinstance(data, dict):
            sent = "Destination" in data  # a message from the outbox: its Code is a secret (an error's Code is not)
            return {k: self.redact(v, "CODE" if sent and k == "Code" else str(k)) for k, v in data.items()}
        if isinstance(data, list):
            return [self.redact(item, key) for item in data]
        if isinstance(data, str):
            if _MARKER.match(data) or data in _MATCHER_WORDS:
                return data  # already redacted (fingerprints must not change), or an expectation's matcher
            if data and ((key is not None and self._is_secret(key)) or _JWT.match(data)):
                return self.remember(data, "session" if key and "session" in key.lower() else key or "secret")
            return self.redact_text(data)
        return data

    def redact_text(self, text: str) -> str:
        if not self._replacements or not text:
            return text
        if self._pattern is None:
            ordered = sorted(self._replacements, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))
        return self._pattern.sub(lambda m: self._replacements[m.group(0)], text)
