-- The inbox server's schema on SQLite: agencies, their secrets and members, events,
-- leads with text search, each lead's history, and the change log the stream replays.
-- Times are ISO-8601 UTC text of fixed width (so text order is time order).

CREATE TABLE agencies (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    change_seq  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE webhook_secrets (
    id          INTEGER PRIMARY KEY,
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    secret      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT
);
CREATE INDEX webhook_secrets_agency ON webhook_secrets (agency_id);

CREATE TABLE members (
    id          TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX members_agency_email ON members (agency_id, lower(email));

CREATE TABLE leads (
    id           INTEGER PRIMARY KEY,
    agency_id    TEXT NOT NULL REFERENCES agencies (id),
    lead_key     TEXT NOT NULL,
    lead_id      TEXT,
    website_id   TEXT,
    project_id   TEXT,
    name         TEXT,
    email        TEXT,
    phone        TEXT,
    message      TEXT,
    data         TEXT NOT NULL DEFAULT '{}',
    captured_at  TEXT,
    received_at  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'new'
                 CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost')),
    notes        TEXT NOT NULL DEFAULT '',
    assignee     TEXT,
    is_read      INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT,
    updated_by   TEXT,
    event_count  INTEGER NOT NULL DEFAULT 1,
    UNIQUE (agency_id, lead_key)
);
-- Newest first by id within an agency, for every filter the inbox offers.
CREATE INDEX leads_agency_id ON leads (agency_id, id);
CREATE INDEX leads_agency_status ON leads (agency_id, status, id);
CREATE INDEX leads_agency_website ON leads (agency_id, website_id, id);
CREATE INDEX leads_agency_assignee ON leads (agency_id, assignee, id);
CREATE INDEX leads_agency_unread ON leads (agency_id, id) WHERE is_read = 0;
CREATE INDEX leads_agency_website_status ON leads (agency_id, website_id, status);

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
    agency_id    TEXT NOT NULL REFERENCES agencies (id),
    event_id     TEXT NOT NULL,
    type         TEXT NOT NULL,
    website_id   TEXT,
    project_id   TEXT,
    occurred_at  TEXT,
    received_at  TEXT NOT NULL,
    lead_id      INTEGER REFERENCES leads (id),
    body_sha256  TEXT NOT NULL,
    raw_body     BLOB NOT NULL,
    headers      TEXT NOT NULL DEFAULT '{}',
    UNIQUE (agency_id, event_id)
);
CREATE INDEX events_agency_id ON events (agency_id, id);
CREATE INDEX events_agency_type ON events (agency_id, type, id);

CREATE TABLE lead_history (
    id          INTEGER PRIMARY KEY,
    agency_id   TEXT NOT NULL,
    lead_id     INTEGER NOT NULL REFERENCES leads (id),
    version     INTEGER NOT NULL,
    member_id   TEXT,
    at          TEXT NOT NULL,
    changes     TEXT NOT NULL
);
CREATE INDEX lead_history_lead ON lead_history (agency_id, lead_id, version);

CREATE TABLE changes (
    agency_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    lead_id     INTEGER NOT NULL,
    fields      TEXT NOT NULL,
    member_id   TEXT,
    at          TEXT NOT NULL,
    lead        TEXT NOT NULL,
    PRIMARY KEY (agency_id, seq)
) WITHOUT ROWID;
