"""The plain data the store hands out: frozen dataclasses, no Qt, no SQLite rows.

The UI builds its table models over these, the command line prints them and the
tests compare them, so they carry only values (never a connection or a cursor).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from codaiq_desktop.webhook_events import LEAD_EVENT_TYPES as LEAD_EVENT_TYPES

LEAD_STATUSES: Final[tuple[str, ...]] = ("new", "contacted", "qualified", "won", "lost")
"""The pipeline a user moves a lead through; ``new`` is where every lead starts."""

LEAD_SORT_KEYS: Final[tuple[str, ...]] = ("received_at", "name", "email", "status", "website_id")
"""Columns ``Store.list_leads`` can sort by. Each has an index, so a page stays fast at scale."""


ASSIGNEE_ME: Final = "me"
"""``LeadFilter.assignee`` for "Mine": the leads assigned to the member reading (team inbox)."""

ASSIGNEE_NONE: Final = "none"
"""``LeadFilter.assignee`` for "Unassigned": the leads assigned to nobody."""


class LeadStatus:
    """The lead statuses as constants, for code that prefers names to strings."""

    NEW: Final = "new"
    CONTACTED: Final = "contacted"
    QUALIFIED: Final = "qualified"
    WON: Final = "won"
    LOST: Final = "lost"


@dataclass(frozen=True, slots=True)
class LeadFilter:
    """Which leads a query returns. Every criterion is optional; they combine with AND.

    ``text`` matches words (and word prefixes) in the name, email, phone and message.
    ``since`` is inclusive and ``until`` exclusive, both on the time the lead was received;
    naive datetimes are taken as UTC. ``account`` keeps the leads of exactly that account
    (``None``: every account, including leads stored without one).
    ``assignee`` is for a team inbox: ``None`` every lead, ``ASSIGNEE_ME`` mine,
    ``ASSIGNEE_NONE`` unassigned, anything else that member id's. Nothing is assigned in a
    local store, so there "unassigned" matches every lead and the others none.
    """

    website_id: str | None = None
    status: str | None = None
    text: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    unread_only: bool = False
    account: str | None = None
    assignee: str | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One webhook event as stored: what arrived, when, and whether its signature held.

    ``id`` is the local row id (increasing in arrival order); ``event_id`` is the key the
    store de-duplicates on, taken from the signed body only (the payload's ``id``, else
    ``sha256:<hex of the raw body>``; the unsigned ``X-Codaiq-Event-Id`` header is kept in
    ``headers`` for display but never used as the key). ``payload`` is the parsed JSON
    object, ``raw_body`` the exact bytes that were signed, ``headers`` the few request
    headers worth keeping (lower-case names). ``lead_id`` is the local lead this event fed, if any.
    """

    id: int
    event_id: str
    type: str
    website_id: str | None
    project_id: str | None
    received_at: datetime
    verified: bool
    replay: bool
    payload: dict[str, Any]
    raw_body: bytes
    headers: dict[str, str]
    lead_id: int | None
    occurred_at: str | None = None
    """The payload's own ``timestamp``, as sent (not parsed: the sender's format is its business)."""
    account: str | None = None
    """The account whose webhook secret verified it (``None``: stored without one)."""


@dataclass(frozen=True, slots=True)
class Lead:
    """A person who filled in a form on a client's site, plus what the user noted about them.

    ``lead_id`` is the service's id (``data.leadId``); ``lead.captured`` and
    ``form.submitted`` for one submission share it and so feed one ``Lead``. ``status``,
    ``notes`` and ``read`` are local: only the user changes them, and a later event for
    the same lead never overwrites them. ``account`` comes from the lead's first event
    that had one (``None`` if none did).
    """

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


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What ``Store.ingest`` did: the stored event, and whether it was already there.

    A duplicate (a redelivery of an event already stored) changes nothing; ``event`` is then
    the copy stored the first time.
    """

    event: StoredEvent
    duplicate: bool
    lead: Lead | None = None


@dataclass(frozen=True, slots=True)
class RejectedAttempt:
    """A delivery the receiver refused. Its body is not trusted, so only a digest is kept.

    ``reason`` is a sentence for the Events tab; ``status_code`` what the sender was told;
    ``body_sha256`` lets a user match an attempt with the sender's log without storing
    (or showing) unverified content.
    """

    id: int
    received_at: datetime
    reason: str
    status_code: int
    size: int
    body_sha256: str | None
    headers: dict[str, str] = field(default_factory=dict)
    remote: str | None = None
