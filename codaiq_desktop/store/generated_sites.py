"""The app's registry of the sites it generated: the ids ``POST /api/generate`` returned.

Those ids are the only ones the public docs promise. A service that lists websites
without ids (or lists none) leaves the app nothing else to edit, export, preview or chart
a site by, so every ``generate`` result is kept here with its account, prompt and name,
and the site's domain once the service names it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from .timestamps import from_text, to_text

MAX_LISTED = 5_000
"""Most recent sites read back per account: a guard, far above any agency's week."""


@dataclass(frozen=True, slots=True)
class GeneratedSite:
    """One ``generate`` result, as this app recorded it."""

    account: str | None
    project_id: str
    website_id: str
    prompt: str
    name: str | None
    created_at: datetime
    domain: str | None = None


_COLUMNS = "account, project_id, website_id, prompt, name, created_at, domain"


def insert_generated_site(connection: sqlite3.Connection, site: GeneratedSite) -> bool:
    """Record ``site``; False when the account already has that website id (kept as it was)."""
    cursor = connection.execute(
        f"INSERT INTO generated_sites ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (account, website_id) DO NOTHING",
        (site.account, site.project_id, site.website_id, site.prompt, site.name, to_text(site.created_at), site.domain),
    )
    return cursor.rowcount == 1


def update_generated_domain(connection: sqlite3.Connection, account: str | None, website_id: str, domain: str) -> bool:
    """Remember the domain the service gave a generated site; True when it changed."""
    cursor = connection.execute(
        "UPDATE generated_sites SET domain = ? WHERE account IS ? AND website_id = ? AND domain IS NOT ?",
        (domain, account, website_id, domain),
    )
    return cursor.rowcount > 0


def select_generated_sites(connection: sqlite3.Connection, account: str | None) -> list[GeneratedSite]:
    """The account's generated sites, newest first."""
    rows = connection.execute(
        f"SELECT {_COLUMNS} FROM generated_sites WHERE account IS ? ORDER BY created_at DESC, id DESC LIMIT ?",
        (account, MAX_LISTED),
    ).fetchall()
    return [
        GeneratedSite(
            account=row[0],
            project_id=row[1],
            website_id=row[2],
            prompt=row[3],
            name=row[4],
            created_at=from_text(row[5]),
            domain=row[6],
        )
        for row in rows
    ]
