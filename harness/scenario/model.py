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
class SourcePlace:
    """A place in a file other than the scenario's (1-based line and column)."""

    path: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, eq=False)
class FragmentFrame:
    """One use of a fragment (``- use: name``): its own variables while its steps run.

    Compared by identity: two uses of one fragment (or two turns of a repeat around a use) are two frames.
    """

    fragment: str
    """The fragment's name (its file name without ``.yaml``)."""
    args: dict[str, Any]
    """Argument name -> raw value (may hold templates): the ``with:`` values, rendered in the calling scope
    when the frame is entered, then the declared defaults of the rest, rendered in the frame's own scope."""
    defaults: dict[str, Any]
    """Argument name -> raw default, for the arguments the use leaves out (in declaration order)."""
    returns: dict[str, str]
    """Name in the calling scope -> name in the fragment, copied out when the frame's last step has run."""
    bindings: dict[str, Any] = field(default_factory=dict)
    """The calling scope's extra values (a ``repeat`` around the use) while its arguments are rendered."""
    place: SourcePlace | None = None
    """Where the ``use:`` is written."""


@dataclass(frozen=True)
class Retry:
    """``retry:``: run the step again, every ``every_s``, until ``until`` holds or ``for_s`` has passed.

    On a backend whose answers are consistent at once (the emulator) the step runs once: waiting cannot
    change the answer there (docs/scenario-language.md, Retry).
    """

    every_s: float
    for_s: float
    until: Expectation | None = None
    """What must hold to stop (None: the step's own expectation)."""
    until_by_pool: dict[str, Expectation] = field(default_factory=dict)

    def until_for(self, pool: str, fallback: Expectation) -> Expectation:
        if self.until is None and not self.until_by_pool:
            return fallback
        return self.until_by_pool.get(pool, self.until or Expectation())


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
    source: SourcePlace | None = None
    """Where the step is written when that is not the scenario's file (a fragment's step): ``line`` and
    ``column`` are then those of the ``use:`` in the scenario, so reports point into the scenario file."""
    frames: tuple[FragmentFrame, ...] = ()
    """The fragment uses the step runs inside, outermost first (empty for a step of the scenario itself)."""
    bindings: dict[str, Any] = field(default_factory=dict)
    """Values the step's templates see besides the variables: ``repeat`` (index, number, count) in a repeat."""
    retry: Retry | None = None
    """Run the step again until ``retry.until`` holds (``retry:``), or None to run it once."""

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
    """Every step as it runs: fragments used and repeats are unrolled (each step knows its frames)."""
    examples: tuple[Example, ...] = ()
    """Rows of an ``examples:`` table: the scenario runs once per row (and per pool); empty without one."""

    def rows(self) -> tuple[Example | None, ...]:
        """What to run per pool: each example row, or None once for a scenario without a table."""
        return self.examples or (None,)

    def tags_for(self, example: Example | None) -> tuple[str, ...]:
        """The tags of one run: the scenario's, then its examples row's own."""
        return tuple(dict.fromkeys([*self.tags, *(example.tags if example is not None else ())]))


@dataclass(frozen=True)
class Example:
    """One row of a scenario's ``examples:`` table."""

    name: str
    """Its id, as in ``sign-in[default][wrong-password]``."""
    vars: dict[str, Any] = field(default_factory=dict)
    """Raw values, set before the scenario's own ``vars`` (which may use them)."""
    tags: tuple[str, ...] = ()
    """Tags of this row only, added to the scenario's."""


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
    identity_providers: tuple[dict[str, Any], ...] = ()
    """CreateIdentityProvider input members except UserPoolId, made before the clients (which may name them)."""
    mfa: dict[str, Any] | None = None
    """SetUserPoolMfaConfig input members except UserPoolId, or None to leave MFA as created."""
    sessions: dict[str, Any] | None = None
    """SetUserPoolSessionConfiguration input members except UserPoolId, or None to leave session tracking off."""
    triggers: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Lambda triggers for the emulator: trigger name -> {recipe: ..., ...} or {python: "module:function"}."""
    emulator_ids: dict[str, Any] = field(default_factory=dict)
    """Ids the pool takes when the emulator preloads it (`authflow emulator --pools`): {pool_id, client_ids}."""

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
