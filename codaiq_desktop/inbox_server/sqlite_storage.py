"""The SQLite engine: one file, one process, zero set-up (the default without ``--db``).

Writes go through the desktop store's ``WriterThread`` (one connection, group commit:
deliveries that queue while a commit is in flight share the next transaction and its
fsync; a job acknowledged is on disk). Reads use a second connection on a worker
thread, so the event loop never waits for SQLite. With one writer, the change log's
sequence numbers are in commit order by construction. Lead lists and text search are in
``sqlite_search``, row decoding in ``sqlite_rows``, the schema's runner in ``migrations``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
import threading
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from codaiq_desktop.store.timestamps import from_text, to_text, utc_now
from codaiq_desktop.store.writer import WriterThread

from . import migrations as schema
from .models import (
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
from .sqlite_rows import EVENT_COLUMNS, LEAD_COLUMNS, MEMBER_COLUMNS, event_from_row, lead_from_row, member_from_row
from .sqlite_search import capped_count, lead_page
from .storage import (
    InboxStorage,
    InvalidEditError,
    LeadNotFoundError,
    PreparedEvent,
    UnknownAgencyError,
    UnknownMemberError,
    VersionConflictError,
    check_edit,
    check_email,
    check_role,
    compact_json,
    page_limit,
    stats_from_rows,
)
from .tokens import new_id, new_token, token_hash

T = TypeVar("T")
ChangeListener = Callable[[str, int], None]


class SqliteInbox(InboxStorage):
    """``InboxStorage`` on one SQLite file (WAL, ``synchronous=FULL``)."""

    engine = "sqlite"

    def __init__(self, path: Path, *, synchronous: str = "FULL") -> None:
        self.path = Path(path)
        self._synchronous = synchronous
        self._writer: WriterThread | None = None
        self._reader: sqlite3.Connection | None = None
        self._read_lock = threading.Lock()
        self._listeners: list[ChangeListener] = []

    def __repr__(self) -> str:
        return f"SqliteInbox({str(self.path)!r})"

    def describe(self) -> str:
        return f"SQLite file {self.path}"

    # -- lifecycle ---------------------------------------------------------------------
    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(self._open_blocking)

    def _open_blocking(self) -> None:
        def prepare(connection: sqlite3.Connection) -> None:
            connection.execute("PRAGMA busy_timeout = 10000")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute(f"PRAGMA synchronous = {self._synchronous}")
            connection.execute("PRAGMA foreign_keys = ON")
            schema.migrate_sqlite(connection)

        self._writer = WriterThread(self.path, prepare)
        try:
            self.path.chmod(0o600)
        except OSError:
            pass
        reader = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        reader.execute("PRAGMA busy_timeout = 10000")
        reader.execute("PRAGMA query_only = 1")
        self._reader = reader

    async def close(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            await asyncio.to_thread(writer.close)
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def add_change_listener(self, listener: ChangeListener) -> None:
        """``listener(agency_id, seq)`` is called on the loop after a write that logged changes committed."""
        self._listeners.append(listener)

    def _told(self, agency_id: str, seq: int | None) -> None:
        if seq is None:
            return
        for listener in list(self._listeners):
            listener(agency_id, seq)

    async def ready(self) -> tuple[bool, str]:
        try:
            (version,) = await self._read(
                lambda c: c.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
            )
        except Exception as exc:
            return False, f"The database cannot be read ({type(exc).__name__})."
        known = schema.latest_version("sqlite")
        if version != known:
            return False, f"The schema is at version {version}, this server needs {known}."
        return True, "ok"

    async def _read(self, job: Callable[[sqlite3.Connection], T]) -> T:
        def run() -> T:
            with self._read_lock:
                if self._reader is None:
                    raise RuntimeError("The inbox storage is closed.")
                return job(self._reader)

        return await asyncio.to_thread(run)

    async def _write(self, job: Callable[[sqlite3.Connection], T]) -> T:
        if self._writer is None:
            raise RuntimeError("The inbox storage is closed.")
        return await self._writer.submit_async(job)

    # -- tenancy -----------------------------------------------------------------------
    async def add_agency(self, name: str, webhook_secret: str) -> Agency:
        if not name.strip():
            raise ValueError("An agency needs a name.")
        if not webhook_secret:
            raise ValueError("An agency needs a webhook secret.")
        agency = Agency(new_id("agc"), name.strip(), utc_now())

        def job(c: sqlite3.Connection) -> None:
            now = to_text(agency.created_at)
            c.execute("INSERT INTO agencies (id, name, created_at) VALUES (?, ?, ?)", (agency.id, agency.name, now))
            c.execute(
                "INSERT INTO webhook_secrets (agency_id, secret, created_at) VALUES (?, ?, ?)",
                (agency.id, webhook_secret, now),
            )

        await self._write(job)
        return agency

    async def get_agency(self, agency_id: str) -> Agency | None:
        row = await self._read(
            lambda c: c.execute("SELECT id, name, created_at FROM agencies WHERE id = ?", (agency_id,)).fetchone()
        )
        return Agency(row[0], row[1], from_text(row[2])) if row else None

    async def webhook_secrets(self, agency_id: str) -> list[str]:
        now = to_text(utc_now())
        rows = await self._read(
            lambda c: c.execute(
                "SELECT secret FROM webhook_secrets WHERE agency_id = ? AND (expires_at IS NULL OR expires_at > ?)"
                " ORDER BY id DESC",
                (agency_id, now),
            ).fetchall()
        )
        return [row[0] for row in rows]

    async def rotate_secret(self, agency_id: str, new_secret: str, grace_seconds: float) -> None:
        if not new_secret:
            raise ValueError("The new webhook secret is empty.")
        now = utc_now()
        until = to_text(now + timedelta(seconds=max(0.0, grace_seconds)))

        def job(c: sqlite3.Connection) -> None:
            if c.execute("SELECT 1 FROM agencies WHERE id = ?", (agency_id,)).fetchone() is None:
                raise UnknownAgencyError(f"No agency {agency_id!r}.")
            c.execute(
                "UPDATE webhook_secrets SET expires_at = ? WHERE agency_id = ? AND (expires_at IS NULL OR expires_at > ?)",
                (until, agency_id, until),
            )
            c.execute(
                "INSERT INTO webhook_secrets (agency_id, secret, created_at) VALUES (?, ?, ?)",
                (agency_id, new_secret, to_text(now)),
            )

        await self._write(job)

    async def add_member(self, agency_id: str, email: str, role: str) -> tuple[Member, str]:
        email = check_email(email)
        check_role(role)
        token = new_token()
        member = Member(new_id("mem"), agency_id, email, role, utc_now())

        def job(c: sqlite3.Connection) -> None:
            if c.execute("SELECT 1 FROM agencies WHERE id = ?", (agency_id,)).fetchone() is None:
                raise UnknownAgencyError(f"No agency {agency_id!r}.")
            c.execute(
                "INSERT INTO members (id, agency_id, email, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (member.id, agency_id, email, role, token_hash(token), to_text(member.created_at)),
            )

        await self._write(job)
        return member, token

    async def revoke_member(self, agency_id: str, member: str) -> Member:
        now = to_text(utc_now())

        def job(c: sqlite3.Connection) -> Member:
            row = c.execute(
                f"UPDATE members SET revoked_at = coalesce(revoked_at, ?) WHERE agency_id = ?"
                f" AND (id = ? OR lower(email) = lower(?)) RETURNING {MEMBER_COLUMNS}",
                (now, agency_id, member, member),
            ).fetchone()
            if row is None:
                raise UnknownMemberError(f"No member {member!r} in agency {agency_id!r}.")
            return member_from_row(row)

        return await self._write(job)

    async def list_members(self, agency_id: str) -> list[Member]:
        rows = await self._read(
            lambda c: c.execute(
                f"SELECT {MEMBER_COLUMNS} FROM members WHERE agency_id = ? ORDER BY created_at, id", (agency_id,)
            ).fetchall()
        )
        return [member_from_row(row) for row in rows]

    async def authenticate(self, token: str) -> Member | None:
        digest = token_hash(token)
        row = await self._read(
            lambda c: c.execute(
                f"SELECT {MEMBER_COLUMNS} FROM members WHERE token_hash = ? AND revoked_at IS NULL", (digest,)
            ).fetchone()
        )
        return member_from_row(row) if row else None

    # -- events and leads ----------------------------------------------------------------
    async def ingest(self, event: PreparedEvent) -> IngestOutcome:
        received_at = to_text(utc_now())
        outcome, seq = await self._write(lambda c: _ingest(c, event, received_at))
        self._told(event.agency_id, seq)
        return outcome

    async def list_leads(self, agency_id: str, query: LeadQuery) -> LeadPage:
        return await self._read(lambda c: lead_page(c, agency_id, query))

    async def count_leads(self, agency_id: str, query: LeadQuery) -> int:
        return await self._read(lambda c: capped_count(c, agency_id, query))

    async def get_lead(self, agency_id: str, lead_id: int) -> InboxLead | None:
        row = await self._read(
            lambda c: c.execute(
                f"SELECT {LEAD_COLUMNS} FROM leads WHERE agency_id = ? AND id = ?", (agency_id, lead_id)
            ).fetchone()
        )
        return lead_from_row(row) if row else None

    async def update_lead(
        self,
        agency_id: str,
        lead_id: int,
        member_id: str | None,
        expected_version: int | None,
        changes: Mapping[str, Any],
    ) -> InboxLead:
        checked = check_edit(changes)
        now = to_text(utc_now())
        lead, seq = await self._write(
            lambda c: _update(c, agency_id, lead_id, member_id, expected_version, checked, now)
        )
        self._told(agency_id, seq)
        return lead

    async def lead_history(self, agency_id: str, lead_id: int) -> list[HistoryEntry]:
        def job(c: sqlite3.Connection) -> list[HistoryEntry]:
            if c.execute("SELECT 1 FROM leads WHERE agency_id = ? AND id = ?", (agency_id, lead_id)).fetchone() is None:
                raise LeadNotFoundError(f"No lead {lead_id}.")
            rows = c.execute(
                "SELECT version, member_id, at, changes FROM lead_history WHERE agency_id = ? AND lead_id = ?"
                " ORDER BY version",
                (agency_id, lead_id),
            ).fetchall()
            return [HistoryEntry(row[0], row[1], from_text(row[2]), json.loads(row[3])) for row in rows]

        return await self._read(job)

    async def lead_events(self, agency_id: str, lead_id: int, limit: int = 100) -> list[InboxEvent]:
        def job(c: sqlite3.Connection) -> list[InboxEvent]:
            if c.execute("SELECT 1 FROM leads WHERE agency_id = ? AND id = ?", (agency_id, lead_id)).fetchone() is None:
                raise LeadNotFoundError(f"No lead {lead_id}.")
            rows = c.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE agency_id = ? AND lead_id = ? ORDER BY id LIMIT ?",
                (agency_id, lead_id, max(1, min(limit, 500))),
            ).fetchall()
            return [event_from_row(row) for row in rows]

        return await self._read(job)

    async def read_marks(self, agency_id: str, member_id: str, lead_ids: list[int]) -> set[int]:
        if not lead_ids:
            return set()
        wanted = sorted(set(lead_ids))

        def job(c: sqlite3.Connection) -> set[int]:
            found: set[int] = set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = c.execute(
                    f"SELECT lead_id FROM lead_reads WHERE agency_id = ? AND member_id = ?"
                    f" AND lead_id IN ({','.join('?' * len(chunk))})",
                    (agency_id, member_id, *chunk),
                ).fetchall()
                found.update(row[0] for row in rows)
            return found

        return await self._read(job)

    async def set_read(self, agency_id: str, lead_id: int, member_id: str, read: bool) -> InboxLead:
        now = to_text(utc_now())
        lead, seq = await self._write(lambda c: _set_read(c, agency_id, lead_id, member_id, read, now))
        self._told(agency_id, seq)
        return lead

    async def list_events(
        self,
        agency_id: str,
        type: str | None = None,
        website_id: str | None = None,
        limit: int = 50,
        before_id: int | None = None,
    ) -> EventPage:
        limit = page_limit(limit)
        parts = ["agency_id = ?"]
        parameters: list[Any] = [agency_id]
        for column, value in (("type", type), ("website_id", website_id)):
            if value is not None:
                parts.append(f"{column} = ?")
                parameters.append(value)
        if before_id is not None:
            parts.append("id < ?")
            parameters.append(before_id)
        rows = await self._read(
            lambda c: c.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE {' AND '.join(parts)} ORDER BY id DESC LIMIT ?",
                (*parameters, limit + 1),
            ).fetchall()
        )
        events = [event_from_row(row) for row in rows[:limit]]
        return EventPage(events, events[-1].id if len(rows) > limit else None)

    async def stats(self, agency_id: str) -> dict[str, Any]:
        rows = await self._read(
            lambda c: c.execute(
                "SELECT website_id, status, count(*) FROM leads WHERE agency_id = ? GROUP BY website_id, status",
                (agency_id,),
            ).fetchall()
        )
        return stats_from_rows(rows)

    async def changes_since(self, agency_id: str, seq: int, limit: int = 500) -> list[Change]:
        rows = await self._read(
            lambda c: c.execute(
                "SELECT seq, kind, lead_id, fields, member_id, at, lead FROM changes"
                " WHERE agency_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (agency_id, seq, max(1, min(limit, 5000))),
            ).fetchall()
        )
        return [
            Change(row[0], row[1], row[2], json.loads(row[3]), row[4], from_text(row[5]), json.loads(row[6]))
            for row in rows
        ]

    async def head_seq(self, agency_id: str) -> int:
        row = await self._read(
            lambda c: c.execute("SELECT change_seq FROM agencies WHERE id = ?", (agency_id,)).fetchone()
        )
        return int(row[0]) if row else 0


def _next_seq(c: sqlite3.Connection, agency_id: str) -> int:
    (seq,) = c.execute(
        "UPDATE agencies SET change_seq = change_seq + 1 WHERE id = ? RETURNING change_seq", (agency_id,)
    ).fetchone()
    return int(seq)


def _log_change(
    c: sqlite3.Connection, lead: InboxLead, kind: str, fields: list[str], member_id: str | None, at: str
) -> int:
    seq = _next_seq(c, lead.agency_id)
    c.execute(
        "INSERT INTO changes (agency_id, seq, kind, lead_id, fields, member_id, at, lead) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (lead.agency_id, seq, kind, lead.id, compact_json(fields), member_id, at, compact_json(lead.to_json())),
    )
    return seq


_UPSERT_LEAD = f"""
INSERT INTO leads (agency_id, lead_key, lead_id, website_id, project_id, name, email, phone, message, data,
                   captured_at, received_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (agency_id, lead_key) DO UPDATE SET
    data        = json_patch(excluded.data, leads.data),
    captured_at = coalesce(leads.captured_at, excluded.captured_at),
    website_id  = coalesce(leads.website_id, excluded.website_id),
    project_id  = coalesce(leads.project_id, excluded.project_id),
    name        = coalesce(leads.name, excluded.name),
    email       = coalesce(leads.email, excluded.email),
    phone       = coalesce(leads.phone, excluded.phone),
    message     = coalesce(leads.message, excluded.message),
    event_count = leads.event_count + 1
RETURNING {LEAD_COLUMNS}
"""


def _ingest(c: sqlite3.Connection, event: PreparedEvent, received_at: str) -> tuple[IngestOutcome, int | None]:
    payload = event.payload
    row = c.execute(
        "INSERT INTO events (agency_id, event_id, type, website_id, project_id, occurred_at, received_at,"
        " body_sha256, raw_body, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (agency_id, event_id) DO NOTHING RETURNING id",
        (
            event.agency_id,
            payload.event_id,
            payload.event_type,
            payload.website_id,
            payload.project_id,
            payload.occurred_at,
            received_at,
            payload.body_sha256,
            event.raw_body,
            event.headers_json,
        ),
    ).fetchone()
    if row is None:
        return IngestOutcome(payload.event_id, True), None
    event_row = int(row[0])
    lead = event.lead
    if lead is None:
        return IngestOutcome(payload.event_id, False, event_row), None
    lead_row = c.execute(
        _UPSERT_LEAD,
        (
            event.agency_id,
            lead.lead_key,
            lead.lead_id,
            lead.website_id,
            lead.project_id,
            lead.name,
            lead.email,
            lead.phone,
            lead.message,
            lead.data_json,
            lead.captured_at,
            received_at,
        ),
    ).fetchone()
    stored = lead_from_row(lead_row)
    c.execute("UPDATE events SET lead_id = ? WHERE id = ?", (stored.id, event_row))
    created = stored.event_count == 1
    fields = ["new"] if created else ["data", "eventCount"]
    seq = _log_change(c, stored, "lead.created" if created else "lead.updated", fields, None, received_at)
    return IngestOutcome(payload.event_id, False, event_row), seq


_COLUMN_OF = {"status": "status", "notes": "notes", "assignee": "assignee", "read": "is_read"}


def _update(
    c: sqlite3.Connection,
    agency_id: str,
    lead_id: int,
    member_id: str | None,
    expected: int | None,
    checked: dict[str, Any],
    now: str,
) -> tuple[InboxLead, int | None]:
    row = c.execute(f"SELECT {LEAD_COLUMNS} FROM leads WHERE agency_id = ? AND id = ?", (agency_id, lead_id)).fetchone()
    if row is None:
        raise LeadNotFoundError(f"No lead {lead_id}.")
    current = lead_from_row(row)
    if expected is not None and current.version != expected:
        raise VersionConflictError(current)
    assignee = checked.get("assignee")
    if (
        assignee is not None
        and c.execute(
            "SELECT 1 FROM members WHERE agency_id = ? AND id = ? AND revoked_at IS NULL", (agency_id, assignee)
        ).fetchone()
        is None
    ):
        raise InvalidEditError("Assignee must be an active member id of this agency, or null.")
    before = current.to_json()
    diff = {field: [before[field], value] for field, value in checked.items() if before[field] != value}
    if not diff:
        return current, None
    assignments = ", ".join(f"{_COLUMN_OF[field]} = ?" for field in diff)
    values = [int(value[1]) if field == "read" else value[1] for field, value in diff.items()]
    updated = lead_from_row(
        c.execute(
            f"UPDATE leads SET {assignments}, version = version + 1, updated_at = ?, updated_by = ?"
            f" WHERE id = ? RETURNING {LEAD_COLUMNS}",
            (*values, now, member_id, lead_id),
        ).fetchone()
    )
    c.execute(
        "INSERT INTO lead_history (agency_id, lead_id, version, member_id, at, changes) VALUES (?, ?, ?, ?, ?, ?)",
        (agency_id, lead_id, updated.version, member_id, now, compact_json(diff)),
    )
    seq = _log_change(c, updated, "lead.updated", sorted(diff), member_id, now)
    return updated, seq


def _set_read(
    c: sqlite3.Connection, agency_id: str, lead_id: int, member_id: str, read: bool, now: str
) -> tuple[InboxLead, int | None]:
    row = c.execute(f"SELECT {LEAD_COLUMNS} FROM leads WHERE agency_id = ? AND id = ?", (agency_id, lead_id)).fetchone()
    if row is None:
        raise LeadNotFoundError(f"No lead {lead_id}.")
    if read:
        changed = c.execute(
            "INSERT INTO lead_reads (agency_id, member_id, lead_id, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (agency_id, member_id, lead_id, now),
        ).rowcount
    else:
        changed = c.execute(
            "DELETE FROM lead_reads WHERE agency_id = ? AND member_id = ? AND lead_id = ?",
            (agency_id, member_id, lead_id),
        ).rowcount
    lead = dataclasses.replace(lead_from_row(row), read=read)
    if not changed:
        return lead, None
    return lead, _log_change(c, lead, "lead.read", ["read"], member_id, now)
