-- The events that fed one lead (a desktop's detail pane lists them): found by lead, not by
-- walking every event of the agency.
CREATE INDEX events_agency_lead ON events (agency_id, lead_id, id);
