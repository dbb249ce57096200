-- Text search under row-level security: the policy's qual comes first, and "@@" is not
-- leakproof, so the planner may not use the GIN index for it; a rare word then walks every
-- row of the agency (seconds on a million). This function runs as the tables' owner (no
-- RLS), filters on the agency it is given itself, and allows only bitmap scans with the
-- agency written so no b-tree serves it: the GIN index is the only way in. It returns ids
-- only; the caller reads the rows under RLS.
CREATE FUNCTION inbox_search_ids(agency text, words text, wanted_status text, wanted_website text,
                                 wanted_assignee text, wanted_read boolean, cap integer)
    RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public
    SET enable_seqscan = off
    SET enable_indexscan = off
    AS $$
        SELECT id FROM leads
        WHERE agency_id || '' = agency
          AND search @@ to_tsquery('simple', inbox_unaccent(words))
          AND (wanted_status IS NULL OR status = wanted_status)
          AND (wanted_website IS NULL OR website_id = wanted_website)
          AND (wanted_assignee IS NULL OR assignee = wanted_assignee)
          AND (wanted_read IS NULL OR is_read = wanted_read)
        LIMIT cap
    $$;
REVOKE ALL ON FUNCTION inbox_search_ids(text, text, text, text, text, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_search_ids(text, text, text, text, text, boolean, integer) TO codaiq_inbox_app;
