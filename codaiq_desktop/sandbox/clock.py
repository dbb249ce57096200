"""Where the sandbox gets the time from.

Rate-limit windows (a minute, a UTC day), timestamps and analytics windows all read
one injectable clock, so tests can step across a window boundary instead of sleeping.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]
"""Returns the current time as seconds since the Unix epoch (like ``time.time``)."""

system_clock: Clock = time.time


class ManualClock:
    """A clock that only moves when told to; for tests and reproducible simulations."""

    def __init__(self, start: float) -> None:
        self._now = float(start)

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        self._now += seconds

    def set(self, when: float) -> None:
        """Jump to ``when`` (epoch seconds)."""
        self._now = float(when)


def iso_utc(epoch: float) -> str:
    """Epoch seconds as ISO-8601 UTC with milliseconds, the way the docs write timestamps."""
    seconds = math.floor(epoch)
    year, month, day, hour, minute, second = time.gmtime(seconds)[:6]
    millis = min(999, int((epoch - seconds) * 1000))
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{millis:03d}Z"


def parse_iso_utc(text: str) -> float:
    """Parse an ISO-8601 timestamp (``Z`` or an offset; naive means UTC) to epoch seconds.

    Raises ``ValueError`` when ``text`` is not a timestamp.
    """
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
