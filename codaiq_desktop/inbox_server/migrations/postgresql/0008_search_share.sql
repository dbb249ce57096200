-- How common a search is, before choosing how to run it: the share of all leads its words
-- match, estimated from the statistics ANALYZE keeps on the tsvector's most common lexemes
-- (each word a prefix: the frequencies of the lexemes it begins, summed; several words
-- multiplied). A common search is then found by walking an index in id order (a page and a
-- capped count come within tens of thousands of rows), a rarer one through the GIN index.
-- The planner's own estimate cannot serve: it has no statistics for prefix matches. Only
-- an estimate (0 without statistics): it picks the plan, never the result. Runs as the
-- owner, who may read the table's statistics; returns a number only.
CREATE FUNCTION inbox_search_share(words text[]) RETURNS double precision
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT coalesce(exp(sum(ln(greatest(word.share, 1e-9)))), 0)
        FROM (
            SELECT (SELECT least(1.0, coalesce(sum(m.frequency), 0))
                    FROM unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(lexeme, frequency)
                    WHERE left(m.lexeme, length(inbox_unaccent(w))) = inbox_unaccent(w)) AS share
            FROM unnest(words) AS w, pg_stats AS s
            WHERE s.schemaname = 'public' AND s.tablename = 'leads' AND s.attname = 'search'
        ) AS word
    $$;
REVOKE ALL ON FUNCTION inbox_search_share(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_search_share(text[]) TO codaiq_inbox_app;
