"""How each authFlowType starts: the Cognito calls signIn makes before it has a challenge or tokens to report.

Source: amplify-js v6 ``providers/cognito/utils/signInHelpers.ts`` (handleUserPasswordAuthFlow,
handleCustomAuthFlowWithoutSRP, handleCustomSRPAuthFlow), ``client/flows/shared/handlePasswordSRP.ts``,
``client/flows/userAuth/handleUserAuthFlow.ts`` and ``utils/handlePasswordVerifierChallenge.ts``. Each flow also
records the active username the way Amplify's setActiveSignInUsername does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from harness.clients.amplify.device_auth import device_srp, is_device_gone, with_device_key
from harness.clients.amplify.errors import NO_USER_ID_FOR_SRP, AmplifyError, Validation, other_error, require
from harness.clients.amplify.service import Amplify, first
from harness.cognito.srp import SrpClient

Response = dict[str, Any]


def options_of(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """``input.options`` (absent or not a mapping reads as no options, as ``options?.x`` does)."""
    options = inputs.get("options")
    return dict(options) if isinstance(options, Mapping) else {}


def password_verifier(amp: Amplify, srp: SrpClient, parameters: dict[str, str], session: Any, meta: Any) -> Response:
    """retryOnResourceNotFoundException(handlePasswordVerifierChallenge): a stored device Cognito no longer knows
    is forgotten and the same answer sent again without it."""
    try:
        return _password_verifier(amp, srp, parameters, session, meta)
    except AmplifyError as error:
        if not is_device_gone(error):
            raise
        amp.state.devices.pop(first(parameters.get("USERNAME"), parameters.get("USER_ID_FOR_SRP")) or "", None)
        return _password_verifier(amp, srp, parameters, session, meta)


def _password_verifier(amp: Amplify, srp: SrpClient, parameters: dict[str, str], session: Any, meta: Any) -> Response:
    """handlePasswordVerifierChallenge: prove the password for USER_ID_FOR_SRP (with the stored DEVICE_KEY), then
    the device if Cognito asks for it."""
    username = parameters.get("USER_ID_FOR_SRP")
    if not username:
        raise other_error(NO_USER_ID_FOR_SRP)
    response = amp.cognito(
        "RespondToAuthChallenge",
        {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeResponses": with_device_key(amp, username, srp.respond(parameters)),
            "ClientMetadata": meta,
            "Session": session,
        },
    )
    return device_srp(amp, response, username, meta)


def password_srp(amp: Amplify, username: str, password: str, flow: str, meta: Any, extra: dict[str, str]) -> Response:
    """handlePasswordSRP: InitiateAuth with SRP_A; PASSWORD_VERIFIER is answered at once."""
    srp = amp.srp_client(username, password)
    response = amp.cognito(
        "InitiateAuth",
        {
            "AuthFlow": flow,
            "AuthParameters": {"USERNAME": username, "SRP_A": srp.srp_a_hex, **extra},
            "ClientMetadata": meta,
        },
    )
    parameters = response.get("ChallengeParameters") or {}
    amp.state.set_username(first(parameters.get("USERNAME"), username), amp.now())
    if response.get("ChallengeName") == "PASSWORD_VERIFIER":
        return password_verifier(amp, srp, parameters, response.get("Session"), meta)
    return response


def _start_srp(amp: Amplify, username: str, password: Any, options: dict[str, Any]) -> Response:
    """handleUserSRPAuthFlow: the password never leaves the client."""
    return password_srp(amp, username, password, "USER_SRP_AUTH", options.get("clientMetadata"), {})


def _start_user_password(amp: Amplify, username: str, password: Any, options: dict[str, Any]) -> Response:
    """handleUserPasswordAuthFlow: the password travels to Cognito."""
    response = amp.cognito(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": with_device_key(amp, username, {"USERNAME": username, "PASSWORD": password}),
            "ClientMetadata": options.get("clientMetadata"),
        },
    )
    parameters = response.get("ChallengeParameters") or {}
    active = first(parameters.get("USERNAME"), parameters.get("USER_ID_FOR_SRP"), username)
    amp.state.set_username(active, amp.now())
    return device_srp(amp, response, active, options.get("clientMetadata"))


def _start_custom(amp: Amplify, username: str, password: Any, options: dict[str, Any]) -> Response:
    """handleCustomAuthFlowWithoutSRP: CUSTOM_AUTH with the username alone."""
    response = amp.cognito(
        "InitiateAuth",
        {
            "AuthFlow": "CUSTOM_AUTH",
            "AuthParameters": with_device_key(amp, username, {"USERNAME": username}),
            "ClientMetadata": options.get("clientMetadata"),
        },
    )
    active = first((response.get("ChallengeParameters") or {}).get("USERNAME"), username)
    amp.state.set_username(active, amp.now())
    return device_srp(amp, response, active, options.get("clientMetadata"))


def _start_custom_srp(amp: Amplify, username: str, password: Any, options: dict[str, Any]) -> Response:
    """handleCustomSRPAuthFlow: CUSTOM_AUTH with SRP_A; Amplify answers PASSWORD_VERIFIER whatever comes back."""
    meta = options.get("clientMetadata")
    srp = amp.srp_client(username, password)
    response = amp.cognito(
        "InitiateAuth",
        {
            "AuthFlow": "CUSTOM_AUTH",
            "AuthParameters": {"USERNAME": username, "SRP_A": srp.srp_a_hex, "CHALLENGE_NAME": "SRP_A"},
            "ClientMetadata": meta,
        },
    )
    parameters = response.get("ChallengeParameters") or {}
    amp.state.set_username(first(parameters.get("USERNAME"), username), amp.now())
    return password_verifier(amp, srp, parameters, response.get("Session"), meta)


def _start_user_auth(amp: Amplify, username: str, password: Any, options: dict[str, Any]) -> Response:
    """handleUserAuthFlow: USER_AUTH, with the preferred first factor; autoSignIn's Session rides along."""
    meta = options.get("clientMetadata")
    preferred = options.get("preferredChallenge")
    parameters: dict[str, Any] = {"USERNAME": username}
    if preferred:
        if preferred == "PASSWORD_SRP":
            require(password, Validation.EmptySignInPassword)
            return password_srp(amp, username, password, "USER_AUTH", meta, {"PREFERRED_CHALLENGE": preferred})
        if preferred == "PASSWORD":
            require(password, Validation.EmptySignInPassword)
            parameters["PASSWORD"] = password
        parameters["PREFERRED_CHALLENGE"] = preferred
    store = amp.state.auto_sign_in
    session = store.session if store.active and store.username == username else None
    response = amp.cognito(
        "InitiateAuth",
        {"AuthFlow": "USER_AUTH", "AuthParameters": parameters, "ClientMetadata": meta, "Session": session or None},
    )
    amp.state.set_username(username, amp.now())
    return response


@dataclass(frozen=True)
class Flow:
    """One authFlowType: its password rule, how it starts, and whether it resets autoSignIn when it ends."""

    auth_flow_type: str
    password: Literal["required", "forbidden", "optional"]
    """``required`` (EmptySignInPassword), ``forbidden`` (CustomAuthSignInPassword) or ``optional``."""
    start: Callable[[Amplify, str, Any, dict[str, Any]], Response]
    resets_auto_sign_in: bool


FLOWS: dict[str, Flow] = {
    "USER_SRP_AUTH": Flow("USER_SRP_AUTH", "required", _start_srp, True),
    "USER_PASSWORD_AUTH": Flow("USER_PASSWORD_AUTH", "required", _start_user_password, True),
    "CUSTOM_WITHOUT_SRP": Flow("CUSTOM_WITHOUT_SRP", "forbidden", _start_custom, False),
    "CUSTOM_WITH_SRP": Flow("CUSTOM_WITH_SRP", "required", _start_custom_srp, False),
    "USER_AUTH": Flow("USER_AUTH", "optional", _start_user_auth, True),
}
DEFAULT_FLOW = "USER_SRP_AUTH"
"""signIn's ``default:`` branch: no (or an unknown) authFlowType signs in with SRP."""
