-- Read and unread are per member: a lead one colleague opened stays unread for the others.
-- A row here means "this member has read this lead"; leads.is_read is no longer what the
-- API reports. Reads do not change a lead's version.
CREATE TABLE lead_reads (
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    member_id   TEXT NOT NULL REFERENCES members (id),
    lead_id     INTEGER NOT NULL REFERENCES leads (id),
    at          TEXT NOT NULL,
    PRIMARY KEY (agency_id, member_id, lead_id)
) WITHOUT ROWID;
