-- Raw bodies as they are, not in JSON: inbox_ingest takes them as a bytea array (sent in
-- binary) and each event names its body's place in it. In base64 inside the events
-- document, PostgreSQL's JSON parser went through every body character by character, then
-- decoded it (measured under callgrind: the JSON parser was the largest single cost of a
-- delivery). A lead's data comes as a JSON object, not as a string holding one, so it is
-- neither escaped by the server nor unescaped here. The four-argument inbox_ingest stays
-- for a server of the previous version still running during an upgrade.

CREATE FUNCTION inbox_ingest(agency text, events json, bodies bytea[], leads json, rounds integer)
    RETURNS TABLE (delivery integer, stored_id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET enable_seqscan = off AS $$
DECLARE
    fresh_events text[];
    fresh_rows bigint[];
    fresh_deliveries integer[];
    fresh_leads bigint[];
    moved_events bigint[];
    moved_leads bigint[];
    known_keys text[];
    known_rows bigint[];
BEGIN
    -- The leads that exist already, planned afresh on every call (EXECUTE, given the keys): a
    -- plan cached while the table was small may walk another index on agency_id.
    known_keys := ARRAY(SELECT DISTINCT g.lead_key FROM json_to_recordset(leads) AS g(lead_key text));
    EXECUTE 'SELECT array_agg(l.lead_key), array_agg(l.id) FROM leads l WHERE l.agency_id = $1 AND l.lead_key = ANY($2)'
        INTO known_keys, known_rows USING agency, known_keys;
    -- In event id order: two processes storing overlapping batches wait on each other's
    -- unique-index entries in one order, not in a cycle.
    WITH given AS (
        SELECT * FROM json_to_recordset(events) AS g(delivery integer, event_id text, type text, website_id text,
                                                     project_id text, occurred_at text, body_sha256 text,
                                                     body integer, headers text, lead_key text)
    ), keyed AS (
        SELECT k.lead_key, coalesce(known.lead_row, nextval('leads_id_seq')) AS lead_row
        FROM (SELECT DISTINCT g.lead_key FROM given g WHERE g.lead_key IS NOT NULL) AS k
        LEFT JOIN unnest(known_keys, known_rows) AS known(lead_key, lead_row) ON known.lead_key = k.lead_key
    ), inserted AS (
        INSERT INTO events (agency_id, event_id, type, website_id, project_id, occurred_at, body_sha256, raw_body,
                            headers, lead_id)
        SELECT agency, g.event_id, g.type, g.website_id, g.project_id, g.occurred_at, g.body_sha256,
               bodies[g.body], g.headers::jsonb, k.lead_row
        FROM given g LEFT JOIN keyed k ON k.lead_key = g.lead_key
        ORDER BY g.event_id
        ON CONFLICT (agency_id, event_id) DO NOTHING
        RETURNING events.id, events.event_id, events.lead_id
    )
    SELECT array_agg(i.event_id), array_agg(i.id), array_agg(g.delivery), array_agg(i.lead_id)
    INTO fresh_events, fresh_rows, fresh_deliveries, fresh_leads
    FROM inserted i JOIN given g ON g.event_id = i.event_id;
    IF fresh_rows IS NULL THEN
        RETURN;
    END IF;
    FOR current_round IN 1 .. rounds LOOP
        WITH fresh AS (
            SELECT g.*, f.stored_id, f.lead_row
            FROM json_to_recordset(leads) AS g(round integer, event_id text, website_id text, project_id text,
                                               lead_key text, lead_id text, name text, email text, phone text,
                                               message text, data json, captured_at text)
            JOIN unnest(fresh_events, fresh_rows, fresh_leads) AS f(event_id, stored_id, lead_row)
                ON f.event_id = g.event_id
            WHERE g.round = current_round
        ), upserted AS (
            INSERT INTO leads AS l (id, agency_id, lead_key, lead_id, website_id, project_id, name, email, phone,
                                    message, data, captured_at)
            SELECT f.lead_row, agency, f.lead_key, f.lead_id, f.website_id, f.project_id, f.name, f.email, f.phone,
                   f.message, f.data::jsonb, f.captured_at
            FROM fresh f ORDER BY f.lead_key
            ON CONFLICT (agency_id, lead_key) DO UPDATE SET
                data        = CASE WHEN jsonb_typeof(excluded.data) = 'object' AND jsonb_typeof(l.data) = 'object'
                                        AND NOT jsonb_path_exists(l.data,
                                                                  'strict $.* ? (@.type() == "object" || @ == null)')
                                   THEN excluded.data || l.data
                                   ELSE inbox_json_patch(excluded.data, l.data) END,
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
        SELECT array_agg(f.stored_id), array_agg(u.id) INTO moved_events, moved_leads
        FROM fresh f JOIN upserted u ON u.lead_key = f.lead_key
        WHERE u.id <> f.lead_row;
        IF moved_events IS NOT NULL THEN
            -- Another process created the lead after its id was chosen here: link to that row.
            UPDATE events AS e SET lead_id = link.lead
            FROM unnest(moved_events, moved_leads) AS link(event, lead)
            WHERE e.id = link.event;
        END IF;
    END LOOP;
    RETURN QUERY SELECT * FROM unnest(fresh_deliveries, fresh_rows);
END $$;
REVOKE ALL ON FUNCTION inbox_ingest(text, json, bytea[], json, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_ingest(text, json, bytea[], json, integer) TO codaiq_inbox_app;
