-- Nothing to do on SQLite (it has no roles); the number keeps both engines' versions in step.
SELECT 1;
