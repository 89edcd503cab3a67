"""What a step does, as the runner sees it: a request sent and a response (or error) received."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.engine.context import RunContext
    from harness.spec.model import Step


@dataclass(frozen=True)
class Outcome:
    """The request as sent and the response as received; errors appear as {"Error": {"Code", "Message"}}."""

    request: dict[str, Any] | None
    response: dict[str, Any]
    retries: int = 0

    @property
    def error(self) -> dict[str, str] | None:
        error = self.response.get("Error")
        return error if isinstance(error, dict) else None


Action = Callable[["Step", "RunContext", Any], Outcome]
"""(step, context, rendered step input) -> outcome; raises Unsupported to skip the step."""
