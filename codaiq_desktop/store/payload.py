"""Reading a webhook body: the checks that decide between "store it" and "400".

The documented payload is ``{event, timestamp, websiteId, projectId, data}``. The reader
is tolerant (unknown fields and unknown event types are kept), but a body that is not a
JSON object with a string ``event`` cannot be filed anywhere, so it is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from codaiq_desktop.signing import EVENT_ID_HEADER, SIGNATURE_HEADER

from .models import LEAD_EVENT_TYPES

MAX_EVENT_TYPE_LENGTH = 200
MAX_ID_LENGTH = 500

_KEPT_HEADERS = frozenset(
    {"content-type", "content-length", "user-agent", SIGNATURE_HEADER.lower(), EVENT_ID_HEADER.lower()}
)
_KEPT_HEADER_PREFIX = "x-codaiq-"
_MAX_HEADER_VALUE = 1000


class InvalidPayloadError(ValueError):
    """The body is not a webhook payload we can store. ``str()`` says why, for the sender."""


@dataclass(frozen=True, slots=True)
class WebhookPayload:
    """The parts of a payload the store indexes, next to the whole parsed object."""

    event_type: str
    event_id: str
    website_id: str | None
    project_id: str | None
    occurred_at: str | None
    data: dict[str, Any]
    document: dict[str, Any]
    body_sha256: str

    @property
    def is_lead(self) -> bool:
        return self.event_type in LEAD_EVENT_TYPES


@dataclass(frozen=True, slots=True)
class LeadFields:
    """What a lead event says about the person; any part may be missing."""

    lead_id: str | None
    name: str | None
    email: str | None
    phone: str | None
    message: str | None


def body_digest(raw_body: bytes) -> str:
    """Lowercase hex SHA-256 of the raw body: the last-resort de-duplication key."""
    return hashlib.sha256(raw_body).hexdigest()


def kept_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The request headers worth storing, lower-cased and length-capped.

    An allow-list rather than everything: a proxy in front of the receiver may add
    cookies or authorization headers, and those must never reach the database.
    """
    kept: dict[str, str] = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower in _KEPT_HEADERS or lower.startswith(_KEPT_HEADER_PREFIX):
            kept[lower] = str(value)[:_MAX_HEADER_VALUE]
    return kept


def _optional_string(document: Mapping[str, Any], key: str) -> str | None:
    value = document.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return value[:MAX_ID_LENGTH] if value else None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InvalidPayloadError(f"'{key}' must be a string")


MAX_NESTING = 64
"""Deepest nesting of objects and arrays taken (the payload itself is level 1).

Deeper is refused with a 400 rather than left to the interpreter's recursion limit,
which is process-wide: a body the receiver could parse might not be readable again
by a caller with a deeper stack (the Events tab pretty-printing it).
"""

_STRUCTURE = re.compile(rb'[\[\]{}"\\]')
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _refuse_constant(name: str) -> Any:
    raise InvalidPayloadError(f"body is not valid JSON ({name} is not a JSON value)")


#: One decoder for every body (as ``json.loads`` keeps one for its defaults): building
#: one per call, as ``json.loads(..., parse_constant=...)`` does, costs a few µs an event.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def _decode_json(raw_body: bytes) -> Any:
    """JSON as RFC 8259 has it: UTF-8 only, no NaN/Infinity, nothing SQLite cannot hold.

    Each refusal is an ``InvalidPayloadError`` (a 400 the sender can read), never an
    error that would look like a store failure (a 503 and a retry of the same bytes).
    """
    try:
        text = raw_body.decode("utf-8")  # strict: UTF-16/32 and encoded surrogates are refused
    except UnicodeDecodeError:
        raise InvalidPayloadError("body is not UTF-8 encoded JSON") from None
    if _deeper_than(raw_body, MAX_NESTING):
        raise InvalidPayloadError(f"body is nested more than {MAX_NESTING} levels deep")
    try:
        document = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise InvalidPayloadError(f"body is not valid JSON ({exc.__class__.__name__})") from None
    except RecursionError:
        raise InvalidPayloadError("body is nested too deeply") from None
    except InvalidPayloadError:
        raise
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise InvalidPayloadError("body holds a number too long to read") from None
    if _ESCAPED_SURROGATE.search(raw_body) and _has_lone_surrogate(document):
        raise InvalidPayloadError("body holds a \\u escape of half a character (a lone surrogate)")
    return document


def _deeper_than(raw_body: bytes, limit: int) -> bool:
    """Whether objects/arrays nest deeper than ``limit``, from the bytes (strings skipped)."""
    if raw_body.count(b"[") + raw_body.count(b"{") <= limit:
        return False
    depth = 0
    in_string = False
    escaped_at = -1
    for match in _STRUCTURE.finditer(raw_body):
        position = match.start()
        if position == escaped_at:
            continue
        char = raw_body[position]
        if in_string:
            if char == 0x5C:  # backslash: the next byte is escaped
                escaped_at = position + 1
            elif char == 0x22:
                in_string = False
        elif char == 0x22:
            in_string = True
        elif char in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif char in (0x5D, 0x7D):
            depth -= 1
    return False


def any_string(document: Any, test: Callable[[str], bool]) -> bool:
    """Whether ``test`` holds for a string anywhere in a JSON document (keys included)."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if test(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _has_lone_surrogate(document: Any) -> bool:
    """A string (or key) holding half of a UTF-16 pair: not text SQLite can store."""
    return any_string(document, lambda text: any("\ud800" <= char <= "\udfff" for char in text))


def parse_payload(raw_body: bytes, headers: Mapping[str, str] | None = None) -> WebhookPayload:
    """Parse and shape-check ``raw_body``; raise ``InvalidPayloadError`` when it can't be stored.

    The de-duplication key comes from the signed body only: its ``id`` when present,
    else ``sha256:<hex of the raw body>``. The ``X-Codaiq-Event-Id`` header is not
    covered by the signature, so it never takes part: a captured delivery re-sent with a
    fresh header id is still the same event. (The header is kept for display, see
    ``kept_headers``.) ``headers`` is accepted for callers that pass them; it does not
    change the result.
    """
    document = _decode_json(raw_body)
    if not isinstance(document, dict):
        raise InvalidPayloadError("body must be a JSON object")
    event_type = document.get("event")
    if not isinstance(event_type, str) or not event_type.strip():
        raise InvalidPayloadError("'event' must be a non-empty string")
    if len(event_type) > MAX_EVENT_TYPE_LENGTH:
        raise InvalidPayloadError("'event' is too long")
    data = document.get("data", {})
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidPayloadError("'data' must be an object")
    timestamp = document.get("timestamp")
    if timestamp is not None and not isinstance(timestamp, str):
        raise InvalidPayloadError("'timestamp' must be a string")
    digest = body_digest(raw_body)
    event_id = _optional_string(document, "id")
    return WebhookPayload(
        event_type=event_type.strip(),
        event_id=event_id or f"sha256:{digest}",
        website_id=_optional_string(document, "websiteId"),
        project_id=_optional_string(document, "projectId"),
        occurred_at=timestamp,
        data=data,
        document=document,
        body_sha256=digest,
    )


def lead_fields(data: Mapping[str, Any]) -> LeadFields:
    """Pick the person's details out of a lead event's ``data``.

    ``form.submitted`` may nest the form's values under ``fields``; top-level keys win.
    Non-string values are turned into text rather than refused: a lead is never dropped
    because a form sent a number for a phone.
    """
    nested = data.get("fields")
    sources: list[Mapping[str, Any]] = [data]
    if isinstance(nested, Mapping):
        sources.append(nested)

    def pick(*keys: str) -> str | None:
        for source in sources:
            for key in keys:
                value = source.get(key)
                if value is None or isinstance(value, (dict, list)):
                    continue
                text = str(value).strip()
                if text:
                    return text
        return None

    return LeadFields(
        lead_id=pick("leadId", "lead_id"),
        name=pick("name", "fullName", "full_name"),
        email=pick("email"),
        phone=pick("phone", "telephone"),
        message=pick("message", "comments"),
    )
