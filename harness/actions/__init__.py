"""What steps do: one action per step kind."""

from __future__ import annotations

from harness.actions.amplify import run_amplify
from harness.actions.base import Action, Outcome
from harness.actions.call import run_call
from harness.actions.controls import run_clock, run_outbox
from harness.actions.srp_sign_in import run_srp

ACTIONS: dict[str, Action] = {
    "call": run_call,
    "srp": run_srp,
    "clock": run_clock,
    "outbox": run_outbox,
    "amplify": run_amplify,
}

__all__ = ["ACTIONS", "Action", "Outcome"]
