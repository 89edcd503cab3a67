"""An `amplify:` step: one Amplify JS v6 Auth API call (signIn, confirmSignIn, signUp, ...) on the run's
Amplify state; see :mod:`harness.amplify`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.actions.base import Outcome
from harness.amplify.client import call_api

if TYPE_CHECKING:
    from harness.engine.context import RunContext
    from harness.spec.model import Step


def run_amplify(step: Step, ctx: RunContext, inputs: Any) -> Outcome:
    assert step.operation is not None
    return call_api(ctx, step.operation, inputs)
