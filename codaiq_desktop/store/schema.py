"""The store's schema, as numbered migrations applied in order (``PRAGMA user_version``).

A migration is appended, never edited: a user's file at version N is brought forward by
running N+1, N+2, ... each in its own transaction. A file from a newer app version (a
``user_version`` past the last migration) is refused rather than guessed at.

Indexes follow the queries the UI makes (see ``queries.py``): each lead sort key has an
index ending in the row id, so "first page, sorted" is an index walk that stops after
one page; the filters that narrow most (website, status, unread) lead their own index.
Text search uses an FTS5 table kept in step by triggers.
"""

from __future__ import annotations

import sqlite3
from typing import Final

MIGRATIONS: Final[tuple[str, ...]] = (
    # 1: events, leads, rejected attempts, text search.
    """
    CREATE TABLE leads (
        id           INTEGER PRIMARY KEY,
        lead_key     TEXT NOT NULL UNIQUE,   -- service leadId, else 'event:<event_id>'
        lead_id      TEXT,                   -- service leadId as sent (NULL if none)
        website_id   TEXT,
        project_id   TEXT,
        name         TEXT,
        email        TEXT,
        phone        TEXT,
        message      TEXT,
        data         TEXT NOT NULL DEFAULT '{}',  -- JSON: the merged 'data' of its events
        captured_at  TEXT,                   -- payload timestamp of the first event
        received_at  TEXT NOT NULL,          -- ISO-8601 UTC, fixed width: sorts as text
        status       TEXT NOT NULL DEFAULT 'new'
                     CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost')),
        notes        TEXT NOT NULL DEFAULT '',
        is_read      INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
        updated_at   TEXT,
        event_count  INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX leads_received ON leads (received_at);
    CREATE INDEX leads_name ON leads (name COLLATE NOCASE);
    CREATE INDEX leads_email ON leads (email COLLATE NOCASE);
    CREATE INDEX leads_status_received ON leads (status, received_at);
    CREATE INDEX leads_website_received ON leads (website_id, received_at);
    CREATE INDEX leads_website_status_received ON leads (website_id, status, received_at);
    CREATE INDEX leads_unread_received ON leads (received_at) WHERE is_read = 0;

    CREATE VIRTUAL TABLE leads_fts USING fts5 (
        name, email, phone, message,
        content = 'leads', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
    );
    CREATE TRIGGER leads_fts_insert AFTER INSERT ON leads BEGIN
        INSERT INTO leads_fts (rowid, name, email, phone, message)
        VALUES (new.id, new.name, new.email, new.phone, new.message);
    END;
    CREATE TRIGGER leads_fts_delete AFTER DELETE ON leads BEGIN
        INSERT INTO leads_fts (leads_fts, rowid, name, email, phone, message)
        VALUES ('delete', old.id, old.name, old.email, old.phone, old.message);
    END;
    -- Only when searchable text really changed: the second event of a lead usually repeats it.
    CREATE TRIGGER leads_fts_update AFTER UPDATE OF name, email, phone, message ON leads
    WHEN old.name IS NOT new.name OR old.email IS NOT new.email
      OR old.phone IS NOT new.phone OR old.message IS NOT new.message
    BEGIN
        INSERT INTO leads_fts (leads_fts, rowid, name, email, phone, message)
        VALUES ('delete', old.id, old.name, old.email, old.phone, old.message);
        INSERT INTO leads_fts (rowid, name, email, phone, message)
        VALUES (new.id, new.name, new.email, new.phone, new.message);
    END;

    CREATE TABLE events (
        id           INTEGER PRIMARY KEY,
        event_id     TEXT NOT NULL,
        type         TEXT NOT NULL,
        website_id   TEXT,
        project_id   TEXT,
        occurred_at  TEXT,
        received_at  TEXT NOT NULL,
        verified     INTEGER NOT NULL CHECK (verified IN (0, 1)),
        replay       INTEGER NOT NULL DEFAULT 0 CHECK (replay IN (0, 1)),
        lead_id      INTEGER REFERENCES leads (id) ON DELETE SET NULL,
        body_sha256  TEXT NOT NULL,
        raw_body     BLOB NOT NULL,
        headers      TEXT NOT NULL DEFAULT '{}'
    );
    -- A redelivery is recognised by its id; replays (stored on purpose again) are exempt.
    CREATE UNIQUE INDEX events_event_id ON events (event_id) WHERE replay = 0;
    CREATE INDEX events_type ON events (type);
    -- Unverified events are rare (imports, never the receiver): a partial index stays tiny.
    CREATE INDEX events_unverified ON events (id) WHERE verified = 0;
    CREATE INDEX events_lead ON events (lead_id) WHERE lead_id IS NOT NULL;

    CREATE TABLE rejected_attempts (
        id           INTEGER PRIMARY KEY,
        received_at  TEXT NOT NULL,
        reason       TEXT NOT NULL,
        status_code  INTEGER NOT NULL,
        size         INTEGER NOT NULL,
        body_sha256  TEXT,                   -- NULL when the body was not read (too large)
        headers      TEXT NOT NULL DEFAULT '{}',
        remote       TEXT
    );
    """,
    # 2: the de-duplication key comes from the signed body only. Version 1 keyed a body
    # without an ``id`` on the unsigned X-Codaiq-Event-Id header; such events are re-keyed
    # on their body digest, as they would be keyed now, so a redelivery of one (whatever
    # its header says) is still recognised. Of several stored copies of one body, the
    # first takes the key; the others keep theirs and stay listed as they were.
    # The JSON test mirrors ``payload.parse_payload``: no ``id``, a null one or an empty
    # string. A body SQLite cannot read as JSON is left alone (CASE guards the parse).
    """
    CREATE TEMP TABLE rekeyed AS
    SELECT min(id) AS id, 'sha256:' || body_sha256 AS event_id
    FROM events
    WHERE replay = 0
      AND event_id <> 'sha256:' || body_sha256
      AND CASE WHEN json_valid(CAST(raw_body AS TEXT)) THEN
            coalesce(json_type(CAST(raw_body AS TEXT), '$.id'), 'null') = 'null'
            OR (json_type(CAST(raw_body AS TEXT), '$.id') = 'text'
                AND json_extract(CAST(raw_body AS TEXT), '$.id') = '')
          ELSE 0 END
    GROUP BY body_sha256;
    DELETE FROM rekeyed
    WHERE EXISTS (SELECT 1 FROM events WHERE events.event_id = rekeyed.event_id AND events.replay = 0);
    UPDATE events SET event_id = (SELECT rekeyed.event_id FROM rekeyed WHERE rekeyed.id = events.id)
    WHERE id IN (SELECT id FROM rekeyed);
    DROP TABLE rekeyed;
    """,
    # 3: the account each event and lead belongs to: the label of the webhook secret that
    # verified the event (NULL when none was given, and for everything stored before).
    # A lead takes its account from its first event. The app shows one account's leads at
    # a time, so the lead indexes of version 1 are repeated behind the account: every sort
    # key, and the status, website and unread filters, stay an index walk that stops after
    # one page (row id last, as in every index). The event indexes follow the Events tab
    # filtered by account: newest first, by type, and the skip-scan listing of its types.
    """
    ALTER TABLE events ADD COLUMN account TEXT;
    ALTER TABLE leads ADD COLUMN account TEXT;
    CREATE INDEX leads_account_received ON leads (account, received_at);
    CREATE INDEX leads_account_name ON leads (account, name COLLATE NOCASE);
    CREATE INDEX leads_account_email ON leads (account, email COLLATE NOCASE);
    CREATE INDEX leads_account_status_received ON leads (account, status, received_at);
    CREATE INDEX leads_account_website_received ON leads (account, website_id, received_at);
    CREATE INDEX leads_account_unread_received ON leads (account, received_at) WHERE is_read = 0;
    CREATE INDEX events_account ON events (account);
    CREATE INDEX events_account_type ON events (account, type);
    """,
    # 4: the app's own registry of the sites it generated. The docs promise ids only from
    # ``POST /api/generate``; a service that lists websites without them still lets the
    # app edit, export, preview and chart the sites generated here. ``domain`` is learned
    # once the service names the site, so a later id-less list can be matched by it.
    """
    CREATE TABLE generated_sites (
        id           INTEGER PRIMARY KEY,
        account      TEXT,                   -- the account label, as on events and leads
        project_id   TEXT NOT NULL,
        website_id   TEXT NOT NULL,
        prompt       TEXT NOT NULL DEFAULT '',
        name         TEXT,                   -- the name asked for (NULL: the service chose one)
        domain       TEXT,
        created_at   TEXT NOT NULL,          -- ISO-8601 UTC, fixed width: sorts as text
        UNIQUE (account, website_id)
    );
    CREATE INDEX generated_sites_account_created ON generated_sites (account, created_at);
    """,
)

SCHEMA_VERSION: Final[int] = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer version of the app; opening it could damage it."""


def check_supported(connection: sqlite3.Connection) -> int:
    """The file's schema version; ``SchemaTooNewError`` if this app must not touch it.

    Called before anything writes (even the switch to WAL), so a refused file stays
    byte for byte as it was.
    """
    (found,) = connection.execute("PRAGMA user_version").fetchone()
    if found > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"This store was written by a newer Codaiq Desktop (schema {found}, this version "
            f"knows up to {SCHEMA_VERSION}). Update the app, or open a different store file."
        )
    return int(found)


def migrate(connection: sqlite3.Connection) -> int:
    """Bring ``connection``'s database to ``SCHEMA_VERSION``; return the version it was at.

    Each step runs in one transaction with its ``user_version`` bump, so a crash mid-way
    leaves the file at a consistent earlier version, and the next open resumes.
    """
    found = check_supported(connection)
    for version in range(found + 1, SCHEMA_VERSION + 1):
        script = MIGRATIONS[version - 1]
        # executescript() commits first and runs outside our transaction; wrap it ourselves.
        try:
            connection.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    return found
