"""Schema migrations on real files written at an earlier version: data kept, brought forward."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from codaiq_desktop.signing import EVENT_ID_HEADER
from codaiq_desktop.store import SCHEMA_VERSION, LeadFilter, Store, schema
from tests.fixtures.receiver import encode, make_event

RECEIVED = "2026-04-01T09:00:00.000000Z"


def _file_at_version(path: Path, version: int) -> sqlite3.Connection:
    """A store file as the app at ``version`` left it: that version's migrations, nothing later."""
    connection = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(schema.MIGRATIONS[:version], start=1):
        connection.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    assert connection.execute("PRAGMA user_version").fetchone() == (version,)
    return connection


def _insert_event(
    connection: sqlite3.Connection, body: bytes, event_id: str, *, lead_id: int | None = None, replay: bool = False
) -> int:
    payload = json.loads(body)
    headers = json.dumps({EVENT_ID_HEADER.lower(): event_id})
    cursor = connection.execute(
        "INSERT INTO events (event_id, type, website_id, project_id, occurred_at, received_at, verified, replay,"
        " lead_id, body_sha256, raw_body, headers) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
        (
            event_id,
            payload["event"],
            payload.get("websiteId"),
            payload.get("projectId"),
            payload.get("timestamp"),
            RECEIVED,
            int(replay),
            lead_id,
            hashlib.sha256(body).hexdigest(),
            body,
            headers,
        ),
    )
    return int(cursor.lastrowid)


def _digest_key(body: bytes) -> str:
    return f"sha256:{hashlib.sha256(body).hexdigest()}"


async def test_version_1_events_keyed_on_the_unsigned_header_are_rekeyed_on_their_body(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    old = _file_at_version(path, 1)
    no_id = encode(make_event("website.updated", with_id=False, data={"n": 1}))
    first_copy = _insert_event(old, no_id, "hdr_first")  # version 1 keyed it on the header...
    second_copy = _insert_event(old, no_id, "hdr_second")  # ...so a fresh header stored it again
    with_id = encode(make_event("website.updated", event_id="evt_signed", data={"n": 2}))
    signed = _insert_event(old, with_id, "evt_signed")
    empty_id = encode({**json.loads(no_id), "id": "", "data": {"n": 3}})
    empty = _insert_event(old, empty_id, "hdr_empty")
    by_digest = encode(make_event("website.updated", with_id=False, data={"n": 4}))
    digest_row = _insert_event(old, by_digest, _digest_key(by_digest))
    replayed = _insert_event(old, no_id, "hdr_first", replay=True)
    not_json_for_sqlite = b'{"event": "website.updated", "data": {"x": NaN}}'  # Python reads it, SQLite does not
    odd = _insert_event(old, not_json_for_sqlite, "hdr_odd")
    old.close()

    with Store(path) as store:
        keys = {event.id: event.event_id for event in store.list_events(limit=100)}
        assert keys == {
            first_copy: _digest_key(no_id),
            second_copy: "hdr_second",  # an extra copy already stored stays listed as it was
            signed: "evt_signed",
            empty: _digest_key(empty_id),
            digest_row: _digest_key(by_digest),
            replayed: "hdr_first",
            odd: "hdr_odd",
        }
        again = await store.ingest(no_id, {EVENT_ID_HEADER: "hdr_third"})
        assert again.duplicate and again.event.id == first_copy
        assert (await store.ingest(empty_id, {EVENT_ID_HEADER: "hdr_other"})).duplicate
        assert store.count_events() == 7
        assert store.integrity_check() == "ok"
    probe = sqlite3.connect(path)
    try:
        assert probe.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    finally:
        probe.close()


def _insert_lead(connection: sqlite3.Connection, lead_key: str, name: str) -> int:
    cursor = connection.execute(
        "INSERT INTO leads (lead_key, lead_id, website_id, project_id, name, email, data, received_at)"
        " VALUES (?, ?, 'web_1', 'proj_1', ?, ?, '{}', ?)",
        (lead_key, lead_key, name, f"{name.lower()}@example.com", RECEIVED),
    )
    return int(cursor.lastrowid)


async def test_version_2_file_gains_accounts_with_every_row_kept_and_none_as_its_account(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    old = _file_at_version(path, 2)
    lead = _insert_lead(old, "lead_old", "Ada")
    body = encode(make_event("lead.captured", event_id="evt_old", data={"leadId": "lead_old", "name": "Ada"}))
    event = _insert_event(old, body, "evt_old", lead_id=lead)
    old.execute(
        "INSERT INTO rejected_attempts (received_at, reason, status_code, size, body_sha256)"
        " VALUES (?, 'The signature does not match the body.', 401, 12, 'ab')",
        (RECEIVED,),
    )
    old.close()

    with Store(path) as store:
        [kept_lead] = store.list_leads()
        assert (kept_lead.id, kept_lead.name, kept_lead.account) == (lead, "Ada", None)
        [kept_event] = store.list_events()
        assert (kept_event.id, kept_event.event_id, kept_event.lead_id, kept_event.account) == (
            event,
            "evt_old",
            lead,
            None,
        )
        assert kept_event.raw_body == body
        assert store.count_rejected() == 1
        assert store.count_leads(LeadFilter(account="alpha")) == 0  # an old row belongs to no account
        assert store.count_leads(LeadFilter(account=None)) == 1
        assert (await store.ingest(body, {}, account="alpha")).duplicate  # still recognised
        fresh = await store.ingest(encode(make_event("lead.captured")), {}, account="alpha")
        assert fresh.lead.account == "alpha"
        assert [found.id for found in store.list_leads(LeadFilter(account="alpha"))] == [fresh.lead.id]
        assert store.integrity_check() == "ok"

    probe = sqlite3.connect(path)
    try:
        assert probe.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        indexes = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"leads_account_received", "events_account", "events_account_type"} <= indexes
    finally:
        probe.close()
