"""Ready-made Lambda triggers, usable from a pool configuration without writing Python.

    triggers:
      DefineAuthChallenge: {recipe: custom-challenge, attempts: 3}
      CreateAuthChallenge: {recipe: fixed-answer, answer: "4242"}      # or {recipe: emailed-code}
      VerifyAuthChallengeResponse: {recipe: match-answer}
      PreSignUp: {recipe: auto-confirm}
      PreTokenGeneration: {recipe: add-claims, claims: {"custom:tier": gold}}
      PreTokenGeneration: {recipe: add-claims, lambda_version: V2_0, access_claims: {tier: gold}, scopes: [x/y]}
      PreAuthentication: {recipe: refuse, message: "Sign-in is paused"}     # also PostAuthentication, PreSignUp, ...
      UserMigration: {recipe: migrate-any, password: "Legacy-Pass-1!"}
      CustomMessage: {recipe: custom-text, email: "Your code: {####}", subject: "Welcome"}
      PostConfirmation: {python: "my_package.triggers:post_confirmation"}   # any callable(event) -> event

Each recipe is a factory: (emulator, pool id, parameters) -> trigger.
"""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness.emulator.outbox import Message
from harness.emulator.triggers import Trigger

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator

Factory = Callable[["Emulator", dict[str, Any]], Trigger]
TRIGGER_NAMES = (
    "PreSignUp", "PostConfirmation", "DefineAuthChallenge", "CreateAuthChallenge",
    "VerifyAuthChallengeResponse", "PreTokenGeneration", "PreAuthentication", "PostAuthentication",
    "CustomMessage", "UserMigration",
)  # fmt: skip
LAMBDA_VERSIONS = (
    "V1_0",
    "V2_0",
    "V3_0",
)  # PreTokenGeneration's event versions [BC PreTokenGenerationVersionConfigType]


def custom_challenge(_: Emulator, params: dict[str, Any]) -> Trigger:
    """Define: ask CUSTOM_CHALLENGE until one is answered right (tokens) or `attempts` failed (fail)."""
    attempts = int(params.get("attempts", 3))

    def define(event: dict[str, Any]) -> dict[str, Any]:
        history = event["request"]["session"]
        custom = [s for s in history if s["challengeName"] == "CUSTOM_CHALLENGE"]
        if custom and custom[-1]["challengeResult"]:
            event["response"] = {"issueTokens": True, "failAuthentication": False}
        elif len(custom) >= attempts or event["request"].get("userNotFound"):
            event["response"] = {"issueTokens": False, "failAuthentication": True}
        else:
            event["response"] = {"challengeName": "CUSTOM_CHALLENGE", "issueTokens": False, "failAuthentication": False}
        return event

    return define


def fixed_answer(_: Emulator, params: dict[str, Any]) -> Trigger:
    """Create: a challenge whose answer is `answer` (a shared secret, a captcha stand-in, ...)."""
    answer = str(params["answer"])

    def create(event: dict[str, Any]) -> dict[str, Any]:
        event["response"] = {
            "publicChallengeParameters": {"hint": "the agreed answer"},
            "privateChallengeParameters": {"answer": answer},
            "challengeMetadata": "FIXED_ANSWER",
        }
        return event

    return create


def emailed_code(emu: Emulator, params: dict[str, Any]) -> Trigger:
    """Create: email a fresh code to the user (it lands in the outbox) and expect it back."""
    digits = int(params.get("digits", 6))

    def create(event: dict[str, Any]) -> dict[str, Any]:
        email = event["request"]["userAttributes"].get("email")
        code = f"{secrets.randbelow(10**digits):0{digits}d}"
        if email and not event["request"].get("userNotFound"):
            emu.outbox.record(
                Message(
                    event["userPoolId"], event["userName"], email, "EMAIL", "CUSTOM_CHALLENGE", code, emu.clock.now()
                )
            )
        event["response"] = {
            "publicChallengeParameters": {"email": email or ""},
            "privateChallengeParameters": {"answer": code},
            "challengeMetadata": "EMAILED_CODE",
        }
        return event

    return create


def match_answer(_: Emulator, params: dict[str, Any]) -> Trigger:
    """Verify: the answer equals privateChallengeParameters.answer."""

    def verify(event: dict[str, Any]) -> dict[str, Any]:
        expected = event["request"]["privateChallengeParameters"].get("answer")
        event["response"] = {"answerCorrect": expected is not None and event["request"]["challengeAnswer"] == expected}
        return event

    return verify


def auto_confirm(_: Emulator, params: dict[str, Any]) -> Trigger:
    """PreSignUp: confirm the user at once and mark the email verified."""

    def pre_sign_up(event: dict[str, Any]) -> dict[str, Any]:
        event["response"] = {"autoConfirmUser": True, "autoVerifyEmail": "email" in event["request"]["userAttributes"]}
        return event

    return pre_sign_up


def add_claims(_: Emulator, params: dict[str, Any]) -> Trigger:
    """PreTokenGeneration: add or override id-token `claims`; with a version 2 event also `access_claims` and
    `scopes` (added to the access token) [DG "Pre token generation Lambda trigger"]."""
    claims = dict(params.get("claims") or {})
    access_claims = dict(params.get("access_claims") or {})
    scopes = [str(s) for s in params.get("scopes") or ()]

    def pre_token(event: dict[str, Any]) -> dict[str, Any]:
        if event.get("version") == "1":
            event["response"] = {"claimsOverrideDetails": {"claimsToAddOrOverride": claims}}
            return event
        event["response"] = {
            "claimsAndScopeOverrideDetails": {
                "idTokenGeneration": {"claimsToAddOrOverride": claims},
                "accessTokenGeneration": {"claimsToAddOrOverride": access_claims, "scopesToAdd": scopes},
            }
        }
        return event

    return pre_token


def refuse(_: Emulator, params: dict[str, Any]) -> Trigger:
    """Any trigger: fail with `message`, as a Lambda function that throws (Cognito answers
    UserLambdaValidationException "<Trigger> failed with error <message>.")."""
    message = str(params.get("message") or "Refused by the trigger")

    def refuse_all(event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError(message)

    return refuse_all


def migrate_any(_: Emulator, params: dict[str, Any]) -> Trigger:
    """UserMigration: the old directory knows every username, with one `password`; the user arrives CONFIRMED
    (or `status`), with `<username>@example.com` as a verified email unless the name is an email, and no welcome
    message. At ForgotPassword (no password) any name is found."""
    password = str(params["password"])
    status = str(params.get("status") or "CONFIRMED")

    def migrate(event: dict[str, Any]) -> dict[str, Any]:
        given = event["request"].get("password")
        if event["triggerSource"] == "UserMigration_Authentication" and given != password:
            raise ValueError("Bad password")
        name = str(event["userName"])
        email = name if "@" in name else f"{name}@example.com"
        event["response"] = {
            "userAttributes": {"email": email, "email_verified": "true"},
            "finalUserStatus": status,
            "messageAction": "SUPPRESS",
        }
        return event

    return migrate


def custom_text(_: Emulator, params: dict[str, Any]) -> Trigger:
    """CustomMessage: `email` (with `subject`) and/or `sms` replace the pool's texts; write {####} where the
    code goes ({username} too for admin-created users)."""
    email, subject, sms = params.get("email"), params.get("subject"), params.get("sms")

    def custom_message(event: dict[str, Any]) -> dict[str, Any]:
        event["response"] = {"emailMessage": email, "emailSubject": subject, "smsMessage": sms}
        return event

    return custom_message


RECIPES: dict[str, tuple[tuple[str, ...], Factory]] = {
    "custom-challenge": (("DefineAuthChallenge",), custom_challenge),
    "fixed-answer": (("CreateAuthChallenge",), fixed_answer),
    "emailed-code": (("CreateAuthChallenge",), emailed_code),
    "match-answer": (("VerifyAuthChallengeResponse",), match_answer),
    "auto-confirm": (("PreSignUp",), auto_confirm),
    "add-claims": (("PreTokenGeneration",), add_claims),
    "refuse": (
        (
            "PreAuthentication",
            "PostAuthentication",
            "PreSignUp",
            "PostConfirmation",
            "UserMigration",
            "PreTokenGeneration",
            "CustomMessage",
            "DefineAuthChallenge",
            "CreateAuthChallenge",
            "VerifyAuthChallengeResponse",
        ),
        refuse,
    ),
    "migrate-any": (("UserMigration",), migrate_any),
    "custom-text": (("CustomMessage",), custom_text),
}
"""recipe name -> (the triggers it may serve, factory)."""


def load_python(reference: str) -> Trigger:
    """`package.module:function` -> the callable."""
    module_name, _, attribute = reference.partition(":")
    trigger = getattr(importlib.import_module(module_name), attribute)
    if not callable(trigger):
        raise TypeError(f"{reference} is not callable")
    return trigger  # type: ignore[no-any-return]


def build_trigger(emu: Emulator, name: str, spec: dict[str, Any]) -> Trigger:
    """A trigger from its pool-configuration form: {recipe: ..., params...}, {python: "module:function"} or
    {handler: "path/file.mjs:handler", ...} (an absolute path, or relative to the working directory)."""
    if "python" in spec:
        return load_python(str(spec["python"]))
    if "handler" in spec:  # handler source (Node.js or Python), run as Lambda runs it: lambda_runtime
        from harness.emulator.lambda_runtime import handler_function

        return handler_function(name, spec, region=emu.region, label="emulator")
    recipe = str(spec["recipe"])
    serves, factory = RECIPES[recipe]
    if name not in serves:
        raise ValueError(f"recipe {recipe!r} is a {' / '.join(serves)} trigger, not {name}")
    return factory(emu, {k: v for k, v in spec.items() if k not in ("recipe", "lambda_version")})


def register_triggers(emu: Emulator, pool_label: str, triggers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Register a pool configuration's triggers; returns the LambdaConfig (trigger -> ARN) that names them."""
    lambda_config: dict[str, Any] = {}
    for name, spec in triggers.items():
        suffix = secrets.token_hex(4)
        arn = f"arn:aws:lambda:{emu.region}:000000000000:function:authflow-{pool_label}-{name}-{suffix}"
        lambda_config[name] = emu.triggers.register(arn, build_trigger(emu, name, spec))
        version = spec.get("lambda_version")
        if name == "PreTokenGeneration" and version is not None:
            if version not in LAMBDA_VERSIONS:
                raise ValueError(f"lambda_version must be one of {', '.join(LAMBDA_VERSIONS)}, not {version!r}")
            # a versioned event needs PreTokenGenerationConfig [BC LambdaConfigType]
            lambda_config["PreTokenGenerationConfig"] = {"LambdaVersion": version, "LambdaArn": lambda_config[name]}
    return lambda_config
