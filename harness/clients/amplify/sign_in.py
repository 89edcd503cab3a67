"""signIn (one flow per authFlowType) and confirmSignIn, with the stored sign-in state between them.

Source: amplify-js v6 ``providers/cognito/apis/signIn.ts`` and ``signInWith{SRP,UserPassword,CustomAuth,
CustomSRPAuth,UserAuth}.ts``, ``confirmSignIn.ts``, ``utils/signInHelpers.ts`` (handleChallengeName and its
helpers). The order of the checks is Amplify's: signIn resets the autoSignIn store, refuses when a user is signed
in, then the flow validates username and password before any call. A flow that fails after that point clears the
stored state; a failed confirmSignIn keeps it, so the same challenge can be answered again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from harness.clients.amplify import mapping
from harness.clients.amplify.device_auth import device_srp, with_device_key
from harness.clients.amplify.errors import (
    MFA_SETUP_ANSWER,
    NO_SIGN_IN_STATE,
    UNHANDLED_ANSWER,
    AmplifyError,
    Validation,
    require,
    sign_in_error,
)
from harness.clients.amplify.flows import DEFAULT_FLOW, FLOWS, Flow, options_of, password_verifier
from harness.clients.amplify.next_step import after_answer, result_from_error, sign_in_result, signed_in
from harness.clients.amplify.service import Amplify, first
from harness.clients.amplify.state import SignInState
from harness.clients.amplify.tokens import assert_not_signed_in, cache_tokens

Response = dict[str, Any]


def sign_in(amp: Amplify, inputs: dict[str, Any]) -> Response:
    """signIn: reset the autoSignIn store, refuse a second user, then the flow for ``options.authFlowType``."""
    amp.state.reset_auto_sign_in(callback=False)
    assert_not_signed_in(amp)
    flow_type = options_of(inputs).get("authFlowType")
    flow = FLOWS.get(flow_type) if isinstance(flow_type, str) else None
    return run_flow(amp, flow or FLOWS[DEFAULT_FLOW], inputs)


def run_flow(amp: Amplify, flow: Flow, inputs: Mapping[str, Any]) -> Response:
    """signInWith<Flow>: validate, start, store the challenge state, and report the next step."""
    username, password = inputs.get("username"), inputs.get("password")
    options = options_of(inputs)
    details = {"loginId": username, "authFlowType": flow.auth_flow_type}
    require(username, Validation.EmptySignInUsername)
    if flow.password == "required":
        require(password, Validation.EmptySignInPassword)
    elif flow.password == "forbidden":
        require(not password, Validation.CustomAuthSignInPassword)
    try:
        response = flow.start(amp, str(username), password, options)
        active = first(amp.state.sign_in.username, username)
        amp.state.set_sign_in_state(
            SignInState(active, response.get("ChallengeName"), response.get("Session"), details), amp.now()
        )
        if response.get("AuthenticationResult"):
            cache_tokens(amp, response["AuthenticationResult"], active, details)
            amp.state.reset_sign_in()
            if flow.resets_auto_sign_in:
                amp.state.reset_auto_sign_in()
            return signed_in()
        available = response.get("AvailableChallenges") if flow.auth_flow_type == "USER_AUTH" else None
        return sign_in_result(amp, response.get("ChallengeName"), response.get("ChallengeParameters") or {}, available)
    except AmplifyError as error:
        amp.state.reset_sign_in()
        if flow.resets_auto_sign_in:
            amp.state.reset_auto_sign_in()
        return result_from_error(error)


# --- confirmSignIn -------------------------------------------------------------------------------------------------


def confirm_sign_in(amp: Amplify, inputs: dict[str, Any]) -> Response:
    """confirmSignIn: answer the stored challenge; the state is replaced after an answer, kept after a failure."""
    answer = inputs.get("challengeResponse")
    options = options_of(inputs)
    state = amp.state.sign_in
    username, challenge, session, details = state.username, state.challenge_name, state.session, state.sign_in_details
    require(answer, Validation.EmptyChallengeResponse)
    if not username or not challenge or not session:
        raise sign_in_error(NO_SIGN_IN_STATE)
    try:
        response = _answer(amp, username, challenge, session, str(answer), options)
        done = after_answer(amp, response, username, details)
        if done is not None:
            return done
        return sign_in_result(amp, response.get("ChallengeName"), response.get("ChallengeParameters") or {})
    except AmplifyError as error:
        return result_from_error(error)


def _respond(amp: Amplify, challenge: str, responses: dict[str, Any], session: Any, meta: Any) -> Response:
    return amp.cognito(
        "RespondToAuthChallenge",
        {"ChallengeName": challenge, "ChallengeResponses": responses, "Session": session, "ClientMetadata": meta},
    )


def _answer(
    amp: Amplify, username: str, challenge: str, session: str, answer: str, options: dict[str, Any]
) -> Response:
    """handleChallengeName: the ChallengeResponses for the stored challenge (keys from mapping.CHALLENGE_STEPS)."""
    meta = options.get("clientMetadata")
    if challenge in (mapping.WEB_AUTHN, "SELECT_CHALLENGE"):
        if answer in mapping.SELECT_LOCALLY:  # ask for the password next, without calling Cognito
            return {"ChallengeName": answer, "Session": session}
        return _respond(amp, "SELECT_CHALLENGE", {"USERNAME": username, "ANSWER": answer}, session, meta)
    if challenge == mapping.MFA_SETUP:
        return _answer_mfa_setup(amp, username, session, answer, options)
    if challenge == "PASSWORD_SRP":  # the first factor chosen before; its password proves itself by SRP
        srp = amp.srp_client(username, answer)
        responses = {"ANSWER": challenge, "USERNAME": username, "SRP_A": srp.srp_a_hex}
        response = _respond(amp, "SELECT_CHALLENGE", responses, session, meta)
        if response.get("ChallengeName") == "PASSWORD_VERIFIER":
            parameters = response.get("ChallengeParameters") or {}
            return password_verifier(amp, srp, parameters, response.get("Session"), meta)
        return response
    row = mapping.BY_CHALLENGE.get(challenge)
    if row is None or row.answer_key is None:
        raise sign_in_error(UNHANDLED_ANSWER, challenge=challenge)
    if challenge == "PASSWORD":  # the first factor chosen before, now its password
        responses = {"ANSWER": challenge, "USERNAME": username, row.answer_key: answer}
        return _respond(amp, "SELECT_CHALLENGE", responses, session, meta)
    if challenge == "NEW_PASSWORD_REQUIRED":
        attributes = options.get("userAttributes") or {}
        extra = {f"userAttributes.{name}": value for name, value in attributes.items() if value}
        return _respond(amp, challenge, {**extra, row.answer_key: answer, "USERNAME": username}, session, meta)
    if challenge == "SELECT_MFA_TYPE":
        require(answer in mapping.MFA_ANSWERS, Validation.IncorrectMFAMethod)
        answer = mapping.mfa_answer(answer)
    responses = {"USERNAME": username, row.answer_key: answer}
    if challenge in _DEVICE_AWARE:  # handleCustomChallenge, handleMFAChallenge
        return device_srp(
            amp, _respond(amp, challenge, with_device_key(amp, username, responses), session, meta), username, meta
        )
    return _respond(amp, challenge, responses, session, meta)


_DEVICE_AWARE = frozenset({"CUSTOM_CHALLENGE", "SMS_MFA", "SMS_OTP", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"})
"""Answers that carry the stored DEVICE_KEY and may be followed by DEVICE_SRP_AUTH."""


_DIGITS = re.compile(r"[0-9]+")


def _answer_mfa_setup(amp: Amplify, username: str, session: str, answer: str, options: dict[str, Any]) -> Response:
    """handleMFASetupChallenge: EMAIL/TOTP choose locally; digits verify a TOTP; an address sets up email MFA."""
    meta = options.get("clientMetadata")
    if answer in mapping.MFA_SETUP_LOCAL:
        types = json.dumps([mapping.MFA_SETUP_LOCAL[answer]])
        return {
            "ChallengeName": mapping.MFA_SETUP,
            "Session": session,
            "ChallengeParameters": {"MFAS_CAN_SETUP": types},
        }
    if _DIGITS.fullmatch(answer):
        verified = amp.cognito(
            "VerifySoftwareToken",
            {"UserCode": answer, "Session": session, "FriendlyDeviceName": options.get("friendlyDeviceName")},
        )
        amp.state.set_session(verified.get("Session"), amp.now())
        return _respond(amp, mapping.MFA_SETUP, {"USERNAME": username}, verified.get("Session"), meta)
    if "@" in answer:
        return _respond(amp, mapping.MFA_SETUP, {"USERNAME": username, "EMAIL": answer}, session, meta)
    raise sign_in_error(MFA_SETUP_ANSWER, answer=answer)
