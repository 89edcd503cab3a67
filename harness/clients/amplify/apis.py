"""The Amplify APIs the model implements, with the keys of their input and output (for load-time checks).

Inputs follow Amplify's TypeScript types (``packages/auth/src/providers/cognito/types/inputs.ts``, ``options.ts``):
a misspelt key is reported with a "did you mean", a wrong type or enum value too. Required keys are NOT enforced:
leaving ``password`` out is exactly how a scenario shows Amplify's own validation errors. Outputs are the shapes of
``types/outputs.ts`` as JSON (functions dropped), so an ``expect.response`` key that cannot exist is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

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
    "rememberDevice": {},
    "forgetDevice": {"device": {"id": "string"}},
    "fetchDevices": {},
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
    "rememberDevice": {},
    "forgetDevice": {},
    "fetchDevices": {
        "devices": {
            "id": None,
            "name": None,
            "attributes": None,
            "createDate": None,
            "lastModifiedDate": None,
            "lastAuthenticatedDate": None,
        }
    },
    "reloadPage": {},
}
"""API name -> the keys of what it returns (void APIs return an empty mapping)."""
