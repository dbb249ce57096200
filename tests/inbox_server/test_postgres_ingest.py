"""PostgreSQL's ingest when another process creates the same lead at the same moment.

An event is stored already linked to its lead's row id, chosen before the lead is written.
If another process creates that lead in between, the event must end up linked to that
process's row (and the lead counted once per event), not to an id that no row has.
"""

from __future__ import annotations

import asyncio

import psycopg

from codaiq_desktop.inbox_server.models import LeadQuery
from codaiq_desktop.inbox_server.postgres_storage import PostgresInbox
from codaiq_desktop.inbox_server.postgres_writes import ingest_batch

from .conftest import lead_body, prepared


async def _wait_for_a_lock_wait(dsn: str) -> None:
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as watcher:
        async with asyncio.timeout(30):
            while True:
                cursor = await watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                row = await cursor.fetchone()
                if row is not None and row[0] > 0:
                    return
                await asyncio.sleep(0.01)


async def test_an_event_whose_lead_another_process_creates_meanwhile_links_to_that_lead(postgres_dsn: str) -> None:
    storage = PostgresInbox(postgres_dsn, pool_size=4, writers=1, listen=False)
    await storage.open()
    try:
        agency = await storage.add_agency("Acme", "secret-a")
        # Another process has stored the lead's first event and is about to commit.
        async with await psycopg.AsyncConnection.connect(postgres_dsn) as other:
            (first,), _ = await ingest_batch(other, [prepared(agency.id, lead_body(1))])
            second = asyncio.create_task(storage.ingest(prepared(agency.id, lead_body(1, event="form.submitted"))))
            await _wait_for_a_lock_wait(postgres_dsn)  # the second waits on the first's lead row
            assert not second.done()
            await other.commit()
        outcome = await second
        assert not first.duplicate and not outcome.duplicate
        (lead,) = (await storage.list_leads(agency.id, LeadQuery())).leads
        assert lead.event_count == 2
        events = await storage.lead_events(agency.id, lead.id)
        assert sorted(event.event_id for event in events) == sorted([first.event_id, outcome.event_id])
        assert {event.lead_id for event in events} == {lead.id}
        await storage.sequence_pending()
        changes = await storage.changes_since(agency.id, 0, 10)
        assert [(change.kind, change.lead_id) for change in changes] == [
            ("lead.created", lead.id),
            ("lead.updated", lead.id),
        ]
    finally:
        await storage.close()
