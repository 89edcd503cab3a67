"""CUSTOM_AUTH: the Define/Create/Verify auth-challenge triggers, with or without a password first (SRP_A).

[DG "Custom authentication challenge Lambda triggers", OBS in cognito-behaviour.md] Define decides after every
step, from the session history, whether to issue tokens, fail, or ask another challenge; Create makes the
challenge; Verify checks the answer.
"""

from __future__ import annotations

from typing import Any

from harness.emulator import errors
from harness.emulator.errors import invalid_parameter, missing_parameter, not_authorized
from harness.emulator.ops.auth import AuthContext, challenge, finish_sign_in, flow, phantom_user
from harness.emulator.ops.common import find_caller
from harness.emulator.ops.sign_in_triggers import pre_authentication
from harness.emulator.ops.srp_auth import start_password_verifier
from harness.emulator.sessions import AuthSession
from harness.emulator.state import User
from harness.emulator.triggers import configured, invoke

History = list[dict[str, Any]]


def _call(
    ctx: AuthContext, user: User, name: str, source: str, request: dict[str, Any], *, phantom: bool
) -> dict[str, Any]:
    response = invoke(
        ctx.emu.triggers, ctx.pool, name, source,
        client_id=ctx.client.client_id, user=None if phantom else user, username=user.username,
        request={**request, "userNotFound": phantom},
    )  # fmt: skip
    if response is None:
        raise invalid_parameter(errors.CUSTOM_AUTH_NOT_CONFIGURED)
    return response


def define_next(ctx: AuthContext, user: User, history: History, *, phantom: bool) -> dict[str, Any]:
    """Ask DefineAuthChallenge what comes next and do it: tokens, failure, or a new challenge. The triggers
    see the request's clientMetadata (RespondToAuthChallenge's; none from InitiateAuth: ops/auth.py)."""
    metadata = ctx.trigger_metadata
    decision = _call(
        ctx, user, "DefineAuthChallenge", "DefineAuthChallenge_Authentication",
        {"session": history, "clientMetadata": dict(metadata)}, phantom=phantom,
    )  # fmt: skip
    if decision.get("failAuthentication") or (phantom and decision.get("issueTokens")):
        raise not_authorized(errors.BAD_CREDENTIALS)
    if decision.get("issueTokens"):
        return finish_sign_in(ctx, user, auth_time=ctx.now)
    name = decision.get("challengeName") or "CUSTOM_CHALLENGE"
    if name == "PASSWORD_VERIFIER":
        raise invalid_parameter(errors.PASSWORD_VERIFIER_NEEDS_SRP_A)
    created = _call(
        ctx, user, "CreateAuthChallenge", "CreateAuthChallenge_Authentication",
        {"challengeName": name, "session": history, "clientMetadata": dict(metadata)}, phantom=phantom,
    )  # fmt: skip
    public = {str(k): str(v) for k, v in (created.get("publicChallengeParameters") or {}).items()}
    public.setdefault("USERNAME", user.username)
    return ctx.challenge(
        user, "CUSTOM_CHALLENGE", public,
        history=history, private=created.get("privateChallengeParameters") or {},
        metadata=created.get("challengeMetadata"), phantom=phantom,
    )  # fmt: skip


@flow("CUSTOM_AUTH")
def custom_auth_flow(ctx: AuthContext, parameters: dict[str, str]) -> dict[str, Any]:
    username = parameters.get("USERNAME")
    if not username:
        raise missing_parameter("USERNAME")
    if configured(ctx.pool, "DefineAuthChallenge") is None:
        raise invalid_parameter(errors.CUSTOM_AUTH_NOT_CONFIGURED)
    found = find_caller(ctx.pool, ctx.client, username, parameters.get("SECRET_HASH"))
    if found is None and not ctx.client.prevents_user_existence_errors:
        raise errors.user_not_found()
    user = found or phantom_user(username)
    if found is not None and not found.enabled:
        raise not_authorized(errors.USER_DISABLED)
    pre_authentication(ctx.emu, ctx.pool, ctx.client.client_id, found, username, ctx.client_metadata)
    if parameters.get("CHALLENGE_NAME") == "SRP_A" or parameters.get("SRP_A"):
        # CUSTOM_WITH_SRP: the password first, through SRP; Define runs once it is verified.
        return start_password_verifier(ctx, user, parameters, phantom=found is None, after_password=_define_after_srp)
    return define_next(ctx, user, [], phantom=found is None)


def _define_after_srp(ctx: AuthContext, user: User) -> dict[str, Any]:
    """CUSTOM_WITH_SRP once the password is verified: Define sees SRP_A and PASSWORD_VERIFIER passed."""
    passed = ("SRP_A", "PASSWORD_VERIFIER")
    history = [{"challengeName": name, "challengeResult": True, "challengeMetadata": None} for name in passed]
    return define_next(ctx, user, history, phantom=False)


@challenge("CUSTOM_CHALLENGE")
def custom_challenge(ctx: AuthContext, session: AuthSession, user: User, responses: dict[str, str]) -> dict[str, Any]:
    answer = responses.get("ANSWER")
    if answer is None:
        raise missing_parameter("ANSWER")
    phantom = bool(session.context.get("phantom"))
    request = {
        "privateChallengeParameters": session.context.get("private", {}),
        "challengeAnswer": answer,
        "clientMetadata": dict(ctx.trigger_metadata),
    }
    verdict = _call(
        ctx, user, "VerifyAuthChallengeResponse", "VerifyAuthChallengeResponse_Authentication", request, phantom=phantom
    )
    correct = bool(verdict.get("answerCorrect")) and not phantom
    history: History = [
        *session.context.get("history", []),
        {
            "challengeName": "CUSTOM_CHALLENGE",
            "challengeResult": correct,
            "challengeMetadata": session.context.get("metadata"),
        },
    ]
    try:
        result = define_next(ctx, user, history, phantom=phantom)
    except Exception:
        ctx.emu.sessions.settle_wrong_answer(session)  # a failed custom challenge leaves an invalid session
        raise
    if correct:
        ctx.emu.sessions.consume(session)
    else:
        ctx.emu.sessions.settle_wrong_answer(session)
    return result
