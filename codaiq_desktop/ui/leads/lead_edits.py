"""The Leads tab's write path: a user's edits of a lead, committed off the UI thread in order.

Kept apart from the tab's reading and layout: it owns the order of the edits, the count
of edits on their way, and (on a team server) the version each edit of this desktop
produced, so the user's own earlier edits never come back as a colleague's conflict.
Each edit is a coroutine run by the app's runner that awaits the store's own async write
(the local store's writer thread, or the team store's round trip): no thread here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from codaiq_desktop.store import Store
from codaiq_desktop.team import TeamStore
from codaiq_desktop.ui.leads.lead_values import ShownLead

if TYPE_CHECKING:
    from codaiq_desktop.ui.leads.leads_tab import LeadsTab

log = logging.getLogger(__name__)


class LeadEdits:
    """Status, notes and assignee changes of the leads shown in one :class:`LeadsTab`."""

    def __init__(self, tab: LeadsTab) -> None:
        self._tab = tab
        self._pending_writes = 0
        self._in_order: asyncio.Lock | None = None
        # Lead id → the version this desktop's last edit of it produced (read and written on the loop).
        self._written_versions: dict[int, int] = {}

    @property
    def writes_pending(self) -> bool:
        """An edit is still on its way to the store."""
        return self._pending_writes > 0

    def mark_read(self, lead_id: int) -> None:
        """The user opened an unread lead: mark it read, without a message."""
        self.write(lambda store: store.update_lead_async(lead_id, read=True), quiet=True)

    def write_change(
        self, lead_id: int, changes: dict[str, Any], done_message: str | None = None, *, version: int | None = None
    ) -> None:
        """Change ``lead_id``'s fields (status, notes; on a team server assignee too) off the UI thread.

        On a team server an edit names a version, so a colleague's change made meanwhile
        comes back as a conflict (settled in a dialog) instead of being overwritten:
        ``version`` is the one the user's text was written on (notes) or the colleague's
        version the user chose to overwrite; without it, the latest this desktop knows.
        The user's own earlier edits never count as a colleague's: the edits run one after
        the other, and each takes the version the previous one of this lead produced.
        """
        team_controller = self._tab.team
        team = team_controller.active
        written = self._written_versions

        async def job(store: Store | TeamStore) -> ShownLead:
            if not team or not isinstance(store, TeamStore):
                return await store.update_lead_async(lead_id, **changes)
            if version is None:
                lead = await store.update_lead_async(lead_id, **changes)
            else:
                base = max(version, written.get(lead_id, 0))
                lead = await store.update_lead_async(lead_id, **changes, version=base)
            if not lead.pending:
                written[lead_id] = lead.version
            return lead

        def conflict(exc: BaseException) -> bool:
            return team and team_controller.handle_write_error(
                exc, lambda mine, current: self.write_change(lead_id, dict(mine), done_message, version=current)
            )

        self.write(job, done_message, on_conflict=conflict)

    def write(
        self,
        job: Callable[[Store | TeamStore], Awaitable[ShownLead]],
        done_message: str | None = None,
        *,
        quiet: bool = False,
        on_conflict: Callable[[BaseException], bool] | None = None,
    ) -> None:
        """Apply a user's edit (``await job(store)``); repaint the lead when it is committed.

        The store's writer may be busy with a burst of webhooks, so the edit is never
        awaited in this slot: the UI stays live and the row updates a moment later.
        """
        tab = self._tab
        store = tab.lead_store()
        if store is None:
            return

        def committed(lead: ShownLead) -> None:
            lead = tab.model.newest(lead)  # a colleague's later change may have come first
            tab.model.replace_lead(lead, membership_may_change=True)
            if tab.detail.lead_id == lead.id:
                tab.detail.show_lead(lead)
            if tab.team.active:
                tab.team.lead_written(lead)
            tab.model.refresh_unread()
            if done_message and not quiet:
                tab.show_message(done_message)

        def failed(exc: BaseException) -> None:
            if on_conflict is not None and on_conflict(exc):
                return  # both versions are in a dialog: the user chooses
            log.error("Updating a lead failed", exc_info=exc)
            tab.banner.show_message(f"Could not save the change: {tab.services.describe_error(exc)}")

        self._pending_writes += 1

        def finished(_: object) -> None:
            self._pending_writes -= 1

        if self._in_order is None:
            self._in_order = asyncio.Lock()
        in_order = self._in_order

        async def commit() -> ShownLead:
            # One edit at a time (the lock is first come, first served): edits commit, and
            # come back, in the order the user made them, each after the one before.
            async with in_order:
                return await job(store)

        task = tab.services.run(commit(), committed, failed, owner=tab)
        task.add_done_callback(finished)
