"""The PostgreSQL engine's rows: the columns it selects, the models they become, the agency it acts for.

Shared by the engine's reads (``postgres_storage``), its write path (``postgres_writes``) and
its search (``postgres_search``), so a column added to a table is added here once.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg

from .models import InboxEvent, InboxLead, Member

Connection = psycopg.AsyncConnection[Any]

LEAD_COLUMNS = (
    "id, agency_id, lead_id, website_id, project_id, name, email, phone, message, data, captured_at, "
    "received_at, status, notes, assignee, is_read, version, updated_at, updated_by, event_count"
)
EVENT_COLUMNS = "id, event_id, type, website_id, project_id, occurred_at, received_at, lead_id, raw_body"
MEMBER_COLUMNS = "id, agency_id, email, role, created_at, revoked_at"


def lead_from_row(row: tuple[Any, ...]) -> InboxLead:
    return InboxLead(
        id=row[0],
        agency_id=row[1],
        lead_id=row[2],
        website_id=row[3],
        project_id=row[4],
        name=row[5],
        email=row[6],
        phone=row[7],
        message=row[8],
        data=row[9] if isinstance(row[9], dict) else {},
        captured_at=row[10],
        received_at=row[11],
        status=row[12],
        notes=row[13],
        assignee=row[14],
        read=bool(row[15]),
        version=row[16],
        updated_at=row[17],
        updated_by=row[18],
        event_count=row[19],
    )


def event_from_row(row: tuple[Any, ...]) -> InboxEvent:
    try:
        payload = json.loads(bytes(row[8]))
    except ValueError:
        payload = {}
    return InboxEvent(
        id=row[0],
        event_id=row[1],
        type=row[2],
        website_id=row[3],
        project_id=row[4],
        occurred_at=row[5],
        received_at=row[6],
        lead_id=row[7],
        payload=payload if isinstance(payload, dict) else {},
    )


def member_from_row(row: tuple[Any, ...]) -> Member:
    return Member(
        id=row[0],
        agency_id=row[1],
        email=row[2],
        role=row[3],
        created_at=row[4],
        revoked_at=row[5] if len(row) > 5 else None,
    )


async def as_agency(connection: Connection, agency_id: str) -> None:
    """Row-level security: this transaction acts for ``agency_id`` only."""
    await connection.execute("SELECT set_config('codaiq.agency', %s, true)", (agency_id,))
