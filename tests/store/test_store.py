"""The store on real SQLite files: ingest, de-duplication, leads, local fields, schema."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from codaiq_desktop.signing import EVENT_ID_HEADER
from codaiq_desktop.store import (
    SCHEMA_VERSION,
    EventBus,
    InvalidPayloadError,
    LeadFilter,
    LeadNotFoundError,
    SchemaTooNewError,
    Store,
    StoreClosedError,
    StoredEvent,
    schema,
)
from codaiq_desktop.store import store as store_module
from tests.fixtures.receiver import encode, make_event


async def test_ingest_stores_the_event_and_its_lead(store: Store) -> None:
    payload = make_event(
        "lead.captured",
        website_id="web_9",
        project_id="proj_9",
        data={"leadId": "lead_A", "name": "Jane Smith", "email": "jane@example.com", "message": "Hi"},
        event_id="evt_A",
    )
    result = await store.ingest(encode(payload), {"Content-Type": "application/json"})

    assert not result.duplicate
    stored = store.get_event(result.event.id)
    assert stored == result.event
    assert (stored.event_id, stored.type, stored.website_id, stored.project_id) == (
        "evt_A",
        "lead.captured",
        "web_9",
        "proj_9",
    )
    assert stored.verified and not stored.replay
    assert stored.raw_body == encode(payload)
    assert stored.payload == payload
    lead = store.get_lead(stored.lead_id)
    assert lead == result.lead
    assert (lead.lead_id, lead.name, lead.email, lead.message) == ("lead_A", "Jane Smith", "jane@example.com", "Hi")
    assert (lead.status, lead.notes, lead.read, lead.event_count) == ("new", "", False, 1)
    assert lead.received_at == stored.received_at


async def test_lead_captured_and_form_submitted_make_one_lead_with_two_events(store: Store) -> None:
    data = {"leadId": "lead_same", "name": "Ann", "email": "ann@example.com"}
    first = await store.ingest(encode(make_event("lead.captured", data=data)), {})
    second = await store.ingest(encode(make_event("form.submitted", data={**data, "phone": "555"})), {})

    assert first.lead.id == second.lead.id
    assert store.count_leads() == 1
    lead = store.get_lead(first.lead.id)
    assert lead.event_count == 2
    assert lead.phone == "555"  # a detail only the second event carried is filled in
    assert [event.type for event in store.lead_events(lead.id)] == ["lead.captured", "form.submitted"]


async def test_a_redelivery_is_a_duplicate_and_changes_nothing(store: Store) -> None:
    body = encode(make_event(event_id="evt_once"))
    first = await store.ingest(body, {})
    again = await store.ingest(body, {})

    assert again.duplicate and not first.duplicate
    assert again.event == first.event
    assert store.count_events() == 1
    assert store.get_lead(first.lead.id).event_count == 1


async def test_without_a_payload_id_the_key_is_the_body_digest_whatever_the_header(store: Store) -> None:
    without_id = encode(make_event("website.updated", with_id=False, data={}))
    first = await store.ingest(without_id, {EVENT_ID_HEADER: "hdr_1"})
    assert first.event.event_id == f"sha256:{hashlib.sha256(without_id).hexdigest()}"
    assert first.event.headers[EVENT_ID_HEADER.lower()] == "hdr_1"  # kept for display only
    assert (await store.ingest(without_id, {EVENT_ID_HEADER: "hdr_2"})).duplicate
    assert (await store.ingest(without_id, {})).duplicate

    other = encode(make_event("website.updated", with_id=False, data={"x": 1}))
    by_digest = await store.ingest(other, {EVENT_ID_HEADER: "hdr_1"})  # a reused header id: still new
    assert not by_digest.duplicate and by_digest.event.event_id.startswith("sha256:")
    assert store.count_events() == 2


async def test_payload_id_wins_over_the_unsigned_header(store: Store) -> None:
    body = encode(make_event(event_id="evt_signed"))
    await store.ingest(body, {EVENT_ID_HEADER: "hdr_a"})
    assert (await store.ingest(body, {EVENT_ID_HEADER: "hdr_b"})).duplicate


async def test_replay_stores_again_flagged_and_keeps_one_lead(store: Store) -> None:
    body = encode(make_event(event_id="evt_r"))
    first = await store.ingest(body, {})
    replayed = await store.ingest(body, {}, replay=True)

    assert not replayed.duplicate and replayed.event.replay
    assert replayed.event.id != first.event.id
    assert replayed.lead.id == first.lead.id
    assert store.count_events() == 2
    assert store.count_leads() == 1


async def test_unknown_event_types_are_stored_and_listed(store: Store) -> None:
    await store.ingest(encode(make_event("website.teleported", data={"where": "moon"})), {})
    await store.ingest(encode(make_event("lead.captured")), {})
    await store.ingest(encode(make_event("a.first")), {})

    assert store.event_types() == ["a.first", "lead.captured", "website.teleported"]
    [odd] = store.list_events(type="website.teleported")
    assert odd.payload["data"] == {"where": "moon"} and odd.lead_id is None


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe\x00",
        b"[1, 2]",
        b'"just a string"',
        b'{"data": {}}',
        b'{"event": ""}',
        b'{"event": 42}',
        b'{"event": "lead.captured", "data": [1]}',
        b'{"event": "lead.captured", "websiteId": {"nested": true}}',
        b'{"event": "lead.captured", "timestamp": 5}',
        b"[" * 100_000,
    ],
    ids=lambda body: body[:24].decode("latin-1"),
)
async def test_bodies_that_are_not_payloads_are_refused_and_nothing_is_stored(store: Store, body: bytes) -> None:
    with pytest.raises(InvalidPayloadError):
        await store.ingest(body, {})
    assert store.count_events() == 0
    assert store.count_leads() == 0


async def test_only_allow_listed_headers_are_kept(store: Store) -> None:
    headers = {
        "Content-Type": "application/json",
        "X-Codaiq-Signature": "abc",
        "X-Codaiq-Delivery-Attempt": "2",
        "Authorization": "Bearer secret-token",
        "Cookie": "session=secret",
        "X-API-Key": "secret-key",
    }
    result = await store.ingest(encode(make_event()), headers)
    stored = store.get_event(result.event.id)
    assert stored.headers == {
        "content-type": "application/json",
        "x-codaiq-signature": "abc",
        "x-codaiq-delivery-attempt": "2",
    }
    raw = Path(store.path).read_bytes() + Path(f"{store.path}-wal").read_bytes()
    assert b"secret-token" not in raw and b"secret-key" not in raw


async def test_subscribers_hear_each_new_event_after_it_is_committed(store: Store) -> None:
    seen: list[tuple[StoredEvent, StoredEvent | None]] = []
    unsubscribe = store.bus.subscribe(lambda event: seen.append((event, store.get_event(event.id))))

    def broken(event: StoredEvent) -> None:
        raise RuntimeError("a listener failing must not matter")

    store.bus.subscribe(broken)
    body = encode(make_event())
    result = await store.ingest(body, {})
    await store.ingest(body, {})  # duplicate: not news
    await asyncio.sleep(0)

    assert [event for event, _ in seen] == [result.event]
    assert seen[0][1] == result.event  # readable from the store when the subscriber runs
    unsubscribe()
    unsubscribe()
    await store.ingest(encode(make_event()), {})
    assert len(seen) == 1


async def test_notify_false_leaves_publishing_to_the_caller(store: Store) -> None:
    seen: list[StoredEvent] = []
    store.bus.subscribe(seen.append)
    result = await store.ingest(encode(make_event()), {}, notify=False)
    assert seen == []
    store.publish(result)
    assert seen == [result.event]


async def test_concurrent_ingests_all_commit_with_distinct_rows(store: Store) -> None:
    bodies = [encode(make_event("website.updated", data={"n": n})) for n in range(300)]
    results = await asyncio.gather(*(store.ingest(body, {}) for body in bodies))
    assert len({result.event.id for result in results}) == 300
    assert store.count_events() == 300


NOTE = (
    "INSERT INTO rejected_attempts (received_at, reason, status_code, size) VALUES ('2026-01-01T00:00:00Z', ?, 401, 0)"
)


async def test_a_failing_write_does_not_undo_the_others_in_its_batch(store: Store) -> None:
    writer = store._writer  # the batching is the point of this test

    def ok(connection: sqlite3.Connection) -> int:
        connection.execute(NOTE, ("ok",))
        return 1

    def fails(connection: sqlite3.Connection) -> int:
        connection.execute(NOTE, ("bad",))
        raise ValueError("boom")

    futures = [writer.submit(job) for job in (ok, fails, ok)]
    assert futures[0].result() == 1 and futures[2].result() == 1
    with pytest.raises(ValueError, match="boom"):
        futures[1].result()
    assert [attempt.reason for attempt in store.list_rejected()] == ["ok", "ok"]


async def test_update_lead_changes_only_local_fields_and_they_survive_new_events(store: Store) -> None:
    data = {"leadId": "lead_keep", "name": "Kim"}
    first = await store.ingest(encode(make_event("lead.captured", data=data)), {})
    updated = store.update_lead(first.lead.id, status="qualified", notes="Call Tuesday", read=True)
    assert (updated.status, updated.notes, updated.read) == ("qualified", "Call Tuesday", True)
    assert updated.updated_at is not None
    assert store.update_lead(first.lead.id, read=False).notes == "Call Tuesday"

    await store.ingest(encode(make_event("form.submitted", data={**data, "name": "Other"})), {})
    lead = store.get_lead(first.lead.id)
    assert (lead.status, lead.notes, lead.name) == ("qualified", "Call Tuesday", "Kim")


async def test_update_lead_refuses_bad_input_without_changing_anything(store: Store) -> None:
    result = await store.ingest(encode(make_event()), {})
    with pytest.raises(ValueError, match="status"):
        store.update_lead(result.lead.id, status="maybe")
    with pytest.raises(LeadNotFoundError):
        store.update_lead(999_999, status="won")
    assert store.get_lead(result.lead.id).status == "new"


async def test_unread_count_and_mark_read(store: Store) -> None:
    results = [await store.ingest(encode(make_event()), {}) for _ in range(5)]
    assert store.unread_count() == 5
    assert store.mark_read([r.lead.id for r in results[:3]]) == 3
    assert store.mark_read([r.lead.id for r in results[:3]]) == 0
    assert store.unread_count() == 2
    assert {lead.id for lead in store.list_leads(LeadFilter(unread_only=True))} == {r.lead.id for r in results[3:]}


async def test_rejected_attempts_keep_a_digest_never_the_body(store: Store) -> None:
    body = b'{"event": "lead.captured", "data": {"name": "forged-person"}}'
    attempt = await store.record_rejected(body, {"X-Codaiq-Signature": "bad", "Cookie": "c"}, "bad signature")
    assert attempt.body_sha256 is not None and len(attempt.body_sha256) == 64
    assert attempt.size == len(body)
    assert store.list_rejected() == [attempt]
    assert store.count_rejected() == 1
    assert attempt.headers == {"x-codaiq-signature": "bad"}
    raw = Path(store.path).read_bytes() + Path(f"{store.path}-wal").read_bytes()
    assert b"forged-person" not in raw

    unread = await store.record_rejected(None, {}, "too large", status_code=413, size=5_000_000)
    assert (unread.body_sha256, unread.size, unread.status_code) == (None, 5_000_000, 413)


async def test_rejected_attempts_are_capped(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "KEEP_REJECTED", 5)
    for n in range(12):
        await store.record_rejected(b"x", {}, f"attempt {n}")
    assert [a.reason for a in store.list_rejected()] == [f"attempt {n}" for n in range(11, 6, -1)]


async def test_closed_store_refuses_writes(tmp_path: Path) -> None:
    closed = Store(tmp_path / "s.sqlite3")
    closed.close()
    closed.close()
    with pytest.raises(StoreClosedError):
        await closed.ingest(encode(make_event()), {})


async def test_data_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with Store(path) as first:
        result = await first.ingest(encode(make_event()), {})
        first.update_lead(result.lead.id, notes="kept")
    with Store(path) as again:
        assert again.get_event(result.event.id) == result.event
        assert again.get_lead(result.lead.id).notes == "kept"
        assert again.integrity_check() == "ok"


def test_new_store_is_wal_at_the_current_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "s.sqlite3"
    with Store(path, bus=EventBus()):
        probe = sqlite3.connect(path)
        try:
            assert probe.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert probe.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        finally:
            probe.close()


def test_a_store_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE future (x)")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    before = path.read_bytes()

    with pytest.raises(SchemaTooNewError, match="newer"):
        Store(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"this is not a database, and it is long enough to be read as a header " * 10)
    with pytest.raises(sqlite3.DatabaseError):
        Store(path)
    assert path.read_bytes().startswith(b"this is not a database")


def test_reads_reject_bad_paging_and_sorting(store: Store) -> None:
    with pytest.raises(ValueError):
        store.list_leads(limit=0)
    with pytest.raises(ValueError):
        store.list_leads(offset=-1)
    with pytest.raises(ValueError, match="sort"):
        store.list_leads(sort="id; DROP TABLE leads")
    with pytest.raises(ValueError, match="status"):
        store.count_leads(LeadFilter(status="archived"))


async def test_list_events_filters_and_counts(store: Store) -> None:
    for kind in ("a.x", "b.y", "a.x"):
        await store.ingest(encode(make_event(kind, data={})), {})
    await store.ingest(encode(make_event("a.x", data={})), {}, verified=False)
    assert store.count_events(type="a.x") == 3
    assert store.count_events(verified=False) == 1
    newest_first = store.list_events()
    assert [e.id for e in newest_first] == sorted((e.id for e in newest_first), reverse=True)
    assert [e.type for e in store.list_events(type="a.x", verified=True)] == ["a.x", "a.x"]
    assert len(store.list_events(offset=1, limit=2)) == 2


async def test_odd_but_valid_lead_data_is_kept_as_sent(store: Store) -> None:
    data = {"leadId": 7, "name": "Zoë 🚀", "phone": 5551234, "fields": {"budget": "10k"}, "extra": [1, 2]}
    result = await store.ingest(encode(make_event("form.submitted", data=data)), {})
    lead = store.get_lead(result.lead.id)
    assert (lead.lead_id, lead.name, lead.phone) == ("7", "Zoë 🚀", "5551234")
    assert lead.data == data


async def test_a_lead_event_without_lead_id_is_its_own_lead(store: Store) -> None:
    first = await store.ingest(encode(make_event("lead.captured", data={"name": "No Id"})), {})
    second = await store.ingest(encode(make_event("lead.captured", data={"name": "No Id"})), {})
    assert first.lead.id != second.lead.id
    assert first.lead.lead_id is None


async def test_the_writer_survives_a_batch_that_breaks_its_transaction(store: Store) -> None:
    def rogue(connection: sqlite3.Connection) -> None:
        connection.execute("ROLLBACK")  # leaves no savepoint to release: the batch itself fails

    with pytest.raises(sqlite3.Error):
        store._writer.submit(rogue).result(10)
    result = await store.ingest(encode(make_event()), {})
    assert store.get_event(result.event.id) == result.event


async def test_a_later_migration_upgrades_an_existing_file_and_keeps_its_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    with Store(path) as first:
        result = await first.ingest(encode(make_event()), {})
    upgraded = (*schema.MIGRATIONS, "ALTER TABLE leads ADD COLUMN tags TEXT NOT NULL DEFAULT '';")
    monkeypatch.setattr(schema, "MIGRATIONS", upgraded)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(upgraded))
    with Store(path) as again:
        assert again.get_lead(result.lead.id) == result.lead
    probe = sqlite3.connect(path)
    try:
        assert probe.execute("PRAGMA user_version").fetchone()[0] == len(upgraded)
        assert probe.execute("SELECT tags FROM leads").fetchone() == ("",)
    finally:
        probe.close()


def test_a_failing_migration_leaves_the_file_at_its_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    Store(path).close()
    broken = (*schema.MIGRATIONS, "ALTER TABLE leads ADD COLUMN half TEXT; SELECT * FROM no_such_table;")
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(broken))
    with pytest.raises(sqlite3.OperationalError):
        Store(path)
    monkeypatch.undo()
    probe = sqlite3.connect(path)
    try:
        assert probe.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = [row[1] for row in probe.execute("PRAGMA table_info(leads)")]
        assert "half" not in columns
    finally:
        probe.close()
    Store(path).close()  # and it still opens


async def test_waiting_for_a_slow_commit_never_blocks_the_loop(store: Store) -> None:
    """The writer thread may wait on the disk; the asyncio (Qt) loop keeps running meanwhile."""
    release = threading.Event()
    busy = store._writer.submit(lambda connection: release.wait(5))  # the writer is now busy
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while not release.is_set():
            ticks += 1
            if ticks == 50:
                release.set()
            await asyncio.sleep(0)

    ingest = asyncio.ensure_future(store.ingest(encode(make_event()), {}))
    await ticker()
    result = await ingest
    assert busy.result() is True  # released by the loop, not by the timeout: it never blocked
    assert ticks == 50
    assert store.get_event(result.event.id) == result.event


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
async def test_a_new_store_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private" / "store.sqlite3"
    with Store(path) as created:
        await created.ingest(encode(make_event()), {})
        for part in (path, Path(f"{path}-wal")):
            assert stat.S_IMODE(part.stat().st_mode) == 0o600, part


async def test_a_later_event_fills_only_what_its_lead_still_lacks(store: Store) -> None:
    first = await store.ingest(
        encode(make_event("lead.captured", website_id=None, data={"leadId": "lead_fill", "email": "f@example.com"})), {}
    )
    assert (first.lead.name, first.lead.website_id, first.lead.account) == (None, None, None)
    second = await store.ingest(
        encode(
            make_event(
                "form.submitted",
                website_id="web_fill",
                data={"leadId": "lead_fill", "name": "Filled Later", "email": "other@example.com", "x": 1},
            )
        ),
        {},
        account="acct-fill",
    )
    lead = store.get_lead(first.lead.id)
    assert second.lead == lead  # what ingest answers is the row as stored
    assert (lead.name, lead.email, lead.website_id, lead.account) == (
        "Filled Later",
        "f@example.com",  # never overwritten, only filled
        "web_fill",
        "acct-fill",
    )
    assert lead.event_count == 2 and lead.data["x"] == 1
    assert [found.id for found in store.list_leads(LeadFilter(text="filled"))] == [lead.id]  # text search sees it

    third = await store.ingest(
        encode(make_event("form.submitted", website_id="web_other", data={"leadId": "lead_fill", "name": "No"})),
        {},
        account="acct-other",
    )
    assert third.lead == store.get_lead(lead.id)
    assert (third.lead.name, third.lead.website_id, third.lead.account, third.lead.event_count) == (
        "Filled Later",
        "web_fill",
        "acct-fill",
        3,
    )


async def test_one_batch_of_async_writes_wakes_the_loop_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    loop = asyncio.get_running_loop()
    wakeups = 0
    original = loop.call_soon_threadsafe

    def counting(*args, **kwargs):
        nonlocal wakeups
        wakeups += 1
        return original(*args, **kwargs)

    release, started = threading.Event(), threading.Event()

    def hold_the_writer(connection: sqlite3.Connection) -> bool:
        started.set()
        return release.wait(5)

    busy = store._writer.submit(hold_the_writer)  # the next jobs queue up meanwhile
    assert started.wait(5)  # taken alone: the ingests below form the next batch
    submitted = 0
    submit_async = store._writer.submit_async

    def counting_submit(job: Callable[[sqlite3.Connection], object]) -> asyncio.Future[object]:
        nonlocal submitted
        submitted += 1
        return submit_async(job)

    monkeypatch.setattr(loop, "call_soon_threadsafe", counting)
    monkeypatch.setattr(store._writer, "submit_async", counting_submit)
    ingests = [asyncio.ensure_future(store.ingest(encode(make_event()), {})) for _ in range(20)]
    deadline = time.monotonic() + 10
    while submitted < 20:  # until every ingest is queued behind the busy job
        assert time.monotonic() < deadline, f"only {submitted} of 20 ingests reached the writer"
        await asyncio.sleep(0.005)
    release.set()
    results = await asyncio.gather(*ingests)
    assert busy.result(5) is True
    assert len({result.event.id for result in results}) == 20 and store.count_events() == 20
    assert wakeups == 1


async def test_an_async_write_given_up_before_it_ran_is_skipped(store: Store) -> None:
    release = threading.Event()
    busy = store._writer.submit(lambda connection: release.wait(5))
    ran: list[str] = []

    def job(connection: sqlite3.Connection) -> str:
        ran.append("job")
        return "done"

    abandoned = store._writer.submit_async(job)
    kept = store._writer.submit_async(job)
    abandoned.cancel()
    release.set()
    assert await kept == "done"
    assert busy.result(5) is True
    assert ran == ["job"] and abandoned.cancelled()


async def test_a_failing_async_write_fails_alone(store: Store) -> None:
    def ok(connection: sqlite3.Connection) -> int:
        connection.execute(NOTE, ("ok",))
        return 1

    def fails(connection: sqlite3.Connection) -> int:
        connection.execute(NOTE, ("bad",))
        raise ValueError("boom")

    futures = [store._writer.submit_async(job) for job in (ok, fails, ok)]
    outcomes = await asyncio.gather(*futures, return_exceptions=True)
    assert outcomes[0] == 1 and outcomes[2] == 1 and isinstance(outcomes[1], ValueError)
    assert [attempt.reason for attempt in store.list_rejected()] == ["ok", "ok"]


def test_an_async_write_whose_loop_closed_does_not_stop_the_writer(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as own:
        release = threading.Event()
        own._writer.submit(lambda connection: release.wait(5))

        async def abandon() -> None:
            own._writer.submit_async(lambda connection: 1)  # its loop is gone by the time it commits

        asyncio.run(abandon())
        release.set()
        assert own._writer.run(lambda connection: 2) == 2


async def test_want_lead_false_stores_the_lead_but_does_not_read_it_back(store: Store) -> None:
    data = {"leadId": "lead_quiet", "name": "Quiet"}
    result = await store.ingest(encode(make_event("lead.captured", data=data)), {}, want_lead=False)
    assert result.lead is None and not result.duplicate
    [lead] = store.list_leads()
    assert lead.name == "Quiet" and result.event.lead_id == lead.id
    assert store.get_event(result.event.id) == result.event
    again = await store.ingest(encode(make_event("form.submitted", data=data)), {}, want_lead=False)
    assert again.lead is None and again.event.lead_id == lead.id
    assert store.get_lead(lead.id).event_count == 2


async def test_async_edits_commit_in_the_order_asked_without_blocking_the_loop(tmp_path: Path) -> None:
    """The awaitable writes the desktop uses: the loop keeps running while the writer commits."""
    store = await Store.open_async(tmp_path / "async.sqlite3")
    try:
        first = await store.ingest(encode(make_event("lead.captured", data={"email": "a@example.com"})), {})
        assert first.lead is not None
        lead_id = first.lead.id
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        ticker = asyncio.ensure_future(tick())
        edits = [store.update_lead_async(lead_id, notes=f"note {n}") for n in range(50)]
        done = await asyncio.gather(*edits)
        ticker.cancel()
        assert [lead.notes for lead in done] == [f"note {n}" for n in range(50)]
        assert ticks > 0  # the loop ran while the edits were committed
        assert store.get_lead(lead_id).notes == "note 49"  # type: ignore[union-attr]
        with pytest.raises(ValueError, match="Unknown lead status"):
            await store.update_lead_async(lead_id, status="bogus")
        assert await store.relabel_account_async(None, "Agency") == 1
        assert await store.relabel_account_async("Agency", "Agency") == 0
        assert store.count_leads(LeadFilter(account="Agency")) == 1
        path = tmp_path / "leads.csv"
        assert await store.export_leads_csv_async(LeadFilter(account="Agency"), path) == 1
        assert "a@example.com" in path.read_text(encoding="utf-8")
    finally:
        store.close()
