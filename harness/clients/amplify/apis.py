"""The Amplify APIs an ``amplify:`` step may call, with the keys of their input and output, for load-time checks.

Inputs follow Amplify's TypeScript types (``packages/auth/src/providers/cognito/types/inputs.ts``, ``options.ts``):
a misspelt key is reported with a "did you mean", a wrong type or enum value too. Required keys are NOT enforced:
leaving ``password`` out is exactly how a scenario shows Amplify's own validation errors. Outputs are the shapes of
``types/outputs.ts`` as JSON (functions dropped), so an ``expect.response`` key that cannot exist is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from harness.spec.errors import KeyPath, Problem
from harness.spec.matchers import matcher_key
from harness.spec.template import has_template, is_template
from harness.spec.wording import did_you_mean, one_of, value_type_words

AUTH_FLOW_TYPES: Final = ("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_WITH_SRP", "CUSTOM_WITHOUT_SRP", "USER_AUTH")
AUTH_FACTOR_TYPES: Final = ("WEB_AUTHN", "EMAIL_OTP", "SMS_OTP", "PASSWORD", "PASSWORD_SRP")


@dataclass(frozen=True)
class Enum:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Either:
    options: tuple[InputSpec, ...]
    words: str


Leaf = Literal["string", "boolean", "strings"]
"""``strings``: a mapping of names to strings (clientMetadata, userAttributes)."""
InputSpec = Leaf | Enum | Either | Mapping[str, "InputSpec"]

_SIGN_IN_OPTIONS: Mapping[str, InputSpec] = {
    "authFlowType": Enum(AUTH_FLOW_TYPES),
    "clientMetadata": "strings",
    "preferredChallenge": Enum(AUTH_FACTOR_TYPES),
}
_METADATA: Mapping[str, InputSpec] = {"clientMetadata": "strings"}

INPUTS: Final[dict[str, Mapping[str, InputSpec]]] = {
    "signIn": {"username": "string", "password": "string", "options": _SIGN_IN_OPTIONS},
    "confirmSignIn": {
        "challengeResponse": "string",
        "options": {"userAttributes": "strings", "clientMetadata": "strings", "friendlyDeviceName": "string"},
    },
    "signUp": {
        "username": "string",
        "password": "string",
        "options": {
            "userAttributes": "strings",
            "validationData": "strings",
            "clientMetadata": "strings",
            "autoSignIn": Either(("boolean", _SIGN_IN_OPTIONS), "true, false or sign-in options"),
        },
    },
    "confirmSignUp": {
        "username": "string",
        "confirmationCode": "string",
        "options": {"clientMetadata": "strings", "forceAliasCreation": "boolean"},
    },
    "autoSignIn": {},
    "resendSignUpCode": {"username": "string", "options": _METADATA},
    "resetPassword": {"username": "string", "options": _METADATA},
    "confirmResetPassword": {
        "username": "string",
        "newPassword": "string",
        "confirmationCode": "string",
        "options": _METADATA,
    },
    "signOut": {"global": "boolean"},
    "fetchAuthSession": {"forceRefresh": "boolean"},
    "reloadPage": {},
}
"""API name -> its input keys. ``reloadPage`` is the harness's: the page reloads (in-memory state is lost)."""

API_NAMES: Final = tuple(INPUTS)

OutputSpec = Mapping[str, "OutputSpec | None"]
"""Keys of an output; None below a key means any value (a leaf, a list, or free-form data)."""

_DELIVERY: OutputSpec = {"destination": None, "deliveryMedium": None, "attributeName": None}
_SIGN_IN: OutputSpec = {
    "isSignedIn": None,
    "nextStep": {
        "signInStep": None,
        "codeDeliveryDetails": _DELIVERY,
        "additionalInfo": None,
        "missingAttributes": None,
        "allowedMFATypes": None,
        "totpSetupDetails": {"sharedSecret": None},
        "availableChallenges": None,
    },
}
_SIGN_UP_STEP: OutputSpec = {"signUpStep": None, "codeDeliveryDetails": _DELIVERY}
_JWT: OutputSpec = {"payload": None, "toString": None}

OUTPUTS: Final[dict[str, OutputSpec]] = {
    "signIn": _SIGN_IN,
    "confirmSignIn": _SIGN_IN,
    "autoSignIn": _SIGN_IN,
    "signUp": {"isSignUpComplete": None, "nextStep": _SIGN_UP_STEP, "userId": None},
    "confirmSignUp": {"isSignUpComplete": None, "nextStep": _SIGN_UP_STEP},
    "resendSignUpCode": _DELIVERY,
    "resetPassword": {
        "isPasswordReset": None,
        "nextStep": {"resetPasswordStep": None, "codeDeliveryDetails": _DELIVERY, "additionalInfo": None},
    },
    "confirmResetPassword": {},
    "signOut": {},
    "fetchAuthSession": {
        "tokens": {"accessToken": _JWT, "idToken": _JWT, "signInDetails": {"loginId": None, "authFlowType": None}},
        "credentials": None,
        "identityId": None,
        "userSub": None,
    },
    "reloadPage": {},
}
"""API name -> the keys of what it returns (void APIs return an empty mapping)."""


def check_input(spec: InputSpec, value: Any, path: KeyPath, api: str) -> list[Problem]:
    """Problems of an API input against its spec; whole-template values are only known at run time."""
    if is_template(value):
        return []
    if isinstance(spec, Either):
        if any(not check_input(option, value, path, api) for option in spec.options):
            return []
        if isinstance(value, Mapping):  # the mapping form was meant: say what is wrong inside it
            return next(check_input(o, value, path, api) for o in spec.options if not isinstance(o, str))
        return [Problem(path, f"expected {spec.words}, got {value_type_words(value)}")]
    if isinstance(spec, Enum):
        if isinstance(value, str) and value in spec.values:
            return []
        if isinstance(value, str) and has_template(value):
            return []
        got = repr(value) if isinstance(value, str) else value_type_words(value)
        hint = did_you_mean(value, spec.values) if isinstance(value, str) else ""
        return [Problem(path, f"must be one of {one_of(spec.values)}, got {got}", hint)]
    if isinstance(spec, str):
        return _check_leaf(spec, value, path)
    if not isinstance(value, Mapping):
        return [Problem(path, f"expected a mapping, got {value_type_words(value)}")]
    problems: list[Problem] = []
    for key, item in value.items():
        if key not in spec:
            hint = did_you_mean(str(key), spec) or (f"{api} takes {one_of(list(spec))}" if spec else "")
            problems.append(Problem((*path, key), f"{api} has no input {key!r}", hint, on_key=True))
        else:
            problems.extend(check_input(spec[key], item, (*path, key), api))
    return problems


def _check_leaf(kind: Leaf, value: Any, path: KeyPath) -> list[Problem]:
    if kind == "string" and not isinstance(value, str):
        return [Problem(path, f"expected a string, got {value_type_words(value)}")]
    if kind == "boolean" and not isinstance(value, bool):
        return [Problem(path, f"expected true or false, got {value_type_words(value)}")]
    if kind == "strings":
        if not isinstance(value, Mapping):
            return [Problem(path, f"expected a mapping of strings, got {value_type_words(value)}")]
        return [
            Problem((*path, key), f"expected a string, got {value_type_words(item)}")
            for key, item in value.items()
            if not isinstance(item, str)
        ]
    return []


def check_output_keys(spec: OutputSpec | None, expected: Any, path: KeyPath, api: str) -> list[Problem]:
    """Keys of an ``expect.response`` tree must exist in the API's output: a typo would match 'absent'."""
    if spec is None:
        return []
    keyword = matcher_key(expected)
    if keyword == "one_of" and isinstance(expected[keyword], list):
        return [
            problem
            for i, option in enumerate(expected[keyword])
            for problem in check_output_keys(spec, option, (*path, keyword, i), api)
        ]
    if keyword is not None or not isinstance(expected, Mapping):
        return []
    problems: list[Problem] = []
    for key, sub in expected.items():
        if key in spec:
            problems.extend(check_output_keys(spec[key], sub, (*path, key), api))
        else:
            hint = did_you_mean(str(key), spec) or (f"{api} returns {one_of(list(spec))}" if spec else "")
            problems.append(Problem((*path, key), f"{api} has no response key {key!r}", hint, on_key=True))
    return problems
