"""The text a person reads when a scenario did not pass: where, what was expected, what came back, and the
variables in play — redacted, because it ends up in terminals, CI logs and reports."""

from __future__ import annotations

import json
from typing import Any

from harness.engine.results import ScenarioResult, Status
from harness.report.redact import Redactor
from harness.report.summary import first_problem_step


def _compact(value: Any, redactor: Redactor, limit: int = 600) -> str:
    text = json.dumps(redactor.redact(value), ensure_ascii=False, default=str, sort_keys=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_failure(result: ScenarioResult, redactor: Redactor | None = None) -> str:
    redactor = redactor or Redactor()
    for seen in result.steps:  # learn the run's secrets before printing anything
        redactor.redact(seen.request)
        redactor.redact(seen.response)
    kind = "FAILED" if result.status is Status.FAILED else result.status.value.upper()
    lines = [f"{kind}: {result.title}  [pool {result.pool}, backend {result.backend}]"]
    step = first_problem_step(result)
    if step is None:
        lines.append(f"  {result.message}")
    else:
        lines += [
            f"  at {result.file}:{step.line}  step {step.index + 1}: {step.label}",
            f"  why:      {step.message}",
            f"  expected: {_compact(step.expected, redactor)}",
        ]
        if step.response is not None:
            lines.append(f"  got:      {_compact(step.response, redactor)}")
        if step.request is not None:
            lines.append(f"  request:  {_compact(step.request, redactor)}")
        if step.logs:  # what the pool's trigger handlers printed: often the reason
            lines += ["  trigger logs:", *(f"    {line}" for line in step.logs[-20:])]
    if result.variables:
        shown = ", ".join(f"{k}={_compact(v, redactor, 120)}" for k, v in result.variables.items())
        lines.append(f"  variables: {shown}")
    return str(redactor.redact_text("\n".join(lines)))
