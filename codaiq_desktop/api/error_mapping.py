"""What a failed request means, told in words the user can act on.

Every HTTP error status and every transport failure of the Codaiq API becomes one of
:mod:`~codaiq_desktop.api.errors`; whatever the server said is kept (key masked) on the
error, and the message says what to do next. Whether a failed request may be sent again
(:class:`Replay`, :func:`may_replay`) is decided here too, beside the messages that warn
when an unsafe one may already have been carried out.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Final

import httpx

from codaiq_desktop.api.errors import (
    AuthenticationError,
    CodaiqError,
    ConflictError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from codaiq_desktop.api.retry import parse_retry_after

_MAX_SERVER_TEXT: Final = 300


class Replay(enum.Enum):
    """Whether a request may be sent again after a failure that left its fate unknown."""

    SAFE = "safe"  # GET, and PATCH /api/project with the same body
    UNSAFE = "unsafe"  # POST /api/generate, POST /api/leads/submit


def may_replay(exc: httpx.TransportError, replay: Replay) -> bool:
    """Whether sending the request again is safe after ``exc``."""
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True  # nothing reached the server
    if replay is Replay.UNSAFE:
        return False
    return isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


def status_error(response: httpx.Response, *, base_url: str, scrub: Callable[[str], str]) -> CodaiqError:
    """The error an HTTP error status stands for, in words the user can act on."""
    status = response.status_code
    code, server_message, is_api_error = error_details(response)
    if server_message is not None:
        server_message = scrub(server_message)
    detail = f": {server_message}" if server_message else ""
    kwargs: dict[str, Any] = {"server_message": server_message, "response": response}
    if status == 401:
        return AuthenticationError(
            f"The Codaiq API did not accept the API key{detail}. "
            "Check the key (Account Settings lists yours) or choose another.",
            status,
            code,
            **kwargs,
        )
    if status == 403:
        return PermissionDeniedError(
            f"This API key may not do that{detail}. Use a key of the account that owns the project.",
            status,
            code,
            **kwargs,
        )
    if status == 404:
        hint = "Check the project and website IDs."
        if not is_api_error:
            hint += f" If they are right, check that the base URL ({base_url}) ends in /api."
        return NotFoundError(f"Not found{detail}. {hint}", status, code, **kwargs)
    if status == 413:
        return ValidationError(
            f"The request is too large for the Codaiq API{detail}. Shorten the text and try again.",
            status,
            code,
            **kwargs,
        )
    if status in (400, 422):
        what = detail[2:] if detail else f"the input is invalid (HTTP {status})"
        return ValidationError(f"The Codaiq API rejected the request: {what}.", status, code, **kwargs)
    if status == 409:
        what = detail[2:] if detail else "it conflicts with the website's current state"
        return ConflictError(
            f"The Codaiq API refused: {what}. Wait for the website's build to finish, then try again.",
            status,
            code,
            **kwargs,
        )
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        when = f"retry in {human_seconds(retry_after)}" if retry_after is not None else "retry later"
        # The server's own text usually names the wait too ("retry in 600 s"): joined
        # with ours it would say it twice. Ours is the one in user words; the server's
        # stays on ``server_message`` and ``code``.
        return RateLimitError(
            f"The Codaiq API rate limit was reached; {when}.", status, code, retry_after=retry_after, **kwargs
        )
    if status >= 500:
        return ServerError(
            f"The Codaiq service failed (HTTP {status}{detail}). This is usually temporary: try again in a moment.",
            status,
            code,
            **kwargs,
        )
    return CodaiqError(f"The Codaiq API answered HTTP {status}{detail}.", status, code, **kwargs)


def network_error(
    exc: httpx.TransportError, replay: Replay, *, origin: str, read_timeout: float | None, scrub: Callable[[str], str]
) -> NetworkError:
    """The error a failed exchange stands for; ``replay`` says whether the request may have been carried out."""
    reason = scrub(str(exc).strip() or type(exc).__name__)
    caveat = ""
    if replay is Replay.UNSAFE:
        caveat = " The request may still have been carried out: check before sending it again."
    if isinstance(exc, httpx.ConnectTimeout):
        return NetworkError(
            f"Timed out connecting to the Codaiq API at {origin}. "
            "Check your network connection and the base URL, then try again.",
            request_sent=False,
        )
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(
            f"Could not connect to the Codaiq API at {origin} ({reason}). "
            "Check your network connection and the base URL, then try again.",
            request_sent=False,
        )
    if isinstance(exc, httpx.PoolTimeout):
        return NetworkError(
            "Too many requests were already waiting for a connection; try again in a moment.", request_sent=False
        )
    if isinstance(exc, httpx.TimeoutException):
        seconds = read_timeout
        within = f" within {human_seconds(seconds)}" if seconds is not None else ""
        return NetworkError(f"The Codaiq API at {origin} did not answer{within}. Try again in a moment.{caveat}")
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        return NetworkError(f"The connection to the Codaiq API at {origin} broke off ({reason}). Try again.{caveat}")
    return NetworkError(f"Could not send the request to {origin} ({reason}).", request_sent=False)


def error_details(response: httpx.Response) -> tuple[str | None, str | None, bool]:
    """``(code, message, is_api_error)`` from an error body of whatever shape it has.

    The API sends ``{"error": {"code", "message"}}``; proxies and frameworks send
    ``{"error": "..."}``, ``{"message": ...}``, ``{"detail": ...}``, plain text or
    an HTML page. ``is_api_error`` says the body was the API's own shape.
    """
    try:
        body = response.json()
    except ValueError:
        body = None
    except httpx.ResponseNotRead:  # a streamed error whose body broke off: the status must do
        return None, None, False
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            code = error.get("code")
            message = error.get("message")
            return (
                str(code) if code is not None else None,
                _clean_text(message) if isinstance(message, str) else None,
                True,
            )
        code = body.get("code")
        code_text = str(code) if isinstance(code, str | int) and not isinstance(code, bool) else None
        for key in ("error", "message", "detail", "error_description", "title"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return code_text, _clean_text(value), False
            if isinstance(value, list) and value:  # FastAPI / pydantic: [{"loc": [...], "msg": ...}]
                parts = [item.get("msg") for item in value if isinstance(item, dict)]
                text = "; ".join(part for part in parts if isinstance(part, str))
                if text:
                    return code_text, _clean_text(text), False
        return code_text, None, False
    if body is not None:
        return None, None, False
    content_type = response.headers.get("content-type", "")
    if "html" in content_type.lower():
        return None, None, False
    try:
        text = response.text
    except (UnicodeDecodeError, LookupError):
        return None, None, False
    return None, _clean_text(text) or None, False


def _clean_text(text: str) -> str:
    single_line = " ".join(text.split())
    if len(single_line) > _MAX_SERVER_TEXT:
        single_line = single_line[: _MAX_SERVER_TEXT - 1] + "…"
    return single_line.rstrip(".")


def human_seconds(seconds: float) -> str:
    """A wait in user words: "45 s", "10 min", "2 h 5 min"."""
    if seconds < 1:
        return "under a second" if seconds > 0 else "a moment"
    whole = round(seconds)
    if whole < 90:
        return f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 90:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
