"""Per-operation parameter schemas for editors: if a step's ``call`` is X, its ``params`` are X's input shape.

The committed ``schemas/scenario.schema.json`` carries them so that yaml-language-server completes operation
names, parameter names and enum values, and flags a misspelt operation (``InitiateAuht``) or a wrong type
(``Limit: "10"``) as it is typed. They are made from the botocore model (harness/cognito/service.py), each
named shape once under ``$defs`` (the pool schema's translator), with two differences that follow the loader:

- wherever a value is, a template is allowed: a value that is one whole ``${{ ... }}`` may stand for any type,
  and a string holding a template is a string whose length, pattern and enum wait for run time;
- ``UserPoolId`` and ``ClientId`` are never required (the runner fills them in), and patterns are left out
  (the loader does not check them either).

The loader checks the same parameters against the installed model itself, with its own wording
(harness/scenario/shapes.py); this is only what editors read.
"""

from __future__ import annotations

from typing import Any

from botocore.model import Shape, StructureShape

from harness.cognito import service
from harness.scenario.pool_schema import _Translator, first_sentence

Schema = dict[str, Any]

WHOLE_TEMPLATE_DEF = "wholeTemplate"
TEMPLATED_STRING_DEF = "templatedString"
TEMPLATE_DEFS: dict[str, Schema] = {
    WHOLE_TEMPLATE_DEF: {
        "description": "A value that is one whole template, ${{ ... }}: any type, known at run time.",
        "type": "string",
        "pattern": r"^\$\{\{[\s\S]*\}\}$",
    },
    TEMPLATED_STRING_DEF: {
        "description": "A string holding a template, ${{ ... }}: checked at run time.",
        "type": "string",
        "pattern": r"\$\{\{",
    },
}


class _TemplatingTranslator(_Translator):
    """The pool schema's shape translator, allowing a template wherever a value is."""

    def translate(self, shape: Shape) -> Schema:
        strict = super().translate(shape)
        strict.pop("pattern", None)
        description = strict.pop("description", None)
        is_plain_string = strict.get("type") == "string" and not ({"enum", "minLength", "maxLength"} & set(strict))
        if is_plain_string:
            out = strict  # a template is a string too
        else:
            template = TEMPLATED_STRING_DEF if strict.get("type") == "string" else WHOLE_TEMPLATE_DEF
            out = {"anyOf": [strict, {"$ref": f"#/$defs/{template}"}]}
        return {"description": description, **out} if description else out


def operation_params(translator: _TemplatingTranslator, operation: str) -> Schema:
    """The ``params`` schema of one operation: its input members, UserPoolId/ClientId optional."""
    shape = service.operation(operation).input_shape
    if not isinstance(shape, StructureShape):
        return {"type": "object", "maxProperties": 0, "description": f"{operation} takes no parameters."}
    out = translator.structure(shape, exclude=())
    required = [name for name in out.get("required", []) if name not in service.RUNNER_FILLED]
    if required:
        out["required"] = required
    else:
        out.pop("required", None)
    description = first_sentence(service.operation(operation).documentation)
    return {"description": f"{operation} input. {description}".strip(), **out}


def call_editor_schema(branch: Schema) -> tuple[Schema, Schema]:
    """A ``call`` step's schema branch for editors and the ``$defs`` it needs.

    ``call`` becomes the enum of operation names; ``params`` are chosen by ``call`` with one ``if``/``then``
    per operation, referring to ``params.<Operation>``.
    """
    translator = _TemplatingTranslator()
    defs: Schema = dict(TEMPLATE_DEFS)
    conditions = []
    for operation in service.operation_names():
        defs[f"params.{operation}"] = operation_params(translator, operation)
        conditions.append(
            {
                "if": {"properties": {"call": {"const": operation}}, "required": ["call"]},
                "then": {"properties": {"params": {"$ref": f"#/$defs/params.{operation}"}}},
            }
        )
    clashes = set(translator.defs) & set(defs)
    assert not clashes, f"botocore shape names clash with schema definitions: {sorted(clashes)}"
    defs.update(sorted(translator.defs.items()))
    properties = dict(branch["properties"])
    properties["call"] = {**properties["call"], "enum": list(service.operation_names())}
    return {**branch, "properties": properties, "allOf": conditions}, defs
