"""The spec layer: read scenario and pool YAML, check it, and build the typed model the engine runs.

Public API: :func:`load_scenario`, :func:`load_pool`, :func:`discover`, the model dataclasses,
:class:`SpecError` / :class:`SpecIssue`, :func:`render` for templates and :func:`match` for responses.
"""

from harness.spec.errors import SpecError, SpecIssue
from harness.spec.loader import discover, load_pool, load_scenario
from harness.spec.matchers import Mismatch, match
from harness.spec.model import ClientConfig, Expectation, Library, PoolConfig, Scenario, Step, StepKind
from harness.spec.template import TemplateError, render

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
    "StepKind",
    "TemplateError",
    "discover",
    "load_pool",
    "load_scenario",
    "match",
    "render",
]
