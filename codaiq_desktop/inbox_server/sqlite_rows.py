"""The SQLite engine's rows: the columns it selects and the models they become (times stored as text).

Shared by the engine (``sqlite_storage``) and its lead lists and search (``sqlite_search``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from codaiq_desktop.store.timestamps import from_text

from .models import InboxEvent, InboxLead, Member

LEAD_COLUMNS = (
    "id, agency_id, lead_id, website_id, project_id, name, email, phone, message, data, captured_at, "
    "received_at, status, notes, assignee, is_read, version, updated_at, updated_by, event_count"
)
EVENT_COLUMNS = "id, event_id, type, website_id, project_id, occurred_at, received_at, lead_id, raw_body"
MEMBER_COLUMNS = "id, agency_id, email, role, created_at, revoked_at"


def _time(value: str | None) -> datetime | None:
    return from_text(value) if value else None


def lead_from_row(row: tuple[Any, ...]) -> InboxLead:
    data = json.loads(row[9]) if row[9] else {}
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
        received_at=from_text(row[11]),
        status=row[12],
        notes=row[13],
        assignee=row[14],
        read=bool(row[15]),
        version=row[16],
        updated_at=_time(row[17]),
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
        received_at=from_text(row[6]),
        lead_id=row[7],
        payload=payload if isinstance(payload, dict) else {},
    )


def member_from_row(row: tuple[Any, ...]) -> Member:
    return Member(
        id=row[0], agency_id=row[1], email=row[2], role=row[3], created_at=from_text(row[4]), revoked_at=_time(row[5])
    )
