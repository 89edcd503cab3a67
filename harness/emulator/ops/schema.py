"""The attributes a pool's users may have: the standard ones, the pool's schema, and the checks on values.

Kept apart from the operations that change attributes (attributes.py), so that pool description can use it.
"""

from __future__ import annotations

import re
from typing import Any

from harness.emulator import errors
from harness.emulator.errors import invalid_parameter
from harness.emulator.state import UserPool

# The OpenID Connect standard attributes every pool has [DG "User pool attributes"].
STANDARD_ATTRIBUTES = frozenset(
    [
        "address",
        "birthdate",
        "email",
        "email_verified",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "phone_number_verified",
        "picture",
        "preferred_username",
        "profile",
        "sub",
        "updated_at",
        "website",
        "zoneinfo",
    ]
)
EMAIL_FORMAT = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_FORMAT = re.compile(r"\+[0-9]{4,15}")


def attribute_map(items: list[dict[str, Any]] | None) -> dict[str, str]:
    """A request's [{Name, Value}] list as a dict (a missing Value is blank)."""
    return {str(item["Name"]): str(item.get("Value", "")) for item in items or []}


def custom_name(declared: str) -> str:
    """The name a schema entry's custom attribute is written and listed under: `custom:` and the Name it was
    declared with, even a Name that already starts with `custom:` (which gives `custom:custom:x`) [BC
    SchemaAttributeType Name: "When you add an attribute with a Name value of MyAttribute, Amazon Cognito creates
    the custom attribute custom:MyAttribute"; C: awsdocs/aws-cloudformation-user-guide#932]."""
    return f"custom:{declared}"


def written_names(attribute: dict[str, Any]) -> frozenset[str]:
    """The names under which users write a declared schema entry: a standard attribute's own; a custom one's
    `custom_name`; a developer-only one's `dev:` name, with or without `custom:` after it (UNCONFIRMED which of
    the two Cognito uses)."""
    declared = str(attribute.get("Name", ""))
    if declared in STANDARD_ATTRIBUTES:
        return frozenset({declared})
    if attribute.get("DeveloperOnlyAttribute"):
        return frozenset({f"dev:{declared}", f"dev:{custom_name(declared)}"})
    return frozenset({custom_name(declared)})


def schema_entry(pool: UserPool, name: str) -> dict[str, Any] | None:
    """The schema of an attribute as the pool declares it, or {} for an undeclared standard attribute; None when
    the pool has no such attribute (see `written_names`)."""
    for attribute in pool.settings.get("Schema", []):
        if name in written_names(attribute):
            return dict(attribute)
    return {} if name in STANDARD_ATTRIBUTES else None


def check_attributes(pool: UserPool, attributes: dict[str, str], *, creating: bool) -> None:
    """Every attribute must be in the schema, with a valid email/phone format; a new user needs the required ones."""
    for name, value in attributes.items():
        if schema_entry(pool, name) is None:
            raise invalid_parameter(errors.ATTRIBUTE_UNKNOWN.format(name=name))
        if name == "email" and value and not EMAIL_FORMAT.fullmatch(value):
            raise invalid_parameter(errors.EMAIL_INVALID)
        if name == "phone_number" and value and not PHONE_FORMAT.fullmatch(value):
            raise invalid_parameter(errors.PHONE_INVALID)
    if creating:
        for attribute in pool.settings.get("Schema", []):
            if attribute.get("Required") and attribute.get("Name") not in attributes:
                raise invalid_parameter(errors.ATTRIBUTE_REQUIRED.format(name=attribute.get("Name")))
