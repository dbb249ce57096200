-- Nothing to do on SQLite: its writer stores a delivery in one transaction on its own connection.
SELECT 1;
