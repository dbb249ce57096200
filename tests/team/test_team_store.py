"""TeamStore's read path and edits against a real ``serve``: what the Leads table reads."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from codaiq_desktop.inbox_server.sqlite_storage import SqliteInbox
from codaiq_desktop.inbox_server.storage import prepare_event
from codaiq_desktop.store import ASSIGNEE_ME, ASSIGNEE_NONE, LeadFilter
from codaiq_desktop.team import COUNT_CAP, CappedCount, EditConflict, TeamServer, TeamStore
from tests.fixtures.team_server import TeamServerProcess, lead_webhook_body
from tests.inbox_server.serve_process import start_serve


def _store(team_server: TeamServerProcess, who: str, cache_dir: Path) -> TeamStore:
    store = TeamStore(team_server.server(who), cache_dir, account="agency")
    store.open()
    return store


def test_the_read_path_is_the_local_store_interface(team_server: TeamServerProcess, tmp_path: Path) -> None:
    for number in range(5):
        team_server.post_lead(number)
    store = _store(team_server, "alice", tmp_path / "alice")
    try:
        assert store.member is not None and store.member.id == team_server.member_ids["alice"]
        assert store.online and store.as_of is not None
        total = store.count_leads(LeadFilter())
        assert isinstance(total, CappedCount) and total == 5 and not total.capped and total.label == "5"
        rows = store.list_leads(LeadFilter(), sort="received_at", descending=True, offset=0, limit=200)
        assert [lead.name for lead in rows] == [f"Person {n}" for n in (4, 3, 2, 1, 0)]
        assert [lead.id for lead in store.list_leads(LeadFilter(), offset=3, limit=2)] == [rows[3].id, rows[4].id]
        lead = store.get_lead(rows[0].id)
        assert lead is not None and lead.account == "agency" and lead.received_at.tzinfo is not None
        assert store.get_lead(rows[0].id + 999) is None
        assert store.unread_count() == 5
        with pytest.raises(ValueError, match="newest first"):
            store.list_leads(LeadFilter(), sort="name")
        changed = store.update_lead(rows[0].id, status="contacted", notes="Called", version=rows[0].version)
        assert (changed.status, changed.notes, changed.version, changed.pending) == ("contacted", "Called", 2, False)
        marked = store.update_lead(rows[1].id, read=True)
        assert marked.read and marked.version == 1 and store.unread_count() == 4
        taken = store.take(rows[2].id)
        assert taken.assignee == store.member.id
        assert [lead.id for lead in store.list_leads(LeadFilter(assignee=ASSIGNEE_ME))] == [rows[2].id]
        assert store.count_leads(LeadFilter(assignee=ASSIGNEE_NONE)) == 4
        assert store.count_leads(LeadFilter(status="contacted")) == 1
        assert store.member_name(store.member.id) == "alice@agency.example"
        assert {m.email for m in store.members()} == {"alice@agency.example", "bob@agency.example"}
        history = store.lead_history(rows[0].id)
        assert history[-1].changes["status"] == ("new", "contacted") and history[-1].by == store.member.id
        events = store.list_events(limit=3)
        assert len(events) == 3 and events[0].type == "lead.captured" and events[0].verified
        assert [e.id for e in store.list_events(offset=3, limit=3)] == [e.id for e in store.list_events(limit=5)][3:]
        assert "lead.captured" in store.event_types()
        team_server.post_lead(0, event="form.submitted")
        assert [e.type for e in store.lead_events(rows[4].id)] == ["lead.captured", "form.submitted"]
        csv_path = tmp_path / "leads.csv"
        assert store.export_leads_csv(LeadFilter(status="contacted"), csv_path) == 1
        assert "Called" in csv_path.read_text(encoding="utf-8-sig")
    finally:
        store.close()


def test_an_edit_on_a_stale_version_raises_the_conflict_and_keeping_mine_wins(
    sqlite_team_server: TeamServerProcess, tmp_path: Path
) -> None:
    sqlite_team_server.post_lead(1)
    alice = _store(sqlite_team_server, "alice", tmp_path / "alice")
    bob = _store(sqlite_team_server, "bob", tmp_path / "bob")
    try:
        (seen,) = alice.list_leads(LeadFilter())
        bob.update_lead(seen.id, notes="Bob's note", version=seen.version)
        with pytest.raises(EditConflict) as caught:
            alice.update_lead(seen.id, notes="Alice's note", version=seen.version)
        assert caught.value.current.notes == "Bob's note" and caught.value.mine == {"notes": "Alice's note"}
        assert not caught.value.queued
        kept = alice.resolve_conflict(caught.value, keep_mine=True)
        assert kept.notes == "Alice's note" and kept.version == 3
        assert bob.get_lead(seen.id).notes == "Alice's note"  # type: ignore[union-attr]
    finally:
        alice.close()
        bob.close()


async def _fill(path: Path, count: int) -> tuple[str, str]:
    """An inbox file with ``count`` leads of one agency; returns (webhook path, alice's token)."""
    storage = SqliteInbox(path, synchronous="OFF")
    await storage.open()
    try:
        agency = await storage.add_agency("Big agency", "secret-of-the-big-agency-0123")
        _member, token = await storage.add_member(agency.id, "alice@agency.example", "member")
        headers = {"content-type": "application/json"}
        for start in range(0, count, 500):
            await asyncio.gather(
                *(
                    storage.ingest(prepare_event(agency.id, lead_webhook_body(n), headers))
                    for n in range(start, min(count, start + 500))
                )
            )
        return agency.webhook_path, token
    finally:
        await storage.close()


@pytest.mark.slow  # over 10,000 leads stored one webhook at a time
def test_counts_over_the_cap_say_so_and_pages_past_the_cap_still_read(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite3"
    _path, token = asyncio.run(_fill(db, COUNT_CAP + 50))
    process = start_serve(str(db))
    store = TeamStore(TeamServer(process.url, token), tmp_path / "cache")
    try:
        store.open()
        total = store.count_leads(LeadFilter())
        assert total.capped and int(total) == COUNT_CAP + 1 and total.label == "10,000+"
        assert json.loads(json.dumps(int(total))) == COUNT_CAP + 1
        tail = store.list_leads(LeadFilter(), offset=COUNT_CAP, limit=200)
        assert len(tail) == 50  # past the capped count: rows are still there to fetch
        assert tail[-1].name == "Person 0"
        narrow = store.count_leads(LeadFilter(text="Person 10049"))
        assert narrow == 1 and not narrow.capped
        assert store.unread_count().capped
    finally:
        store.close()
        process.stop()
