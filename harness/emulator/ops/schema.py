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


def schema_entry(pool: UserPool, name: str) -> dict[str, Any] | None:
    """The schema of an attribute as the pool declares it, or {} for an undeclared standard attribute; None when
    the pool has no such attribute. Custom attributes are declared without their `custom:` prefix and written with
    it, developer-only ones with `dev:` [BC SchemaAttributeType Name]; the `custom:` prefix is accepted on either
    side, and `dev:custom:` too (UNCONFIRMED which of the two Cognito uses)."""
    for attribute in pool.settings.get("Schema", []):
        declared = str(attribute.get("Name", "")).removeprefix("custom:")
        names = {declared, f"custom:{declared}"}
        if attribute.get("DeveloperOnlyAttribute"):
            names |= {f"dev:{declared}", f"dev:custom:{declared}"}
        if name in names:
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
