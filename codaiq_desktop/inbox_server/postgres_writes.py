"""The PostgreSQL engine's write path: every write is queued and committed in batches (group commit).

A few writer tasks per process, each with its own connection, take every job queued
meanwhile into one transaction: one WAL flush for the batch. Deliveries go as one
``inbox_ingest`` call per agency (the batch as two JSON documents, events and lead fields,
and the raw bodies: events, leads and change rows in one round trip); other writes (a member's edit, a read mark) run their
statements in one pipelined transaction, then their unnumbered change rows. If a batch
fails (a deadlock, a bad row), each job runs again alone, a deadlock retried. After each
commit ``committed(agencies)`` tells the change-log sequencer there is work.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import psycopg
from psycopg_pool import AsyncConnectionPool

from .tasks import stop_tasks

from codaiq_desktop.store.timestamps import utc_now

from .models import InboxLead, IngestOutcome
from .postgres_rows import LEAD_COLUMNS, Connection, as_agency, lead_from_row
from .storage import InvalidEditError, LeadNotFoundError, PreparedEvent, VersionConflictError, compact_json

_log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_BATCH = 256
WRITERS = 2
_RETRYABLE = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)


@dataclass(slots=True)
class PendingChange:
    """A change a job made, waiting for its change-log row at the end of the batch."""

    lead: InboxLead
    kind: str
    fields: list[str]
    member_id: str | None
    at: datetime


WriteRun = Callable[[Connection, list[PendingChange]], Awaitable[Any]]
"""A write other than a delivery: its statements, given the batch's connection and its pending changes."""


@dataclass(slots=True)
class _Job:
    """One queued write: a delivery to ingest (``event``) or any other change (``run``)."""

    run: WriteRun | None
    future: asyncio.Future[Any]
    event: PreparedEvent | None = None


class WriteQueue:
    """The queue and its writer tasks: ``await submit(...)`` returns once the write is committed."""

    def __init__(
        self,
        pool: Callable[[], AsyncConnectionPool | None],
        committed: Callable[[set[str]], None],
        writers: int = WRITERS,
    ) -> None:
        self._pool = pool
        self._committed = committed
        self._writer_count = max(1, writers)
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False

    def start(self) -> None:
        self._closing = False  # an engine closed and opened again runs again
        for number in range(self._writer_count):
            task = asyncio.create_task(self._writer(), name=f"inbox-writer-{number}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        self._closing = True
        await stop_tasks(self._tasks)
        while not self._queue.empty():
            job = self._queue.get_nowait()
            if not job.future.done():
                job.future.set_exception(RuntimeError("The inbox storage closed before this write ran."))

    def _connection_pool(self) -> AsyncConnectionPool:
        pool = self._pool()
        if pool is None:
            raise RuntimeError("The inbox storage is not open.")
        return pool

    async def submit(self, run: WriteRun | None, event: PreparedEvent | None = None) -> Any:
        """Queue a write (``run``, or the delivery ``event``) and wait until it is committed; its result."""
        self._connection_pool()
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(run, future, event))
        return await future

    async def _writer(self) -> None:
        while not self._closing:
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
        try:
            async with self._connection_pool().connection() as connection:
                try:
                    results = await self._run_batch(connection, batch)
                except Exception as exc:
                    _log.debug(
                        "A write batch of %d failed (%s); running its jobs one by one",
                        len(batch),
                        type(exc).__name__,
                        exc_info=exc,
                    )
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
                outcomes, touched = await ingest_batch(connection, events)
            else:
                async with connection.transaction():
                    outcomes, touched = await ingest_batch(connection, events)
            results = list(outcomes)
        else:
            pending: list[PendingChange] = []
            results = []
            # Pipeline mode: statements whose results are not read (set_config, the change rows,
            # COMMIT) travel with the next one that is, so a batch costs a few round trips.
            async with connection.pipeline(), connection.transaction():
                for job in batch:
                    assert job.run is not None
                    results.append(await job.run(connection, pending))
                touched = await log_changes(connection, pending) if pending else set()
        if touched:  # committed: the sequencer may number them now
            self._committed(touched)
        return results


async def log_changes(connection: Connection, pending: list[PendingChange]) -> set[str]:
    """The batch's change rows, unnumbered: the sequencer numbers them once this commits."""
    by_agency: dict[str, list[PendingChange]] = {}
    for change in pending:
        by_agency.setdefault(change.lead.agency_id, []).append(change)
    for agency_id in sorted(by_agency):
        changes = by_agency[agency_id]
        await as_agency(connection, agency_id)
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


async def ingest_batch(c: Connection, events: list[PreparedEvent]) -> tuple[list[IngestOutcome], set[str]]:
    """Store a batch of deliveries: one ``inbox_ingest`` call per agency, the batch as two JSON documents.

    The function (migrations 0009, 0010) inserts the events first, each already linked to its
    lead's row, and feeds only the new ones to their leads, so a redelivery is recognised
    whichever process stores it. The events travel in one document, their raw bodies as a
    bytea array (binary: no base64, no JSON parsing of them), the lead fields in a second
    document that the function reads once per round. Returns each delivery's outcome,
    in order, and the agencies whose change log grew (their sequencer has work).
    """
    outcomes: list[IngestOutcome | None] = [None] * len(events)
    by_agency: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        by_agency.setdefault(event.agency_id, []).append(index)
    touched: set[str] = set()
    for agency_id in sorted(by_agency):
        stored: list[dict[str, Any]] = []
        bodies: list[bytes] = []
        leads: list[dict[str, Any]] = []
        seen: set[str] = set()
        rounds: dict[str, int] = {}
        for index in by_agency[agency_id]:
            event = events[index]
            payload = event.payload
            if payload.event_id in seen:  # the same delivery twice in one batch
                outcomes[index] = IngestOutcome(payload.event_id, True)
                continue
            seen.add(payload.event_id)
            lead = event.lead
            bodies.append(event.raw_body)
            stored.append(
                {
                    "delivery": index,
                    "event_id": payload.event_id,
                    "type": payload.event_type,
                    "website_id": payload.website_id,
                    "project_id": payload.project_id,
                    "occurred_at": payload.occurred_at,
                    "body_sha256": payload.body_sha256,
                    "body": len(bodies),  # its place in the bodies array (from 1)
                    "headers": event.headers_json,
                    "lead_key": None if lead is None else lead.lead_key,
                }
            )
            if lead is not None:
                rounds[lead.lead_key] = rounds.get(lead.lead_key, 0) + 1
                leads.append(
                    {
                        "round": rounds[lead.lead_key],
                        "event_id": payload.event_id,
                        "website_id": lead.website_id,
                        "project_id": lead.project_id,
                        "lead_key": lead.lead_key,
                        "lead_id": lead.lead_id,
                        "name": lead.name,
                        "email": lead.email,
                        "phone": lead.phone,
                        "message": lead.message,
                        "data": payload.data,  # as an object: neither escaped here nor unescaped there
                        "captured_at": lead.captured_at,
                    }
                )
        cursor = await c.execute(
            "SELECT delivery, stored_id FROM inbox_ingest(%s, %s::json, %b, %s::json, %s)",
            (agency_id, _dumps(stored), bodies, _dumps(leads), max(rounds.values(), default=0)),
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


def _dumps(document: list[dict[str, Any]]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


_COLUMN_OF = {"status": "status", "notes": "notes", "assignee": "assignee", "read": "is_read"}


async def update_lead_row(
    c: Connection,
    pending: list[PendingChange],
    agency_id: str,
    lead_id: int,
    member_id: str | None,
    expected: int | None,
    checked: dict[str, Any],
) -> InboxLead:
    await as_agency(c, agency_id)
    cursor = await c.execute(
        f"SELECT {LEAD_COLUMNS} FROM leads WHERE agency_id = %s AND id = %s FOR UPDATE", (agency_id, lead_id)
    )
    row = await cursor.fetchone()
    if row is None:
        raise LeadNotFoundError(f"No lead {lead_id}.")
    current = lead_from_row(row)
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
    updated = lead_from_row(updated_row)
    await c.execute(
        "INSERT INTO lead_history (agency_id, lead_id, version, member_id, at, changes) VALUES (%s, %s, %s, %s, %s, %s::jsonb)",
        (agency_id, lead_id, updated.version, member_id, updated.updated_at, compact_json(diff)),
    )
    pending.append(PendingChange(updated, "lead.updated", sorted(diff), member_id, updated.updated_at or utc_now()))
    return updated


async def set_read_row(
    c: Connection, pending: list[PendingChange], agency_id: str, lead_id: int, member_id: str, read: bool
) -> InboxLead:
    await as_agency(c, agency_id)
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
    lead = dataclasses.replace(lead_from_row(row), read=read)
    if changed is not None:
        pending.append(PendingChange(lead, "lead.read", ["read"], member_id, utc_now()))
    return lead
