"""ChallengeName -> Amplify's nextStep (getSignInResult), and the Cognito errors that are next steps too.

Source: amplify-js v6 ``providers/cognito/utils/signInHelpers.ts`` (getSignInResult, getSignInResultFromError) and
``client/flows/userAuth/handleWebAuthnSignInResult.ts``. MFA_SETUP may call AssociateSoftwareToken first, and a
WEB_AUTHN challenge is answered on the spot with a passkey, as Amplify does in the browser.
"""

from __future__ import annotations

import json
from typing import Any

from harness.clients.amplify import mapping
from harness.clients.amplify.errors import (
    MFA_SETUP_TYPES,
    PASSKEY_CANCELED,
    PASSKEY_OPTIONS,
    UNHANDLED_CHALLENGE,
    WEB_AUTHN_STATE,
    WEB_AUTHN_TWICE,
    AmplifyError,
    other_error,
    sign_in_error,
)
from harness.clients.amplify.service import Amplify, compact
from harness.clients.amplify.state import SignInState
from harness.clients.amplify.tokens import cache_tokens

Response = dict[str, Any]


def signed_in() -> Response:
    """What every flow returns once Cognito issued tokens."""
    return {"isSignedIn": True, "nextStep": {"signInStep": mapping.DONE}}


def result_from_error(error: AmplifyError) -> Response:
    """getSignInResultFromError: two Cognito errors are next steps, the rest are thrown."""
    step = mapping.ERROR_STEPS.get(error.name)
    if step is None:
        raise error
    return {"isSignedIn": False, "nextStep": {"signInStep": step}}


def _json_list(text: Any) -> list[str]:
    """parseMFATypes / parseAttributes input: a JSON list in a challenge parameter (absent: empty)."""
    return [str(item) for item in json.loads(text)] if text else []


def sign_in_result(amp: Amplify, challenge: str | None, parameters: dict[str, Any], available: Any = None) -> Response:
    """getSignInResult: the nextStep for a challenge (MFA_SETUP and WEB_AUTHN may call Cognito first)."""
    if challenge == mapping.MFA_SETUP:
        return _mfa_setup_result(amp, parameters)
    if challenge == mapping.WEB_AUTHN:
        return _answer_with_passkey(amp, parameters)
    step = mapping.step_for(challenge) if challenge else None
    if step is None:
        raise sign_in_error(UNHANDLED_CHALLENGE, challenge=str(challenge or "undefined"))
    next_step: dict[str, Any] = {"signInStep": step}
    if challenge == "CUSTOM_CHALLENGE":
        next_step["additionalInfo"] = parameters
    elif challenge == "NEW_PASSWORD_REQUIRED":
        required = _json_list(parameters.get("requiredAttributes"))
        next_step["missingAttributes"] = [name.replace("userAttributes.", "", 1) for name in required]
    elif challenge == "SELECT_MFA_TYPE":
        next_step["allowedMFATypes"] = mapping.amplify_mfa_types(_json_list(parameters.get("MFAS_CAN_CHOOSE")))
    elif challenge in ("SMS_MFA", "SMS_OTP", "EMAIL_OTP"):
        next_step["codeDeliveryDetails"] = {
            "deliveryMedium": parameters.get("CODE_DELIVERY_DELIVERY_MEDIUM"),
            "destination": parameters.get("CODE_DELIVERY_DESTINATION"),
        }
    elif challenge == "SELECT_CHALLENGE":
        next_step["availableChallenges"] = available
    return compact({"isSignedIn": False, "nextStep": next_step})


def after_answer(amp: Amplify, response: dict[str, Any], username: str, details: Any) -> Response | None:
    """What Amplify does with Cognito's answer to a challenge: store the next sign-in state; on tokens, cache
    them, clear the state and report signed in (None: a further challenge follows)."""
    amp.state.set_sign_in_state(
        SignInState(username, response.get("ChallengeName"), response.get("Session"), details), amp.now()
    )
    if not response.get("AuthenticationResult"):
        return None
    cache_tokens(amp, response["AuthenticationResult"], username, details)
    amp.state.reset_sign_in()
    return signed_in()


def _mfa_setup_result(amp: Amplify, parameters: dict[str, Any]) -> Response:
    """MFA_SETUP: choose between TOTP and email, or set one up (TOTP: AssociateSoftwareToken right away)."""
    offered = mapping.amplify_mfa_types(_json_list(parameters.get("MFAS_CAN_SETUP")))
    allowed = [kind for kind in offered if kind in ("EMAIL", "TOTP")]
    step = mapping.mfa_setup_step(frozenset(allowed))
    if step is None:
        raise sign_in_error(MFA_SETUP_TYPES, types=",".join(offered))
    if step == "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION":
        return {"isSignedIn": False, "nextStep": {"signInStep": step, "allowedMFATypes": allowed}}
    if step == "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP":
        return {"isSignedIn": False, "nextStep": {"signInStep": step}}
    associated = amp.cognito("AssociateSoftwareToken", {"Session": amp.state.sign_in.session})
    amp.state.set_session(associated.get("Session"), amp.now())
    details = compact({"sharedSecret": associated.get("SecretCode")})
    return {"isSignedIn": False, "nextStep": {"signInStep": step, "totpSetupDetails": details}}


def _answer_with_passkey(amp: Amplify, parameters: dict[str, Any]) -> Response:
    """handleWebAuthnSignInResult: Amplify answers WEB_AUTHN itself with a passkey (here: the run's authenticator)."""
    state = amp.state.sign_in
    if state.challenge_name != mapping.WEB_AUTHN or not state.username:
        raise sign_in_error(WEB_AUTHN_STATE)
    options = parameters.get("CREDENTIAL_REQUEST_OPTIONS")
    if not options:
        raise other_error(PASSKEY_OPTIONS)
    try:
        credential = amp.world.authenticator.get(json.loads(options))
    except (ValueError, KeyError):  # no passkey: the browser says NotAllowedError
        raise other_error(PASSKEY_CANCELED) from None
    response = amp.cognito(
        "RespondToAuthChallenge",
        {
            "ChallengeName": mapping.WEB_AUTHN,
            "ChallengeResponses": {"USERNAME": state.username, "CREDENTIAL": credential},
            "Session": state.session,
        },
    )
    done = after_answer(amp, response, state.username, state.sign_in_details)
    if done is not None:
        return done
    if response.get("ChallengeName") == mapping.WEB_AUTHN:
        raise sign_in_error(WEB_AUTHN_TWICE)
    return sign_in_result(amp, response.get("ChallengeName"), response.get("ChallengeParameters") or {})
