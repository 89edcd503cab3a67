"""An ``amplify:`` step: one Amplify JS v6 Auth API call (signIn, confirmSignIn, signUp, ...) on the run's
Amplify client (harness/clients/amplify), whose state lasts the whole scenario run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from harness.clients.amplify import AMPLIFY_ERROR_NAMES, API_NAMES, INPUTS, OUTPUTS
from harness.cognito.outcome import Outcome
from harness.scenario.errors import KeyPath, Problem
from harness.scenario.expectations import ResponseCheck
from harness.scenario.kinds import CheckContext
from harness.scenario.model import Expectation, Step
from harness.scenario.wording import did_you_mean, one_of
from harness.steps.context import RunContext
from harness.steps.kind import NAME_PROPERTY, RESULT_PROPERTIES, StepKind
from harness.steps.kinds.amplify_checks import check_input, check_output_keys
from harness.steps.words import Reply, expected_reply, expected_response, response_facts, show_templates

if TYPE_CHECKING:
    from harness.clients.amplify.client import AmplifyClient

_STEP_KEYS = ("signInStep", "signUpStep", "resetPasswordStep")
_SHOWN = frozenset({"isSignedIn", "isSignUpComplete", "nextStep", "tokens", "deliveryMedium", "attributeName"})


class Amplify(StepKind):
    key = "amplify"
    summary = "amplify (an Amplify JS v6 Auth API call)"
    input_key = "input"
    takes_client = True
    expect_keys = ("error", "message", "response")
    extra_errors = AMPLIFY_ERROR_NAMES
    participant = "Amplify JS"
    schema: ClassVar[dict[str, Any]] = {
        "title": "Amplify JS call",
        "description": "Call an Amplify JS v6 Auth API as an app would, on the run's Amplify state (stored sign-in state, autoSignIn, tokens). expect/save see Amplify's output ({isSignedIn, nextStep: {signInStep, ...}}, ...); an Amplify error is {Error: {Code: <error name>, Message, RecoverySuggestion}}, so expect: {error, message} works for it.",
        "type": "object",
        "required": ["amplify"],
        "properties": {
            "amplify": {
                "title": "API",
                "description": "The Amplify API: signIn, confirmSignIn, signUp, confirmSignUp, autoSignIn, resendSignUpCode, resetPassword, confirmResetPassword, signOut, fetchAuthSession, or reloadPage (the page reloads: Amplify's in-memory state is lost).",
                "type": "string",
                "minLength": 1,
            },
            "input": {
                "title": "Input",
                "description": "The API's input as Amplify takes it (e.g. {username, password, options: {authFlowType}}), checked against Amplify's types at load; keys may be left out to see Amplify's validation errors. Templates allowed.",
                "type": "object",
            },
            "name": NAME_PROPERTY,
            "client": {
                "description": "Another app client of the pool for this step only (the client Amplify is configured with).",
                "$ref": "#/$defs/clientName",
            },
            **RESULT_PROPERTIES,
        },
        "additionalProperties": False,
    }

    def check(self, raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
        problems = super().check(raw, path, ctx)
        api = raw.get("amplify")
        if not isinstance(api, str) or not api:
            return problems
        if api not in API_NAMES:
            hint = did_you_mean(api, API_NAMES) or f"the APIs are {one_of(API_NAMES, limit=20)}"
            return [*problems, Problem((*path, "amplify"), f"unknown Amplify API {api!r}", hint)]
        return problems + check_input(INPUTS[api], raw.get("input", {}), (*path, "input"), api)

    def response_check(self, raw: Mapping[str, Any]) -> ResponseCheck | None:
        api = raw.get("amplify")
        if not isinstance(api, str) or api not in OUTPUTS:
            return None
        output = OUTPUTS[api]

        def check(expected: Any, path: KeyPath) -> list[Problem]:
            return check_output_keys(output, expected, path, api)

        return check

    def default_label(self, raw: Mapping[str, Any]) -> str:
        return f"amplify {raw['amplify']}"

    def fields(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        return {"operation": str(raw["amplify"]), "params": dict(raw.get("input") or {})}

    def run(self, step: Step, ctx: RunContext, rendered: Any) -> Outcome:
        assert step.operation is not None
        return _client(ctx).call_api(step.operation, rendered)

    def request_label(self, step: Step) -> str | None:
        details = _amplify_details(step.params)
        return f"{step.operation} ({', '.join(details)})" if details else str(step.operation)

    def reply(self, step: Step, expectation: Expectation) -> Reply:
        if expectation.error:
            return expected_reply(expectation)
        return Reply(False, _amplify_reply(expected_response(expectation)))


def _client(ctx: RunContext) -> AmplifyClient:
    """The run's Amplify client: one per scenario run, like one app in one browser tab."""
    from harness.clients.amplify.client import AmplifyClient

    client = ctx.stash.get(AmplifyClient)
    if client is None:
        client = AmplifyClient(
            call=ctx.call, clock=ctx.backend.now, pool_id=ctx.pool.pool_id, authenticator=ctx.authenticator
        )
        ctx.stash[AmplifyClient] = client
    assert isinstance(client, AmplifyClient)
    return client


def _amplify_details(inputs: Mapping[str, Any]) -> list[str]:
    """The flow-deciding options of an Amplify call; everything else in ``input`` is data (or a secret)."""
    options = inputs.get("options")
    options = options if isinstance(options, Mapping) else {}
    details = [show_templates(options[key]) for key in ("authFlowType", "preferredChallenge") if options.get(key)]
    auto = options.get("autoSignIn")
    if auto is True:
        details.append("autoSignIn")
    elif isinstance(auto, Mapping):
        flow = auto.get("authFlowType")
        details.append(f"autoSignIn {show_templates(flow)}" if flow else "autoSignIn")
    details += [key for key in ("global", "forceRefresh") if inputs.get(key) is True]
    return details


def _amplify_reply(response: Mapping[str, Any]) -> tuple[str, ...]:
    """An Amplify result in its own words: signed in or not, the next step, tokens."""
    parts: list[str] = []
    for key, yes, no in (("isSignedIn", "signed in", "not signed in"),
                         ("isSignUpComplete", "sign-up complete", "sign-up not complete")):  # fmt: skip
        if isinstance(response.get(key), bool):
            parts.append(yes if response[key] else no)
    next_step = response.get("nextStep")
    if isinstance(next_step, Mapping):
        parts += [f"next step {next_step[k]}" for k in _STEP_KEYS if isinstance(next_step.get(k), str)]
    tokens = response.get("tokens")
    if tokens is not None:
        details = tokens.get("signInDetails") if isinstance(tokens, Mapping) else None
        flow = details.get("authFlowType") if isinstance(details, Mapping) else None
        parts.append(f"tokens ({flow} sign-in)" if isinstance(flow, str) else "tokens")
    if isinstance(response.get("deliveryMedium"), str):
        parts.append(f"code sent by {response['deliveryMedium']}")
    facts = response_facts({k: v for k, v in response.items() if k not in _SHOWN}, max_depth=0)
    return (", ".join(parts) or "ok", *facts)


KIND = Amplify()
