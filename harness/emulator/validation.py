"""Validate JSON values against botocore shapes, answering as AWS does.

Requests are checked member by member (types, required members, enums, lengths, ranges, patterns) and every
violation is reported at once in AWS's "N validation errors detected: ..." form. The same walker checks the
emulator's own responses against output shapes in the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import regex
from botocore.model import ListShape, MapShape, Shape, StructureShape

from harness.emulator.errors import BODY_NOT_OBJECT, CognitoError
from harness.errors import AuthflowError


class ShapeTypeError(AuthflowError):
    """A value of the wrong JSON type: AWS answers these with a SerializationException."""


@cache
def _pattern(source: str) -> regex.Pattern[str] | None:
    try:
        return regex.compile(source)
    except regex.error:
        return None


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "double": (int, float),
    "float": (int, float),
    "timestamp": (int, float, str),
    "blob": (str,),
}


def _member_path(path: str, name: str) -> str:
    step = name[:1].lower() + name[1:]
    return f"{path}.{step}" if path else step


def _describe(value: Any, shape: Shape) -> str:
    if shape.metadata.get("sensitive"):
        return "Value"
    if value is None:
        return "Value null"
    return f"Value '{value}'"


def _constraint_errors(value: Any, shape: Shape, path: str) -> Iterator[str]:
    meta = shape.metadata
    at = f"{_describe(value, shape)} at '{path}' failed to satisfy constraint: "
    if shape.type_name == "string" and isinstance(value, str):
        enum = getattr(shape, "enum", None) or []
        if enum and value not in enum:
            yield at + f"Member must satisfy enum value set: [{', '.join(enum)}]"
        if "min" in meta and len(value) < meta["min"]:
            yield at + f"Member must have length greater than or equal to {meta['min']}"
        if "max" in meta and len(value) > meta["max"]:
            yield at + f"Member must have length less than or equal to {meta['max']}"
        pattern = _pattern(meta["pattern"]) if "pattern" in meta else None
        if pattern is not None and pattern.fullmatch(value) is None:
            yield at + f"Member must satisfy regular expression pattern: {meta['pattern']}"
    elif shape.type_name in ("integer", "long") and isinstance(value, int):
        if "min" in meta and value < meta["min"]:
            yield at + f"Member must have value greater than or equal to {meta['min']}"
        if "max" in meta and value > meta["max"]:
            yield at + f"Member must have value less than or equal to {meta['max']}"
    elif isinstance(value, (list, dict)):
        if "min" in meta and len(value) < meta["min"]:
            yield at + f"Member must have length greater than or equal to {meta['min']}"
        if "max" in meta and len(value) > meta["max"]:
            yield at + f"Member must have length less than or equal to {meta['max']}"


def shape_errors(value: Any, shape: Shape, path: str = "") -> Iterator[str]:
    """Yield AWS-style constraint messages; raise ShapeTypeError for a value of the wrong JSON type."""
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            raise ShapeTypeError(f"Expected an object at '{path or 'request'}'")
        for name in shape.required_members:
            if value.get(name) is None:
                yield (
                    f"Value null at '{_member_path(path, name)}' failed to satisfy constraint: Member must not be null"
                )
        for name, member_value in value.items():
            member_shape = shape.members.get(name)
            if member_shape is None or member_value is None:
                continue  # AWS JSON services ignore members they do not know
            yield from shape_errors(member_value, member_shape, _member_path(path, name))
        return
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            raise ShapeTypeError(f"Expected a list at '{path}'")
        yield from _constraint_errors(value, shape, path)
        for index, item in enumerate(value, start=1):
            yield from shape_errors(item, shape.member, f"{path}.{index}.member")
        return
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            raise ShapeTypeError(f"Expected a map at '{path}'")
        yield from _constraint_errors(value, shape, path)
        for key, item in value.items():
            yield from shape_errors(key, shape.key, f"{path}.{key}.key")
            yield from shape_errors(item, shape.value, f"{path}.{key}.value")
        return
    expected = _JSON_TYPES.get(shape.type_name, (object,))
    if not isinstance(value, expected) or (shape.type_name != "boolean" and isinstance(value, bool)):
        raise ShapeTypeError(f"Expected {shape.type_name} at '{path}', got {type(value).__name__}")
    yield from _constraint_errors(value, shape, path)


def validate_request(body: Any, shape: StructureShape | None) -> None:
    """Raise the CognitoError AWS would give for an invalid request body."""
    if shape is None:
        if not isinstance(body, dict):
            raise CognitoError("SerializationException", BODY_NOT_OBJECT)
        return
    try:
        errors = list(shape_errors(body, shape))
    except ShapeTypeError as exc:
        raise CognitoError("SerializationException", str(exc)) from None
    if errors:
        count = len(errors)
        noun = "error" if count == 1 else "errors"
        raise CognitoError("InvalidParameterException", f"{count} validation {noun} detected: " + "; ".join(errors))
