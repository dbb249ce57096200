"""When and how long the client waits before repeating a failed request.

The rules, and why:

* **429 Too Many Requests** is retried for every request, POSTs included: the
  server rejected it before acting on it. The client waits what ``Retry-After``
  says (seconds or an HTTP date). A wait longer than ``max_retry_after`` is not
  sat out: the :class:`~codaiq_desktop.api.errors.RateLimitError` is raised at
  once so the caller can tell the user when to come back (a spent day quota can
  mean hours).
* **502/503/504 and dropped or timed-out connections** are retried only for
  idempotent requests: ``GET`` and ``PATCH /api/project``. That ``PATCH`` sets a
  name and merges metadata key by key with the values given, so sending the same
  body twice leaves the same state as sending it once; it is safe to repeat.
* **POST /api/generate and POST /api/leads/submit** are never repeated once the
  server may have acted: a second send would generate a second site or record a
  duplicate lead. Only failures that prove nothing was sent (the connection
  could not be opened) are retried for them. A read timeout is not retried.
* Waits grow exponentially from ``backoff_base`` to ``backoff_max`` with jitter
  (so many clients hitting the same outage do not retry in lock-step), and the
  whole sequence is bounded by ``max_retries`` and ``total_time``.
"""

from __future__ import annotations

import email.utils
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = ["RetryPolicy", "parse_retry_after"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times, for how long, and after which failures to retry.

    ``RetryPolicy()`` is the default; ``RetryPolicy.disabled()`` never retries.
    """

    max_retries: int = 3
    """Retries after the first attempt (so up to ``max_retries + 1`` requests)."""
    backoff_base: float = 0.5
    """Wait before the first retry, in seconds, before jitter; doubles each retry."""
    backoff_max: float = 8.0
    """Longest wait between two attempts from backoff (not from ``Retry-After``)."""
    jitter: float = 0.5
    """Fraction of each backoff wait that is random: 0.5 waits between 50% and 100%."""
    max_retry_after: float = 60.0
    """Longest ``Retry-After`` the client sits out; longer ones raise at once."""
    total_time: float | None = 120.0
    """Upper bound, in seconds, on the time spent waiting to retry one call; ``None`` for none."""
    retry_statuses: frozenset[int] = field(default_factory=lambda: frozenset({502, 503, 504}))
    """Statuses retried for idempotent requests (429 is always considered)."""

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if self.backoff_base < 0 or self.backoff_max < 0 or self.max_retry_after < 0:
            raise ValueError("backoff_base, backoff_max and max_retry_after must not be negative")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter must be between 0 and 1")
        if self.total_time is not None and self.total_time < 0:
            raise ValueError("total_time must not be negative (or None for no bound)")

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that never retries: every failure reaches the caller at once."""
        return cls(max_retries=0)

    def backoff(self, retry_number: int, *, rand: Callable[[], float] = random.random) -> float:
        """The wait before retry number ``retry_number`` (1-based), jitter included."""
        if retry_number < 1:
            raise ValueError("retry_number starts at 1")
        ceiling = min(self.backoff_max, self.backoff_base * 2.0 ** (retry_number - 1))
        return ceiling * (1.0 - self.jitter * rand())


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date.

    Returns ``None`` when the header is absent or unreadable (the caller then
    falls back to its own backoff) and ``0.0`` for a date in the past.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN / inf
            return None
        return max(0.0, seconds)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 850 / asctime forms: HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())
