"""Wakes this process's live streams when an agency's change log grows.

Storage engines call ``notify(agency, seq)`` after a commit (SQLite) or when a NOTIFY
arrives from any process (PostgreSQL). A stream asks ``wait(agency, after)`` and then
reads the change log itself: the hub carries no data, so a missed wake-up costs at most
one poll interval, never a change.
"""

from __future__ import annotations

import asyncio


class ChangeHub:
    def __init__(self) -> None:
        self._latest: dict[str, int] = {}
        self._events: dict[str, asyncio.Event] = {}

    def notify(self, agency_id: str, seq: int) -> None:
        if seq > self._latest.get(agency_id, 0):
            self._latest[agency_id] = seq
        event = self._events.pop(agency_id, None)
        if event is not None:
            event.set()

    async def wait(self, agency_id: str, after: int, timeout: float) -> bool:
        """True when the agency has (or gets, within ``timeout``) a change past ``after``."""
        if self._latest.get(agency_id, 0) > after:
            return True
        event = self._events.get(agency_id)
        if event is None:
            event = self._events[agency_id] = asyncio.Event()
        try:
            async with asyncio.timeout(timeout):  # not wait_for: on 3.11 it can swallow a cancel
                await event.wait()
        except TimeoutError:
            return False
        return True
