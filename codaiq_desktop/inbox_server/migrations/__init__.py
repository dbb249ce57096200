"""Numbered plain-SQL schema migrations, one folder per engine (``sqlite/``, ``postgresql/``), and their runners.

A file ``NNNN_name.sql`` is migration NNNN. Files are appended, never edited; each runs
in one transaction together with its row in the ``schema_migrations`` table. A database
whose highest applied version is past the last file here was migrated by a newer server
and is refused (``SchemaTooNewError``) before anything writes to it. Two processes starting
at once do not both migrate: PostgreSQL's runner holds an advisory lock, SQLite's the
file's write lock.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from codaiq_desktop.store.timestamps import to_text, utc_now

from ..storage import SchemaTooNewError

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

VERSION_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)"
)

ADVISORY_LOCK_KEY = 0x636F6461_6971  # "codaiq": held by whoever migrates a PostgreSQL database


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(engine: str) -> list[Migration]:
    """The migrations of ``engine`` (``"sqlite"`` or ``"postgresql"``), in order, checked gapless."""
    folder = resources.files(__name__).joinpath(engine)
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"{engine} migrations skip from {expected - 1} to {migration.version}")
    return found


def latest_version(engine: str) -> int:
    return len(migrations(engine))


def too_new_message(found: int, known: int) -> str:
    return (
        f"This database was migrated by a newer Codaiq inbox server (schema {found}; this version knows up to "
        f"{known}). Run the newer server, or point --db at another database."
    )


def _statements(script: str) -> list[str]:
    """A SQL script split into statements (trigger bodies kept whole), for one explicit transaction."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        if not current and (not line.strip() or line.strip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def migrate_sqlite(connection: sqlite3.Connection) -> int:
    """Apply this version's migrations (each in one transaction); refuse a newer schema. Returns the version."""
    known = migrations("sqlite")
    connection.execute("BEGIN IMMEDIATE")  # the file's write lock: one migrator at a time
    try:
        connection.execute(VERSION_TABLE_SQL)
        (found,) = connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        if found > len(known):
            raise SchemaTooNewError(too_new_message(found, len(known)))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    for migration in known[found:]:
        connection.execute("BEGIN IMMEDIATE")
        try:
            (again,) = connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
            if again >= migration.version:  # another process got there first
                connection.execute("ROLLBACK")
                continue
            for statement in _statements(migration.sql):
                connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, to_text(utc_now())),
            )
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    return len(known)


async def migrate_postgres(dsn: str) -> None:
    """Bring the PostgreSQL database at ``dsn`` to this version (each migration in one transaction)."""
    import psycopg

    known = migrations("postgresql")
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as connection:
        await connection.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        try:
            await connection.execute(VERSION_TABLE_SQL)
            cursor = await connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
            row = await cursor.fetchone()
            found = int(row[0]) if row else 0
            if found > len(known):
                raise SchemaTooNewError(too_new_message(found, len(known)))
            for migration in known[found:]:
                async with connection.transaction():
                    await connection.execute(migration.sql.encode())
                    await connection.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                        (migration.version, migration.name, utc_now().isoformat()),
                    )
        finally:
            await connection.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
