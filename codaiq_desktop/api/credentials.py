"""The API key, wrapped so it cannot leak by accident.

A bare ``str`` key ends up in ``repr`` of whatever holds it, in debugger views,
in logging ``%r`` arguments and in tracebacks that show locals. :class:`ApiKey`
prints as a masked form (``ApiKey('****3f9a')``) everywhere; the secret comes
out only through :meth:`ApiKey.reveal`, which the client calls at the one place
it sets the ``X-API-Key`` header.
"""

from __future__ import annotations

import hmac
from typing import NoReturn

__all__ = ["ApiKey"]

_SHOW_TAIL_FROM = 16  # keys shorter than this show no characters at all


class ApiKey:
    """An API key that never shows itself in ``repr``, ``str`` or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str | ApiKey) -> None:
        self._value = ""
        if isinstance(value, ApiKey):
            value = value.reveal()
        problem = _problem_with(value)
        if problem is not None:
            # Drop the local so a traceback that shows locals cannot show the value.
            del value
            raise (TypeError if problem.startswith("The API key must be text") else ValueError)(problem)
        self._value = value.strip()

    def reveal(self) -> str:
        """The key itself. Call only to put it on the wire."""
        return self._value

    @property
    def masked(self) -> str:
        """A form safe to show: the last four characters of a long key, nothing of a short one."""
        if len(self._value) >= _SHOW_TAIL_FROM:
            return "****" + self._value[-4:]
        return "****"

    def __repr__(self) -> str:
        return f"ApiKey({self.masked!r})"

    def __str__(self) -> str:
        return self.masked

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ApiKey):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("ApiKey", self._value))

    def __reduce__(self) -> NoReturn:
        raise TypeError("An ApiKey cannot be pickled; store keys with the account store, not in pickles.")


def _problem_with(value: object) -> str | None:
    """Why ``value`` cannot be an API key, in words that never include it; ``None`` if it can."""
    if not isinstance(value, str):
        return f"The API key must be text, not {type(value).__name__}."
    text = value.strip()
    if not text:
        return "An API key is required: find yours in Account Settings, or set the CODAIQ_API_KEY environment variable."
    if any(not 0x21 <= ord(char) <= 0x7E for char in text):
        return (
            "The API key contains spaces or characters that cannot be sent in an HTTP header; "
            "copy it again from Account Settings."
        )
    return None
