"""The sandbox's error responses: one JSON shape for every failure.

``{"error": {"code": "...", "message": "..."}}`` with the status code carrying the class
of failure (see the API decisions). Route code raises :class:`ApiError`; the app turns it
into a response, so no handler has to build error bodies by hand.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any


class ApiError(Exception):
    """A failure the caller caused (or may retry), reported as JSON with ``status``."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> bytes:
        return error_body(self.code, self.message)


def error_body(code: str, message: str) -> bytes:
    """The JSON bytes of an error response."""
    return json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")


def bad_request(message: str, code: str = "invalid_request") -> ApiError:
    return ApiError(400, code, message)


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def conflict(message: str, code: str = "conflict") -> ApiError:
    return ApiError(409, code, message)


def unprocessable(message: str) -> ApiError:
    return ApiError(422, "validation_error", message)


def from_validation_errors(problems: Sequence[Mapping[str, Any]]) -> ApiError:
    """Turn pydantic's error list into the API's answer: 400 for a body that is not a JSON
    object at all, 422 naming the first field that is wrong."""
    first = problems[0] if problems else {"type": "", "loc": (), "msg": "Invalid request."}
    if first.get("type") == "json_invalid":
        return bad_request("The body is not valid JSON.", "invalid_json")
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    if not location and first.get("type") in ("missing", "model_attributes_type", "model_type", "dict_type"):
        return bad_request("The body must be a JSON object, sent with Content-Type: application/json.", "invalid_json")
    where = ".".join(location) or "request"
    return unprocessable(f"'{where}': {first.get('msg', 'invalid')}.")
