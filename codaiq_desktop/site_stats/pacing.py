"""Spend an API key's rate limit on many requests without running into it.

An agency account has hundreds of sites and a plan that allows 10–200 requests a
minute (and a daily quota). Fetching every site's figures at once would meet a
wall of 429s; waiting a fixed time between requests would be slow on a big plan.
The pacer instead reads the quota the server reports in ``X-RateLimit-Limit /
-Remaining / -Reset`` after every answer and lets a request go only while the
window still has room for it, keeping a few requests back for what the user does
meanwhile in other tabs. When the window is spent it waits for its reset (then
sends one request alone to learn the new window), and a wait longer than
``max_wait`` (a spent daily quota) is not sat out: :class:`QuotaExhaustedError`
says when the quota comes back.

Concurrency is bounded separately (``concurrency``): even an unlimited key gets a
few requests in flight at once, not hundreds.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

__all__ = ["QuotaExhaustedError", "QuotaPacer"]

#: Seconds added after a window's reset before sending again (clocks differ a little).
RESET_MARGIN = 0.5


class QuotaExhaustedError(Exception):
    """The key's quota is spent until ``resume_at`` (aware UTC), further off than the caller waits."""

    def __init__(self, resume_at: datetime | None) -> None:
        self.resume_at = resume_at
        if resume_at is None:
            text = "The API's request quota is spent for now; try again later."
        else:
            text = (
                "The API's request quota is spent until "
                f"{resume_at.astimezone():%H:%M} ({resume_at:%Y-%m-%d %H:%M} UTC); the rest follows after that."
            )
        super().__init__(text)


class QuotaPacer:
    """``async with pacer.slot(): response = await ...; pacer.observe(client.rate_limit)``.

    ``reserve`` requests of every window are left for the user's own actions (at
    least one, and a tenth of the window's limit). ``on_wait(resume_at_epoch)`` is
    called when the pacer starts waiting for a window to reset (``0.0`` when it
    goes on), so a view can say "waiting for the API's quota".
    """

    def __init__(
        self,
        *,
        concurrency: int = 4,
        reserve_share: float = 0.1,
        max_wait: float = 75.0,
        on_wait: Callable[[float], Any] | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._concurrency = concurrency
        self._reserve_share = reserve_share
        self._max_wait = max_wait
        self._on_wait = on_wait
        self._clock = clock
        self._sleep = sleep
        self._semaphore = asyncio.Semaphore(concurrency)
        self._gate = asyncio.Lock()
        self._changed = asyncio.Event()
        """Set whenever an answer arrives or a request ends: what a probe's waiter waits for."""
        self._limit: int | None = None
        self._remaining: int | None = None
        self._reset_at: float | None = None
        self._in_flight = 0
        self._known = False
        self._past_reset: float | None = None
        """The reset time of the last window waited out: late answers from it are stale."""
        self._waiting_for: float | None = None
        """The reset time being waited for (a wait that woke early goes on, it is not a new one)."""
        self.requests = 0
        """Requests let through so far."""
        self.waits = 0
        """Times the pacer waited for a window to reset."""
        self.waited_seconds = 0.0

    # ----- what the server said ---------------------------------------------------------
    def observe(self, info: Any) -> None:
        """Take in a ``RateLimitInfo`` (``client.rate_limit`` after an answer); ``None`` is ignored."""
        if info is None:
            return
        remaining = getattr(info, "remaining", None)
        limit = getattr(info, "limit", None)
        reset = getattr(info, "reset_at", None)
        reset_at = reset.timestamp() if isinstance(reset, datetime) else None
        if remaining is None:
            return
        if reset_at is not None and self._past_reset is not None and reset_at <= self._past_reset + 0.5:
            return  # an answer to a request of the window already waited out
        if limit is not None:
            self._limit = int(limit)
        new_window = (
            not self._known or self._reset_at is None or (reset_at is not None and reset_at > self._reset_at + 0.5)
        )
        if new_window:
            self._remaining = int(remaining)
            self._reset_at = reset_at
        else:
            # Answers arrive out of order: the smallest count left is the freshest.
            self._remaining = min(self._remaining if self._remaining is not None else int(remaining), int(remaining))
        self._known = True
        self._changed.set()

    def refused(self, retry_after: float | None) -> None:
        """A 429 came through anyway (someone else spends the same key): stop until it says."""
        self._remaining = 0
        wait = retry_after if retry_after is not None and math.isfinite(retry_after) else 1.0
        self._reset_at = max(self._reset_at or 0.0, self._clock() + wait)
        self._known = True

    @property
    def reserve(self) -> int:
        if self._limit is None:
            return 1
        return max(1, math.ceil(self._limit * self._reserve_share))

    @property
    def resume_at(self) -> datetime | None:
        """When the current window resets, if known."""
        return None if self._reset_at is None else datetime.fromtimestamp(self._reset_at, UTC)

    # ----- letting requests go ------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for room under both the concurrency bound and the quota, then hold it."""
        async with self._semaphore:
            await self._admit()
            try:
                yield
            finally:
                self._in_flight -= 1
                self._changed.set()

    async def _admit(self) -> None:
        async with self._gate:  # one request at a time decides; the others queue behind it
            while True:
                if not self._known:
                    # Nothing known about the window: one request alone, to learn it.
                    if self._in_flight == 0:
                        break
                    self._changed.clear()
                    await self._changed.wait()
                    continue
                if self._remaining is None or self._remaining - self.reserve > 0:
                    break
                if self._in_flight > 0:
                    # Their answers say exactly what is left; and none of them should land in
                    # the next window while this one waits for it.
                    self._changed.clear()
                    await self._changed.wait()
                    continue
                if self._reset_at is None:
                    # A count with no reset time: send one at a time and re-learn.
                    self._known = False
                    continue
                wait = self._reset_at + RESET_MARGIN - self._clock()
                if wait <= 0:
                    if self._waiting_for == self._reset_at and self._on_wait is not None:
                        self._on_wait(0.0)  # the end of a wait that woke early
                    self._past_reset = self._reset_at
                    self._known = False  # a new window: learn its size with one request
                    continue
                if wait > self._max_wait:
                    raise QuotaExhaustedError(self.resume_at)
                if self._waiting_for != self._reset_at:  # the rest of a wait that woke early is not another wait
                    self._waiting_for = self._reset_at
                    self.waits += 1
                    if self._on_wait is not None:
                        self._on_wait(self._reset_at + RESET_MARGIN)
                self.waited_seconds += wait
                await self._sleep(max(wait, 0.02))
                # Asked again rather than assumed: a timer may fire early (Qt's coarse timers,
                # which run asyncio's sleeps in the app, by up to 5%: two seconds of a 45-second
                # wait), and a request sent before the reset is refused. The loop sends it only
                # once the clock is past the reset, and then learns the new window.
                if self._clock() < self._reset_at + RESET_MARGIN:
                    continue
                if self._on_wait is not None:
                    self._on_wait(0.0)
                self._past_reset = self._reset_at
                self._known = False
            if self._remaining is not None:
                self._remaining -= 1
            self._in_flight += 1
            self.requests += 1
