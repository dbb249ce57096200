-- Nothing to do on SQLite: FTS5 drives every search in id order, whatever its words.
SELECT 1;
