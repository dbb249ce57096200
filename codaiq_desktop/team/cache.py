"""The offline copy of a team inbox: leads and pages as last served, and the ordered outbox.

One SQLite file per server and member (in the app's data folder). Every page of leads
the server sends is kept, so when the server cannot be reached the Leads tab shows the
last pages (with the time they were fetched). Edits made meanwhile wait in ``outbox`` in
the order they were made, and are replayed in that order on reconnect; one that a
colleague's change made stale stays as a conflict until the user chooses. The last
stream sequence number handled is kept here too, so a restart resumes where it stopped.
Nothing here talks to the network.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from codaiq_desktop.store.models import ASSIGNEE_ME, ASSIGNEE_NONE, LeadFilter

from .invite import TeamServer
from .models import CappedCount, TeamLead, lead_from_json

__all__ = ["OutboxEntry", "TeamCache", "cache_file", "filter_key"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS leads (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    filter_key TEXT NOT NULL, start INTEGER NOT NULL, size INTEGER NOT NULL, ids TEXT NOT NULL,
    PRIMARY KEY (filter_key, start, size)
);
CREATE TABLE IF NOT EXISTS counts (filter_key TEXT PRIMARY KEY, total INTEGER NOT NULL, capped INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id INTEGER NOT NULL,
    base_version INTEGER,
    changes TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'conflict')),
    current TEXT,
    created_at TEXT NOT NULL
);
"""


def filter_key(lead_filter: LeadFilter) -> str:
    """A stable text key for the server-side part of a filter."""
    return json.dumps(
        [
            lead_filter.text or "",
            lead_filter.status,
            lead_filter.website_id,
            lead_filter.assignee,
            lead_filter.unread_only,
        ],
        separators=(",", ":"),
    )


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """An edit waiting to be sent: its lead, the version it was based on, the changes (API names)."""

    id: int
    lead_id: int
    base_version: int | None
    changes: dict[str, Any]
    state: str
    current: dict[str, Any] | None


class TeamCache:
    """The cache file; safe to use from several threads (one connection behind a lock)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA busy_timeout = 5000")
        self._db.executescript(_SCHEMA)
        try:
            self.path.chmod(0o600)
        except OSError:
            pass

    def __repr__(self) -> str:
        return f"TeamCache({str(self.path)!r})"

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, statements: Iterable[tuple[str, tuple[Any, ...]]]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                for sql, parameters in statements:
                    self._db.execute(sql, parameters)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, parameters).fetchall()

    # -- meta ----------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._write(
            [
                (
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            ]
        )

    @property
    def last_event_id(self) -> int | None:
        value = self.get_meta("last_event_id")
        return int(value) if value is not None else None

    def set_last_event_id(self, seq: int) -> None:
        self.set_meta("last_event_id", str(int(seq)))

    @property
    def as_of(self) -> datetime | None:
        value = self.get_meta("as_of")
        return datetime.fromisoformat(value) if value else None

    def set_as_of(self, moment: datetime) -> None:
        self.set_meta("as_of", moment.astimezone(UTC).isoformat())

    # -- leads and pages -------------------------------------------------------------------
    def _lead_statements(self, leads: Iterable[TeamLead]) -> list[tuple[str, tuple[Any, ...]]]:
        # A lead already held at a newer version (from the stream) is not taken back.
        return [
            (
                "INSERT INTO leads (id, version, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " version = excluded.version, doc = excluded.doc WHERE excluded.version >= leads.version",
                (lead.id, lead.version, json.dumps(lead.to_json(), ensure_ascii=False, separators=(",", ":"))),
            )
            for lead in leads
        ]

    def put_leads(self, leads: Iterable[TeamLead]) -> None:
        self._write(self._lead_statements(leads))

    def put_page(self, key: str, offset: int, size: int, leads: list[TeamLead], total: CappedCount | None) -> None:
        statements = self._lead_statements(leads)
        statements.append(
            (
                "INSERT INTO pages (filter_key, start, size, ids) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
                " ids = excluded.ids",
                (key, offset, size, json.dumps([lead.id for lead in leads])),
            )
        )
        if total is not None:
            statements.append(self._count_statement(key, total))
        self._write(statements)

    @staticmethod
    def _count_statement(key: str, total: CappedCount) -> tuple[str, tuple[Any, ...]]:
        return (
            "INSERT INTO counts (filter_key, total, capped) VALUES (?, ?, ?) ON CONFLICT (filter_key) DO UPDATE"
            " SET total = excluded.total, capped = excluded.capped",
            (key, int(total), int(total.capped)),
        )

    def put_count(self, key: str, total: CappedCount) -> None:
        self._write([self._count_statement(key, total)])

    def count(self, key: str) -> CappedCount | None:
        rows = self._rows("SELECT total, capped FROM counts WHERE filter_key = ?", (key,))
        return CappedCount(rows[0][0], bool(rows[0][1])) if rows else None

    def page_ids(self, key: str, offset: int, size: int) -> list[int] | None:
        rows = self._rows("SELECT ids FROM pages WHERE filter_key = ? AND start = ? AND size = ?", (key, offset, size))
        return [int(i) for i in json.loads(rows[0][0])] if rows else None

    def lead(self, lead_id: int, account: str | None = None) -> TeamLead | None:
        rows = self._rows("SELECT doc FROM leads WHERE id = ?", (int(lead_id),))
        return lead_from_json(json.loads(rows[0][0]), account=account) if rows else None

    def leads(self, lead_ids: list[int], account: str | None = None) -> dict[int, TeamLead]:
        found: dict[int, TeamLead] = {}
        for start in range(0, len(lead_ids), 500):
            chunk = lead_ids[start : start + 500]
            for (doc,) in self._rows(f"SELECT doc FROM leads WHERE id IN ({','.join('?' * len(chunk))})", tuple(chunk)):
                lead = lead_from_json(json.loads(doc), account=account)
                found[lead.id] = lead
        return found

    def matching(
        self, lead_filter: LeadFilter, member_id: str | None, account: str | None = None, newer_than: int = 0
    ) -> list[TeamLead]:
        """Cached leads the filter matches (with an id above ``newer_than``), newest first.

        Offline, this answers for a page never fetched, and adds the leads the stream
        brought since a cached page was fetched.
        """
        words = [w.lower() for w in (lead_filter.text or "").split() if w]
        found = []
        for (doc,) in self._rows("SELECT doc FROM leads WHERE id > ? ORDER BY id DESC", (newer_than,)):
            lead = lead_from_json(json.loads(doc), account=account)
            if _matches(lead, lead_filter, member_id, words):
                found.append(lead)
        return found

    # -- the outbox ---------------------------------------------------------------------------
    def enqueue(self, lead_id: int, base_version: int | None, changes: dict[str, Any]) -> OutboxEntry:
        """Queue an edit; a second edit of a lead still queued joins the first (later values win)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    "SELECT id, base_version, changes FROM outbox WHERE lead_id = ? AND state = 'queued'"
                    " ORDER BY id LIMIT 1",
                    (lead_id,),
                ).fetchone()
                if row is None:
                    merged = dict(changes)
                    entry_id = self._db.execute(
                        "INSERT INTO outbox (lead_id, base_version, changes, created_at) VALUES (?, ?, ?, ?)",
                        (lead_id, base_version, json.dumps(merged), datetime.now(UTC).isoformat()),
                    ).lastrowid
                    base = base_version
                else:
                    entry_id, base = row[0], row[1] if row[1] is not None else base_version
                    merged = {**json.loads(row[2]), **changes}
                    self._db.execute(
                        "UPDATE outbox SET changes = ?, base_version = ? WHERE id = ?",
                        (json.dumps(merged), base, entry_id),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        assert entry_id is not None
        return OutboxEntry(int(entry_id), lead_id, base, merged, "queued", None)

    def outbox(self, state: str | None = None) -> list[OutboxEntry]:
        where, parameters = ("WHERE state = ?", (state,)) if state else ("", ())
        return [
            OutboxEntry(row[0], row[1], row[2], json.loads(row[3]), row[4], json.loads(row[5]) if row[5] else None)
            for row in self._rows(
                f"SELECT id, lead_id, base_version, changes, state, current FROM outbox {where} ORDER BY id", parameters
            )
        ]

    def pending_changes(self) -> dict[int, dict[str, Any]]:
        """Per lead, every change of mine not on the server yet (queued or in conflict), in order."""
        merged: dict[int, dict[str, Any]] = {}
        for entry in self.outbox():
            merged.setdefault(entry.lead_id, {}).update(entry.changes)
        return merged

    def pending_count(self) -> int:
        return int(self._rows("SELECT count(*) FROM outbox")[0][0])

    def mark_conflict(self, entry_id: int, current: TeamLead) -> None:
        self._write(
            [
                (
                    "UPDATE outbox SET state = 'conflict', current = ? WHERE id = ?",
                    (json.dumps(current.to_json()), entry_id),
                )
            ]
        )

    def remove(self, entry_id: int) -> None:
        self._write([("DELETE FROM outbox WHERE id = ?", (entry_id,))])


def _matches(lead: TeamLead, lead_filter: LeadFilter, member_id: str | None, words: list[str]) -> bool:
    if lead_filter.status is not None and lead.status != lead_filter.status:
        return False
    if lead_filter.website_id is not None and lead.website_id != lead_filter.website_id:
        return False
    if lead_filter.unread_only and lead.read:
        return False
    wanted = lead_filter.assignee
    if wanted == ASSIGNEE_NONE and lead.assignee is not None:
        return False
    if (
        wanted is not None
        and wanted != ASSIGNEE_NONE
        and lead.assignee != (member_id if wanted == ASSIGNEE_ME else wanted)
    ):
        return False
    if words:
        text = " ".join(str(part or "") for part in (lead.name, lead.email, lead.phone, lead.message)).lower()
        tokens = text.replace("@", " ").replace(".", " ").split()
        if not all(any(token.startswith(word) for token in tokens) for word in words):
            return False
    return True


def cache_file(server: TeamServer, cache_dir: Path) -> Path:
    """One cache per server and member; the name is a digest (it reveals neither URL nor token)."""
    digest = hashlib.sha256(f"{server.url}\0{server.token}".encode()).hexdigest()[:20]
    return Path(cache_dir) / f"team-{digest}.sqlite3"
