"""Following a team inbox's live stream: reconnect with backoff, resume with Last-Event-ID.

The server numbers every change of an agency (gapless, in commit order) and replays
"everything after N" on request. The follower hands each change on, then records its
number in the offline cache; after a dropped connection, a server restart, sleep or an
app restart it asks for everything after the last number it recorded, so nothing is
skipped and nothing handed on twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from .cache import TeamCache
from .client import TeamClient
from .errors import TeamAuthError, TeamError, TeamUnreachable
from .models import TeamChange

__all__ = ["Backoff", "TeamFollower"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backoff:
    """Waits between reconnection attempts: ``first`` doubling up to ``longest``, with ±20% jitter."""

    first: float = 0.5
    longest: float = 30.0

    def delays(self) -> Callable[[], float]:
        current = self.first

        def next_delay() -> float:
            nonlocal current
            delay = current * random.uniform(0.8, 1.2)
            current = min(current * 2, self.longest)
            return delay

        return next_delay


class TeamFollower:
    """Runs on an asyncio loop until :meth:`stop`: ``await follower.run()``.

    ``on_change(change)`` for each change in order; ``on_connection(online)`` each time the
    stream opens, and after each attempt that failed or dropped; ``on_auth_error(exc)`` once if the token is refused (following
    stops then: retrying a revoked token cannot help).
    """

    def __init__(
        self,
        client: TeamClient,
        cache: TeamCache,
        *,
        on_change: Callable[[TeamChange], None],
        on_connection: Callable[[bool], None],
        on_auth_error: Callable[[TeamAuthError], None] | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self._client = client
        self._cache = cache
        self._on_change = on_change
        self._on_connection = on_connection
        self._on_auth_error = on_auth_error
        self._backoff = backoff or Backoff()
        self._stopped = asyncio.Event()
        self.connected = False
        self.reconnects = 0
        """How many times the stream was opened again after a drop (for diagnostics and tests)."""

    def stop(self) -> None:
        self._stopped.set()

    def _opened(self) -> None:
        self.connected = True
        self._on_connection(True)

    def _dropped(self) -> None:
        # Told after every failed attempt, the first included: the server may have gone before the
        # stream ever opened, while reads still found it a moment ago (the listener keeps the state).
        self.connected = False
        self._on_connection(False)

    async def run(self) -> None:
        next_delay = self._backoff.delays()
        first = True
        while not self._stopped.is_set():
            if not first:
                self.reconnects += 1
            first = False
            try:
                async for change in self._client.stream(self._cache.last_event_id, on_open=self._opened):
                    next_delay = self._backoff.delays()  # a working connection resets the waits
                    last = self._cache.last_event_id
                    if last is not None and change.seq <= last:
                        continue  # already handed on (a replay overlapping what we had)
                    try:
                        self._on_change(change)
                    except Exception:
                        log.exception("A team change handler failed; the change is recorded as handled.")
                    self._cache.set_last_event_id(change.seq)
                    if self._stopped.is_set():
                        break
            except asyncio.CancelledError:
                raise
            except TeamAuthError as exc:
                self._dropped()
                if self._on_auth_error is not None:
                    self._on_auth_error(exc)
                return
            except TeamUnreachable:
                pass
            except TeamError as exc:
                log.warning("The team stream failed (%s); reconnecting.", exc)
            except Exception:
                log.exception("The team stream failed unexpectedly; reconnecting.")
            self._dropped()
            if self._stopped.is_set():
                return
            try:
                async with asyncio.timeout(next_delay()):  # not wait_for: on 3.11 it can swallow a cancel
                    await self._stopped.wait()
            except TimeoutError:
                pass
