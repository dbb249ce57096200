"""The team inbox's data as the desktop holds it: frozen dataclasses, no Qt, no JSON.

``TeamLead`` has every attribute of ``store.models.Lead`` (so the Leads table reads it
as it reads a local lead) plus what a shared inbox adds: who it is assigned to, its
version for conditional edits, who changed it last, and whether an edit of ours is still
waiting to be sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from codaiq_desktop.inbox_wire import COUNT_CAP, lead_document
from codaiq_desktop.store.models import StoredEvent

__all__ = [
    "COUNT_CAP",
    "CappedCount",
    "ReceiverInfo",
    "TeamChange",
    "TeamHistoryEntry",
    "TeamLead",
    "TeamLeadPage",
    "TeamMember",
    "event_from_json",
    "lead_from_json",
    "parse_time",
]


class CappedCount(int):
    """A count that may be capped: ``int(count)`` is the rows to show, ``label`` the words for it.

    When the server said "10000+", the value is ``COUNT_CAP + 1`` and ``capped`` is True.
    """

    capped: bool

    def __new__(cls, value: int, capped: bool = False) -> CappedCount:
        count = super().__new__(cls, value)
        count.capped = capped
        return count

    @classmethod
    def from_json(cls, total: Any) -> CappedCount:
        """The server's ``total``: a number, or text like ``"10000+"``."""
        if isinstance(total, str) and total.endswith("+"):
            return cls(int(total[:-1]) + 1, True)
        return cls(int(total))

    @property
    def label(self) -> str:
        return f"{COUNT_CAP:,}+" if self.capped else f"{int(self):,}"

    def __repr__(self) -> str:
        return f"CappedCount({int(self)}, capped={self.capped})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (CappedCount, (int(self), self.capped))


def parse_time(text: Any) -> datetime | None:
    """The API's ISO-8601 UTC times (``…Z``) as aware datetimes; ``None`` for none."""
    if not text:
        return None
    value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class TeamLead:
    """A lead of the shared inbox, as this member sees it (``read``: read by me)."""

    id: int
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
    read: bool
    updated_at: datetime | None = None
    event_count: int = 1
    account: str | None = None
    assignee: str | None = None
    """The member id the lead is assigned to (``None``: nobody)."""
    version: int = 1
    """Rises with every change a member makes; an edit is sent "if still at this version"."""
    updated_by: str | None = None
    """The member id who changed it last."""
    pending: bool = False
    """An edit of mine is queued (offline) and already shown here, not yet on the server."""

    def to_json(self) -> dict[str, Any]:
        """The lead in the API's shape (the offline cache keeps it so)."""
        return lead_document(self)


def lead_from_json(document: dict[str, Any], *, account: str | None = None, pending: bool = False) -> TeamLead:
    """A lead as ``GET /api/v1/leads/{id}`` returns it."""
    data = document.get("data")
    received = parse_time(document.get("receivedAt"))
    return TeamLead(
        id=int(document["id"]),
        lead_id=document.get("leadId"),
        website_id=document.get("websiteId"),
        project_id=document.get("projectId"),
        name=document.get("name"),
        email=document.get("email"),
        phone=document.get("phone"),
        message=document.get("message"),
        data=data if isinstance(data, dict) else {},
        captured_at=document.get("capturedAt"),
        received_at=received or datetime.fromtimestamp(0, UTC),
        status=str(document.get("status") or "new"),
        notes=str(document.get("notes") or ""),
        read=bool(document.get("read")),
        updated_at=parse_time(document.get("updatedAt")),
        event_count=int(document.get("eventCount") or 1),
        account=account,
        assignee=document.get("assignee"),
        version=int(document.get("version") or 1),
        updated_by=document.get("updatedBy"),
        pending=pending,
    )


@dataclass(frozen=True, slots=True)
class TeamMember:
    """A colleague in the agency (never their token)."""

    id: str
    email: str
    role: str
    active: bool = True

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> TeamMember:
        return cls(
            str(document["id"]),
            str(document.get("email") or ""),
            str(document.get("role") or "member"),
            document.get("revokedAt") is None,
        )


@dataclass(frozen=True, slots=True)
class TeamHistoryEntry:
    """One change a member made to a lead: who, when, each field's value before and after."""

    version: int
    by: str | None
    at: datetime
    changes: dict[str, tuple[Any, Any]]

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> TeamHistoryEntry:
        changes = {str(name): (pair[0], pair[1]) for name, pair in (document.get("changes") or {}).items()}
        return cls(
            int(document["version"]), document.get("by"), parse_time(document["at"]) or datetime.now(UTC), changes
        )


@dataclass(frozen=True, slots=True)
class TeamChange:
    """One entry of the server's change stream: the lead right after the change.

    ``kind`` is ``lead.created``, ``lead.updated`` or ``lead.read`` (my own read mark, from
    another of my desktops or this one); ``seq`` orders them, gapless per agency.
    """

    seq: int
    kind: str
    fields: tuple[str, ...]
    by: str | None
    at: datetime
    lead: TeamLead

    @classmethod
    def from_json(cls, seq: int, document: dict[str, Any], account: str | None = None) -> TeamChange:
        return cls(
            seq,
            str(document.get("kind") or "lead.updated"),
            tuple(document.get("fields") or ()),
            document.get("by"),
            parse_time(document.get("at")) or datetime.now(UTC),
            lead_from_json(document["lead"], account=account),
        )


@dataclass(frozen=True, slots=True)
class TeamLeadPage:
    """One page of ``GET /api/v1/leads``: the leads, the keyset cursor of the next page, the capped total."""

    leads: list[TeamLead]
    next_cursor: str | None
    total: CappedCount


@dataclass(frozen=True, slots=True)
class ReceiverInfo:
    """Where the agency's webhooks go (for the Codaiq project settings) and whether the server is ready."""

    webhook_url: str
    webhook_path: str
    agency_id: str
    agency_name: str | None
    ready: bool
    detail: str


def event_from_json(document: dict[str, Any], account: str | None = None) -> StoredEvent:
    """A server event in the local store's shape, so the Events tab shows it as it shows local ones.

    The server verified its signature before storing it (it stores nothing else), and
    keeps no raw bytes for the API: ``raw_body`` is the payload re-encoded.
    """
    import json

    payload = document.get("payload")
    payload = payload if isinstance(payload, dict) else {}
    return StoredEvent(
        id=int(document["id"]),
        event_id=str(document.get("eventId") or ""),
        type=str(document.get("type") or ""),
        website_id=document.get("websiteId"),
        project_id=document.get("projectId"),
        received_at=parse_time(document.get("receivedAt")) or datetime.now(UTC),
        verified=True,
        replay=False,
        payload=payload,
        raw_body=json.dumps(payload, ensure_ascii=False, indent=2).encode(),
        headers={},
        lead_id=document.get("lead"),
        occurred_at=document.get("occurredAt"),
        account=account,
    )
