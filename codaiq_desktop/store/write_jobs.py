"""The store's write jobs: each runs on the writer thread, inside one transaction.

``Store`` prepares what needs no connection on the loop (the lead's values, the compact
JSON, the time) and hands these functions to the writer (``writer.py``), which batches
them into group commits. They only touch the connection they are given.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from .errors import LeadNotFoundError
from .models import Lead, RejectedAttempt, StoredEvent
from .payload import WebhookPayload, lead_fields
from .queries import EVENT_COLUMNS, LEAD_COLUMNS, event_from_row, lead_from_row
from .timestamps import to_text, utc_now


@dataclass(frozen=True, slots=True)
class Written:
    """An event already stored: the redelivery's answer is the first copy and its lead as it is now."""

    event: StoredEvent
    duplicate: bool
    lead: Lead | None


@dataclass(frozen=True, slots=True)
class Inserted:
    """A new event as the writer thread leaves it: row ids and the lead's row, not yet dataclasses.

    ``ingest`` builds the ``StoredEvent`` and ``Lead`` back on the loop, so the writer
    thread, which every delivery waits for, spends its time on SQL.
    """

    row_id: int
    lead_row: tuple[Any, ...] | None
    account: str | None


compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` without a new encoder per call."""


def now_text() -> str:
    """``to_text(utc_now())``, the same text at half the cost (it runs once per delivery).

    ``isoformat`` of an aware UTC time ends in ``+00:00`` where the stored form has ``Z``;
    any other time (a test's clock) goes through ``to_text``.
    """
    moment = utc_now()
    if moment.tzinfo is UTC and moment.year >= 1000:
        return moment.isoformat(timespec="microseconds")[:-6] + "Z"
    return to_text(moment)


_UPSERT_LEAD = f"""
INSERT INTO leads (lead_key, lead_id, website_id, project_id, name, email, phone, message, data,
                   captured_at, received_at, account)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (lead_key) DO UPDATE SET
    data        = json_patch(excluded.data, leads.data),
    captured_at = coalesce(leads.captured_at, excluded.captured_at),
    event_count = leads.event_count + 1
RETURNING {LEAD_COLUMNS}
"""
"""A new lead, or the next event of a known one: its data merged, its count raised.

The known lead's other fields are only ever filled where still empty ("coalesce"); that
is done by ``_fill_lead`` and only when there is something to fill. Naming those columns
in this ``SET`` would re-write every index on them (website, account, name, email and
their combinations) for every second event of a lead, though they almost never change.
"""

_FILLABLE = (  # (column, its position in LEAD_COLUMNS, its position in the _UPSERT_LEAD values)
    ("website_id", 2, 2),
    ("project_id", 3, 3),
    ("name", 4, 4),
    ("email", 5, 5),
    ("phone", 6, 6),
    ("message", 7, 7),
    ("account", 16, 11),
)


def lead_values(payload: WebhookPayload) -> tuple[Any, ...]:
    """The ``_UPSERT_LEAD`` values of a lead event but the last two (``received_at``, ``account``)."""
    fields = lead_fields(payload.data)
    lead_key = fields.lead_id if fields.lead_id is not None else f"event:{payload.event_id}"
    return (
        lead_key,
        fields.lead_id,
        payload.website_id,
        payload.project_id,
        fields.name,
        fields.email,
        fields.phone,
        fields.message,
        compact_json(payload.data),
        payload.occurred_at,
    )


def _fill_lead(connection: sqlite3.Connection, row: tuple[Any, ...], values: tuple[Any, ...]) -> tuple[Any, ...]:
    """``row`` after its empty fields took what ``values`` has for them (usually nothing to do)."""
    fill = [
        (column, values[given])
        for column, stored, given in _FILLABLE
        if row[stored] is None and values[given] is not None
    ]
    if not fill:
        return row
    assignments = ", ".join(f"{column} = ?" for column, _value in fill)
    updated: tuple[Any, ...] = connection.execute(
        f"UPDATE leads SET {assignments} WHERE id = ? RETURNING {LEAD_COLUMNS}",
        (*(value for _column, value in fill), row[0]),
    ).fetchone()
    return updated


def _duplicate(connection: sqlite3.Connection, event: StoredEvent, want_lead: bool = True) -> Written:
    """The answer for a redelivery: the copy stored the first time, and its lead as it is now."""
    lead = None
    if event.lead_id is not None and want_lead:
        row = connection.execute(f"SELECT {LEAD_COLUMNS} FROM leads WHERE id = ?", (event.lead_id,)).fetchone()
        lead = lead_from_row(row) if row else None
    return Written(event, True, lead)


def write_event(
    connection: sqlite3.Connection,
    raw_body: bytes,
    payload: WebhookPayload,
    lead: tuple[Any, ...] | None,
    headers_json: str,
    received_at: str,
    *,
    verified: bool,
    replay: bool,
    account: str | None,
    want_lead: bool = True,
) -> Written | Inserted:
    """Store one event (``lead``: its ``lead_values``, ``None`` if not a lead event).

    A redelivery gives the stored copy (``Written``, duplicate); a new event its row ids
    and lead row (``Inserted``), for ``ingest`` to turn into dataclasses.
    """
    if not replay:
        existing = connection.execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE event_id = ? AND replay = 0", (payload.event_id,)
        ).fetchone()
        if existing is not None:
            return _duplicate(connection, event_from_row(existing), want_lead)
    elif account is None:
        original = connection.execute(
            "SELECT account FROM events WHERE event_id = ? AND replay = 0", (payload.event_id,)
        ).fetchone()
        account = original[0] if original is not None else None
    lead_row: tuple[Any, ...] | None = None
    if lead is not None:
        values = (*lead, received_at, account)
        lead_row = _fill_lead(connection, connection.execute(_UPSERT_LEAD, values).fetchone(), values)
    cursor = connection.execute(
        """
        INSERT INTO events (event_id, type, website_id, project_id, occurred_at, received_at, verified, replay,
                            lead_id, body_sha256, raw_body, headers, account)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            payload.event_id,
            payload.event_type,
            payload.website_id,
            payload.project_id,
            payload.occurred_at,
            received_at,
            1 if verified else 0,
            1 if replay else 0,
            lead_row[0] if lead_row is not None else None,
            payload.body_sha256,
            raw_body,
            headers_json,
            account,
        ),
    )
    return Inserted(int(cursor.lastrowid or 0), lead_row, account)


def write_rejected(connection: sqlite3.Connection, record: RejectedAttempt, keep: int) -> int:
    """Note a refused delivery; only the newest ``keep`` notes stay (a flood must not fill the disk)."""
    cursor = connection.execute(
        """
        INSERT INTO rejected_attempts (received_at, reason, status_code, size, body_sha256, headers, remote)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        (
            to_text(record.received_at),
            record.reason,
            record.status_code,
            record.size,
            record.body_sha256,
            json.dumps(record.headers, ensure_ascii=False),
            record.remote,
        ),
    )
    row_id = int(cursor.lastrowid or 0)
    connection.execute("DELETE FROM rejected_attempts WHERE id <= ?", (row_id - keep,))
    return row_id


def update_lead_fields(
    connection: sqlite3.Connection, lead_id: int, status: str | None, notes: str | None, read: bool | None
) -> Lead:
    row = connection.execute(
        f"""
        UPDATE leads SET
            status = coalesce(?, status),
            notes = coalesce(?, notes),
            is_read = coalesce(?, is_read),
            updated_at = ?
        WHERE id = ?
        RETURNING {LEAD_COLUMNS}
        """,
        (status, notes, None if read is None else int(bool(read)), to_text(utc_now()), lead_id),
    ).fetchone()
    if row is None:
        raise LeadNotFoundError(f"No lead with id {lead_id}.")
    return lead_from_row(row)


def relabel_account(connection: sqlite3.Connection, old: str | None, new: str | None) -> int:
    # "IS" also matches NULL; it can still use the account indexes.
    connection.execute("UPDATE events SET account = ? WHERE account IS ?", (new, old))
    if old is not None:  # the registry always names its account; a rename carries it along
        connection.execute("UPDATE OR IGNORE generated_sites SET account = ? WHERE account IS ?", (new, old))
    return connection.execute("UPDATE leads SET account = ? WHERE account IS ?", (new, old)).rowcount


def mark_read(connection: sqlite3.Connection, lead_ids: list[int], read: bool) -> int:
    changed = 0
    now = to_text(utc_now())
    flag = 1 if read else 0
    for start in range(0, len(lead_ids), 500):
        chunk = lead_ids[start : start + 500]
        placeholders = ",".join("?" * len(chunk))
        cursor = connection.execute(
            f"UPDATE leads SET is_read = ?, updated_at = ? WHERE is_read != ? AND id IN ({placeholders})",
            (flag, now, flag, *chunk),
        )
        changed += cursor.rowcount
    return changed
