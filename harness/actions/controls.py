"""Emulator controls as steps: move the clock, read the outbox. Backends without them skip the step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.actions.base import Outcome

if TYPE_CHECKING:
    from harness.engine.context import RunContext
    from harness.spec.model import Step


def run_clock(step: Step, ctx: RunContext, _: Any) -> Outcome:
    seconds = step.clock_advance_s or 0.0
    ctx.backend.advance_clock(seconds)
    return Outcome({"advance_s": seconds}, {"Now": ctx.backend.now()})


def run_outbox(step: Step, ctx: RunContext, destination: Any) -> Outcome:
    to = None if destination is None else str(destination)
    messages = ctx.backend.sent_messages(ctx.pool.pool_id, to)
    return Outcome({"to": to}, {"Messages": messages, "Count": len(messages)})
