"""The PostgreSQL engine: several ``serve`` processes on one database behave as one.

psycopg 3 (async) with a connection pool; no ORM. This module is the engine's facade:
its lifecycle, tenancy and reads. The rest, by what differs from SQLite:

- **Writes** (``postgres_writes``): queued and committed in batches by a few writer tasks
  per process (group commit); a batch of deliveries is one ``inbox_ingest`` call.
- **Dedupe across processes.** ``INSERT … ON CONFLICT (agency_id, event_id) DO NOTHING``,
  the event row before the lead upsert: a second process inserting the same id waits on
  the unique index for the first to commit (or abort) and then knows.
- **Change log** (``postgres_changes``): numbered after commit by a sequencer, gapless and in
  visibility order within an agency; LISTEN/NOTIFY only wakes the streams.
- **Row-level security.** Sessions ``SET ROLE codaiq_inbox_app`` (a role that owns no
  table) and set ``codaiq.agency`` per transaction; the policies are a second guard
  behind every query's own ``agency_id =``. Token lookup is one SECURITY DEFINER function.
- **Search** (``postgres_search``): a stored ``tsvector`` with GIN, probed before the plan is chosen.
- **JSON merge** with ``inbox_json_patch`` (recursive, as SQLite's ``json_patch``).
- **Migrations** (``migrations.migrate_postgres``): under an advisory lock, one transaction each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any, TypeVar

import psycopg
from psycopg import sql
from psycopg_pool import AsyncConnectionPool

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
from .postgres_changes import ChangeListener, ChangeSequencer
from .postgres_rows import (
    EVENT_COLUMNS,
    LEAD_COLUMNS,
    MEMBER_COLUMNS,
    Connection,
    as_agency,
    event_from_row,
    lead_from_row,
    member_from_row,
)
from .postgres_search import lead_page
from .postgres_writes import WRITERS, WriteQueue, set_read_row, update_lead_row
from .storage import (
    InboxStorage,
    LeadNotFoundError,
    PreparedEvent,
    UnknownAgencyError,
    UnknownMemberError,
    check_edit,
    check_email,
    check_role,
    page_limit,
    stats_from_rows,
)
from .tokens import new_id, new_token, token_hash

T = TypeVar("T")

APP_ROLE = "codaiq_inbox_app"


class PostgresInbox(InboxStorage):
    """``InboxStorage`` on PostgreSQL. ``app_role=None`` (the admin commands) runs as the DSN's own user."""

    engine = "postgresql"

    def __init__(
        self,
        dsn: str,
        *,
        app_role: str | None = APP_ROLE,
        pool_size: int = 8,
        writers: int = WRITERS,
        listen: bool = True,
    ) -> None:
        self._dsn = dsn
        self._app_role = app_role
        self._pool_size = max(2, pool_size)
        self._listen = listen
        self._pool: AsyncConnectionPool | None = None
        self._changes = ChangeSequencer(dsn, lambda: self._pool)
        self._writes = WriteQueue(lambda: self._pool, self._changes.committed, writers)

    def __repr__(self) -> str:  # never the DSN: it may hold a password
        return "PostgresInbox()"

    def describe(self) -> str:
        info = psycopg.conninfo.conninfo_to_dict(self._dsn)
        return (
            f"PostgreSQL database {info.get('dbname', '?')} on {info.get('host', 'localhost')}:{info.get('port', 5432)}"
        )

    # -- lifecycle ---------------------------------------------------------------------
    async def open(self) -> None:
        await schema.migrate_postgres(self._dsn)
        self._pool = AsyncConnectionPool(
            self._dsn,
            min_size=2,
            max_size=self._pool_size,
            open=False,
            configure=self._configure,
            kwargs={"autocommit": True},
            name="codaiq-inbox",
        )
        await self._pool.open(wait=True, timeout=30)
        self._writes.start()
        if self._listen:
            self._changes.start()

    async def _configure(self, connection: Connection) -> None:
        if self._app_role:
            await connection.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(self._app_role)))

    async def close(self) -> None:
        await self._changes.close()
        await self._writes.close()
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def ready(self) -> tuple[bool, str]:
        try:
            row = await self._read(None, lambda c: c.execute("SELECT coalesce(max(version), 0) FROM schema_migrations"))
        except Exception as exc:
            return False, f"The database cannot be reached ({type(exc).__name__})."
        known = schema.latest_version("postgresql")
        if row is None or row[0] != known:
            return False, f"The schema is at version {row[0] if row else '?'}, this server needs {known}."
        return True, "ok"

    def add_change_listener(self, listener: ChangeListener) -> None:
        """``listener(agency_id, seq)`` on the loop whenever any process committed changes (via NOTIFY)."""
        self._changes.add_listener(listener)

    async def sequence_pending(self, agencies: set[str] | None = None) -> None:
        """Number the committed, unnumbered changes of ``agencies`` (``None``: of every agency) now."""
        await self._changes.sequence_pending(agencies)

    # -- plumbing ------------------------------------------------------------------------
    async def _read(
        self,
        agency_id: str | None,
        query: Callable[[Connection], Awaitable[psycopg.AsyncCursor[Any]]],
        many: bool = False,
    ) -> Any:
        if self._pool is None:
            raise RuntimeError("The inbox storage is not open.")
        async with self._pool.connection() as connection, connection.transaction():
            if agency_id is not None:
                await as_agency(connection, agency_id)
            cursor = await query(connection)
            return await (cursor.fetchall() if many else cursor.fetchone())

    async def _transaction(self, agency_id: str | None, body: Callable[[Connection], Awaitable[T]]) -> T:
        """A short transaction outside the batch writers (admin commands, reads that need several queries)."""
        if self._pool is None:
            raise RuntimeError("The inbox storage is not open.")
        async with self._pool.connection() as connection, connection.transaction():
            if agency_id is not None:
                await as_agency(connection, agency_id)
            return await body(connection)

    # -- tenancy -----------------------------------------------------------------------
    async def add_agency(self, name: str, webhook_secret: str) -> Agency:
        if not name.strip():
            raise ValueError("An agency needs a name.")
        if not webhook_secret:
            raise ValueError("An agency needs a webhook secret.")
        agency_id = new_id("agc")

        async def body(c: Connection) -> Agency:
            cursor = await c.execute(
                "INSERT INTO agencies (id, name) VALUES (%s, %s) RETURNING id, name, created_at",
                (agency_id, name.strip()),
            )
            row = await cursor.fetchone()
            await c.execute(
                "INSERT INTO webhook_secrets (agency_id, secret) VALUES (%s, %s)", (agency_id, webhook_secret)
            )
            assert row is not None
            return Agency(row[0], row[1], row[2])

        return await self._transaction(agency_id, body)

    async def get_agency(self, agency_id: str) -> Agency | None:
        row = await self._read(
            agency_id, lambda c: c.execute("SELECT id, name, created_at FROM agencies WHERE id = %s", (agency_id,))
        )
        return Agency(row[0], row[1], row[2]) if row else None

    async def webhook_secrets(self, agency_id: str) -> list[str]:
        rows = await self._read(
            agency_id,
            lambda c: c.execute(
                "SELECT secret FROM webhook_secrets WHERE agency_id = %s AND (expires_at IS NULL OR expires_at > now())"
                " ORDER BY id DESC",
                (agency_id,),
            ),
            many=True,
        )
        return [row[0] for row in rows]

    async def rotate_secret(self, agency_id: str, new_secret: str, grace_seconds: float) -> None:
        if not new_secret:
            raise ValueError("The new webhook secret is empty.")
        grace = timedelta(seconds=max(0.0, grace_seconds))

        async def body(c: Connection) -> None:
            cursor = await c.execute("SELECT 1 FROM agencies WHERE id = %s FOR UPDATE", (agency_id,))
            if await cursor.fetchone() is None:
                raise UnknownAgencyError(f"No agency {agency_id!r}.")
            await c.execute(
                "UPDATE webhook_secrets SET expires_at = now() + %s WHERE agency_id = %s"
                " AND (expires_at IS NULL OR expires_at > now() + %s)",
                (grace, agency_id, grace),
            )
            await c.execute("INSERT INTO webhook_secrets (agency_id, secret) VALUES (%s, %s)", (agency_id, new_secret))

        await self._transaction(agency_id, body)

    async def add_member(self, agency_id: str, email: str, role: str) -> tuple[Member, str]:
        email = check_email(email)
        check_role(role)
        token = new_token()
        member_id = new_id("mem")

        async def body(c: Connection) -> Member:
            cursor = await c.execute("SELECT 1 FROM agencies WHERE id = %s", (agency_id,))
            if await cursor.fetchone() is None:
                raise UnknownAgencyError(f"No agency {agency_id!r}.")
            cursor = await c.execute(
                f"INSERT INTO members (id, agency_id, email, role, token_hash) VALUES (%s, %s, %s, %s, %s)"
                f" RETURNING {MEMBER_COLUMNS}",
                (member_id, agency_id, email, role, token_hash(token)),
            )
            row = await cursor.fetchone()
            assert row is not None
            return member_from_row(row)

        return await self._transaction(agency_id, body), token

    async def revoke_member(self, agency_id: str, member: str) -> Member:
        async def body(c: Connection) -> Member:
            cursor = await c.execute(
                f"UPDATE members SET revoked_at = coalesce(revoked_at, now()) WHERE agency_id = %s"
                f" AND (id = %s OR lower(email) = lower(%s)) RETURNING {MEMBER_COLUMNS}",
                (agency_id, member, member),
            )
            row = await cursor.fetchone()
            if row is None:
                raise UnknownMemberError(f"No member {member!r} in agency {agency_id!r}.")
            return member_from_row(row)

        return await self._transaction(agency_id, body)

    async def list_members(self, agency_id: str) -> list[Member]:
        rows = await self._read(
            agency_id,
            lambda c: c.execute(
                f"SELECT {MEMBER_COLUMNS} FROM members WHERE agency_id = %s ORDER BY created_at, id", (agency_id,)
            ),
            many=True,
        )
        return [member_from_row(row) for row in rows]

    async def authenticate(self, token: str) -> Member | None:
        digest = token_hash(token)
        row = await self._read(None, lambda c: c.execute("SELECT * FROM inbox_member_for_token(%s)", (digest,)))
        return member_from_row(row) if row else None

    # -- events and leads ----------------------------------------------------------------
    async def ingest(self, event: PreparedEvent) -> IngestOutcome:
        outcome: IngestOutcome = await self._writes.submit(None, event)
        return outcome

    async def list_leads(self, agency_id: str, query: LeadQuery) -> LeadPage:
        return await self._transaction(agency_id, lambda c: lead_page(c, agency_id, query))

    async def count_leads(self, agency_id: str, query: LeadQuery) -> int:
        page = await self.list_leads(agency_id, dataclasses.replace(query, limit=1))
        return page.total

    async def get_lead(self, agency_id: str, lead_id: int) -> InboxLead | None:
        row = await self._read(
            agency_id,
            lambda c: c.execute(
                f"SELECT {LEAD_COLUMNS} FROM leads WHERE agency_id = %s AND id = %s", (agency_id, lead_id)
            ),
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
        lead: InboxLead = await self._writes.submit(
            lambda c, pending: update_lead_row(c, pending, agency_id, lead_id, member_id, expected_version, checked)
        )
        return lead

    async def lead_history(self, agency_id: str, lead_id: int) -> list[HistoryEntry]:
        async def body(c: Connection) -> list[HistoryEntry]:
            cursor = await c.execute("SELECT 1 FROM leads WHERE agency_id = %s AND id = %s", (agency_id, lead_id))
            if await cursor.fetchone() is None:
                raise LeadNotFoundError(f"No lead {lead_id}.")
            cursor = await c.execute(
                "SELECT version, member_id, at, changes FROM lead_history WHERE agency_id = %s AND lead_id = %s"
                " ORDER BY version",
                (agency_id, lead_id),
            )
            return [HistoryEntry(row[0], row[1], row[2], row[3]) for row in await cursor.fetchall()]

        return await self._transaction(agency_id, body)

    async def lead_events(self, agency_id: str, lead_id: int, limit: int = 100) -> list[InboxEvent]:
        async def body(c: Connection) -> list[InboxEvent]:
            cursor = await c.execute("SELECT 1 FROM leads WHERE agency_id = %s AND id = %s", (agency_id, lead_id))
            if await cursor.fetchone() is None:
                raise LeadNotFoundError(f"No lead {lead_id}.")
            cursor = await c.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE agency_id = %s AND lead_id = %s ORDER BY id LIMIT %s",
                (agency_id, lead_id, max(1, min(limit, 500))),
            )
            return [event_from_row(row) for row in await cursor.fetchall()]

        return await self._transaction(agency_id, body)

    async def read_marks(self, agency_id: str, member_id: str, lead_ids: list[int]) -> set[int]:
        if not lead_ids:
            return set()
        rows = await self._read(
            agency_id,
            lambda c: c.execute(
                "SELECT lead_id FROM lead_reads WHERE agency_id = %s AND member_id = %s AND lead_id = ANY(%s)",
                (agency_id, member_id, sorted(set(lead_ids))),
            ),
            many=True,
        )
        return {int(row[0]) for row in rows}

    async def set_read(self, agency_id: str, lead_id: int, member_id: str, read: bool) -> InboxLead:
        lead: InboxLead = await self._writes.submit(
            lambda c, pending: set_read_row(c, pending, agency_id, lead_id, member_id, read)
        )
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
        parts = ["agency_id = %s"]
        parameters: list[Any] = [agency_id]
        for column, value in (("type", type), ("website_id", website_id)):
            if value is not None:
                parts.append(f"{column} = %s")
                parameters.append(value)
        if before_id is not None:
            parts.append("id < %s")
            parameters.append(before_id)
        rows = await self._read(
            agency_id,
            lambda c: c.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE {' AND '.join(parts)} ORDER BY id DESC LIMIT %s",
                [*parameters, limit + 1],
            ),
            many=True,
        )
        events = [event_from_row(row) for row in rows[:limit]]
        return EventPage(events, events[-1].id if len(rows) > limit else None)

    async def stats(self, agency_id: str) -> dict[str, Any]:
        rows = await self._read(
            agency_id,
            lambda c: c.execute(
                "SELECT website_id, status, count(*) FROM leads WHERE agency_id = %s GROUP BY website_id, status",
                (agency_id,),
            ),
            many=True,
        )
        return stats_from_rows(rows)

    async def changes_since(self, agency_id: str, seq: int, limit: int = 500) -> list[Change]:
        rows = await self._read(
            agency_id,
            lambda c: c.execute(
                "SELECT seq, kind, lead_id, fields, member_id, at, lead FROM changes"
                " WHERE agency_id = %s AND seq > %s ORDER BY seq LIMIT %s",
                (agency_id, seq, max(1, min(limit, 5000))),
            ),
            many=True,
        )
        return [Change(row[0], row[1], row[2], list(row[3]), row[4], row[5], row[6]) for row in rows]

    async def head_seq(self, agency_id: str) -> int:
        row = await self._read(
            agency_id, lambda c: c.execute("SELECT change_seq FROM agencies WHERE id = %s", (agency_id,))
        )
        return int(row[0]) if row else 0
