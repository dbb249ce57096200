-- Ingest in one round trip. A write batch of deliveries travels as ONE json document and
-- inbox_ingest stores it in the caller's transaction: the events first (ON CONFLICT DO
-- NOTHING on the unique index: a redelivery, even one another process is committing, is
-- not stored twice), then for the new ones their leads (one upsert per round: a lead with
-- two events in the batch takes two rounds, as ON CONFLICT may not touch a row twice in
-- one statement; `rounds` is the most events one lead has in the batch), each event's
-- link to its lead and the change-log rows, built here so no lead row travels back to
-- the server first. Before, a batch cost five statements with 26 array parameters, and
-- the server's CPU went into adapting them and driving the pipeline. It runs as the
-- tables' owner and keeps to the agency it is given itself (under row-level security the
-- policy's agency filter led the planner to walk all the agency's events to link a few).
-- Its plans are cached from its first calls, when the tables may still be small:
-- sequential scans are off, so linking stays a primary-key lookup as they grow.
CREATE FUNCTION inbox_iso(moment timestamptz) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT to_char(moment AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

CREATE FUNCTION inbox_ingest(agency text, batch json, rounds integer)
    RETURNS TABLE (delivery integer, stored_id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET enable_seqscan = off AS $$
DECLARE
    fresh_events text[];
    fresh_rows bigint[];
    fresh_deliveries integer[];
    linked_events bigint[];
    linked_leads bigint[];
BEGIN
    -- In event id order: two processes storing overlapping batches wait on each other's
    -- unique-index entries in one order, not in a cycle.
    WITH given AS (
        SELECT * FROM json_to_recordset(batch) AS g(delivery integer, event_id text, type text, website_id text,
                                                    project_id text, occurred_at text, body_sha256 text,
                                                    raw_body text, headers text)
    ), inserted AS (
        INSERT INTO events (agency_id, event_id, type, website_id, project_id, occurred_at, body_sha256, raw_body,
                            headers)
        SELECT agency, g.event_id, g.type, g.website_id, g.project_id, g.occurred_at, g.body_sha256,
               decode(g.raw_body, 'base64'), g.headers::jsonb
        FROM given g ORDER BY g.event_id
        ON CONFLICT (agency_id, event_id) DO NOTHING
        RETURNING events.id, events.event_id
    )
    SELECT array_agg(i.event_id), array_agg(i.id), array_agg(g.delivery)
    INTO fresh_events, fresh_rows, fresh_deliveries
    FROM inserted i JOIN given g ON g.event_id = i.event_id;
    IF fresh_rows IS NULL THEN
        RETURN;
    END IF;
    FOR current_round IN 1 .. rounds LOOP
        WITH fresh AS (
            SELECT g.*, f.stored_id
            FROM json_to_recordset(batch) AS g(round integer, event_id text, website_id text, project_id text,
                                               lead_key text, lead_id text, name text, email text, phone text,
                                               message text, data text, captured_at text)
            JOIN unnest(fresh_events, fresh_rows) AS f(event_id, stored_id) ON f.event_id = g.event_id
            WHERE g.round = current_round AND g.lead_key IS NOT NULL
        ), upserted AS (
            INSERT INTO leads AS l (agency_id, lead_key, lead_id, website_id, project_id, name, email, phone, message,
                                    data, captured_at)
            SELECT agency, f.lead_key, f.lead_id, f.website_id, f.project_id, f.name, f.email, f.phone, f.message,
                   f.data::jsonb, f.captured_at
            FROM fresh f ORDER BY f.lead_key
            ON CONFLICT (agency_id, lead_key) DO UPDATE SET
                data        = inbox_json_patch(excluded.data, l.data),
                captured_at = coalesce(l.captured_at, excluded.captured_at),
                website_id  = coalesce(l.website_id, excluded.website_id),
                project_id  = coalesce(l.project_id, excluded.project_id),
                name        = coalesce(l.name, excluded.name),
                email       = coalesce(l.email, excluded.email),
                phone       = coalesce(l.phone, excluded.phone),
                message     = coalesce(l.message, excluded.message),
                event_count = l.event_count + 1
            RETURNING l.id, l.lead_key, l.lead_id, l.website_id, l.project_id, l.name, l.email, l.phone, l.message,
                      l.data, l.captured_at, l.received_at, l.status, l.notes, l.assignee, l.is_read, l.version,
                      l.updated_at, l.updated_by, l.event_count
        ), logged AS (
            -- The lead as GET /api/v1/leads/{id} shows it (InboxLead.to_json), right after this change.
            INSERT INTO changes (agency_id, kind, lead_id, fields, member_id, at, lead)
            SELECT agency, CASE WHEN u.event_count = 1 THEN 'lead.created' ELSE 'lead.updated' END, u.id,
                   CASE WHEN u.event_count = 1 THEN '["new"]'::jsonb ELSE '["data","eventCount"]'::jsonb END,
                   NULL, now(),
                   jsonb_build_object(
                       'id', u.id, 'leadId', u.lead_id, 'websiteId', u.website_id, 'projectId', u.project_id,
                       'name', u.name, 'email', u.email, 'phone', u.phone, 'message', u.message, 'data', u.data,
                       'capturedAt', u.captured_at, 'receivedAt', inbox_iso(u.received_at), 'status', u.status,
                       'notes', u.notes, 'assignee', u.assignee, 'read', u.is_read, 'version', u.version,
                       'updatedAt', inbox_iso(u.updated_at), 'updatedBy', u.updated_by, 'eventCount', u.event_count)
            FROM upserted u ORDER BY u.lead_key
        )
        SELECT array_agg(f.stored_id), array_agg(u.id) INTO linked_events, linked_leads
        FROM fresh f JOIN upserted u ON u.lead_key = f.lead_key;
        UPDATE events AS e SET lead_id = link.lead
        FROM unnest(linked_events, linked_leads) AS link(event, lead)
        WHERE e.id = link.event;
    END LOOP;
    RETURN QUERY SELECT * FROM unnest(fresh_deliveries, fresh_rows);
END $$;
REVOKE ALL ON FUNCTION inbox_ingest(text, json, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_ingest(text, json, integer) TO codaiq_inbox_app;
GRANT EXECUTE ON FUNCTION inbox_iso(timestamptz) TO codaiq_inbox_app;

-- The sequencer locks the agency row FOR NO KEY UPDATE, not FOR UPDATE: every insert into a
-- table referencing agencies takes a KEY SHARE lock on that row (the foreign key's check),
-- which FOR UPDATE conflicts with, so numbering made every delivery of the agency wait for it
-- (and it for them). Sequencers still take turns (NO KEY UPDATE conflicts with itself).
CREATE OR REPLACE FUNCTION inbox_sequence_changes(agency text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    head bigint;
    numbered bigint;
BEGIN
    SELECT change_seq INTO head FROM agencies WHERE id = agency FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    -- A statement of its own, after the lock: it sees every row committed until now.
    WITH pending AS (
        SELECT pending_id, row_number() OVER (ORDER BY pending_id) AS position
        FROM changes WHERE agency_id = agency AND seq IS NULL
    )
    UPDATE changes AS c SET seq = head + pending.position
    FROM pending WHERE c.pending_id = pending.pending_id;
    GET DIAGNOSTICS numbered = ROW_COUNT;
    IF numbered > 0 THEN
        UPDATE agencies SET change_seq = head + numbered WHERE id = agency;
        PERFORM pg_notify('codaiq_inbox', agency || ':' || (head + numbered));
    END IF;
    RETURN head + numbered;
END $$;

-- The text-search helpers in PL/pgSQL instead of SQL: neither SQL body could be inlined
-- (unaccent and array_to_string are only STABLE), so every lead written ran two nested
-- SQL-function executors, planned afresh in every statement. PL/pgSQL evaluates the same
-- expression on its fast path. Same results, so the stored tsvectors stay valid.
CREATE OR REPLACE FUNCTION inbox_unaccent(text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ BEGIN RETURN public.unaccent('public.unaccent'::regdictionary, $1); END $$;

CREATE OR REPLACE FUNCTION inbox_search_text(VARIADIC parts text[]) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$ BEGIN
        RETURN to_tsvector('simple'::regconfig,
                           regexp_replace(inbox_unaccent(coalesce(array_to_string(parts, ' '), '')), '[^[:alnum:]]+',
                                          ' ', 'g'));
    END $$;

-- No foreign keys from the busy tables to agencies (nor from an event to its lead): each
-- checked row took a KEY SHARE lock on the agency's one row, so concurrent writers turned
-- it into a shared MultiXact on every delivery. Agencies are never deleted and every row's
-- agency comes from a verified path or token; the unique keys and row-level security stay.
ALTER TABLE events DROP CONSTRAINT events_agency_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_lead_id_fkey;
ALTER TABLE leads DROP CONSTRAINT leads_agency_id_fkey;
