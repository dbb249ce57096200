"""The Leads table's columns and roles, and what the table reads leads from.

Shared by the local table model and the team inbox's (which adds a column after these).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt

from codaiq_desktop.store import LeadFilter, StoredEvent
from codaiq_desktop.ui.leads.lead_values import ShownLead


class LeadSource(Protocol):
    """The part of ``codaiq_desktop.store.Store`` the model reads."""

    def count_leads(self, lead_filter: LeadFilter) -> int: ...

    def list_leads(
        self,
        lead_filter: LeadFilter,
        sort: str = "received_at",
        descending: bool = True,
        offset: int = 0,
        limit: int = 200,
    ) -> Sequence[ShownLead]: ...

    def get_lead(self, lead_id: int) -> ShownLead | None: ...

    def unread_count(self, account: str | None = None) -> int: ...

    def lead_events(self, lead_id: int) -> list[StoredEvent]: ...


@dataclass(frozen=True)
class LeadColumn:
    """One column: its header, the store's sort key and how to read a lead."""

    title: str
    sort_key: str | None  # None: the store has no index for it, so no sorting
    attr: str


COLUMNS: tuple[LeadColumn, ...] = (
    LeadColumn("Received", "received_at", "received_at"),
    LeadColumn("Name", "name", "name"),
    LeadColumn("Email", "email", "email"),
    LeadColumn("Phone", None, "phone"),
    LeadColumn("Website", "website_id", "website_id"),
    LeadColumn("Status", "status", "status"),
    LeadColumn("Message", None, "message"),
)
COL_TIME, COL_NAME, COL_EMAIL, COL_PHONE, COL_WEBSITE, COL_STATUS, COL_MESSAGE = range(len(COLUMNS))

#: Role giving the lead id of a row (an ``int``), for selection that survives reloads.
LeadIdRole = Qt.ItemDataRole.UserRole + 1
#: Role giving the whole lead object of a row.
LeadRole = Qt.ItemDataRole.UserRole + 2


_PREVIEW_CHARS = 120


def message_preview(text: str | None) -> str:
    """The message on one line, cut at a readable length."""
    if not text:
        return ""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= _PREVIEW_CHARS else flat[: _PREVIEW_CHARS - 1] + "…"
