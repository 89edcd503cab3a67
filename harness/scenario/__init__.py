"""The scenario language: read scenario and pool YAML, check it, and build the typed model the engine runs.

Public API: :func:`load_pool`, the model dataclasses (scenarios are loaded with the table of step kinds they are
handed: ``harness.engine.library`` binds the harness's own), :class:`SpecError` / :class:`SpecIssue`,
:func:`render` for templates and :func:`match` for responses.
"""

from harness.lazy import lazy_names

_WHERE = {
    "ClientConfig": "harness.scenario.model",
    "Expectation": "harness.scenario.model",
    "Library": "harness.scenario.model",
    "Mismatch": "harness.scenario.matchers",
    "PoolConfig": "harness.scenario.model",
    "Scenario": "harness.scenario.model",
    "SpecError": "harness.scenario.errors",
    "SpecIssue": "harness.scenario.errors",
    "Step": "harness.scenario.model",
    "TemplateError": "harness.scenario.template",
    "load_pool": "harness.scenario.loader",
    "match": "harness.scenario.matchers",
    "render": "harness.scenario.template",
}

__all__ = sorted(_WHERE)

__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
