"""Input rules shared by the service (which enforces them) and the published schema (which
documents them), so the two cannot drift apart."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from codaiq_desktop.sandbox import errors

MAX_NAME_CHARS = 200
MAX_FIELD_CHARS = {"name": 200, "email": 254, "phone": 40, "message": 5000}
BUILD_KEYS = frozenset({"buildStatus", "buildProgress", "buildStep", "buildError", "publishedAt"})
"""Metadata the build owns; a PATCH may not set them."""

# Deliberately simple: a dot-atom local part, "@", a domain with at least one dot; close to
# what a browser's <input type=email> accepts, and expressible in JSON Schema.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_EMAIL = re.compile(EMAIL_PATTERN)


@dataclass(frozen=True)
class LeadInput:
    """A lead's fields after trimming; blank optional fields are ``None``."""

    name: str
    email: str
    phone: str | None
    message: str | None


def validate_lead(fields: dict[str, Any]) -> LeadInput:
    """Check a lead's fields (trimmed; blank counts as missing); a 422 names the first problem."""
    cleaned: dict[str, str | None] = {}
    for field, limit in MAX_FIELD_CHARS.items():
        value = fields.get(field)
        if value is None:
            cleaned[field] = None
            continue
        if not isinstance(value, str):
            raise errors.unprocessable(f"'{field}' must be a string.")
        value = value.strip()
        if len(value) > limit:
            raise errors.unprocessable(f"'{field}' is too long (at most {limit} characters).")
        cleaned[field] = value or None
    name, email = cleaned["name"], cleaned["email"]
    if name is None:
        raise errors.unprocessable("'name' is required.")
    if email is None:
        raise errors.unprocessable("'email' is required.")
    if not _EMAIL.match(email):
        raise errors.unprocessable("'email' is not a valid email address.")
    return LeadInput(name, email, cleaned["phone"], cleaned["message"])
