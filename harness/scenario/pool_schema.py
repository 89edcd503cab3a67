"""Generate ``schemas/pool.schema.json`` from the botocore ``cognito-idp`` model.

A pool file holds CreateUserPool, CreateUserPoolClient, SetUserPoolMfaConfig and SetUserPoolSessionConfiguration
inputs, so its schema is
those shapes translated to JSON Schema, shape by shape (each named shape once, under ``$defs``). The
committed file is what editors read. It records the botocore version it was made from
(``x-botocore-version``), the version ``constraints.txt`` pins, so the test that regenerates it compares like
with like: on another botocore it reports the difference as a notice instead of failing (docs/development.md).

    authflow schema --write
"""

from __future__ import annotations

import html
import json
import re
import sys
from typing import Any

import botocore
from botocore.model import ListShape, MapShape, Shape, StructureShape

from harness.cognito import service
from harness.emulator.lambda_runtime.spec import ENV_NAME_PATTERN, HANDLER_PATTERN, MAX_TIMEOUT_S
from harness.emulator.recipes import RECIPES, TRIGGER_NAMES
from harness.scenario.names import CLIENT_NAME_PATTERN, EXPECTATION_KEYS, POOL_NAME_PATTERN

SCHEMA_ID = "urn:authflow:schemas:pool"
VERSION_KEY = "x-botocore-version"
Schema = dict[str, Any]

_TAGS = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!e\.g\.)(?<!i\.e\.)\s+(?=[A-Z0-9])")


def first_sentence(documentation: str) -> str:
    """Plain text of the first sentence of botocore's HTML documentation."""
    text = html.unescape(_TAGS.sub(" ", documentation))
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([.,;:!?)])", r"\1", text)
    return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


class _Translator:
    """Translates shapes, collecting each named shape once under ``$defs``."""

    def __init__(self) -> None:
        self.defs: dict[str, Schema] = {}

    def ref(self, shape: Shape) -> Schema:
        """A reference to the shape's definition, carrying the member's own documentation."""
        if shape.name not in self.defs:
            self.defs[shape.name] = {}  # reserve first: shapes may refer to themselves
            self.defs[shape.name] = self.translate(service.shape(shape.name))
        out: Schema = {"$ref": f"#/$defs/{shape.name}"}
        description = first_sentence(shape.documentation)
        if description:
            out["description"] = description
        return out

    def translate(self, shape: Shape) -> Schema:
        out: Schema = {}
        description = first_sentence(shape.documentation)
        if description:
            out["description"] = description
        meta = shape.metadata
        if isinstance(shape, StructureShape):
            out.update(self.structure(shape, exclude=()))
        elif isinstance(shape, ListShape):
            out["type"] = "array"
            out["items"] = self.ref(shape.member)
            _bounds(out, meta, "minItems", "maxItems")
        elif isinstance(shape, MapShape):
            out["type"] = "object"
            out["propertyNames"] = self.ref(shape.key)
            out["additionalProperties"] = self.ref(shape.value)
            _bounds(out, meta, "minProperties", "maxProperties")
        elif shape.type_name == "string":
            out["type"] = "string"
            if shape.enum:
                out["enum"] = list(shape.enum)
            _bounds(out, meta, "minLength", "maxLength")
            pattern = meta.get("pattern")
            if pattern and _compiles(pattern):
                out["pattern"] = pattern
        elif shape.type_name in ("integer", "long"):
            out["type"] = "integer"
            _bounds(out, meta, "minimum", "maximum")
        elif shape.type_name in ("float", "double"):
            out["type"] = "number"
            _bounds(out, meta, "minimum", "maximum")
        elif shape.type_name == "boolean":
            out["type"] = "boolean"
        elif shape.type_name in ("timestamp", "blob"):
            out["type"] = "string"
        return out

    def structure(self, shape: StructureShape, exclude: tuple[str, ...]) -> Schema:
        properties = {name: self.ref(member) for name, member in shape.members.items() if name not in exclude}
        out: Schema = {"type": "object", "properties": properties}
        required = [name for name in shape.required_members if name not in exclude]
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        return out


def _bounds(out: Schema, meta: dict[str, Any], low_key: str, high_key: str) -> None:
    if "min" in meta:
        out[low_key] = meta["min"]
    if "max" in meta:
        out[high_key] = meta["max"]


def build_pool_schema() -> Schema:
    """The pool file schema as a dict (deterministic: model order throughout)."""
    translator = _Translator()
    create_pool = service.operation("CreateUserPool").input_shape
    create_client = service.operation("CreateUserPoolClient").input_shape
    set_mfa = service.operation("SetUserPoolMfaConfig").input_shape
    create_provider = service.operation("CreateIdentityProvider").input_shape
    set_sessions = service.operation("SetUserPoolSessionConfiguration").input_shape
    assert create_pool is not None and create_client is not None and set_mfa is not None
    assert create_provider is not None and set_sessions is not None

    pool = translator.structure(create_pool, exclude=("PoolName",))
    client = translator.structure(create_client, exclude=("UserPoolId", "ClientName"))
    client["properties"] = {
        "name": {
            "description": "The client's name, as scenarios refer to it (client: web); also its ClientName.",
            "type": "string",
            "pattern": CLIENT_NAME_PATTERN,
            "patternErrorMessage": "a client name is lowercase letters, digits and dashes",
        },
        **client["properties"],
    }
    client["required"] = ["name", *client.get("required", [])]
    client = {"description": "One app client: CreateUserPoolClient input except UserPoolId and ClientName.", **client}
    mfa = translator.structure(set_mfa, exclude=("UserPoolId",))
    provider = translator.structure(create_provider, exclude=("UserPoolId",))
    sessions = translator.structure(set_sessions, exclude=("UserPoolId",))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "authflow pool configuration",
        "description": (
            "A Cognito user pool and its app clients, as scenarios/pools/<name>.yaml. Generated from the botocore "
            "cognito-idp model by `authflow schema --write`; do not edit by hand."
        ),
        VERSION_KEY: botocore.__version__,
        "type": "object",
        "required": ["clients"],
        "properties": {
            "name": {
                "description": "The pool's name as scenarios refer to it (pools: [name]); must equal the file name.",
                "type": "string",
                "pattern": POOL_NAME_PATTERN,
                "patternErrorMessage": "a pool name is lowercase letters, digits and dashes",
                "not": {"enum": list(EXPECTATION_KEYS)},
                "errorMessage": f"a pool cannot be named like an expectation key ({', '.join(EXPECTATION_KEYS)})",
            },
            "description": {"description": "What this configuration is for, in prose.", "type": "string"},
            "pool": {
                "description": "CreateUserPool input except PoolName (the runner names the pool).",
                **pool,
            },
            "clients": {
                "description": "The pool's app clients; a scenario uses the first unless it names one.",
                "type": "array",
                "minItems": 1,
                "items": client,
            },
            "identity_providers": {
                "description": (
                    "The pool's identity providers (Google, OIDC, SAML, ...): CreateIdentityProvider input except "
                    "UserPoolId, made before the clients, which may list them in SupportedIdentityProviders."
                ),
                "type": "array",
                "items": provider,
            },
            "mfa": {
                "description": "SetUserPoolMfaConfig input except UserPoolId, applied after the pool is created.",
                **mfa,
            },
            "sessions": {
                "description": (
                    "SetUserPoolSessionConfiguration input except UserPoolId (user session tracking), applied after "
                    "the pool is created."
                ),
                **sessions,
            },
            "triggers": _triggers_schema(),
            "emulator": _emulator_ids_schema(),
        },
        "additionalProperties": False,
        "$defs": dict(sorted(translator.defs.items())),
    }


def _triggers_schema() -> dict[str, Any]:
    """Per Lambda trigger: handler source (harness/emulator/lambda_runtime), or for the emulator a ready-made recipe
    or a Python callable (harness/emulator/recipes.py)."""
    trigger = {
        "oneOf": [
            {
                "type": "object",
                "description": "A ready-made trigger; further keys are its parameters (answer, attempts, claims, ...).",
                "required": ["recipe"],
                "properties": {"recipe": {"enum": sorted(RECIPES)}},
            },
            {
                "type": "object",
                "description": "A Python callable(event) -> event, as package.module:function.",
                "required": ["python"],
                "properties": {"python": {"type": "string", "pattern": r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$"}},
                "additionalProperties": False,
            },
            {
                "type": "object",
                "description": (
                    "Handler source run as Lambda runs it, on the emulator and deployed as a Lambda function on AWS "
                    "(docs/triggers.md)."
                ),
                "required": ["handler"],
                "properties": {
                    "handler": {
                        "description": (
                            "<file>:<exported function>, the file relative to this pool file: Node.js (.mjs, .js, "
                            ".cjs) or Python (.py), e.g. lambdas/define.mjs:handler."
                        ),
                        "type": "string",
                        "pattern": HANDLER_PATTERN,
                        "patternErrorMessage": "a handler is <file>.mjs|.js|.cjs|.py:<function>",
                    },
                    "environment": {
                        "description": "Environment variables of the function.",
                        "type": "object",
                        "propertyNames": {"pattern": ENV_NAME_PATTERN},
                        "additionalProperties": {"type": ["string", "number", "boolean"]},
                    },
                    "timeout": {
                        "description": "The function's timeout in seconds (Lambda's default: 3); Cognito waits 5.",
                        "type": "number",
                        "minimum": 1,
                        "maximum": MAX_TIMEOUT_S,
                    },
                },
                "additionalProperties": False,
            },
        ]
    }
    return {
        "description": (
            "Lambda triggers: handler source (Node.js or Python; deployed as Lambda functions on AWS), or for "
            "the embedded emulator only a recipe or a Python callable (on AWS, give LambdaConfig ARNs in `pool`)."
        ),
        "type": "object",
        "properties": {name: trigger for name in TRIGGER_NAMES},
        "additionalProperties": False,
    }


def _emulator_ids_schema() -> dict[str, Any]:
    """Fixed ids for `authflow emulator --pools` (default: derived from the pool's name; backends/preload.py)."""
    pool_id = service.shape("UserPoolIdType").metadata
    client_id = service.shape("ClientIdType").metadata
    return {
        "description": (
            "Ids the embedded emulator gives this pool when it preloads it (`authflow emulator --pools`); "
            "without them they are derived from the pool's name, the same on every start."
        ),
        "type": "object",
        "properties": {
            "pool_id": {
                "description": "The user pool id, e.g. us-east-1_Local0001.",
                "type": "string",
                "pattern": f"^{pool_id['pattern']}$",
                "maxLength": pool_id["max"],
            },
            "client_ids": {
                "description": "App client ids by client name.",
                "type": "object",
                "additionalProperties": {
                    "type": "string",
                    "pattern": f"^{client_id['pattern']}$",
                    "minLength": client_id["min"],
                    "maxLength": client_id["max"],
                },
            },
        },
        "additionalProperties": False,
    }


def render_pool_schema() -> str:
    """The committed file's exact text."""
    return json.dumps(build_pool_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    sys.stdout.write(render_pool_schema())


if __name__ == "__main__":
    main()
