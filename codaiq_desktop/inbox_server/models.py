"""The plain data the inbox server's storage hands out: frozen dataclasses, no SQL rows.

Both engines (SQLite and PostgreSQL) return exactly these, and the HTTP layer renders them
with ``to_json``, so one contract test suite can compare the engines value for value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from codaiq_desktop.inbox_wire import COUNT_CAP, iso, lead_document
from codaiq_desktop.store.models import LEAD_STATUSES

ROLES: Final[tuple[str, ...]] = ("admin", "member")
"""A member's role: an ``admin`` may manage members through the API, a ``member`` works the inbox."""

EDITABLE_FIELDS: Final[tuple[str, ...]] = ("status", "notes", "assignee", "read")
"""The lead fields a member may change; every change is kept in the lead's history."""

__all__ = [
    "COUNT_CAP",
    "EDITABLE_FIELDS",
    "LEAD_STATUSES",
    "ROLES",
    "Agency",
    "Change",
    "EventPage",
    "HistoryEntry",
    "InboxEvent",
    "InboxLead",
    "IngestOutcome",
    "LeadPage",
    "LeadQuery",
    "Member",
    "iso",
]


@dataclass(frozen=True, slots=True)
class Agency:
    """A tenant: its own webhook secrets, members, leads and events."""

    id: str
    name: str
    created_at: datetime

    @property
    def webhook_path(self) -> str:
        return f"/webhooks/codaiq/{self.id}"


@dataclass(frozen=True, slots=True)
class Member:
    """Someone of an agency who reads the inbox. The token itself is never kept, only its hash."""

    id: str
    agency_id: str
    email: str
    role: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "role": self.role,
            "createdAt": iso(self.created_at),
            "revokedAt": iso(self.revoked_at),
        }


@dataclass(frozen=True, slots=True)
class InboxLead:
    """A lead of an agency's shared inbox: what the webhook said, plus what the team set.

    ``version`` rises by one with every change a member makes (and with every later event
    of the same lead), so an edit can be made conditional on what its author saw.
    """

    id: int
    agency_id: str
    lead_id: str | None
    website_id: str | None
    project_id: str | None
    name: str | None
    email: str | None
    phone: str | None
    message: str | None
    data: dict[str, Any]
    captured_at: str | None
    received_at: datetime
    status: str
    notes: str
    assignee: str | None
    read: bool
    version: int
    updated_at: datetime | None
    updated_by: str | None
    event_count: int

    def to_json(self) -> dict[str, Any]:
        """The lead as ``GET /api/v1/leads/{id}`` returns it (and as the stream carries it)."""
        return lead_document(self)


@dataclass(frozen=True, slots=True)
class InboxEvent:
    """One verified webhook event as stored for an agency."""

    id: int
    event_id: str
    type: str
    website_id: str | None
    project_id: str | None
    occurred_at: str | None
    received_at: datetime
    lead_id: int | None
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "eventId": self.event_id,
            "type": self.type,
            "websiteId": self.website_id,
            "projectId": self.project_id,
            "occurredAt": self.occurred_at,
            "receivedAt": iso(self.received_at),
            "lead": self.lead_id,
            "payload": self.payload,
        }


@dataclass(frozen=True, slots=True)
class LeadQuery:
    """Which leads a page holds. Criteria combine with AND; ``text`` matches word prefixes."""

    text: str | None = None
    status: str | None = None
    website_id: str | None = None
    assignee: str | None = None
    unread: bool | None = None
    limit: int = 50
    before_id: int | None = None
    """Keyset cursor: only leads with a smaller id (the order is newest first, by id)."""
    offset: int = 0
    """Rows skipped after the cursor (a desktop table reads pages at any row, like a local store)."""
    reader: str | None = None
    """The member whose read marks ``unread`` means (``None``: the lead-wide flag)."""
    unassigned: bool = False
    """Only leads assigned to nobody (``assignee`` is then ignored)."""


@dataclass(frozen=True, slots=True)
class LeadPage:
    leads: list[InboxLead]
    next_before_id: int | None
    total: int
    """Matching leads, counted up to ``COUNT_CAP + 1`` (more than the cap means "10000+")."""

    @property
    def total_label(self) -> int | str:
        return f"{COUNT_CAP}+" if self.total > COUNT_CAP else self.total


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[InboxEvent]
    next_before_id: int | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change a member made: who, when, and each field's value before and after."""

    version: int
    member_id: str | None
    at: datetime
    changes: dict[str, list[Any]]

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "by": self.member_id, "at": iso(self.at), "changes": self.changes}


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of an agency's change log: what the stream sends, in sequence order.

    ``seq`` is gapless and in commit order within an agency, so "everything after N"
    misses nothing even when writers commit out of order. ``lead`` is the lead as it was
    right after the change (``InboxLead.to_json``).
    """

    seq: int
    kind: str
    lead_id: int
    fields: list[str]
    member_id: str | None
    at: datetime
    lead: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "fields": self.fields,
            "by": self.member_id,
            "at": iso(self.at),
            "lead": self.lead,
        }


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What storing one verified delivery did. ``duplicate``: it was stored before (by any process)."""

    event_id: str
    duplicate: bool
    row_id: int | None = None
