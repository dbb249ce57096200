-- Nothing to do on SQLite: its one writer numbers changes in commit order as it goes.
SELECT 1;
