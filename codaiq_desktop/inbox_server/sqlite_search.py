"""Lead lists on SQLite: the filters as SQL, and text search through FTS5.

The words are matched as prefixes in an FTS5 index (``unicode61``, accents folded) kept
by triggers on ``leads``. The FTS5 table drives a search in descending rowid order, each
match looked up by primary key, so a page stops after its rows and a count after the cap.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .models import COUNT_CAP, LeadPage, LeadQuery
from .sqlite_rows import LEAD_COLUMNS, lead_from_row
from .storage import page_limit, search_words


def lead_where(agency_id: str, query: LeadQuery) -> tuple[str, list[Any], str | None]:
    """The filters on ``leads`` (no text), their parameters, and the FTS5 query for the words (if any)."""
    parts = ["agency_id = ?"]
    parameters: list[Any] = [agency_id]
    if query.status is not None:
        parts.append("status = ?")
        parameters.append(query.status)
    if query.website_id is not None:
        parts.append("website_id = ?")
        parameters.append(query.website_id)
    if query.unassigned:
        parts.append("assignee IS NULL")
    elif query.assignee is not None:
        parts.append("assignee = ?")
        parameters.append(query.assignee)
    if query.unread is not None and query.reader is not None:
        negation = "NOT " if query.unread else ""
        parts.append(f"id {negation}IN (SELECT lead_id FROM lead_reads WHERE agency_id = ? AND member_id = ?)")
        parameters += [agency_id, query.reader]
    elif query.unread is True:
        parts.append("is_read = 0")
    elif query.unread is False:
        parts.append("is_read = 1")
    words = search_words(query.text)
    match = " ".join(f'"{word}"*' for word in words) if words else None
    return " AND ".join(parts), parameters, match


_JOINED_COLUMNS = ", ".join(f"l.{column}" for column in LEAD_COLUMNS.split(", "))


def _matching(where: str, match: str | None) -> tuple[str, str, str]:
    """FROM clause, WHERE prefix and id column of a lead query, with or without words.

    With words, the FTS5 table drives the loop in descending rowid order (CROSS JOIN keeps
    it outside), each match looked up by primary key: a page stops after its rows, and a
    capped count after the cap, however common the word. Filtering leads first and testing
    ``id IN (matches)`` would first collect every match of a common word.
    """
    if match is None:
        return "leads", where, "id"
    return (
        "leads_fts CROSS JOIN leads AS l ON l.id = leads_fts.rowid",
        f"leads_fts MATCH ? AND {where}",
        "leads_fts.rowid",
    )


def capped_count(c: sqlite3.Connection, agency_id: str, query: LeadQuery) -> int:
    where, parameters, match = lead_where(agency_id, query)
    source, condition, _id_column = _matching(where, match)
    values = ([match] if match else []) + parameters
    (total,) = c.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {condition} LIMIT {COUNT_CAP + 1})", values
    ).fetchone()
    return int(total)


def lead_page(c: sqlite3.Connection, agency_id: str, query: LeadQuery) -> LeadPage:
    """One page of ``query``'s leads, newest first, and their capped count."""
    limit = page_limit(query.limit)
    total = capped_count(c, agency_id, query)
    where, parameters, match = lead_where(agency_id, query)
    source, condition, id_column = _matching(where, match)
    values: list[Any] = ([match] if match else []) + parameters
    if query.before_id is not None:
        condition += f" AND {id_column} < ?"
        values.append(query.before_id)
    columns = _JOINED_COLUMNS if match else LEAD_COLUMNS
    rows = c.execute(
        f"SELECT {columns} FROM {source} WHERE {condition} ORDER BY {id_column} DESC LIMIT ? OFFSET ?",
        (*values, limit + 1, max(0, query.offset)),
    ).fetchall()
    leads = [lead_from_row(row) for row in rows[:limit]]
    return LeadPage(leads, leads[-1].id if len(rows) > limit else None, total)
