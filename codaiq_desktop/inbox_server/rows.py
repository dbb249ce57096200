"""Both engines' rows: the columns they select and the models those become.

SQLite and PostgreSQL select the same columns in the same order; they differ only in how
a time and a JSON document come back (text there, native values here), which each
engine's ``*_rows`` module passes in as ``time`` and ``document``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .models import InboxEvent, InboxLead, Member

LEAD_COLUMNS = (
    "id, agency_id, lead_id, website_id, project_id, name, email, phone, message, data, captured_at, "
    "received_at, status, notes, assignee, is_read, version, updated_at, updated_by, event_count"
)
EVENT_COLUMNS = "id, event_id, type, website_id, project_id, occurred_at, received_at, lead_id, raw_body"
MEMBER_COLUMNS = "id, agency_id, email, role, created_at, revoked_at"

Convert = Callable[[Any], Any]


def _as_is(value: Any) -> Any:
    return value


def lead_from_row(row: tuple[Any, ...], *, time: Convert = _as_is, document: Convert = _as_is) -> InboxLead:
    data = document(row[9])
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
        data=data if isinstance(data, dict) else {},
        captured_at=row[10],
        received_at=time(row[11]),
        status=row[12],
        notes=row[13],
        assignee=row[14],
        read=bool(row[15]),
        version=row[16],
        updated_at=time(row[17]),
        updated_by=row[18],
        event_count=row[19],
    )


def event_from_row(row: tuple[Any, ...], *, time: Convert = _as_is) -> InboxEvent:
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
        received_at=time(row[6]),
        lead_id=row[7],
        payload=payload if isinstance(payload, dict) else {},
    )


def member_from_row(row: tuple[Any, ...], *, time: Convert = _as_is) -> Member:
    return Member(
        id=row[0],
        agency_id=row[1],
        email=row[2],
        role=row[3],
        created_at=time(row[4]),
        revoked_at=time(row[5]) if len(row) > 5 else None,
    )
