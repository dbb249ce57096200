"""API-key plans and the per-key rate limiter.

Limits are the documented ones: a daily quota and a per-minute burst, both counted per
key in fixed windows (the UTC minute and the UTC day). A rejected request does not use
up quota. Enterprise has no day quota; its burst is "Custom" in the docs' table, so an
enterprise key gets ``ENTERPRISE_DEFAULT_BURST`` per minute unless it was created with its
own (``burstPerMinute``). Every plan thus has a window that binds, and every answer to a
known key can report it in ``X-RateLimit-*``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from codaiq_desktop.sandbox.clock import Clock

MINUTE = 60
DAY = 86_400

ENTERPRISE_DEFAULT_BURST = 1_000
"""Requests per minute for an enterprise key created without ``burstPerMinute``."""


@dataclass(frozen=True)
class Plan:
    """A plan's limits; a ``day_quota`` of ``None`` means no daily limit."""

    name: str
    day_quota: int | None
    per_minute: int


PLANS: dict[str, Plan] = {
    plan.name: plan
    for plan in (
        Plan("free", 100, 10),
        Plan("pro", 2_000, 60),
        Plan("agency", 20_000, 200),
        Plan("enterprise", None, ENTERPRISE_DEFAULT_BURST),
    )
}


@dataclass(frozen=True)
class RateDecision:
    """Whether a request may go ahead, and what to tell the caller in headers.

    ``limit``/``remaining``/``reset_at`` describe the window that binds first (the one
    with the fewest requests left).
    """

    allowed: bool
    limit: int
    remaining: int
    reset_at: int
    retry_after: int | None = None

    def headers(self) -> dict[str, str]:
        """``X-RateLimit-*``, and ``Retry-After`` when refused."""
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_at),
        }
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    """Counts requests per key in the current UTC minute and UTC day.

    Counters live in memory: a restart gives every key a fresh window, which is the
    friendlier mistake for a local sandbox.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        # key id -> [minute index, count in that minute, day index, count in that day]
        self._counters: dict[str, list[int]] = {}

    def check(self, key_id: str, day_quota: int | None, per_minute: int) -> RateDecision:
        """Count one request for ``key_id`` if its limits allow it."""
        return self._decide(key_id, day_quota, per_minute, count=True)

    def peek(self, key_id: str, day_quota: int | None, per_minute: int) -> RateDecision:
        """The key's current standing without counting a request (for answers given before
        the limiter runs: an oversized body, an injected fault)."""
        return self._decide(key_id, day_quota, per_minute, count=False)

    def _decide(self, key_id: str, day_quota: int | None, per_minute: int, *, count: bool) -> RateDecision:
        now = self._clock()
        minute, day = int(now // MINUTE), int(now // DAY)
        counter = self._counters.get(key_id)
        if counter is None:
            counter = self._counters[key_id] = [minute, 0, day, 0]
        if counter[0] != minute:
            counter[0], counter[1] = minute, 0
        if counter[2] != day:
            counter[2], counter[3] = day, 0

        windows: list[tuple[int, int, int]] = [(per_minute, counter[1], (minute + 1) * MINUTE)]  # (limit, used, end)
        if day_quota is not None:
            windows.append((day_quota, counter[3], (day + 1) * DAY))

        exhausted = [window for window in windows if window[1] >= window[0]]
        if exhausted:
            # Wait for the latest of the exhausted windows to reset.
            limit, used, resets = max(exhausted, key=lambda window: window[2])
            retry_after = max(1, math.ceil(resets - now))
            return RateDecision(False, limit, 0, resets, retry_after if count else None)

        spent = 1 if count else 0
        if count:
            counter[1] += 1
            counter[3] += 1
        limit, used, resets = min(windows, key=lambda window: (window[0] - window[1] - spent, window[2]))
        return RateDecision(True, limit, limit - used - spent, resets)
