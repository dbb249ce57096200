"""The SQLite engine's rows: the columns it selects and the models they become (times stored as text).

Shared by the engine (``sqlite_storage``) and its lead lists and search (``sqlite_search``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from codaiq_desktop.store.timestamps import from_text

from . import rows
from .models import InboxEvent, InboxLead, Member
from .rows import EVENT_COLUMNS, LEAD_COLUMNS, MEMBER_COLUMNS

__all__ = ["EVENT_COLUMNS", "LEAD_COLUMNS", "MEMBER_COLUMNS", "event_from_row", "lead_from_row", "member_from_row"]


def _time(value: str | None) -> datetime | None:
    return from_text(value) if value else None


def _document(value: str | None) -> Any:
    return json.loads(value) if value else {}


def lead_from_row(row: tuple[Any, ...]) -> InboxLead:
    return rows.lead_from_row(row, time=_time, document=_document)


def event_from_row(row: tuple[Any, ...]) -> InboxEvent:
    return rows.event_from_row(row, time=_time)


def member_from_row(row: tuple[Any, ...]) -> Member:
    return rows.member_from_row(row, time=_time)
