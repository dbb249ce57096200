-- Read and unread are per member: a lead one colleague opened stays unread for the others.
-- A row here means "this member has read this lead"; leads.is_read is no longer what the
-- API reports. Reads do not change a lead's version (marking a lead read never conflicts
-- with a colleague's edit).
CREATE TABLE lead_reads (
    agency_id   text NOT NULL REFERENCES agencies (id),
    member_id   text NOT NULL REFERENCES members (id),
    lead_id     bigint NOT NULL REFERENCES leads (id),
    at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, member_id, lead_id)
);
GRANT SELECT, INSERT, DELETE ON lead_reads TO codaiq_inbox_app;
ALTER TABLE lead_reads ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON lead_reads USING (agency_id = current_setting('codaiq.agency', true));
