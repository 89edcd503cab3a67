"""Amplify JS v6 Auth, modelled on top of any Cognito backend: what ``amplify:`` steps run.

Most people meet Cognito's pitfalls through Amplify rather than the raw API, and Amplify adds its own: client-side
validation errors, a default SRP flow, a stored sign-in state, autoSignIn. This package reproduces those from the
amplify-js v6 source (``packages/auth/src``) so scenarios can state them at the level users write code.

Modules: ``errors`` (Amplify's error names and messages), ``mapping`` (ChallengeName <-> signInStep tables),
``apis`` (the API names and their input/output keys, for load-time checks), ``state`` (what Amplify keeps between
calls), ``service`` (Cognito calls as Amplify makes them), ``flows`` (how each authFlowType starts), ``next_step``
(a challenge as Amplify's nextStep), ``device_auth`` (devices during sign-in), ``sign_in``/``sign_up``/``tokens``/
``devices`` (the APIs) and ``client`` (API name -> implementation). Choices where the harness cannot be a browser
are listed in ``LIMITS``.
"""

from __future__ import annotations

LIMITS = (
    "App clients with a secret are not supported by Amplify JS: it never sends SECRET_HASH, so the pool refuses "
    "the call (the Cognito error surfaces as it would in an app).",
    "Devices: ConfirmDevice is sent the DeviceName 'authflow Amplify model' (a browser sends its user agent); "
    "fetchDevices' array is the response's `devices` (a step's response is a mapping); dates are Date.toJSON text.",
    "No Advanced Security data: UserContextData is never sent.",
    "The Amplify configuration has no `passwordless` section and signUpVerificationMethod is 'code', so "
    "InvalidPreferredChallenge is never raised and autoSignIn never polls for a confirmation link.",
    "The stored sign-in state lives in memory; like Amplify, it is only checked against its 3-minute expiry when "
    "the page reloads (`amplify: reloadPage`). Without a reload an expired Session reaches Cognito, which refuses it.",
    "A WEB_AUTHN challenge is answered by the run's software authenticator; when it holds no passkey the browser's "
    "NotAllowedError is assumed, which Amplify reports as PasskeyAuthenticationCanceled.",
    "Times (token expiry, the sign-in state's expiry, autoSignIn's 3-minute wait) are read from the backend's "
    "clock; clock drift between Amplify and Cognito is taken as zero.",
)
"""Documented choices: where this model cannot be Amplify in a browser, what it does instead."""

from typing import TYPE_CHECKING, Any  # noqa: E402 - after LIMITS, which they do not need

from harness.clients.amplify.apis import API_NAMES, INPUTS, OUTPUTS  # noqa: E402
from harness.clients.amplify.errors import AMPLIFY_ERROR_NAMES  # noqa: E402

if TYPE_CHECKING:
    from harness.clients.amplify.client import AmplifyClient


def __getattr__(name: str) -> Any:
    """``AmplifyClient`` is imported when first asked for: the load-time checks need only the tables above, and
    a run without amplify steps is spared the client's modules."""
    if name == "AmplifyClient":
        from harness.clients.amplify.client import AmplifyClient

        return AmplifyClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["AMPLIFY_ERROR_NAMES", "API_NAMES", "INPUTS", "LIMITS", "OUTPUTS", "AmplifyClient"]
