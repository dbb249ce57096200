"""One storage interface for the inbox server, and what both engines share.

``InboxStorage`` is what the HTTP layer and the admin commands call; ``SqliteInbox``
(one process, zero set-up) and ``PostgresInbox`` (several processes on one database)
implement it, and ``tests/inbox_server/test_storage_contract.py`` runs one suite against
both. The parts that do not depend on the engine live here: checking a delivery before
it is stored (the desktop store's own payload reader), the lead fields an event carries,
and validating a member's edit.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from codaiq_desktop.store.models import LEAD_STATUSES
from codaiq_desktop.store.payload import (
    InvalidPayloadError,
    WebhookPayload,
    any_string,
    kept_headers,
    lead_fields,
    parse_payload,
)

from .models import (
    ROLES,
    Agency,
    Change,
    EventPage,
    HistoryEntry,
    InboxEvent,
    InboxLead,
    IngestOutcome,
    LeadPage,
    LeadQuery,
    Member,
)

MAX_PAGE = 500
"""Largest page of leads or events one request returns."""

MAX_NOTES = 20_000
"""Longest notes text a member may save on a lead (characters)."""

MAX_OFFSET = 1_000_000
"""Deepest row a page of leads may start at (an offset walks the id index that far)."""


class StorageError(Exception):
    """Base of the storage errors the HTTP layer turns into answers."""


class SchemaTooNewError(StorageError):
    """The database was migrated by a newer version of the server; this one must not touch it."""


class LeadNotFoundError(StorageError, LookupError):
    """No lead with that id in this agency (it may exist in another: that is not said)."""


class VersionConflictError(StorageError):
    """The lead changed since the version the editor saw; ``current`` is the lead as it is now."""

    def __init__(self, current: InboxLead) -> None:
        self.current = current
        super().__init__(f"The lead is at version {current.version}; reload it and apply your change again.")


class InvalidEditError(StorageError, ValueError):
    """A field or value a member may not set; ``str()`` says which and why."""


class UnknownAgencyError(StorageError, LookupError):
    """No agency with that id."""


class UnknownMemberError(StorageError, LookupError):
    """No member with that id or email in that agency."""


@dataclass(frozen=True, slots=True)
class PreparedEvent:
    """A verified delivery, parsed and checked on the loop before any database work."""

    agency_id: str
    raw_body: bytes
    payload: WebhookPayload
    headers_json: str
    lead: LeadValues | None


@dataclass(frozen=True, slots=True)
class LeadValues:
    lead_key: str
    lead_id: str | None
    website_id: str | None
    project_id: str | None
    name: str | None
    email: str | None
    phone: str | None
    message: str | None
    data_json: str
    captured_at: str | None


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _holds_nul(document: Any) -> bool:
    """PostgreSQL text and jsonb cannot hold U+0000; both engines refuse it alike."""
    return any_string(document, lambda text: "\x00" in text)


def prepare_event(agency_id: str, raw_body: bytes, headers: Mapping[str, str]) -> PreparedEvent:
    """Parse a verified body as the desktop store does; ``InvalidPayloadError`` (a 400) if it can't be stored."""
    payload = parse_payload(raw_body, headers)
    if _holds_nul(payload.document):
        raise InvalidPayloadError("body holds a NUL character (\\u0000), which cannot be stored")
    lead: LeadValues | None = None
    if payload.is_lead:
        fields = lead_fields(payload.data)
        lead = LeadValues(
            lead_key=fields.lead_id if fields.lead_id is not None else f"event:{payload.event_id}",
            lead_id=fields.lead_id,
            website_id=payload.website_id,
            project_id=payload.project_id,
            name=fields.name,
            email=fields.email,
            phone=fields.phone,
            message=fields.message,
            data_json=compact_json(payload.data),
            captured_at=payload.occurred_at,
        )
    return PreparedEvent(agency_id, raw_body, payload, compact_json(kept_headers(headers)), lead)


def check_edit(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The member's edit as column values, or ``InvalidEditError`` with a sentence."""
    allowed = {"status", "notes", "assignee", "read"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidEditError(
            f"Cannot change {', '.join(unknown)}; a lead's editable fields are {', '.join(sorted(allowed))}."
        )
    if not changes:
        raise InvalidEditError("Nothing to change: give at least one of status, notes, assignee, read.")
    checked: dict[str, Any] = {}
    if "status" in changes:
        if changes["status"] not in LEAD_STATUSES:
            raise InvalidEditError(f"Unknown status; use one of {', '.join(LEAD_STATUSES)}.")
        checked["status"] = changes["status"]
    if "notes" in changes:
        notes = changes["notes"]
        if not isinstance(notes, str) or len(notes) > MAX_NOTES or "\x00" in notes:
            raise InvalidEditError(f"Notes must be text of at most {MAX_NOTES} characters.")
        checked["notes"] = notes
    if "assignee" in changes:
        assignee = changes["assignee"]
        if assignee is not None and (not isinstance(assignee, str) or not assignee or len(assignee) > 100):
            raise InvalidEditError("Assignee must be a member id of this agency, or null.")
        checked["assignee"] = assignee
    if "read" in changes:
        if not isinstance(changes["read"], bool):
            raise InvalidEditError("Read must be true or false.")
        checked["read"] = changes["read"]
    return checked


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.")
    return role


def check_email(email: str) -> str:
    email = email.strip()
    if "@" not in email or len(email) > 320 or any(ch.isspace() for ch in email):
        raise ValueError(f"{email!r} is not an email address.")
    return email


def search_words(text: str | None) -> list[str]:
    """The words of a search, as both engines match them (each a word prefix, all required)."""
    if not text:
        return []
    import re

    return [word.lower() for word in re.findall(r"[^\W_]+", text)][:16]


def page_limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_PAGE))


def stats_from_rows(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """``{"total", "byStatus", "byWebsite": [{"websiteId", "total", "byStatus"}]}`` from (website, status, n) rows."""
    by_status: dict[str, int] = {}
    by_website: dict[str | None, dict[str, int]] = {}
    total = 0
    for website, status, count in rows:
        count = int(count)
        total += count
        by_status[status] = by_status.get(status, 0) + count
        site = by_website.setdefault(website, {})
        site[status] = site.get(status, 0) + count
    websites = [
        {"websiteId": website, "total": sum(counts.values()), "byStatus": dict(sorted(counts.items()))}
        for website, counts in sorted(by_website.items(), key=lambda item: (item[0] is None, item[0] or ""))
    ]
    return {"total": total, "byStatus": dict(sorted(by_status.items())), "byWebsite": websites}


class InboxStorage(abc.ABC):
    """Everything the server stores, per agency. Every call names its agency explicitly."""

    engine: str

    # -- lifecycle ---------------------------------------------------------------------
    @abc.abstractmethod
    async def open(self) -> None:
        """Connect and bring the schema to this version (refusing a newer one)."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def ready(self) -> tuple[bool, str]:
        """Whether the database answers and its schema is this version's; and a sentence."""

    # -- tenancy -----------------------------------------------------------------------
    @abc.abstractmethod
    async def add_agency(self, name: str, webhook_secret: str) -> Agency: ...

    @abc.abstractmethod
    async def get_agency(self, agency_id: str) -> Agency | None: ...

    @abc.abstractmethod
    async def webhook_secrets(self, agency_id: str) -> list[str]:
        """The agency's secrets that verify deliveries now (the current one, and old ones in their grace window)."""

    @abc.abstractmethod
    async def rotate_secret(self, agency_id: str, new_secret: str, grace_seconds: float) -> None:
        """Make ``new_secret`` current; the others keep verifying for ``grace_seconds`` more."""

    @abc.abstractmethod
    async def add_member(self, agency_id: str, email: str, role: str) -> tuple[Member, str]:
        """A new member and their token (returned once; only its hash is kept)."""

    @abc.abstractmethod
    async def revoke_member(self, agency_id: str, member: str) -> Member:
        """Revoke a member by id or email; their token stops working at once."""

    @abc.abstractmethod
    async def list_members(self, agency_id: str) -> list[Member]: ...

    @abc.abstractmethod
    async def authenticate(self, token: str) -> Member | None:
        """The active member holding ``token``, else ``None``. The agency comes from here only."""

    # -- events and leads ----------------------------------------------------------------
    @abc.abstractmethod
    async def ingest(self, event: PreparedEvent) -> IngestOutcome:
        """Store a verified event durably (committed when this returns); dedupe on its id forever."""

    @abc.abstractmethod
    async def list_leads(self, agency_id: str, query: LeadQuery) -> LeadPage: ...

    @abc.abstractmethod
    async def count_leads(self, agency_id: str, query: LeadQuery) -> int:
        """Matching leads counted up to ``COUNT_CAP + 1``."""

    @abc.abstractmethod
    async def get_lead(self, agency_id: str, lead_id: int) -> InboxLead | None: ...

    @abc.abstractmethod
    async def update_lead(
        self,
        agency_id: str,
        lead_id: int,
        member_id: str | None,
        expected_version: int | None,
        changes: Mapping[str, Any],
    ) -> InboxLead:
        """Apply a member's edit if the lead is still at ``expected_version`` (``None``: any)."""

    @abc.abstractmethod
    async def lead_history(self, agency_id: str, lead_id: int) -> list[HistoryEntry]: ...

    @abc.abstractmethod
    async def lead_events(self, agency_id: str, lead_id: int, limit: int = 100) -> list[InboxEvent]:
        """The events that fed a lead, oldest first (``LeadNotFoundError`` if it is not the agency's)."""

    @abc.abstractmethod
    async def read_marks(self, agency_id: str, member_id: str, lead_ids: list[int]) -> set[int]:
        """Which of ``lead_ids`` ``member_id`` has read (read and unread are per member)."""

    @abc.abstractmethod
    async def set_read(self, agency_id: str, lead_id: int, member_id: str, read: bool) -> InboxLead:
        """Mark a lead read or unread for one member. The lead's version stays; a change of the
        mark is logged (kind ``lead.read``, by that member) so their other desktops follow."""

    @abc.abstractmethod
    async def list_events(
        self,
        agency_id: str,
        type: str | None = None,
        website_id: str | None = None,
        limit: int = 50,
        before_id: int | None = None,
    ) -> EventPage: ...

    @abc.abstractmethod
    async def stats(self, agency_id: str) -> dict[str, Any]:
        """Lead counts per website and status: ``{"total", "byStatus", "byWebsite"}``."""

    @abc.abstractmethod
    async def changes_since(self, agency_id: str, seq: int, limit: int = 500) -> list[Change]:
        """Change-log entries after ``seq``, in order, with no gaps."""

    @abc.abstractmethod
    async def head_seq(self, agency_id: str) -> int:
        """The agency's last change-log sequence number (0 before any change)."""


def open_storage(db: str | None, data_dir: Any = None) -> InboxStorage:
    """The engine for ``--db``: PostgreSQL for a ``postgres(ql)://`` URL, else a SQLite file."""
    from pathlib import Path

    if db and db.startswith(("postgresql://", "postgres://")):
        from .postgres_storage import PostgresInbox

        return PostgresInbox(db)
    if db and db.startswith("sqlite:"):
        db = db.removeprefix("sqlite:").removeprefix("//")
    if not db:
        from platformdirs import user_data_path

        base = Path(data_dir) if data_dir else user_data_path("codaiq-desktop", appauthor=False) / "inbox-server"
        db = str(base / "inbox.sqlite3")
    from .sqlite_storage import SqliteInbox

    return SqliteInbox(Path(db))
