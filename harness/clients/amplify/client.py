"""Amplify's Auth APIs by name, and an app's Amplify: one call of one API as an outcome.

The outcome's request records what the app passed (``input``) and every Cognito call Amplify made for it
(``calls``, with Cognito's responses), so a report shows the whole exchange behind one Amplify call. The response
is Amplify's output, or ``{"Error": {"Code": <error name>, "Message": ..., "RecoverySuggestion": ...}}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from harness.clients.amplify.devices import fetch_devices, forget_device, remember_device
from harness.clients.amplify.errors import AmplifyError
from harness.clients.amplify.service import Amplify, AmplifyWorld, CognitoCall
from harness.clients.amplify.sign_in import confirm_sign_in, sign_in
from harness.clients.amplify.sign_up import (
    auto_sign_in,
    confirm_reset_password,
    confirm_sign_up,
    resend_sign_up_code,
    reset_password,
    sign_up,
)
from harness.clients.amplify.state import AmplifyState
from harness.clients.amplify.tokens import fetch_auth_session, sign_out
from harness.clients.passkey import SoftwareAuthenticator
from harness.cognito.outcome import Outcome

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
    "rememberDevice": remember_device,
    "forgetDevice": forget_device,
    "fetchDevices": fetch_devices,
    "reloadPage": reload_page,
}


class AmplifyClient:
    """One app's Amplify JS (one browser tab): its state lasts across calls, as it does in an app."""

    def __init__(
        self,
        *,
        call: CognitoCall,
        clock: Callable[[], float],
        pool_id: str,
        authenticator: SoftwareAuthenticator | None = None,
    ) -> None:
        self.world = AmplifyWorld(call, clock, pool_id, authenticator or SoftwareAuthenticator())
        self.state = AmplifyState()

    def call_api(self, api: str, inputs: Any) -> Outcome:
        """Call one Amplify API; an Amplify error is an outcome, not an exception."""
        if inputs is None:
            inputs = {}
        if not isinstance(inputs, Mapping):
            raise ValueError(f"the input of {api} must be a mapping, got {type(inputs).__name__}")
        amp = Amplify(self.world, self.state)
        amp.state.fire_timers(amp.now())
        request: dict[str, Any] = {"api": api, "input": dict(inputs), "calls": amp.calls}
        try:
            output = APIS[api](amp, dict(inputs))
        except AmplifyError as error:
            return Outcome(request, error.as_response(), amp.retries)
        return Outcome(request, output, amp.retries)
