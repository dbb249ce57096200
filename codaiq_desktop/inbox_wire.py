"""The team inbox API's lead document and time format, in one place for both of its ends.

The inbox server renders its leads in this shape (``GET /api/v1/leads/{id}``, the stream,
its change log); the desktop's team client keeps its offline cache in the same shape and
reads it back as it reads the server's answers. No Qt and no server code here: the client
imports this, never the server's package.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final, Protocol

COUNT_CAP: Final[int] = 10_000
"""Counts stop here ("10000+"): an exact count over a million rows costs ~100 ms on PostgreSQL."""


def iso(moment: datetime | None) -> str | None:
    """``moment`` as ISO-8601 UTC with milliseconds and a ``Z`` (the API's one time format)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SharedLead(Protocol):
    """What a lead of the shared inbox has, on the server and on the desktop alike."""

    @property
    def id(self) -> int: ...
    @property
    def lead_id(self) -> str | None: ...
    @property
    def website_id(self) -> str | None: ...
    @property
    def project_id(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def message(self) -> str | None: ...
    @property
    def data(self) -> dict[str, Any]: ...
    @property
    def captured_at(self) -> str | None: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...
    @property
    def notes(self) -> str: ...
    @property
    def assignee(self) -> str | None: ...
    @property
    def read(self) -> bool: ...
    @property
    def version(self) -> int: ...
    @property
    def updated_at(self) -> datetime | None: ...
    @property
    def updated_by(self) -> str | None: ...
    @property
    def event_count(self) -> int: ...


def lead_document(lead: SharedLead) -> dict[str, Any]:
    """The lead as ``GET /api/v1/leads/{id}`` returns it (and as the stream carries it)."""
    return {
        "id": lead.id,
        "leadId": lead.lead_id,
        "websiteId": lead.website_id,
        "projectId": lead.project_id,
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "message": lead.message,
        "data": lead.data,
        "capturedAt": lead.captured_at,
        "receivedAt": iso(lead.received_at),
        "status": lead.status,
        "notes": lead.notes,
        "assignee": lead.assignee,
        "read": lead.read,
        "version": lead.version,
        "updatedAt": iso(lead.updated_at),
        "updatedBy": lead.updated_by,
        "eventCount": lead.event_count,
    }
