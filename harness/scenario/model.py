"""The typed, validated form of scenarios and pool configurations: what the engine runs.

Everything here is built by the loader after a file passed every check, so the engine can trust it:
operation names exist, params fit the model, JMESPath compiles, templates parse. Values that hold templates
stay raw (``params``, ``vars``, ``expect.response``): the engine renders them with
:func:`harness.scenario.template.render` when the step runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.scenario.errors import SpecIssue


@dataclass(frozen=True)
class Expectation:
    """What one step must produce on one pool. ``Expectation()`` means: the step must succeed."""

    challenge: str | None = None
    error: str | None = None
    message: str | re.Pattern[str] | None = None
    """The error message: exact string, or a compiled pattern to :meth:`re.Pattern.search`."""
    response: Any = None
    """A raw matcher tree (see :mod:`harness.scenario.matchers`), None when absent; may hold templates."""
    tokens: str | None = None
    """``"valid"``: AuthenticationResult holds id/access tokens that verify against the pool's JWKS."""

    @property
    def expects_error(self) -> bool:
        return self.error is not None


@dataclass(frozen=True)
class Step:
    """One step of a scenario, with the place it was written (1-based line and column)."""

    index: int
    line: int
    column: int
    kind: str
    """The key of its step kind (``call``, ``clock``, ...: ``harness.steps.STEP_KINDS``)."""
    label: str
    """The step's ``name:``, else e.g. ``call InitiateAuth``, ``clock advance 181s``."""
    operation: str | None = None
    """The cognito-idp operation of a ``call`` step; the Amplify API of an ``amplify`` step."""
    params: dict[str, Any] = field(default_factory=dict)
    """Raw (untemplated) input members; UserPoolId/ClientId are added by the runner when left out. For an
    ``amplify`` step, the Amplify API's input."""
    client: str | None = None
    """The app client (by name) for this step, None for the scenario's client."""
    expect: Expectation = field(default_factory=Expectation)
    """The expectation for every pool not named in ``expect_by_pool`` (its ``default`` entry, if any)."""
    expect_by_pool: dict[str, Expectation] = field(default_factory=dict)
    """Per-pool expectations as written (only with the per-pool form), ``default`` included."""
    save: dict[str, str] = field(default_factory=dict)
    """Variable name -> JMESPath over the response (compiled once at load to check it)."""
    named: bool = False
    """Whether the author gave the step a ``name:`` (diagrams then show why the step is there)."""

    def expectation_for(self, pool: str) -> Expectation:
        """The pool's own expectation, else the ``default`` one, else "must succeed"."""
        return self.expect_by_pool.get(pool, self.expect)


@dataclass(frozen=True)
class Scenario:
    """One scenario file."""

    id: str
    """The file name without extension; unique within a library."""
    path: Path
    title: str
    description: str = ""
    symptom: str = ""
    cause: str = ""
    fix: str = ""
    refs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    pools: tuple[str, ...] = ("default",)
    client: str | None = None
    """The app client (by name) the calls use; None: each pool's first client."""
    secrets: tuple[str, ...] = ()
    """Variables (from ``vars`` or a ``save``) whose values every report masks, like Cognito's secrets."""
    vars: dict[str, Any] = field(default_factory=dict)
    """Raw values in file order; the runner renders them one by one, each seeing the ones before."""
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class ClientConfig:
    """An app client: its name (also its ClientName) and CreateUserPoolClient input."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)
    """CreateUserPoolClient input members except UserPoolId and ClientName."""


@dataclass(frozen=True)
class PoolConfig:
    """A pool configuration file (``pools/<name>.yaml``)."""

    name: str
    path: Path
    description: str = ""
    pool_params: dict[str, Any] = field(default_factory=dict)
    """CreateUserPool input members except PoolName."""
    clients: tuple[ClientConfig, ...] = ()
    mfa: dict[str, Any] | None = None
    """SetUserPoolMfaConfig input members except UserPoolId, or None to leave MFA as created."""
    triggers: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Lambda triggers for the emulator: trigger name -> {recipe: ..., ...} or {python: "module:function"}."""

    def client(self, name: str | None = None) -> ClientConfig:
        """The named client, or the first one for None; KeyError when there is no such client."""
        if name is None:
            return self.clients[0]
        for client in self.clients:
            if client.name == name:
                return client
        raise KeyError(name)


@dataclass(frozen=True)
class Library:
    """Everything :func:`harness.scenario.loader.discover` found: valid scenarios and pools, and all issues.

    A file with issues contributes issues only. Pool names form one namespace per library.
    """

    scenarios: tuple[Scenario, ...]
    pools: Mapping[str, PoolConfig]
    issues: tuple[SpecIssue, ...] = ()
    """Sorted by file, line and column."""

    @property
    def ok(self) -> bool:
        return not self.issues

    def pools_for(self, scenario: Scenario) -> tuple[PoolConfig, ...]:
        """The scenario's pool configurations, in its order (all exist when the library is ok)."""
        return tuple(self.pools[name] for name in scenario.pools if name in self.pools)
