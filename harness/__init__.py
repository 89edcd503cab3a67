"""authflow: a declarative test harness for Amazon Cognito user-pool sign-in flows.

The public API, for use from Python (tests, tools). Names load on first use, so that ``import harness`` (and
every `authflow` command, which starts here) does not pay for what it does not touch. ``__all__`` is pinned by
tests/test_public_api.py: a name leaves it only on purpose.
"""

from __future__ import annotations

from harness.lazy import lazy_names

_WHERE: dict[str, str] = {
    # errors
    "AuthflowError": "harness.errors",
    "SpecError": "harness.scenario.errors",
    "TemplateError": "harness.scenario.template",
    # scenarios
    "discover": "harness.engine.library",
    "load_scenario": "harness.engine.library",
    "load_pool": "harness.scenario.loader",
    "Scenario": "harness.scenario.model",
    "PoolConfig": "harness.scenario.model",
    "Library": "harness.scenario.model",
    # running
    "create_backend": "harness.backends",
    "Backend": "harness.backends.base",
    "Powers": "harness.backends.base",
    "run_scenario": "harness.engine.runner",
    "ScenarioResult": "harness.engine.results",
    "StepResult": "harness.engine.results",
    "Status": "harness.engine.results",
    "STEP_KINDS": "harness.steps",
    "StepKind": "harness.steps.kind",
    "RunContext": "harness.steps.context",
    # reports
    "Redactor": "harness.report.redact",
    "write_reports": "harness.report",
    # the emulator and the clients
    "Emulator": "harness.emulator",
    "EmulatorServer": "harness.emulator.server",
    "mock_cognito": "harness.mock",
    "AmplifyClient": "harness.clients.amplify",
    "SrpClient": "harness.cognito.srp",
    "SoftwareAuthenticator": "harness.clients.passkey",
}

__all__ = sorted(_WHERE)


__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
