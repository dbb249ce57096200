"""The Events tab's calls (as a local ``Store`` offers them) over a team inbox server's event log.

The server pages its events by cursor, not by row; the Events tab asks by row. The cursor
met at each row is remembered, so reading on in sequence costs one request per page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from codaiq_desktop.store.models import LEAD_EVENT_TYPES, RejectedAttempt, StoredEvent

from .client import MAX_PAGE, TeamClient

__all__ = ["TeamEventReads"]

T = TypeVar("T")


class TeamEventReads:
    """``list_events``, ``count_events``, ``event_types`` and the rejected-delivery calls of ``TeamStore``."""

    def __init__(self) -> None:
        self._event_cursors: dict[tuple[str | None, int], str | None] = {}

    def _network(self, call: Callable[[TeamClient], Awaitable[T]]) -> T:
        """One server call from a worker thread (``TeamStore`` makes it on its I/O thread)."""
        raise NotImplementedError

    def list_events(
        self,
        type: str | None = None,
        verified: bool | None = None,
        offset: int = 0,
        limit: int = 200,
        account: str | None = None,
    ) -> list[StoredEvent]:
        """A page of the agency's stored events, newest first (the server stores verified ones only)."""
        if verified is False:
            return []
        offset, limit = max(0, int(offset)), max(1, int(limit))
        position, cursor = 0, None
        if offset and (type, offset) in self._event_cursors:
            position, cursor = offset, self._event_cursors[(type, offset)]
        # Otherwise walk from the first page to the wanted row (the Events tab reads in sequence, so rarely).
        found: list[StoredEvent] = []
        while position + len(found) < offset + limit:
            size = min(MAX_PAGE, offset + limit - position - len(found))
            events, cursor = self._network(_events_call(type, size, cursor))
            found.extend(events)
            if cursor is None:
                break
            self._event_cursors[(type, position + len(found))] = cursor
        return found[offset - position : offset - position + limit]

    def count_events(self, type: str | None = None, verified: bool | None = None, account: str | None = None) -> int:
        """Events of the agency, counted page by page up to 10,000 (the server gives no count)."""
        if verified is False:
            return 0
        return len(self.list_events(type, verified, 0, 10_000))

    def event_types(self, account: str | None = None) -> list[str]:
        """Event types seen among the newest 500 events, and the lead event types."""
        events = self.list_events(limit=MAX_PAGE)
        return sorted({event.type for event in events} | set(LEAD_EVENT_TYPES))

    def list_rejected(self, offset: int = 0, limit: int = 200) -> list[RejectedAttempt]:
        """The server answers refused deliveries and keeps no bodies of them: none to list."""
        return []

    def count_rejected(self) -> int:
        return 0


def _events_call(
    type: str | None, limit: int, cursor: str | None
) -> Callable[[TeamClient], Awaitable[tuple[list[StoredEvent], str | None]]]:
    return lambda client: client.events(type, limit=limit, cursor=cursor)
