"""``TeamStore``'s calls for a caller on an asyncio loop (the desktop's Qt thread).

The store's calls block until its I/O thread (and the network) answers, so a caller on a
loop must not make them itself. Each one here waits on a worker thread instead and is
awaited: the thread is the store's business, the caller only awaits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from codaiq_desktop.store.models import LeadFilter

    from .models import ReceiverInfo, TeamLead
    from .outbox import _Keep

__all__ = ["TeamStoreAsync"]


class _BlockingCalls(Protocol):
    """The blocking calls of ``TeamStore`` that the awaitable forms wrap."""

    def open(self) -> None: ...
    def close(self) -> None: ...
    def update_lead(
        self,
        lead_id: int,
        *,
        status: str | None = ...,
        notes: str | None = ...,
        read: bool | None = ...,
        assignee: str | None | _Keep = ...,
        version: int | None = ...,
    ) -> TeamLead: ...
    def receiver_info(self) -> ReceiverInfo: ...
    def export_leads_csv(
        self, lead_filter: LeadFilter | None, path: str | Path, website_names: Mapping[str, str] | None = None
    ) -> int: ...


class TeamStoreAsync:
    """Awaitable forms of ``open``, ``close``, ``update_lead``, ``receiver_info`` and the CSV export."""

    async def open_async(self: _BlockingCalls) -> None:
        """:meth:`TeamStore.open`, awaited (a first connection can take the whole timeout)."""
        await asyncio.to_thread(self.open)

    async def close_async(self: _BlockingCalls) -> None:
        """:meth:`TeamStore.close`, awaited (stopping the follower waits for its stream)."""
        await asyncio.to_thread(self.close)

    async def update_lead_async(self: _BlockingCalls, lead_id: int, **changes: Any) -> TeamLead:
        """:meth:`TeamStore.update_lead`, awaited (one round trip to the server, or the outbox)."""
        return await asyncio.to_thread(lambda: self.update_lead(lead_id, **changes))

    async def receiver_info_async(self: _BlockingCalls) -> ReceiverInfo:
        """:meth:`TeamStore.receiver_info`, awaited."""
        return await asyncio.to_thread(self.receiver_info)

    async def export_leads_csv_async(
        self: _BlockingCalls,
        lead_filter: LeadFilter | None,
        path: str | Path,
        website_names: Mapping[str, str] | None = None,
    ) -> int:
        """:meth:`TeamStore.export_leads_csv`, awaited (the server is read page by page)."""
        return await asyncio.to_thread(self.export_leads_csv, lead_filter, path, website_names)
