"""Numbered plain-SQL schema migrations, one folder per engine (``sqlite/``, ``postgresql/``).

A file ``NNNN_name.sql`` is migration NNNN. Files are appended, never edited; each runs
in one transaction together with its row in the ``schema_migrations`` table. A database
whose highest applied version is past the last file here was migrated by a newer server
and is refused (``SchemaTooNewError``) before anything writes to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

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
