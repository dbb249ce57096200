"""The local store: the user's lead inbox and event log, in one SQLite file.

Writes go through one writer thread (see ``writer.py``) and are durable when they
return; reads use their own connection and are cheap enough to call from the UI thread
for one page at a time. The file runs in WAL mode so reads never wait for a write.

Durability: ``synchronous=FULL`` by default. In WAL mode ``NORMAL`` already survives a
killed *process*, but not a power cut or OS crash: the last commits could vanish after
the sender was told 2xx, and it would never resend them. Group commit in the writer
keeps FULL's cost (one fsync per batch, not per event) well within the ingest target,
so the stronger guarantee is the default. ``synchronous="NORMAL"`` is available for
throw-away stores (benchmarks of other parts, bulk imports).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from . import write_jobs
from .bus import EventBus
from .csv_export import write_leads_csv
from .generated_sites import GeneratedSite, insert_generated_site, select_generated_sites, update_generated_domain
from .models import LEAD_STATUSES, IngestResult, Lead, LeadFilter, RejectedAttempt, StoredEvent
from .payload import body_digest, kept_headers, parse_payload
from .queries import (
    EVENT_COLUMNS,
    LEAD_COLUMNS,
    REJECTED_COLUMNS,
    event_from_row,
    lead_from_row,
    lead_order,
    lead_where,
    rejected_from_row,
)
from .schema import check_supported, migrate
from .timestamps import from_text, utc_now
from .writer import WriterThread

MAX_PAGE = 10_000
"""Largest page a read returns: a guard against a UI asking for "everything" by mistake."""

KEEP_REJECTED = 10_000
"""Rejected attempts kept (newest). A flood of forged posts must not fill the disk."""

Synchronous = Literal["FULL", "NORMAL"]


class Store:
    """The events, leads and rejected attempts of one store file.

    ``Store(path, bus=EventBus())`` opens (creating parents and the file if needed),
    migrates the schema and starts the writer thread; ``close()`` flushes and stops it.
    """

    def __init__(self, path: str | Path, bus: EventBus | None = None, *, synchronous: Synchronous = "FULL") -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError("synchronous must be 'FULL' or 'NORMAL'")
        self.path = Path(path)
        _create_private(self.path)
        self.bus = bus if bus is not None else EventBus()
        self._synchronous = synchronous
        self._writer = WriterThread(self.path, self._prepare_writer)
        self._read_lock = threading.Lock()
        self._reader = self._open_reader()
        self._closed = False

    # -- opening and closing ----------------------------------------------------------

    @classmethod
    async def open_async(cls, path: str | Path, bus: EventBus | None = None) -> Store:
        """``Store(path, bus)`` for a caller on the asyncio loop: opening (and migrating) runs on a worker thread."""
        return await asyncio.to_thread(cls, path, bus)

    def _prepare_writer(self, connection: sqlite3.Connection) -> None:
        connection.execute("PRAGMA busy_timeout = 10000")
        check_supported(connection)
        (mode,) = connection.execute("PRAGMA journal_mode = WAL").fetchone()
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"Could not switch {self.path} to WAL mode (got {mode!r}).")
        connection.execute(f"PRAGMA synchronous = {self._synchronous}")
        connection.execute("PRAGMA foreign_keys = ON")
        migrate(connection)

    def _open_reader(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 10000")
        connection.execute("PRAGMA query_only = 1")
        return connection

    def close(self) -> None:
        """Finish queued writes, then close both connections. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._writer.close()
        with self._read_lock:
            self._reader.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._read_lock:
            yield self._reader

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """Several reads that must agree: one read transaction (WAL gives it a fixed snapshot)."""
        with self._reading() as connection:
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.execute("COMMIT")

    # -- writing events ---------------------------------------------------------------

    async def ingest(
        self,
        raw_body: bytes,
        headers: Mapping[str, str],
        *,
        replay: bool = False,
        verified: bool = True,
        notify: bool = True,
        account: str | None = None,
        want_lead: bool = True,
    ) -> IngestResult:
        """Store one webhook body; return once it is committed (durable).

        ``account`` is the account the event belongs to (the receiver passes the label of
        the webhook secret that verified it); the event keeps it and a new lead takes it.
        For a replay, ``None`` means "the account of the stored original".

        Raises ``InvalidPayloadError`` (a ``ValueError``) for a body that is not a webhook
        payload; nothing is stored then. A redelivery of a stored event (same event id)
        returns ``duplicate=True`` and changes nothing. ``replay=True`` stores the event
        again on purpose (the user re-ran it): no de-duplication, flagged as a replay.

        ``notify=False`` leaves publishing to the caller (``publish``): the receiver uses it
        to tell subscribers only after the HTTP answer went out. ``want_lead=False`` leaves
        ``result.lead`` ``None`` (the lead is stored all the same, just not read back into a
        ``Lead``): for a caller that only needs the event, as the receiver does.

        Raises ``StoreFullError`` (an ``OSError``, ``ENOSPC``) when the disk has no room;
        nothing of the event is kept and the store works again once space is freed.
        """
        payload = parse_payload(raw_body, headers)
        headers_kept = kept_headers(headers)
        received_at = write_jobs.now_text()
        if account is not None and not isinstance(account, str):
            raise TypeError("account must be a string or None")
        # What needs no connection is prepared here, on the loop, not on the writer thread.
        lead = write_jobs.lead_values(payload) if payload.is_lead else None
        headers_json = write_jobs.compact_json(headers_kept)
        written = await self._writer.submit_async(
            lambda connection: write_jobs.write_event(
                connection,
                raw_body,
                payload,
                lead,
                headers_json,
                received_at,
                verified=verified,
                replay=replay,
                account=account,
                want_lead=want_lead,
            )
        )
        if isinstance(written, write_jobs.Inserted):
            lead_row = written.lead_row
            stored_lead = lead_from_row(lead_row) if lead_row is not None and want_lead else None
            event = StoredEvent(
                id=written.row_id,
                event_id=payload.event_id,
                type=payload.event_type,
                website_id=payload.website_id,
                project_id=payload.project_id,
                received_at=from_text(received_at),
                verified=verified,
                replay=replay,
                payload=payload.document,
                raw_body=raw_body,
                headers=headers_kept,
                lead_id=lead_row[0] if lead_row is not None else None,
                occurred_at=payload.occurred_at,
                account=written.account,
            )
            result = IngestResult(event=event, duplicate=False, lead=stored_lead)
        else:
            result = IngestResult(event=written.event, duplicate=written.duplicate, lead=written.lead)
        if notify:
            self.publish(result)
        return result

    def publish(self, result: IngestResult) -> None:
        """Tell the bus about a newly stored event (duplicates are not news)."""
        if not result.duplicate:
            self.bus.publish(result.event)

    async def record_rejected(
        self,
        raw_body: bytes | None,
        headers: Mapping[str, str],
        reason: str,
        *,
        status_code: int = 401,
        size: int | None = None,
        remote: str | None = None,
    ) -> RejectedAttempt:
        """Keep a note of a refused delivery: why, its headers, its size and body digest.

        The body itself is not stored: it was not verified, so it is not data. Pass
        ``raw_body=None`` when it was never read (too large) and give ``size`` instead.
        """
        record = RejectedAttempt(
            id=0,
            received_at=utc_now(),
            reason=reason,
            status_code=status_code,
            size=size if size is not None else len(raw_body or b""),
            body_sha256=body_digest(raw_body) if raw_body is not None else None,
            headers=kept_headers(headers),
            remote=remote,
        )
        row_id = await self._writer.submit_async(
            lambda connection: write_jobs.write_rejected(connection, record, KEEP_REJECTED)
        )
        return RejectedAttempt(
            id=row_id,
            received_at=record.received_at,
            reason=record.reason,
            status_code=record.status_code,
            size=record.size,
            body_sha256=record.body_sha256,
            headers=record.headers,
            remote=record.remote,
        )

    # -- the user's own fields on a lead ----------------------------------------------

    def update_lead(
        self, lead_id: int, status: str | None = None, notes: str | None = None, read: bool | None = None
    ) -> Lead:
        """Change a lead's local fields; ``None`` leaves a field as it is. Returns the lead.

        Blocks until committed (one short transaction through the writer thread), so a
        caller on the UI thread sees its own change at once.
        Raises ``ValueError`` for an unknown status, ``LeadNotFoundError`` for an unknown id.
        """
        _check_lead_fields(status, notes)
        return self._writer.run(
            lambda connection: write_jobs.update_lead_fields(connection, lead_id, status, notes, read)
        )

    async def update_lead_async(
        self, lead_id: int, status: str | None = None, notes: str | None = None, read: bool | None = None
    ) -> Lead:
        """:meth:`update_lead` for a caller on the asyncio loop: awaits the commit, blocks nothing.

        The edit queues on the writer thread (behind a burst of webhooks, if any) in the
        order asked; the future resolves on the loop once it is on disk.
        """
        _check_lead_fields(status, notes)
        return await self._writer.submit_async(
            lambda connection: write_jobs.update_lead_fields(connection, lead_id, status, notes, read)
        )

    def mark_read(self, lead_ids: Sequence[int], read: bool = True) -> int:
        """Set the read flag on many leads at once; returns how many changed."""
        ids = [int(lead_id) for lead_id in lead_ids]
        return self._writer.run(lambda connection: write_jobs.mark_read(connection, ids, read))

    def relabel_account(self, old: str | None, new: str | None) -> int:
        """File every event and lead of account ``old`` under ``new``; returns the leads moved.

        For an account whose label changed, or (``old=None``) to give the events and leads
        stored without an account (all of them, in a store from before accounts) to one.
        One transaction on the writer thread, blocking until committed: with many rows it
        takes a while, so call it off the UI thread.
        """
        if _same_labels(old, new):
            return 0
        return self._writer.run(lambda connection: write_jobs.relabel_account(connection, old, new))

    async def relabel_account_async(self, old: str | None, new: str | None) -> int:
        """:meth:`relabel_account` awaited on the asyncio loop instead of blocking a thread."""
        if _same_labels(old, new):
            return 0
        return await self._writer.submit_async(lambda connection: write_jobs.relabel_account(connection, old, new))

    # -- the registry of generated sites ---------------------------------------------

    def record_generated_site(self, site: GeneratedSite) -> bool:
        """Keep a ``generate`` result (see ``generated_sites``); False if already kept.

        Blocks until committed (one short transaction): call it off the UI thread.
        """
        _check_generated_site(site)
        return self._writer.run(lambda connection: insert_generated_site(connection, site))

    async def record_generated_site_async(self, site: GeneratedSite) -> bool:
        """:meth:`record_generated_site` awaited on the asyncio loop instead of blocking a thread."""
        _check_generated_site(site)
        return await self._writer.submit_async(lambda connection: insert_generated_site(connection, site))

    def set_generated_site_domain(self, account: str | None, website_id: str, domain: str) -> bool:
        """Remember the domain the service gave a generated site; True when it changed."""
        return self._writer.run(lambda connection: update_generated_domain(connection, account, website_id, domain))

    async def set_generated_site_domains_async(self, account: str | None, domains: Mapping[str, str]) -> int:
        """Remember generated sites' domains (website id -> domain) in one commit awaited on the
        asyncio loop; returns how many changed."""
        wanted = dict(domains)

        def job(connection: sqlite3.Connection) -> int:
            return sum(update_generated_domain(connection, account, site, domain) for site, domain in wanted.items())

        return await self._writer.submit_async(job)

    def generated_sites(self, account: str | None) -> list[GeneratedSite]:
        """The sites this app generated for ``account``, newest first."""
        with self._reading() as connection:
            return select_generated_sites(connection, account)

    # -- reading leads ----------------------------------------------------------------

    def count_leads(self, lead_filter: LeadFilter | None = None) -> int:
        where = lead_where(lead_filter or LeadFilter())
        with self._reading() as connection:
            (count,) = connection.execute(f"SELECT count(*) FROM leads WHERE {where.sql}", where.parameters).fetchone()
        return int(count)

    def list_leads(
        self,
        lead_filter: LeadFilter | None = None,
        sort: str = "received_at",
        descending: bool = True,
        offset: int = 0,
        limit: int = 200,
    ) -> list[Lead]:
        """One page of leads matching ``lead_filter``, in a stable order (ties broken by id).

        Finds the page's ids on an index first and only then reads those rows, so the cost
        is one page of rows however many leads match.
        """
        offset, limit = _page_bounds(offset, limit)
        where = lead_where(lead_filter or LeadFilter())
        order = lead_order(sort, descending)
        with self._snapshot() as connection:
            ids = [
                row[0]
                for row in connection.execute(
                    f"SELECT id FROM leads WHERE {where.sql} ORDER BY {order} LIMIT ? OFFSET ?",
                    (*where.parameters, limit, offset),
                )
            ]
            if not ids:
                return []
            placeholders = ",".join("?" * len(ids))
            rows = connection.execute(f"SELECT {LEAD_COLUMNS} FROM leads WHERE id IN ({placeholders})", ids).fetchall()
        by_id = {row[0]: row for row in rows}
        return [lead_from_row(by_id[lead_id]) for lead_id in ids if lead_id in by_id]

    def get_lead(self, lead_id: int) -> Lead | None:
        with self._reading() as connection:
            row = connection.execute(f"SELECT {LEAD_COLUMNS} FROM leads WHERE id = ?", (lead_id,)).fetchone()
        return lead_from_row(row) if row else None

    def unread_count(self, account: str | None = None) -> int:
        """Unread leads of ``account`` (``None``: of every account)."""
        return self.count_leads(LeadFilter(unread_only=True, account=account))

    def lead_events(self, lead_id: int) -> list[StoredEvent]:
        """The events that fed a lead, oldest first (usually ``lead.captured`` and ``form.submitted``)."""
        with self._reading() as connection:
            rows = connection.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE lead_id = ? ORDER BY id", (lead_id,)
            ).fetchall()
        return [event_from_row(row) for row in rows]

    def export_leads_csv(
        self, lead_filter: LeadFilter | None, path: str | Path, website_names: Mapping[str, str] | None = None
    ) -> int:
        """Write the matching leads (newest first) to ``path`` as CSV for Excel; returns rows.

        ``website_names`` (website id -> name) fills the Website column; ids without a name leave it empty.

        Uses its own connection, so a long export never holds up the UI's page reads.
        Safe to run in a worker thread (:meth:`export_leads_csv_async` does).
        """
        where = lead_where(lead_filter or LeadFilter())
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            connection.execute("PRAGMA query_only = 1")
            cursor = connection.execute(
                f"SELECT {LEAD_COLUMNS} FROM leads WHERE {where.sql} ORDER BY received_at DESC, id DESC",
                where.parameters,
            )
            return write_leads_csv((lead_from_row(row) for row in cursor), Path(path), website_names)
        finally:
            connection.close()

    async def export_leads_csv_async(
        self, lead_filter: LeadFilter | None, path: str | Path, website_names: Mapping[str, str] | None = None
    ) -> int:
        """:meth:`export_leads_csv` on a worker thread, for a caller on the asyncio loop."""
        return await asyncio.to_thread(self.export_leads_csv, lead_filter, path, website_names)

    # -- reading events and rejected attempts -----------------------------------------

    def list_events(
        self,
        type: str | None = None,
        verified: bool | None = None,
        offset: int = 0,
        limit: int = 200,
        account: str | None = None,
    ) -> list[StoredEvent]:
        """A page of stored events, newest first, optionally of one type / verification result / account.

        ``account=None`` lists every account's events (and those stored without one).
        """
        offset, limit = _page_bounds(offset, limit)
        where, parameters = _event_where(type, verified, account)
        with self._reading() as connection:
            rows = connection.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                (*parameters, limit, offset),
            ).fetchall()
        return [event_from_row(row) for row in rows]

    def count_events(self, type: str | None = None, verified: bool | None = None, account: str | None = None) -> int:
        where, parameters = _event_where(type, verified, account)
        with self._reading() as connection:
            (count,) = connection.execute(f"SELECT count(*) FROM events WHERE {where}", parameters).fetchone()
        return int(count)

    def get_event(self, event_row_id: int) -> StoredEvent | None:
        with self._reading() as connection:
            row = connection.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ?", (event_row_id,)).fetchone()
        return event_from_row(row) if row else None

    def event_types(self, account: str | None = None) -> list[str]:
        """Every event type stored so far (of ``account``, if given), sorted, including ones the app does not know.

        A skip-scan over the type index, or the account-and-type one (one probe per
        distinct type), so it stays instant with millions of events.
        """
        if account is None:
            sql = """
                WITH RECURSIVE seen(type) AS (
                    SELECT min(type) FROM events
                    UNION ALL
                    SELECT (SELECT min(type) FROM events WHERE type > seen.type) FROM seen
                    WHERE seen.type IS NOT NULL
                )
                SELECT type FROM seen WHERE type IS NOT NULL
                """
            parameters: tuple[Any, ...] = ()
        else:
            sql = """
                WITH RECURSIVE seen(type) AS (
                    SELECT min(type) FROM events WHERE account = ?1
                    UNION ALL
                    SELECT (SELECT min(type) FROM events WHERE account = ?1 AND type > seen.type) FROM seen
                    WHERE seen.type IS NOT NULL
                )
                SELECT type FROM seen WHERE type IS NOT NULL
                """
            parameters = (account,)
        with self._reading() as connection:
            rows = connection.execute(sql, parameters).fetchall()
        return [row[0] for row in rows]

    def list_rejected(self, offset: int = 0, limit: int = 200) -> list[RejectedAttempt]:
        """Refused deliveries, newest first (only the newest ``KEEP_REJECTED`` are kept)."""
        offset, limit = _page_bounds(offset, limit)
        with self._reading() as connection:
            rows = connection.execute(
                f"SELECT {REJECTED_COLUMNS} FROM rejected_attempts ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
        return [rejected_from_row(row) for row in rows]

    def count_rejected(self) -> int:
        with self._reading() as connection:
            (count,) = connection.execute("SELECT count(*) FROM rejected_attempts").fetchone()
        return int(count)

    # -- health -----------------------------------------------------------------------

    def integrity_check(self) -> str:
        """SQLite's own check of the whole file: ``"ok"`` or the first problems found."""
        with self._reading() as connection:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(row[0]) for row in rows)


def _check_lead_fields(status: str | None, notes: str | None) -> None:
    if status is not None and status not in LEAD_STATUSES:
        raise ValueError(f"Unknown lead status {status!r}; use one of {', '.join(LEAD_STATUSES)}.")
    if notes is not None and not isinstance(notes, str):
        raise TypeError("notes must be text")


def _same_labels(old: str | None, new: str | None) -> bool:
    """Checks two account labels; True when relabelling would change nothing."""
    for label in (old, new):
        if label is not None and not isinstance(label, str):
            raise TypeError("account labels must be strings or None")
    return old == new


def _check_generated_site(site: GeneratedSite) -> None:
    if not site.project_id or not site.website_id:
        raise ValueError("A generated site needs its project id and website id.")


def _create_private(path: Path) -> None:
    """Create the store file readable by its owner only: it holds people's names and emails.

    SQLite gives the ``-wal`` and ``-shm`` files the same permissions as the database, so
    they are covered too. An existing file is left as the user has it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)


def _page_bounds(offset: int, limit: int) -> tuple[int, int]:
    offset, limit = int(offset), int(limit)
    if offset < 0:
        raise ValueError("offset must be 0 or more")
    if not 0 < limit <= MAX_PAGE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE}")
    return offset, limit


def _event_where(type: str | None, verified: bool | None, account: str | None = None) -> tuple[str, tuple[Any, ...]]:
    parts: list[str] = []
    parameters: list[Any] = []
    if account is not None:
        parts.append("account = ?")
        parameters.append(account)
    if type is not None:
        parts.append("type = ?")
        parameters.append(type)
    if verified is not None:
        parts.append("verified = 1" if verified else "verified = 0")  # literal: the partial index applies
    return " AND ".join(parts) or "1", tuple(parameters)
