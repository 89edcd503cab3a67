"""The scenario language: read scenario and pool YAML, check it, and build the typed model the engine runs.

Public API: :func:`load_pool`, the model dataclasses (scenarios are loaded with the table of step kinds they are
handed: ``harness.engine.library`` binds the harness's own), :class:`SpecError` / :class:`SpecIssue`,
:func:`render` for templates and :func:`match` for responses.
"""

from harness.scenario.errors import SpecError, SpecIssue
from harness.scenario.loader import load_pool
from harness.scenario.matchers import Mismatch, match
from harness.scenario.model import ClientConfig, Expectation, Library, PoolConfig, Scenario, Step
from harness.scenario.template import TemplateError, render

__all__ = [
    "ClientConfig",
    "Expectation",
    "Library",
    "Mismatch",
    "PoolConfig",
    "Scenario",
    "SpecError",
    "SpecIssue",
    "Step",
    "TemplateError",
    "load_pool",
    "match",
    "render",
]
