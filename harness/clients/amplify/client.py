"""Amplify's Auth APIs by name, and one call of one API as a step outcome.

The outcome's request records what the app passed (``input``) and every Cognito call Amplify made for it
(``calls``, with Cognito's responses), so a report shows the whole exchange behind one Amplify call. The response
is Amplify's output, or ``{"Error": {"Code": <error name>, "Message": ..., "RecoverySuggestion": ...}}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from harness.actions.base import Outcome
from harness.amplify.errors import AmplifyError
from harness.amplify.service import Amplify
from harness.amplify.sign_in import confirm_sign_in, sign_in
from harness.amplify.sign_up import (
    auto_sign_in,
    confirm_reset_password,
    confirm_sign_up,
    resend_sign_up_code,
    reset_password,
    sign_up,
)
from harness.amplify.tokens import fetch_auth_session, sign_out

if TYPE_CHECKING:
    from harness.engine.context import RunContext

Api = Callable[[Amplify, dict[str, Any]], dict[str, Any]]


def reload_page(amp: Amplify, inputs: dict[str, Any]) -> dict[str, Any]:
    """Not an Amplify API: the page reloads, so Amplify starts again from what the browser stored."""
    amp.state.reload(amp.now())
    return {}


APIS: dict[str, Api] = {
    "signIn": sign_in,
    "confirmSignIn": confirm_sign_in,
    "signUp": sign_up,
    "confirmSignUp": confirm_sign_up,
    "autoSignIn": auto_sign_in,
    "resendSignUpCode": resend_sign_up_code,
    "resetPassword": reset_password,
    "confirmResetPassword": confirm_reset_password,
    "signOut": sign_out,
    "fetchAuthSession": fetch_auth_session,
    "reloadPage": reload_page,
}


def call_api(ctx: RunContext, api: str, inputs: Any) -> Outcome:
    """Call one Amplify API with the run's Amplify state; an Amplify error is an outcome, not an exception."""
    if inputs is None:
        inputs = {}
    if not isinstance(inputs, Mapping):
        raise ValueError(f"the input of {api} must be a mapping, got {type(inputs).__name__}")
    amp = Amplify(ctx)
    amp.state.fire_timers(amp.now())
    request: dict[str, Any] = {"api": api, "input": dict(inputs), "calls": amp.calls}
    try:
        output = APIS[api](amp, dict(inputs))
    except AmplifyError as error:
        return Outcome(request, error.as_response(), amp.retries)
    return Outcome(request, output, amp.retries)
