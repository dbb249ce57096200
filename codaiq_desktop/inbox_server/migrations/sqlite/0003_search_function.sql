-- Nothing to do on SQLite (PostgreSQL's search function works around row-level security).
SELECT 1;
