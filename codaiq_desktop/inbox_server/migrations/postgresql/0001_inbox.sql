-- The inbox server's schema on PostgreSQL. The same tables as on SQLite, plus:
--   * text search: a stored tsvector ('simple' config, accents folded by an IMMUTABLE
--     wrapper around unaccent) with a GIN index;
--   * JSON merge: inbox_json_patch, recursive like SQLite's json_patch (jsonb || is not);
--   * row-level security on agency_id for the role the server runs as
--     (codaiq_inbox_app), which owns nothing: a second guard behind every query's
--     own agency filter. Token lookup goes through one SECURITY DEFINER function.

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE FUNCTION inbox_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE FUNCTION inbox_search_text(VARIADIC parts text[]) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_tsvector('simple'::regconfig,
                 regexp_replace(inbox_unaccent(coalesce(array_to_string(parts, ' '), '')), '[^[:alnum:]]+', ' ', 'g')) $$;

CREATE FUNCTION inbox_json_patch(target jsonb, patch jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    result jsonb;
    key text;
    value jsonb;
BEGIN
    IF patch IS NULL OR jsonb_typeof(patch) <> 'object' THEN
        RETURN patch;
    END IF;
    IF target IS NULL OR jsonb_typeof(target) <> 'object' THEN
        result := '{}'::jsonb;
    ELSE
        result := target;
    END IF;
    FOR key, value IN SELECT * FROM jsonb_each(patch) LOOP
        IF jsonb_typeof(value) = 'null' THEN
            result := result - key;
        ELSE
            result := jsonb_set(result, ARRAY[key], inbox_json_patch(result -> key, value));
        END IF;
    END LOOP;
    RETURN result;
END $$;

CREATE TABLE agencies (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    change_seq  bigint NOT NULL DEFAULT 0
);

CREATE TABLE webhook_secrets (
    id          bigserial PRIMARY KEY,
    agency_id   text NOT NULL REFERENCES agencies (id),
    secret      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz
);
CREATE INDEX webhook_secrets_agency ON webhook_secrets (agency_id);

CREATE TABLE members (
    id          text PRIMARY KEY,
    agency_id   text NOT NULL REFERENCES agencies (id),
    email       text NOT NULL,
    role        text NOT NULL CHECK (role IN ('admin', 'member')),
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX members_agency_email ON members (agency_id, lower(email));

CREATE TABLE leads (
    id           bigserial PRIMARY KEY,
    agency_id    text NOT NULL REFERENCES agencies (id),
    lead_key     text NOT NULL,
    lead_id      text,
    website_id   text,
    project_id   text,
    name         text,
    email        text,
    phone        text,
    message      text,
    data         jsonb NOT NULL DEFAULT '{}',
    captured_at  text,
    received_at  timestamptz NOT NULL DEFAULT now(),
    status       text NOT NULL DEFAULT 'new'
                 CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost')),
    notes        text NOT NULL DEFAULT '',
    assignee     text,
    is_read      boolean NOT NULL DEFAULT false,
    version      integer NOT NULL DEFAULT 1,
    updated_at   timestamptz,
    updated_by   text,
    event_count  integer NOT NULL DEFAULT 1,
    search       tsvector GENERATED ALWAYS AS (inbox_search_text(name, email, phone, message)) STORED,
    UNIQUE (agency_id, lead_key)
);
CREATE INDEX leads_agency_id ON leads (agency_id, id);
CREATE INDEX leads_agency_status ON leads (agency_id, status, id);
CREATE INDEX leads_agency_website ON leads (agency_id, website_id, id);
CREATE INDEX leads_agency_assignee ON leads (agency_id, assignee, id);
CREATE INDEX leads_agency_unread ON leads (agency_id, id) WHERE NOT is_read;
CREATE INDEX leads_agency_website_status ON leads (agency_id, website_id, status);
CREATE INDEX leads_search ON leads USING gin (search);

CREATE TABLE events (
    id           bigserial PRIMARY KEY,
    agency_id    text NOT NULL REFERENCES agencies (id),
    event_id     text NOT NULL,
    type         text NOT NULL,
    website_id   text,
    project_id   text,
    occurred_at  text,
    received_at  timestamptz NOT NULL DEFAULT now(),
    lead_id      bigint REFERENCES leads (id),
    body_sha256  text NOT NULL,
    raw_body     bytea NOT NULL,
    headers      jsonb NOT NULL DEFAULT '{}',
    UNIQUE (agency_id, event_id)
);
CREATE INDEX events_agency_id ON events (agency_id, id);
CREATE INDEX events_agency_type ON events (agency_id, type, id);

CREATE TABLE lead_history (
    id          bigserial PRIMARY KEY,
    agency_id   text NOT NULL,
    lead_id     bigint NOT NULL REFERENCES leads (id),
    version     integer NOT NULL,
    member_id   text,
    at          timestamptz NOT NULL DEFAULT now(),
    changes     jsonb NOT NULL
);
CREATE INDEX lead_history_lead ON lead_history (agency_id, lead_id, version);

CREATE TABLE changes (
    agency_id   text NOT NULL,
    seq         bigint NOT NULL,
    kind        text NOT NULL,
    lead_id     bigint NOT NULL,
    fields      jsonb NOT NULL,
    member_id   text,
    at          timestamptz NOT NULL DEFAULT now(),
    lead        jsonb NOT NULL,
    PRIMARY KEY (agency_id, seq)
);

-- The role the server's sessions switch to (SET ROLE): it owns no table, so the
-- policies below apply to it.
DO $$
BEGIN
    CREATE ROLE codaiq_inbox_app NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
    NULL;
END $$;

GRANT USAGE ON SCHEMA public TO codaiq_inbox_app;
GRANT SELECT, INSERT, UPDATE ON agencies, webhook_secrets, members, leads, events, lead_history, changes
    TO codaiq_inbox_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO codaiq_inbox_app;

ALTER TABLE agencies ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE members ENABLE ROW LEVEL SECURITY;
ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE lead_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON agencies USING (id = current_setting('codaiq.agency', true));
CREATE POLICY tenant ON webhook_secrets USING (agency_id = current_setting('codaiq.agency', true));
CREATE POLICY tenant ON members USING (agency_id = current_setting('codaiq.agency', true));
CREATE POLICY tenant ON leads USING (agency_id = current_setting('codaiq.agency', true));
CREATE POLICY tenant ON events USING (agency_id = current_setting('codaiq.agency', true));
CREATE POLICY tenant ON lead_history USING (agency_id = current_setting('codaiq.agency', true));
CREATE POLICY tenant ON changes USING (agency_id = current_setting('codaiq.agency', true));

-- The one read across agencies the server needs: who holds this token.
CREATE FUNCTION inbox_member_for_token(hash text)
    RETURNS TABLE (id text, agency_id text, email text, role text, created_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT m.id, m.agency_id, m.email, m.role, m.created_at FROM members m
          WHERE m.token_hash = hash AND m.revoked_at IS NULL $$;
REVOKE ALL ON FUNCTION inbox_member_for_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_member_for_token(text) TO codaiq_inbox_app;

GRANT SELECT ON schema_migrations TO codaiq_inbox_app;
