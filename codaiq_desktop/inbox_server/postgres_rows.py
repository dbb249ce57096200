"""The PostgreSQL engine's rows: the columns it selects, the models they become, the agency it acts for.

Shared by the engine's reads (``postgres_storage``), its write path (``postgres_writes``) and
its search (``postgres_search``). psycopg hands back times and JSON documents as Python
values, so the rows read as they are (:mod:`.rows`, the columns and models both engines share).
"""

from __future__ import annotations

from typing import Any

import psycopg

from .rows import EVENT_COLUMNS, LEAD_COLUMNS, MEMBER_COLUMNS, event_from_row, lead_from_row, member_from_row

__all__ = [
    "EVENT_COLUMNS",
    "LEAD_COLUMNS",
    "MEMBER_COLUMNS",
    "Connection",
    "as_agency",
    "event_from_row",
    "lead_from_row",
    "member_from_row",
]

Connection = psycopg.AsyncConnection[Any]


async def as_agency(connection: Connection, agency_id: str) -> None:
    """Row-level security: this transaction acts for ``agency_id`` only."""
    await connection.execute("SELECT set_config('codaiq.agency', %s, true)", (agency_id,))
