-- Change-log numbers are given after the data commits, not inside its transaction.
-- Numbering inside meant holding the agency row's lock through COMMIT (its fsync), so
-- every write of an agency, in every process, waited for the one before: a few hundred
-- deliveries a second at most. Now a write commits its change rows unnumbered, answers,
-- and a sequencer numbers every committed, unnumbered row of the agency in one short
-- transaction under that lock (any process's sequencer; they take turns). Numbers stay
-- gapless and follow the sequencer's commits, so "every change after N" still skips none.
ALTER TABLE changes DROP CONSTRAINT changes_pkey;
ALTER TABLE changes ALTER COLUMN seq DROP NOT NULL;
ALTER TABLE changes ADD COLUMN pending_id bigserial;
ALTER TABLE changes ADD PRIMARY KEY (pending_id);
CREATE UNIQUE INDEX changes_agency_seq ON changes (agency_id, seq);
CREATE INDEX changes_unsequenced ON changes (agency_id, pending_id) WHERE seq IS NULL;
GRANT USAGE ON SEQUENCE changes_pending_id_seq TO codaiq_inbox_app;

CREATE FUNCTION inbox_sequence_changes(agency text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    head bigint;
    numbered bigint;
BEGIN
    SELECT change_seq INTO head FROM agencies WHERE id = agency FOR UPDATE;
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
REVOKE ALL ON FUNCTION inbox_sequence_changes(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_sequence_changes(text) TO codaiq_inbox_app;

CREATE FUNCTION inbox_unsequenced_agencies() RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT DISTINCT agency_id FROM changes WHERE seq IS NULL $$;
REVOKE ALL ON FUNCTION inbox_unsequenced_agencies() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_unsequenced_agencies() TO codaiq_inbox_app;
