"""The PostgreSQL engine: several ``serve`` processes on one database behave as one.

psycopg 3 (async) with a connection pool; no ORM. What differs from SQLite, and how:

- **Writers.** Each process runs a few writer tasks, each with its own connection, that
  take every delivery queued meanwhile into one transaction (group commit: one WAL flush
  for the batch). If a batch fails (a deadlock, a bad row), each job runs again alone.
- **Dedupe across processes.** ``INSERT … ON CONFLICT (agency_id, event_id) DO NOTHING
  RETURNING id``, the event row before the lead upsert: a second process inserting the
  same id waits on the unique index for the first to commit (or abort) and then knows.
- **Change log.** A batch writes its change rows unnumbered and commits (the delivery is
  answered then); a sequencer then numbers every committed, unnumbered row of the agency in
  one short transaction under the agency row's lock (``inbox_sequence_changes``), so within
  an agency the numbers are gapless and in the order they became visible: "every change
  after N" never skips one that committed late. Numbering outside the data transaction keeps
  the lock (and its fsync) off every delivery's path. One NOTIFY per numbering transaction
  (payload ``agency:seq``) only wakes the streams; the table is replayed. A process killed
  between commit and numbering leaves rows that any process's sequencer numbers within 1 s.
- **Row-level security.** Sessions ``SET ROLE codaiq_inbox_app`` (a role that owns no
  table) and set ``codaiq.agency`` per transaction; the policies are a second guard
  behind every query's own ``agency_id =``. Token lookup is one SECURITY DEFINER function.
- **Search.** A stored ``tsvector`` (``simple`` config, accents folded) with GIN. A rare
  prefix can make the planner walk the id index through a million rows, so a capped
  count is probed first with bitmap scans only; when it is small, the page is read
  from the GIN matches (a materialised CTE) instead of walking the index.
- **JSON merge** with ``inbox_json_patch`` (recursive, as SQLite's ``json_patch``).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import psycopg
from psycopg import sql
from psycopg_pool import AsyncConnectionPool

from codaiq_desktop.store.timestamps import utc_now

from . import migrations as schema
from .models import (
    COUNT_CAP,
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
from .sqlite_storage import stats_from_rows
from .storage import (
    InboxStorage,
    InvalidEditError,
    LeadNotFoundError,
    PreparedEvent,
    SchemaTooNewError,
    UnknownAgencyError,
    UnknownMemberError,
    VersionConflictError,
    check_edit,
    check_email,
    check_role,
    compact_json,
    page_limit,
    search_words,
)
from .tokens import new_id, new_token, token_hash

_log = logging.getLogger(__name__)

T = TypeVar("T")
ChangeListener = Callable[[str, int], None]
Connection = psycopg.AsyncConnection[Any]

APP_ROLE = "codaiq_inbox_app"
CHANNEL = "codaiq_inbox"
MAX_BATCH = 256
WRITERS = 2
SEQUENCE_GAP = 0.01
"""Seconds the sequencer rests after numbering: a few ms more to a stream, far fewer transactions under load."""

LEAD_COLUMNS = (
    "id, agency_id, lead_id, website_id, project_id, name, email, phone, message, data, captured_at, "
    "received_at, status, notes, assignee, is_read, version, updated_at, updated_by, event_count"
)
EVENT_COLUMNS = "id, event_id, type, website_id, project_id, occurred_at, received_at, lead_id, raw_body"
MEMBER_COLUMNS = "id, agency_id, email, role, created_at, revoked_at"
_RETRYABLE = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)


def _lead(row: tuple[Any, ...]) -> InboxLead:
    return InboxLead(
        id=row[0], agency_id=row[1], lead_id=row[2], website_id=row[3], project_id=row[4], name=row[5],
        email=row[6], phone=row[7], message=row[8], data=row[9] if isinstance(row[9], dict) else {},
        captured_at=row[10], received_at=row[11], status=row[12], notes=row[13], assignee=row[14],
        read=bool(row[15]), version=row[16], updated_at=row[17], updated_by=row[18], event_count=row[19],
    )


def _event(row: tuple[Any, ...]) -> InboxEvent:
    import json

    try:
        payload = json.loads(bytes(row[8]))
    except ValueError:
        payload = {}
    return InboxEvent(
        id=row[0], event_id=row[1], type=row[2], website_id=row[3], project_id=row[4], occurred_at=row[5],
        received_at=row[6], lead_id=row[7], payload=payload if isinstance(payload, dict) else {},
    )


def _member(row: tuple[Any, ...]) -> Member:
    return Member(id=row[0], agency_id=row[1], email=row[2], role=row[3], created_at=row[4],
                  revoked_at=row[5] if len(row) > 5 else None)


@dataclass(slots=True)
class _PendingChange:
    """A change a job made, waiting for its sequence number at the end of the batch."""

    lead: InboxLead
    kind: str
    fields: list[str]
    member_id: str | None
    at: datetime


@dataclass(slots=True)
class _Job:
    """One queued write: a delivery to ingest (``event``) or any other change (``run``)."""

    run: Callable[[Connection, list[_PendingChange]], Awaitable[Any]] | None
    future: asyncio.Future[Any]
    event: PreparedEvent | None = None


async def _as_agency(connection: Connection, agency_id: str) -> None:
    """Row-level security: this transaction acts for ``agency_id`` only."""
    await connection.execute("SELECT set_config('codaiq.agency', %s, true)", (agency_id,))


RARE_MATCHES = 1000
"""A search matching at most this many leads is read through the GIN index; more, by walking the id index."""


def _lead_where(agency_id: str, query: LeadQuery) -> tuple[str, list[Any], bool]:
    """The WHERE clause of a lead query, its parameters (the words' tsquery text last), and whether it searches."""
    parts = ["agency_id = %s"]
    parameters: list[Any] = [agency_id]
    assignee = None if query.unassigned else query.assignee
    for column, value in (("status", query.status), ("website_id", query.website_id), ("assignee", assignee)):
        if value is not None:
            parts.append(f"{column} = %s")
            parameters.append(value)
    if query.unassigned:
        parts.append("assignee IS NULL")
    if query.unread is not None and query.reader is not None:
        negation = "NOT " if query.unread else ""
        parts.append(f"{negation}EXISTS (SELECT 1 FROM lead_reads AS r WHERE r.agency_id = leads.agency_id"
                     " AND r.member_id = %s AND r.lead_id = leads.id)")
        parameters.append(query.reader)
    elif query.unread is True:
        parts.append("NOT is_read")
    elif query.unread is False:
        parts.append("is_read")
    words = search_words(query.text)
    if words:
        parts.append("search @@ to_tsquery('simple', inbox_unaccent(%s))")
        parameters.append(" & ".join(f"{word}:*" for word in words))
    return " AND ".join(parts), parameters, bool(words)


class PostgresInbox(InboxStorage):
    """``InboxStorage`` on PostgreSQL. ``app_role=None`` (the admin commands) runs as the DSN's own user."""

    engine = "postgresql"

    def __init__(self, dsn: str, *, app_role: str | None = APP_ROLE, pool_size: int = 8, writers: int = WRITERS,
                 listen: bool = True) -> None:
        self._dsn = dsn
        self._app_role = app_role
        self._pool_size = max(2, pool_size)
        self._writer_count = max(1, writers)
        self._listen = listen
        self._pool: AsyncConnectionPool | None = None
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._listeners: list[ChangeListener] = []
        self._to_sequence: set[str] = set()
        self._sequence_wakeup = asyncio.Event()

    def __repr__(self) -> str:  # never the DSN: it may hold a password
        return "PostgresInbox()"

    def describe(self) -> str:
        info = psycopg.conninfo.conninfo_to_dict(self._dsn)
        return f"PostgreSQL database {info.get('dbname', '?')} on {info.get('host', 'localhost')}:{info.get('port', 5432)}"

    # -- lifecycle ---------------------------------------------------------------------
    async def open(self) -> None:
        await self._migrate()
        self._pool = AsyncConnectionPool(
            self._dsn, min_size=2, max_size=self._pool_size, open=False, configure=self._configure,
            kwargs={"autocommit": True}, name="codaiq-inbox",
        )
        await self._pool.open(wait=True, timeout=30)
        for number in range(self._writer_count):
            self._keep(asyncio.create_task(self._writer(), name=f"inbox-writer-{number}"))
        if self._listen:
            self._keep(asyncio.create_task(self._listen_loop(), name="inbox-listener"))
            self._keep(asyncio.create_task(self._sequencer(), name="inbox-sequencer"))

    def _keep(self, task: asyncio.Task[None]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _configure(self, connection: Connection) -> None:
        if self._app_role:
            await connection.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(self._app_role)))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        while not self._queue.empty():
            job = self._queue.get_nowait()
            if not job.future.done():
                job.future.set_exception(RuntimeError("The inbox storage closed before this write ran."))
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def _migrate(self) -> None:
        known = schema.migrations("postgresql")
        async with await psycopg.AsyncConnection.connect(self._dsn, autocommit=True) as connection:
            await connection.execute("SELECT pg_advisory_lock(%s)", (schema.ADVISORY_LOCK_KEY,))
            try:
                await connection.execute(schema.VERSION_TABLE_SQL)
                cursor = await connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
                (found,) = await cursor.fetchone()  # type: ignore[misc]
                if found > len(known):
                    raise SchemaTooNewError(schema.too_new_message(found, len(known)))
                for migration in known[found:]:
                    async with connection.transaction():
                        await connection.execute(migration.sql.encode())
                        await connection.execute(
                            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                            (migration.version, migration.name, utc_now().isoformat()),
                        )
            finally:
                await connection.execute("SELECT pg_advisory_unlock(%s)", (schema.ADVISORY_LOCK_KEY,))

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
        self._listeners.append(listener)

    async def _listen_loop(self) -> None:
        delay = 0.2
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self._dsn, autocommit=True) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    delay = 0.2
                    async for notice in connection.notifies():
                        for part in notice.payload.split(","):
                            agency_id, _, seq = part.rpartition(":")
                            if agency_id and seq.isdigit():
                                for listener in list(self._listeners):
                                    listener(agency_id, int(seq))
            except asyncio.CancelledError:
                raise
            except Exception:
                _log.warning("Lost the database's change notifications; reconnecting (streams poll meanwhile).")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    # -- plumbing ------------------------------------------------------------------------
    async def _read(self, agency_id: str | None, query: Callable[[Connection], Awaitable[psycopg.AsyncCursor[Any]]],
                    many: bool = False) -> Any:
        if self._pool is None:
            raise RuntimeError("The inbox storage is not open.")
        async with self._pool.connection() as connection, connection.transaction():
            if agency_id is not None:
                await _as_agency(connection, agency_id)
            cursor = await query(connection)
            return await (cursor.fetchall() if many else cursor.fetchone())

    async def _transaction(self, agency_id: str | None, body: Callable[[Connection], Awaitable[T]]) -> T:
        """A short transaction outside the batch writers (admin commands, reads that need several queries)."""
        if self._pool is None:
            raise RuntimeError("The inbox storage is not open.")
        async with self._pool.connection() as connection, connection.transaction():
            if agency_id is not None:
                await _as_agency(connection, agency_id)
            return await body(connection)

    async def _write(self, run: Callable[[Connection, list[_PendingChange]], Awaitable[T]] | None,
                     event: PreparedEvent | None = None) -> T:
        if self._pool is None:
            raise RuntimeError("The inbox storage is not open.")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(run, future, event))
        return await future

    async def _writer(self) -> None:
        assert self._pool is not None
        while True:
            batch = [await self._queue.get()]
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            batch = [job for job in batch if not job.future.done()]
            # Deliveries and other writes commit apart: a failing edit never makes a stored
            # delivery run again (it would then be answered as a duplicate).
            for group in ([job for job in batch if job.event is not None], [job for job in batch if job.event is None]):
                if group:
                    await self._settle(group)

    async def _settle(self, batch: list[_Job]) -> None:
        """Run ``batch`` in one transaction (or, if that fails, each job alone) and answer its waiters."""
        assert self._pool is not None
        try:
            async with self._pool.connection() as connection:
                try:
                    results = await self._run_batch(connection, batch)
                except Exception as exc:
                    _log.debug("A write batch of %d failed (%s); running its jobs one by one", len(batch),
                               type(exc).__name__, exc_info=exc)
                    if len(batch) == 1:
                        results = [exc]
                        if isinstance(exc, _RETRYABLE):
                            results = [await self._run_alone(connection, batch[0])]
                    else:
                        results = [await self._run_alone(connection, job) for job in batch]
        except Exception as exc:  # no connection at all: every waiter hears it
            results = [exc] * len(batch)
        for job, result in zip(batch, results, strict=True):
            if job.future.done():
                continue
            if isinstance(result, BaseException):
                job.future.set_exception(result)
            else:
                job.future.set_result(result)

    async def _run_alone(self, connection: Connection, job: _Job) -> Any:
        for attempt in range(4):
            try:
                (result,) = await self._run_batch(connection, [job])
                return result
            except _RETRYABLE as exc:
                if attempt == 3:
                    return exc
                await asyncio.sleep(0.01 * (attempt + 1))
            except Exception as exc:
                return exc
        return RuntimeError("unreachable")

    async def _run_batch(self, connection: Connection, batch: list[_Job]) -> list[Any]:
        """Deliveries only: one statement per agency (one transaction if several). Other jobs: every one in
        one transaction, then the batch's change-log rows. Either way the sequencer is woken after COMMIT."""
        events = [job.event for job in batch if job.event is not None]
        if events:
            if len(events) != len(batch):
                raise ValueError("A write batch mixes deliveries and other writes.")
            if len({event.agency_id for event in events}) == 1:  # autocommit: one round trip in all
                outcomes, touched = await _ingest_batch(connection, events)
            else:
                async with connection.transaction():
                    outcomes, touched = await _ingest_batch(connection, events)
            results = list(outcomes)
        else:
            pending: list[_PendingChange] = []
            results = []
            # Pipeline mode: statements whose results are not read (set_config, the change rows,
            # COMMIT) travel with the next one that is, so a batch costs a few round trips.
            async with connection.pipeline(), connection.transaction():
                for job in batch:
                    assert job.run is not None
                    results.append(await job.run(connection, pending))
                touched = await self._log_changes(connection, pending) if pending else set()
        if touched:  # committed: the sequencer may number them now
            self._to_sequence |= touched
            self._sequence_wakeup.set()
        return results

    async def _log_changes(self, connection: Connection, pending: list[_PendingChange]) -> set[str]:
        """The batch's change rows, unnumbered: the sequencer numbers them once this commits."""
        by_agency: dict[str, list[_PendingChange]] = {}
        for change in pending:
            by_agency.setdefault(change.lead.agency_id, []).append(change)
        for agency_id in sorted(by_agency):
            changes = by_agency[agency_id]
            await _as_agency(connection, agency_id)
            await connection.execute(
                "INSERT INTO changes (agency_id, kind, lead_id, fields, member_id, at, lead)"
                " SELECT %s, v.kind, v.lead_id, v.fields::jsonb, v.member_id, v.at, v.lead::jsonb"
                " FROM unnest(%b::text[], %b::bigint[], %b::text[], %b::text[], %b::timestamptz[], %b::text[])"
                " AS v(kind, lead_id, fields, member_id, at, lead)",
                (
                    agency_id,
                    [change.kind for change in changes],
                    [change.lead.id for change in changes],
                    [compact_json(change.fields) for change in changes],
                    [change.member_id for change in changes],
                    [change.at for change in changes],
                    [compact_json(change.lead.to_json()) for change in changes],
                ),
            )
        return set(by_agency)

    async def _sequencer(self) -> None:
        """Number committed changes: soon after a local write, and every second for any left over
        (a process killed between its commit and its numbering leaves rows another one numbers).

        After a run it rests ``SEQUENCE_GAP`` seconds, so under load one numbering transaction
        (one lock, one fsync, one NOTIFY) serves every batch that committed meanwhile.
        """
        while True:
            try:
                await asyncio.wait_for(self._sequence_wakeup.wait(), 1.0)
            except TimeoutError:
                pass
            self._sequence_wakeup.clear()
            agencies, self._to_sequence = self._to_sequence, set()
            try:
                await self.sequence_pending(agencies or None)
            except asyncio.CancelledError:
                raise
            except Exception:
                _log.warning("Numbering committed changes failed; retrying.", exc_info=True)
                self._to_sequence |= agencies
                await asyncio.sleep(0.5)
            else:
                await asyncio.sleep(SEQUENCE_GAP)

    async def sequence_pending(self, agencies: set[str] | None = None) -> None:
        """Number the committed, unnumbered changes of ``agencies`` (``None``: of every agency) now.

        One transaction: a ``pg_notify`` per agency with news wakes every process's streams.
        """
        if self._pool is None:
            raise RuntimeError("The inbox storage is not open.")
        async with self._pool.connection() as connection:
            if agencies is None:
                cursor = await connection.execute("SELECT inbox_unsequenced_agencies()")
                agencies = {row[0] for row in await cursor.fetchall()}
            if agencies:
                await connection.execute(
                    "SELECT inbox_sequence_changes(a) FROM unnest(%s::text[]) AS a", (sorted(agencies),)
                )

    # -- tenancy -----------------------------------------------------------------------
    async def add_agency(self, name: str, webhook_secret: str) -> Agency:
        if not name.strip():
            raise ValueError("An agency needs a name.")
        if not webhook_secret:
            raise ValueError("An agency needs a webhook secret.")
        agency_id = new_id("agc")

        async def body(c: Connection) -> Agency:
            cursor = await c.execute(
                "INSERT INTO agencies (id, name) VALUES (%s, %s) RETURNING id, name, created_at", (agency_id, name.strip())
            )
            row = await cursor.fetchone()
            await c.execute("INSERT INTO webhook_secrets (agency_id, secret) VALUES (%s, %s)", (agency_id, webhook_secret))
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
            return _member(row)

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
            return _member(row)

        return await self._transaction(agency_id, body)

    async def list_members(self, agency_id: str) -> list[Member]:
        rows = await self._read(
            agency_id,
            lambda c: c.execute(
                f"SELECT {MEMBER_COLUMNS} FROM members WHERE agency_id = %s ORDER BY created_at, id", (agency_id,)
            ),
            many=True,
        )
        return [_member(row) for row in rows]

    async def authenticate(self, token: str) -> Member | None:
        digest = token_hash(token)
        row = await self._read(None, lambda c: c.execute("SELECT * FROM inbox_member_for_token(%s)", (digest,)))
        return _member(row) if row else None

    # -- events and leads ----------------------------------------------------------------
    async def ingest(self, event: PreparedEvent) -> IngestOutcome:
        return await self._write(None, event)

    async def list_leads(self, agency_id: str, query: LeadQuery) -> LeadPage:
        limit = page_limit(query.limit)

        async def body(c: Connection) -> LeadPage:
            where, parameters, searching = _lead_where(agency_id, query)
            after: tuple[str, list[Any]] = ("", [])
            if query.before_id is not None:
                after = (" AND id < %s", [query.before_id])
            rare: int | None = None
            # The search function knows the lead-wide filters only; per-member read marks and
            # "assigned to nobody" go through the plain query (its WHERE has the words too).
            fast_search = searching and not query.unassigned and (query.reader is None or query.unread is None)
            if fast_search:
                # The GIN index, through inbox_search_ids (row-level security would keep the planner
                # from using it): the capped count, and for a rare word (or prefix) its few matches.
                words = parameters[-1]
                unread = None if query.unread is None else not query.unread
                search = (agency_id, words, query.status, query.website_id, query.assignee, unread)
                cursor = await c.execute(
                    "SELECT m FROM inbox_search_ids(%s, %s, %s, %s, %s, %s, %s) AS m", [*search, COUNT_CAP + 1], prepare=False
                )
                matches = [row[0] for row in await cursor.fetchall()]
                found = len(matches)
                if found <= RARE_MATCHES:
                    rare = found
                    skip = max(0, query.offset)
                    wanted = sorted((m for m in matches if query.before_id is None or m < query.before_id),
                                    reverse=True)[skip: skip + limit + 1]
                    cursor = await c.execute(
                        f"SELECT {LEAD_COLUMNS} FROM leads WHERE agency_id = %s AND id = ANY(%s) ORDER BY id DESC",
                        [agency_id, wanted], prepare=False,
                    )
                    rows = await cursor.fetchall()
                else:
                    total_found = int(found)
            if rare is None:
                if fast_search:
                    total = total_found
                else:
                    cursor = await c.execute(
                        f"SELECT count(*) FROM (SELECT 1 FROM leads WHERE {where} LIMIT {COUNT_CAP + 1}) AS capped",
                        parameters,
                    )
                    (total,) = await cursor.fetchone()  # type: ignore[misc]
                cursor = await c.execute(
                    f"SELECT {LEAD_COLUMNS} FROM leads WHERE {where}{after[0]} ORDER BY id DESC LIMIT %s OFFSET %s",
                    [*parameters, *after[1], limit + 1, max(0, query.offset)], prepare=not searching,
                )
                rows = await cursor.fetchall()
            else:
                total = min(rare, COUNT_CAP + 1)
            leads = [_lead(row) for row in rows[:limit]]
            return LeadPage(leads, leads[-1].id if len(rows) > limit else None, int(total))

        return await self._transaction(agency_id, body)

    async def count_leads(self, agency_id: str, query: LeadQuery) -> int:
        page = await self.list_leads(agency_id, LeadQuery(**{**_fields(query), "limit": 1}))
        return page.total

    async def get_lead(self, agency_id: str, lead_id: int) -> InboxLead | None:
        row = await self._read(
            agency_id,
            lambda c: c.execute(f"SELECT {LEAD_COLUMNS} FROM leads WHERE agency_id = %s AND id = %s", (agency_id, lead_id)),
        )
        return _lead(row) if row else None

    async def update_lead(
        self, agency_id: str, lead_id: int, member_id: str | None, expected_version: int | None,
        changes: Mapping[str, Any],
    ) -> InboxLead:
        checked = check_edit(changes)
        return await self._write(
            lambda c, pending: _update(c, pending, agency_id, lead_id, member_id, expected_version, checked)
        )

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
        return await self._write(lambda c, pending: _set_read(c, pending, agency_id, lead_id, member_id, read))

    async def list_events(
        self, agency_id: str, type: str | None = None, website_id: str | None = None,
        limit: int = 50, before_id: int | None = None,
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
        events = [_event(row) for row in rows[:limit]]
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


def _fields(query: LeadQuery) -> dict[str, Any]:
    return {name: getattr(query, name) for name in LeadQuery.__dataclass_fields__}


async def _ingest_batch(c: Connection, events: list[PreparedEvent]) -> tuple[list[IngestOutcome], set[str]]:
    """Store a batch of deliveries: one ``inbox_ingest`` call per agency, each with the batch as one JSON document.

    The function (migration 0006) inserts the events first and feeds only the new ones to their
    leads, so a redelivery is recognised whichever process stores it. Returns each delivery's
    outcome, in order, and the agencies whose change log grew (their sequencer has work).
    """
    outcomes: list[IngestOutcome | None] = [None] * len(events)
    by_agency: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        by_agency.setdefault(event.agency_id, []).append(index)
    touched: set[str] = set()
    for agency_id in sorted(by_agency):
        document: list[dict[str, Any]] = []
        seen: set[str] = set()
        rounds: dict[str, int] = {}
        for index in by_agency[agency_id]:
            event = events[index]
            payload = event.payload
            if payload.event_id in seen:  # the same delivery twice in one batch
                outcomes[index] = IngestOutcome(payload.event_id, True)
                continue
            seen.add(payload.event_id)
            item: dict[str, Any] = {
                "delivery": index, "event_id": payload.event_id, "type": payload.event_type,
                "website_id": payload.website_id, "project_id": payload.project_id,
                "occurred_at": payload.occurred_at, "body_sha256": payload.body_sha256,
                "raw_body": base64.b64encode(event.raw_body).decode("ascii"), "headers": event.headers_json,
            }
            lead = event.lead
            if lead is not None:
                rounds[lead.lead_key] = rounds.get(lead.lead_key, 0) + 1
                item.update(
                    round=rounds[lead.lead_key], lead_key=lead.lead_key, lead_id=lead.lead_id, name=lead.name,
                    email=lead.email, phone=lead.phone, message=lead.message, data=lead.data_json,
                    captured_at=lead.captured_at,
                )
            document.append(item)
        cursor = await c.execute(
            "SELECT delivery, stored_id FROM inbox_ingest(%s, %s::json, %s)",
            (agency_id, json.dumps(document, ensure_ascii=False, separators=(",", ":")), max(rounds.values(), default=0)),
            prepare=True,
        )
        for delivery, stored_id in await cursor.fetchall():
            event = events[delivery]
            outcomes[delivery] = IngestOutcome(event.payload.event_id, False, int(stored_id))
            if event.lead is not None:
                touched.add(agency_id)
        for index in by_agency[agency_id]:
            if outcomes[index] is None:  # not inserted: stored before, by this process or another
                outcomes[index] = IngestOutcome(events[index].payload.event_id, True)
    return [outcome for outcome in outcomes if outcome is not None], touched


_COLUMN_OF = {"status": "status", "notes": "notes", "assignee": "assignee", "read": "is_read"}


async def _update(
    c: Connection, pending: list[_PendingChange], agency_id: str, lead_id: int, member_id: str | None,
    expected: int | None, checked: dict[str, Any],
) -> InboxLead:
    await _as_agency(c, agency_id)
    cursor = await c.execute(
        f"SELECT {LEAD_COLUMNS} FROM leads WHERE agency_id = %s AND id = %s FOR UPDATE", (agency_id, lead_id)
    )
    row = await cursor.fetchone()
    if row is None:
        raise LeadNotFoundError(f"No lead {lead_id}.")
    current = _lead(row)
    if expected is not None and current.version != expected:
        raise VersionConflictError(current)
    assignee = checked.get("assignee")
    if assignee is not None:
        cursor = await c.execute(
            "SELECT 1 FROM members WHERE agency_id = %s AND id = %s AND revoked_at IS NULL", (agency_id, assignee)
        )
        if await cursor.fetchone() is None:
            raise InvalidEditError("Assignee must be an active member id of this agency, or null.")
    before = current.to_json()
    diff = {field: [before[field], value] for field, value in checked.items() if before[field] != value}
    if not diff:
        return current
    assignments = ", ".join(f"{_COLUMN_OF[field]} = %s" for field in diff)
    cursor = await c.execute(
        f"UPDATE leads SET {assignments}, version = version + 1, updated_at = now(), updated_by = %s"
        f" WHERE id = %s RETURNING {LEAD_COLUMNS}",
        (*(value[1] for value in diff.values()), member_id, lead_id),
    )
    updated_row = await cursor.fetchone()
    assert updated_row is not None
    updated = _lead(updated_row)
    await c.execute(
        "INSERT INTO lead_history (agency_id, lead_id, version, member_id, at, changes) VALUES (%s, %s, %s, %s, %s, %s::jsonb)",
        (agency_id, lead_id, updated.version, member_id, updated.updated_at, compact_json(diff)),
    )
    pending.append(_PendingChange(updated, "lead.updated", sorted(diff), member_id, updated.updated_at or utc_now()))
    return updated


async def _set_read(
    c: Connection, pending: list[_PendingChange], agency_id: str, lead_id: int, member_id: str, read: bool
) -> InboxLead:
    await _as_agency(c, agency_id)
    cursor = await c.execute(f"SELECT {LEAD_COLUMNS} FROM leads WHERE agency_id = %s AND id = %s", (agency_id, lead_id))
    row = await cursor.fetchone()
    if row is None:
        raise LeadNotFoundError(f"No lead {lead_id}.")
    if read:
        cursor = await c.execute(
            "INSERT INTO lead_reads (agency_id, member_id, lead_id) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
            " RETURNING at",
            (agency_id, member_id, lead_id),
        )
    else:
        cursor = await c.execute(
            "DELETE FROM lead_reads WHERE agency_id = %s AND member_id = %s AND lead_id = %s RETURNING at",
            (agency_id, member_id, lead_id),
        )
    changed = await cursor.fetchone()
    lead = dataclasses.replace(_lead(row), read=read)
    if changed is not None:
        pending.append(_PendingChange(lead, "lead.read", ["read"], member_id, utc_now()))
    return lead
