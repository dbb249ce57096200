"""One error hierarchy for everything the Codaiq API client can fail with.

Callers catch :class:`CodaiqError` (or one subclass) and show ``str(error)``: it
is a sentence a user can act on ("check the API key", "retry in 30 s"), never a
stack of HTTP jargon, and it never contains the API key. The details a program
needs stay on attributes: ``status_code``, ``code`` (the server's machine code),
``server_message`` and, for HTTP errors, the ``response`` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

__all__ = [
    "AuthenticationError",
    "BuildTimeoutError",
    "CodaiqError",
    "ConflictError",
    "InvalidResponseError",
    "NetworkError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "ValidationError",
]


class CodaiqError(Exception):
    """Base of every error raised by :mod:`codaiq_desktop.api`.

    ``message`` is the user-facing sentence (also ``str(error)``); ``status_code``
    is the HTTP status when there was a response; ``code`` is the server's error
    code (``{"error": {"code": ...}}``) when it sent one.
    """

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        code: str | None = None,
        *,
        server_message: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.server_message = server_message
        self.response = response

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status_code={self.status_code!r}, code={self.code!r})"

    def __reduce__(self) -> tuple[object, ...]:
        # Keep errors picklable (multiprocessing, logging queues) without the response.
        return (
            _rebuild_error,
            (type(self), self.message, self.status_code, self.code, self.server_message, self._extra_state()),
        )

    def _extra_state(self) -> dict[str, object]:
        return {}


def _rebuild_error(
    cls: type[CodaiqError],
    message: str,
    status_code: int | None,
    code: str | None,
    server_message: str | None,
    extra: dict[str, object],
) -> CodaiqError:
    error = cls.__new__(cls)
    CodaiqError.__init__(error, message, status_code, code, server_message=server_message)
    error.__dict__.update(extra)
    return error


class AuthenticationError(CodaiqError):
    """401: the API key is missing, unknown or revoked."""


class PermissionDeniedError(AuthenticationError):
    """403: the key is valid but may not act on this project or website."""


class NotFoundError(CodaiqError):
    """404: the project or website id does not exist (for this key)."""


class ValidationError(CodaiqError):
    """400, 413 or 422: the server rejected the input; ``server_message`` says why."""


class ConflictError(CodaiqError):
    """409: the request conflicts with the current state (e.g. export before the build is ready)."""


class RateLimitError(CodaiqError):
    """429: too many requests. ``retry_after`` is the wait the server asked for, in seconds.

    ``str(error)`` is one sentence in the client's words ("...; retry in 10 min."); the
    server's text and machine code are on ``server_message`` and ``code``, not repeated in it.
    """

    def __init__(
        self,
        message: str,
        status_code: int | None = 429,
        code: str | None = None,
        *,
        retry_after: float | None = None,
        server_message: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message, status_code, code, server_message=server_message, response=response)
        self.retry_after = retry_after

    def _extra_state(self) -> dict[str, object]:
        return {"retry_after": self.retry_after}


class ServerError(CodaiqError):
    """5xx: the service failed. Usually temporary."""


class NetworkError(CodaiqError):
    """No usable HTTP response: could not connect, the connection dropped, or a timeout.

    ``request_sent`` tells whether the request may have reached the server, which
    matters for requests that are not safe to repeat (generate, submit lead).
    """

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        code: str | None = None,
        *,
        request_sent: bool = True,
        server_message: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message, status_code, code, server_message=server_message, response=response)
        self.request_sent = request_sent

    def _extra_state(self) -> dict[str, object]:
        return {"request_sent": self.request_sent}


class InvalidResponseError(CodaiqError):
    """The server answered, but not with what the API promises (not JSON, no ZIP, a required field missing)."""


class BuildTimeoutError(CodaiqError, TimeoutError):
    """``wait_for_build`` ran past its ``timeout`` before the build finished."""
