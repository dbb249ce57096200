"""The sandbox's persistent state: one SQLite file in the data dir.

All access happens on the sandbox's event-loop thread through one connection, so there
is no locking to get wrong; every statement is small and indexed. WAL with
``synchronous=NORMAL`` keeps a commit free of an fsync while surviving a crash of the
process (not of the machine), which is the right trade for a local sandbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash TEXT PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    plan TEXT NOT NULL,
    account TEXT NOT NULL,
    per_minute INTEGER,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS projects_account ON projects(account, created_at);
CREATE TABLE IF NOT EXISTS websites (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL,
    domain TEXT,
    prompt TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    metadata TEXT NOT NULL,
    requested_name TEXT
);
CREATE INDEX IF NOT EXISTS websites_project ON websites(project_id, created_at);
CREATE TABLE IF NOT EXISTS leads (
    id TEXT PRIMARY KEY,
    website_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    message TEXT,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS leads_website ON leads(website_id, created_at);
CREATE TABLE IF NOT EXISTS pageviews (
    id INTEGER PRIMARY KEY,
    website_id TEXT NOT NULL,
    ts REAL NOT NULL,
    path TEXT NOT NULL,
    source TEXT,
    visitor TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pageviews_website_ts ON pageviews(website_id, ts);
CREATE TABLE IF NOT EXISTS visitor_salts (day INTEGER PRIMARY KEY, salt TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS webhooks (
    scope TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    event TEXT NOT NULL,
    account TEXT NOT NULL,
    project_id TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    body BLOB NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    last_status_code INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_account ON deliveries(account, created_at);
CREATE INDEX IF NOT EXISTS deliveries_status ON deliveries(status);
"""


def hash_key(api_key: str) -> str:
    """Keys are stored hashed: the data dir never holds a usable key but the default one."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeyRecord:
    """An API key as stored (never the key itself: it is looked up by hash)."""

    key_id: str
    plan: str
    account: str
    per_minute: int | None


@dataclass(frozen=True)
class WebsiteRow:
    """A website with its owner account, as stored."""

    id: str
    project_id: str
    account: str
    name: str
    domain: str | None
    prompt: str
    created_at: str
    updated_at: str
    metadata: dict[str, Any]
    requested_name: str | None = None
    """The name given at generation (the build uses it even after a rename)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "projectId": self.project_id,
            "name": self.name,
            "domain": self.domain,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "metadata": self.metadata,
        }


@dataclass(frozen=True)
class ProjectRow:
    """A project, as stored."""

    id: str
    account: str
    name: str
    created_at: str


@dataclass(frozen=True)
class DeliveryRow:
    """One webhook delivery: the signed body and its attempts so far."""

    id: str
    event_id: str
    event: str
    account: str
    project_id: str
    url: str
    secret: str
    body: bytes
    attempts: int
    status: str
    last_status_code: int | None
    last_error: str | None
    created_at: str
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "eventId": self.event_id,
            "event": self.event,
            "projectId": self.project_id,
            "url": self.url,
            "attempts": self.attempts,
            "status": self.status,
            "lastStatusCode": self.last_status_code,
            "lastError": self.last_error,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        }


_WEBSITE_COLUMNS = (
    "w.id, w.project_id, p.account, w.name, w.domain, w.prompt, w.created_at, w.updated_at, w.metadata,"
    " w.requested_name"
)


def _website(row: Sequence[Any]) -> WebsiteRow:
    return WebsiteRow(
        id=row[0],
        project_id=row[1],
        account=row[2],
        name=row[3],
        domain=row[4],
        prompt=row[5],
        created_at=row[6],
        updated_at=row[7],
        metadata=json.loads(row[8]),
        requested_name=row[9],
    )


class SandboxDatabase:
    """Typed reads and writes of the sandbox's tables."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        with contextlib.suppress(OSError):  # it holds the default key and webhook secrets
            os.chmod(path, 0o600)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._batch: asyncio.Future[None] | None = None
        self.set_meta("schema_version", str(SCHEMA_VERSION))

    def close(self) -> None:
        if self._batch is not None:
            self._commit_batch()
        self._db.close()

    # -- group commit ---------------------------------------------------------
    def join_batch(self) -> None:
        """Make the next writes part of a batch committed at the end of this loop iteration.

        Leads arrive in bursts from many connections; one commit for every lead that came
        in during the same iteration keeps the per-request cost low. Callers ``await
        committed()`` before answering, so nobody is told "saved" before it is. Without a
        running loop (command-line use), writes simply autocommit.
        """
        if self._batch is not None or self._db.in_transaction:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._db.execute("BEGIN")
        self._batch = loop.create_future()
        loop.call_soon(self._commit_batch)

    async def committed(self) -> None:
        """Wait until the current batch (if any) is committed; raises what the commit raised."""
        if self._batch is not None:
            await asyncio.shield(self._batch)

    def _commit_batch(self) -> None:
        batch, self._batch = self._batch, None
        if batch is None:
            return
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            batch.set_exception(exc)
            batch.exception()  # every waiter re-raises it; don't also report it as unretrieved
        else:
            batch.set_result(None)

    # -- meta ---------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- keys ---------------------------------------------------------------
    def add_key(
        self, api_key: str, key_id: str, plan: str, account: str, per_minute: int | None, created_at: str
    ) -> None:
        self._db.execute(
            "INSERT INTO api_keys (key_hash, key_id, plan, account, per_minute, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (hash_key(api_key), key_id, plan, account, per_minute, created_at),
        )

    def find_key(self, api_key: str) -> KeyRecord | None:
        row = self._db.execute(
            "SELECT key_id, plan, account, per_minute FROM api_keys WHERE key_hash = ?", (hash_key(api_key),)
        ).fetchone()
        return None if row is None else KeyRecord(*row)

    # -- projects and websites ---------------------------------------------
    def add_project(self, project: ProjectRow) -> None:
        self._db.execute(
            "INSERT INTO projects (id, account, name, created_at) VALUES (?, ?, ?, ?)",
            (project.id, project.account, project.name, project.created_at),
        )

    def get_project(self, project_id: str) -> ProjectRow | None:
        row = self._db.execute(
            "SELECT id, account, name, created_at FROM projects WHERE id = ?", (project_id,)
        ).fetchone()
        return None if row is None else ProjectRow(*row)

    def list_projects(self, account: str) -> list[ProjectRow]:
        rows = self._db.execute(
            "SELECT id, account, name, created_at FROM projects WHERE account = ? ORDER BY created_at, rowid",
            (account,),
        ).fetchall()
        return [ProjectRow(*row) for row in rows]

    def add_website(self, website: WebsiteRow) -> None:
        self._db.execute(
            "INSERT INTO websites (id, project_id, name, domain, prompt, created_at, updated_at, metadata,"
            " requested_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                website.id,
                website.project_id,
                website.name,
                website.domain,
                website.prompt,
                website.created_at,
                website.updated_at,
                json.dumps(website.metadata),
                website.requested_name,
            ),
        )

    def get_website(self, website_id: str) -> WebsiteRow | None:
        row = self._db.execute(
            f"SELECT {_WEBSITE_COLUMNS} FROM websites w JOIN projects p ON p.id = w.project_id WHERE w.id = ?",
            (website_id,),
        ).fetchone()
        return None if row is None else _website(row)

    def website_id_for_domain(self, domain: str) -> str | None:
        """The id of the website served at ``domain`` (domains are unique: they end in part of the id)."""
        row = self._db.execute("SELECT id FROM websites WHERE domain = ? LIMIT 1", (domain,)).fetchone()
        return None if row is None else str(row[0])

    def websites_of_projects(self, project_ids: Sequence[str]) -> dict[str, list[WebsiteRow]]:
        """Websites grouped by project, in creation order."""
        grouped: dict[str, list[WebsiteRow]] = {project_id: [] for project_id in project_ids}
        if not project_ids:
            return grouped
        marks = ",".join("?" * len(project_ids))
        rows = self._db.execute(
            f"SELECT {_WEBSITE_COLUMNS} FROM websites w JOIN projects p ON p.id = w.project_id"
            f" WHERE w.project_id IN ({marks}) ORDER BY w.created_at, w.rowid",
            tuple(project_ids),
        ).fetchall()
        for row in rows:
            website = _website(row)
            grouped[website.project_id].append(website)
        return grouped

    def websites_with_status(self, statuses: Iterable[str]) -> list[WebsiteRow]:
        wanted = set(statuses)
        rows = self._db.execute(
            f"SELECT {_WEBSITE_COLUMNS} FROM websites w JOIN projects p ON p.id = w.project_id"
        ).fetchall()
        return [w for w in map(_website, rows) if w.metadata.get("buildStatus") in wanted]

    def update_website(self, website_id: str, *, name: str | None, metadata: dict[str, Any], updated_at: str) -> None:
        if name is None:
            self._db.execute(
                "UPDATE websites SET metadata = ?, updated_at = ? WHERE id = ?",
                (json.dumps(metadata), updated_at, website_id),
            )
        else:
            self._db.execute(
                "UPDATE websites SET name = ?, metadata = ?, updated_at = ? WHERE id = ?",
                (name, json.dumps(metadata), updated_at, website_id),
            )

    # -- leads --------------------------------------------------------------
    def add_lead(
        self,
        lead_id: str,
        website: WebsiteRow,
        name: str,
        email: str,
        phone: str | None,
        message: str | None,
        source: str,
        created_at: str,
    ) -> None:
        self.join_batch()
        self._db.execute(
            "INSERT INTO leads (id, website_id, project_id, name, email, phone, message, source, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (lead_id, website.id, website.project_id, name, email, phone, message, source, created_at),
        )

    def count_leads(self, website_id: str) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM leads WHERE website_id = ?", (website_id,)).fetchone()
        return int(row[0])

    # -- analytics ----------------------------------------------------------
    def add_pageviews(self, rows: Iterable[tuple[str, float, str, str | None, str]]) -> int:
        """Insert ``(website_id, ts, path, source, visitor)`` rows in one transaction."""
        with self._transaction():
            cursor = self._db.executemany(
                "INSERT INTO pageviews (website_id, ts, path, source, visitor) VALUES (?, ?, ?, ?, ?)", rows
            )
        return cursor.rowcount

    def visitor_salt(self, day: int, make: Any) -> str:
        """The salt of UTC day ``day``, created with ``make()`` on first use."""
        row = self._db.execute("SELECT salt FROM visitor_salts WHERE day = ?", (day,)).fetchone()
        if row is not None:
            return str(row[0])
        salt = str(make())
        self._db.execute("INSERT INTO visitor_salts (day, salt) VALUES (?, ?)", (day, salt))
        return salt

    def forget_salts_before(self, day: int) -> None:
        """Drop old salts so old visitor ids can never be recomputed from an IP."""
        self._db.execute("DELETE FROM visitor_salts WHERE day < ?", (day,))

    def pageview_summary(self, website_id: str, start: float, end: float) -> tuple[int, int]:
        row = self._db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT visitor) FROM pageviews WHERE website_id = ? AND ts >= ? AND ts < ?",
            (website_id, start, end),
        ).fetchone()
        return int(row[0]), int(row[1])

    def top_pages(self, website_id: str, start: float, end: float, limit: int) -> list[tuple[str, int]]:
        return [
            (str(path), int(count))
            for path, count in self._db.execute(
                "SELECT path, COUNT(*) AS n FROM pageviews WHERE website_id = ? AND ts >= ? AND ts < ?"
                " GROUP BY path ORDER BY n DESC, path LIMIT ?",
                (website_id, start, end, limit),
            )
        ]

    def referrers(self, website_id: str, start: float, end: float, limit: int) -> list[tuple[str, int]]:
        return [
            (str(source), int(count))
            for source, count in self._db.execute(
                "SELECT source, COUNT(*) AS n FROM pageviews WHERE website_id = ? AND ts >= ? AND ts < ?"
                " AND source IS NOT NULL GROUP BY source ORDER BY n DESC, source LIMIT ?",
                (website_id, start, end, limit),
            )
        ]

    def buckets(self, website_id: str, start: float, end: float, step: float) -> dict[int, tuple[int, int]]:
        """Page views and distinct visitors per ``step``-second bucket from ``start``."""
        return {
            int(bucket): (int(views), int(visitors))
            for bucket, views, visitors in self._db.execute(
                "SELECT CAST((ts - ?) / ? AS INTEGER) AS b, COUNT(*), COUNT(DISTINCT visitor)"
                " FROM pageviews WHERE website_id = ? AND ts >= ? AND ts < ? GROUP BY b",
                (start, step, website_id, start, end),
            )
        }

    # -- webhooks -----------------------------------------------------------
    def set_webhook(self, scope: str, url: str, secret: str, updated_at: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO webhooks (scope, url, secret, updated_at) VALUES (?, ?, ?, ?)",
            (scope, url, secret, updated_at),
        )

    def clear_webhook(self, scope: str) -> bool:
        return self._db.execute("DELETE FROM webhooks WHERE scope = ?", (scope,)).rowcount > 0

    def all_webhooks(self) -> dict[str, tuple[str, str]]:
        return {
            str(scope): (str(url), str(secret))
            for scope, url, secret in self._db.execute("SELECT scope, url, secret FROM webhooks")
        }

    def add_delivery(self, delivery: DeliveryRow) -> None:
        self._db.execute(
            "INSERT INTO deliveries (id, event_id, event, account, project_id, url, secret, body, attempts,"
            " status, last_status_code, last_error, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                delivery.id,
                delivery.event_id,
                delivery.event,
                delivery.account,
                delivery.project_id,
                delivery.url,
                delivery.secret,
                delivery.body,
                delivery.attempts,
                delivery.status,
                delivery.last_status_code,
                delivery.last_error,
                delivery.created_at,
                delivery.updated_at,
            ),
        )

    def record_attempt(
        self, delivery_id: str, *, status: str, status_code: int | None, error: str | None, updated_at: str
    ) -> None:
        self._db.execute(
            "UPDATE deliveries SET attempts = attempts + 1, status = ?, last_status_code = ?, last_error = ?,"
            " updated_at = ? WHERE id = ?",
            (status, status_code, error, updated_at, delivery_id),
        )

    def get_delivery(self, delivery_id: str) -> DeliveryRow | None:
        row = self._db.execute(f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()
        return None if row is None else DeliveryRow(*row)

    def pending_deliveries(self) -> list[DeliveryRow]:
        rows = self._db.execute(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE status = 'pending' ORDER BY created_at, rowid"
        ).fetchall()
        return [DeliveryRow(*row) for row in rows]

    def list_deliveries(self, account: str, project_id: str | None, limit: int) -> list[DeliveryRow]:
        if project_id is None:
            rows = self._db.execute(
                f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE account = ?"
                " ORDER BY created_at DESC, rowid DESC LIMIT ?",
                (account, limit),
            ).fetchall()
        else:
            rows = self._db.execute(
                f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE account = ? AND project_id = ?"
                " ORDER BY created_at DESC, rowid DESC LIMIT ?",
                (account, project_id, limit),
            ).fetchall()
        return [DeliveryRow(*row) for row in rows]

    # -- helpers ------------------------------------------------------------
    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


_DELIVERY_COLUMNS = (
    "id, event_id, event, account, project_id, url, secret, body, attempts, status,"
    " last_status_code, last_error, created_at, updated_at"
)


class _Transaction:
    """``BEGIN``/``COMMIT`` around a batch (the connection autocommits otherwise)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._own = False

    def __enter__(self) -> None:
        # Inside an open group-commit batch, the batch's COMMIT covers these writes too.
        self._own = not self._db.in_transaction
        if self._own:
            self._db.execute("BEGIN")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._own:
            self._db.execute("ROLLBACK" if exc_type is not None else "COMMIT")
