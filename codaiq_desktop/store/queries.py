"""SQL for the read side: lead filters, sort orders, text search, and rows to dataclasses.

Kept apart from ``Store`` so the shape of every query the UI can make is in one place,
next to the indexes in ``schema.py`` that make it fast.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from .models import ASSIGNEE_NONE, LEAD_SORT_KEYS, LEAD_STATUSES, Lead, LeadFilter, RejectedAttempt, StoredEvent
from .timestamps import from_text, to_text

LEAD_COLUMNS = (
    "id, lead_id, website_id, project_id, name, email, phone, message, data, captured_at, "
    "received_at, status, notes, is_read, updated_at, event_count, account"
)
EVENT_COLUMNS = (
    "id, event_id, type, website_id, project_id, received_at, verified, replay, raw_body, headers, lead_id, "
    "occurred_at, account"
)
REJECTED_COLUMNS = "id, received_at, reason, status_code, size, body_sha256, headers, remote"

_SORT_EXPRESSIONS = {
    "received_at": "received_at",
    "name": "name COLLATE NOCASE",
    "email": "email COLLATE NOCASE",
    "status": "status",
    "website_id": "website_id",
}
assert set(_SORT_EXPRESSIONS) == set(LEAD_SORT_KEYS)

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_SEARCH_WORDS = 16


@dataclass(frozen=True, slots=True)
class WhereClause:
    sql: str
    parameters: tuple[Any, ...]


def fts_query(text: str) -> str | None:
    """Turn what a user typed into an FTS5 query: every word must match, as a prefix.

    Words are quoted, so FTS5 operators typed by the user (``AND``, ``NEAR``, ``*``,
    quotes, column filters) are plain text and can never make the query fail.
    ``None`` when the text holds no word at all (the filter is then ignored).
    """
    words = _WORD.findall(text)[:MAX_SEARCH_WORDS]
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def lead_where(lead_filter: LeadFilter) -> WhereClause:
    """The WHERE clause (``"1"`` when unfiltered) and its parameters for ``lead_filter``."""
    parts: list[str] = []
    parameters: list[Any] = []
    if lead_filter.account is not None:
        parts.append("account = ?")
        parameters.append(lead_filter.account)
    if lead_filter.website_id is not None:
        parts.append("website_id = ?")
        parameters.append(lead_filter.website_id)
    if lead_filter.status is not None:
        if lead_filter.status not in LEAD_STATUSES:
            raise ValueError(f"Unknown lead status {lead_filter.status!r}; use one of {', '.join(LEAD_STATUSES)}.")
        parts.append("status = ?")
        parameters.append(lead_filter.status)
    if lead_filter.since is not None:
        parts.append("received_at >= ?")
        parameters.append(to_text(lead_filter.since))
    if lead_filter.until is not None:
        parts.append("received_at < ?")
        parameters.append(to_text(lead_filter.until))
    if lead_filter.unread_only:
        parts.append("is_read = 0")  # literal, so the partial index applies
    if lead_filter.assignee not in (None, ASSIGNEE_NONE):
        parts.append("0")  # nothing is assigned to anyone in a local store
    if lead_filter.text is not None:
        query = fts_query(lead_filter.text)
        if query is not None:
            parts.append("id IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)")
            parameters.append(query)
    return WhereClause(" AND ".join(parts) or "1", tuple(parameters))


def lead_order(sort: str, descending: bool) -> str:
    """ORDER BY text for a sort key, with the row id as tie-breaker (a stable, total order)."""
    try:
        expression = _SORT_EXPRESSIONS[sort]
    except KeyError:
        raise ValueError(f"Cannot sort leads by {sort!r}; use one of {', '.join(LEAD_SORT_KEYS)}.") from None
    direction = "DESC" if descending else "ASC"
    return f"{expression} {direction}, id {direction}"


def _json_object(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def lead_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Lead:
    return Lead(
        id=row[0],
        lead_id=row[1],
        website_id=row[2],
        project_id=row[3],
        name=row[4],
        email=row[5],
        phone=row[6],
        message=row[7],
        data=_json_object(row[8]),
        captured_at=row[9],
        received_at=from_text(row[10]),
        status=row[11],
        notes=row[12],
        read=bool(row[13]),
        updated_at=from_text(row[14]) if row[14] else None,
        event_count=row[15],
        account=row[16],
    )


def event_from_row(row: sqlite3.Row | tuple[Any, ...]) -> StoredEvent:
    raw_body = bytes(row[8])
    try:
        payload = json.loads(raw_body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        payload = {}
    return StoredEvent(
        id=row[0],
        event_id=row[1],
        type=row[2],
        website_id=row[3],
        project_id=row[4],
        received_at=from_text(row[5]),
        verified=bool(row[6]),
        replay=bool(row[7]),
        payload=payload if isinstance(payload, dict) else {},
        raw_body=raw_body,
        headers={str(k): str(v) for k, v in _json_object(row[9]).items()},
        lead_id=row[10],
        occurred_at=row[11],
        account=row[12],
    )


def rejected_from_row(row: sqlite3.Row | tuple[Any, ...]) -> RejectedAttempt:
    return RejectedAttempt(
        id=row[0],
        received_at=from_text(row[1]),
        reason=row[2],
        status_code=row[3],
        size=row[4],
        body_sha256=row[5],
        headers={str(k): str(v) for k, v in _json_object(row[6]).items()},
        remote=row[7],
    )
