"""What a step produced, reduced to what is worth comparing across pools and backends.

Raw responses differ in ids, usernames, dates and tokens on every run; none of that says anything about a
configuration. A step's outcome is therefore: its kind (ok, a challenge, an error code), the error message
with run-specific values replaced by placeholders (``<username>``, ``<pool>``, ``<client web>``), and a few
key response fields whose values are enumerations, flags and counts, never secrets or identifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from harness.engine.results import ScenarioResult, Status, StepResult
from harness.report.redact import Redactor

# Enumerations and plain words (EMAIL, SMS_MFA, email, Bearer); ids, names from unique() and tokens all hold
# digits or punctuation, so they are shown as "present" only.
_ENUM_LIKE = re.compile(r"^[A-Z][A-Z0-9_]*$|^[A-Za-z][A-Za-z_]*$")
# ChallengeParameters entries whose values are enumerations (shown); others are shown by name only.
_SHOWN_PARAMETERS = frozenset(
    {"CODE_DELIVERY_DELIVERY_MEDIUM", "MFAS_CAN_CHOOSE", "MFAS_CAN_SETUP", "ATTEMPTS_REMAINING"}
)
_TOKENS = ("AccessToken", "IdToken", "RefreshToken")
# Mappings shown as one line: which tokens came back, which challenge parameters were sent.
_SUMMARISED = frozenset({"AuthenticationResult", "ChallengeParameters"})
_MIN_PLACEHOLDER = 4  # shorter values ("web", "1") would be replaced inside unrelated words


@dataclass(frozen=True)
class Outcome:
    """A step's comparable outcome. ``signature`` is what two cells must share to count as the same."""

    status: Status
    kind: str  # "ok" | "challenge" | "error" | "skipped" | "broken" | "not run"
    code: str = ""  # the challenge name or error code
    message: str = ""  # error message, or why skipped/broken, normalised
    fields: dict[str, str] = field(default_factory=dict)
    note: str = ""  # assert mode: why the step failed
    retries: int = 0

    @property
    def headline(self) -> str:
        if self.kind in ("challenge", "error"):
            return f"{self.kind} {self.code}"
        return self.kind

    @property
    def signature(self) -> tuple[Any, ...]:
        return (self.kind, self.code, self.message, tuple(sorted(self.fields.items())))


class Normaliser:
    """Replaces a run's own values (variables, pool and client ids) by stable placeholders, and redacts."""

    def __init__(self, result: ScenarioResult, redactor: Redactor) -> None:
        self._redactor = redactor
        for step in result.steps:  # learn the run's secrets before anything is shown
            redactor.redact(step.request)
            redactor.redact(step.response)
        pairs: dict[str, str] = {}
        for step in result.steps:
            request = step.request or {}
            if isinstance(request.get("UserPoolId"), str):
                pairs[request["UserPoolId"]] = "<pool>"
            if isinstance(request.get("ClientId"), str):
                pairs.setdefault(request["ClientId"], "<client>")
        for name, value in result.variables.items():
            if isinstance(value, str) and len(value) >= _MIN_PLACEHOLDER:
                pairs.setdefault(value, f"<{name}>")
        self._pairs = sorted(pairs.items(), key=lambda kv: len(kv[0]), reverse=True)

    def text(self, value: str) -> str:
        for raw, placeholder in self._pairs:
            value = value.replace(raw, placeholder)
        return str(self._redactor.redact_text(value))


def _summary(key: str, value: Any) -> str | None:
    """A short, stable, secret-free rendering of one response member, or None to leave it out."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):  # times (a clock's Now, dates as epoch seconds) differ on every run
        return "present"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value if _ENUM_LIKE.match(value) else "present"
    if isinstance(value, list):
        if value and all(isinstance(v, str) and _ENUM_LIKE.match(v) for v in value):
            return ", ".join(sorted(value))
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        if key == "AuthenticationResult":
            return "tokens: " + ", ".join(t for t in _TOKENS if value.get(t)) if value else "empty"
        parts = []
        for name in sorted(value):
            if key == "ChallengeParameters" and name not in _SHOWN_PARAMETERS:
                parts.append(name)
                continue
            shown = _summary(name, value[name])
            if shown is not None:
                parts.append(f"{name}={shown}")
        return ", ".join(parts) if parts else "empty"
    return None if value is None else "present"


def key_fields(response: dict[str, Any] | None) -> dict[str, str]:
    """Top-level response members, summarised (the challenge and error are part of the outcome instead)."""
    if not response or "Error" in response:
        return {}
    fields = {}
    for key, value in response.items():
        if key in ("ChallengeName", "ResponseMetadata"):
            continue
        if isinstance(value, dict) and value and key not in _SUMMARISED:
            # one field per member (User.UserStatus), so a difference is shown as the member that differs
            for name in sorted(value):
                shown = _summary(name, value[name])
                if shown is not None:
                    fields[f"{key}.{name}"] = shown
            continue
        shown = _summary(key, value)
        if shown is not None:
            fields[key] = shown
    return fields


def outcome_of(step: StepResult, normaliser: Normaliser) -> Outcome:
    if step.status is Status.SKIPPED:
        kind = "not run" if step.message.startswith("not run") else "skipped"
        return Outcome(step.status, kind, message=normaliser.text(step.message.removeprefix("skipped: ")))
    if step.status is Status.BROKEN or step.response is None:
        return Outcome(step.status, "broken", message=normaliser.text(step.message))
    note = normaliser.text(step.message) if step.status is Status.FAILED else ""
    error = step.response.get("Error")
    if isinstance(error, dict):
        message = normaliser.text(str(error.get("Message", "")))
        return Outcome(step.status, "error", str(error.get("Code", "")), message, note=note, retries=step.retries)
    fields = {k: normaliser.text(v) for k, v in key_fields(step.response).items()}
    challenge = step.response.get("ChallengeName")
    if challenge:
        return Outcome(step.status, "challenge", str(challenge), fields=fields, note=note, retries=step.retries)
    return Outcome(step.status, "ok", fields=fields, note=note, retries=step.retries)
