"""A step kind: one object that knows everything about one kind of step.

The loader asks it for its schema branch, its load-time checks and how to build a :class:`Step`; the runner
asks it what to render and how to run; the catalogue asks it how to draw the step. So a new kind is one
module under ``harness/steps/kinds/`` (plus its tests and docs), and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from harness.backends.base import Powers
from harness.cognito.outcome import Outcome
from harness.scenario.errors import KeyPath, Problem
from harness.scenario.expectations import ResponseCheck, build_expect
from harness.scenario.kinds import CheckContext, StepPlace, check_client_exists
from harness.scenario.model import Expectation, Step
from harness.scenario.template_checks import check_templates
from harness.steps.context import RunContext
from harness.steps.words import Reply, expected_reply, show_templates

COGNITO_EXPECTATIONS = ("challenge", "error", "message", "response", "tokens")
"""What a step that ends in a Cognito answer can expect."""

NAME_PROPERTY: dict[str, Any] = {"$ref": "#/$defs/stepName"}
CLIENT_PROPERTY: dict[str, Any] = {
    "description": "Another app client of the pool for this step only.",
    "$ref": "#/$defs/clientName",
}
RESULT_PROPERTIES: dict[str, Any] = {"expect": {"$ref": "#/$defs/expect"}, "save": {"$ref": "#/$defs/save"}}
"""The schema properties every kind with a response shares (``expect``, ``save``)."""


class StepKind:
    """The default behaviour of a step kind; a kind overrides what differs."""

    key: ClassVar[str]
    """The YAML key naming the kind (``call``), also the ``Step.kind`` of its steps."""
    summary: ClassVar[str]
    """A few words for the schema's description of a step: ``call (a Cognito operation)``."""
    schema: ClassVar[dict[str, Any]]
    """Its branch of ``schemas/scenario.schema.json`` (``$defs/<key>Step``)."""
    input_key: ClassVar[str | None] = None
    """The key holding the step's input (templates are checked and rendered there), if any."""
    expect_keys: ClassVar[tuple[str, ...]] = COGNITO_EXPECTATIONS
    saves: ClassVar[bool] = True
    """Whether the kind has a response that ``save`` can read."""
    extra_errors: ClassVar[frozenset[str]] = frozenset()
    """Error names ``expect.error`` may name besides Cognito's (an Amplify step's EmptySignInPassword, ...)."""
    participant: ClassVar[str | None] = None
    """A participant the diagram draws between the app and the pool (``Amplify JS``), if the kind has one."""
    takes_client: ClassVar[bool] = False
    """Whether the step may name its own app client (``client: admin``)."""

    # -- loading ------------------------------------------------------------------------------------------

    def check(self, raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
        """Kind-specific problems; by default: the step's client exists and its input's templates resolve."""
        problems: list[Problem] = []
        client = raw.get("client")
        if self.takes_client and isinstance(client, str):
            problems += check_client_exists(client, (*path, "client"), ctx.pools, ctx.pool_configs)
        if self.input_key is not None:
            problems += check_templates(raw.get(self.input_key), (*path, self.input_key), ctx.scope)
        return problems

    def response_check(self, raw: Mapping[str, Any]) -> ResponseCheck | None:
        """A check of ``expect.response`` keys, when the kind knows its response's shape."""
        return None

    def default_label(self, raw: Mapping[str, Any]) -> str:
        """The label of a step without a ``name:`` (``call InitiateAuth``)."""
        return self.key

    def fields(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """The kind's own :class:`Step` fields (operation, params, client) from a checked raw step."""
        return {"params": dict(raw.get(self.input_key) or {}) if self.input_key else {}}

    def build(self, raw: Mapping[str, Any], place: StepPlace) -> Step:
        """The :class:`Step` of a raw step that passed every check."""
        expect, by_pool = build_expect(raw.get("expect")) if self.expect_keys else (Expectation(), {})
        return Step(
            index=place.index,
            line=place.line,
            column=place.column,
            kind=self.key,
            label=str(raw.get("name") or self.default_label(raw)),
            named=bool(raw.get("name")),
            expect=expect,
            expect_by_pool=by_pool,
            save=dict(raw.get("save") or {}) if self.saves else {},
            client=raw.get("client") if self.takes_client else None,
            **self.fields(raw),
        )

    def editor_schema(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Its branch of the committed schema editors read, and the ``$defs`` that branch needs: by default
        :attr:`schema` alone. A kind may tell editors more than the loader's structural check needs (the
        ``call`` kind: each operation's parameters), since the loader checks that itself."""
        return self.schema, {}

    # -- running ------------------------------------------------------------------------------------------

    def lacks(self, step: Step, powers: Powers) -> str | None:
        """Why this backend cannot run the step (a power it lacks), or None; checked before anything is sent."""
        return None

    def run_input(self, step: Step) -> Any:
        """What the runner renders (templates) before :meth:`run`."""
        return step.params

    def run(self, step: Step, ctx: RunContext, rendered: Any) -> Outcome:
        """Do the step; raise ``Unsupported`` (harness.backends.base) to skip it on a backend without the power."""
        raise NotImplementedError

    # -- drawing ------------------------------------------------------------------------------------------

    def request_label(self, step: Step) -> str | None:
        """The arrow's text for the request (never a parameter's value; the diagram adds the step's own client);
        None draws no request arrow."""
        detail = step.params.get("AuthFlow") or step.params.get("ChallengeName")
        return f"{step.operation} ({show_templates(detail)})" if detail else str(step.operation)

    def reply(self, step: Step, expectation: Expectation) -> Reply:
        """The reply the step must get on a pool, as the scenario states it."""
        return expected_reply(expectation)

    def note(self, step: Step) -> str | None:
        """A note drawn instead of request and reply (a clock step), or None."""
        return None
