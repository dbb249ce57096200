"""Offline edits: queued in order with a pending mark, kept across an app restart, replayed in
order on reconnect, and a colleague's change met on replay surfaced as a conflict, never dropped."""

from __future__ import annotations

import asyncio
from pathlib import Path

from codaiq_desktop.store import LeadFilter
from codaiq_desktop.team import EditConflict, TeamChange, TeamClient, TeamStore
from tests.fixtures.team_server import TeamServerProcess
from tests.team.test_team_follower import FAST, Recorder, wait_until


async def _stream(client: TeamClient, count: int) -> list[TeamChange]:
    found: list[TeamChange] = []
    async for change in client.stream(0):
        found.append(change)
        if len(found) == count:
            break
    return found


async def _edit_as_bob(team_server: TeamServerProcess, lead_id: int, notes: str) -> None:
    async with TeamClient(team_server.server("bob")) as bob:
        current = await bob.lead(lead_id)
        await bob.update_lead(lead_id, current.version, {"notes": notes})


def test_offline_edits_queue_survive_a_restart_and_replay_in_order_with_the_conflict_surfaced(
    team_server: TeamServerProcess, tmp_path: Path
) -> None:
    for number in (1, 2, 3):
        team_server.post_lead(number)
    cache = tmp_path / "cache"
    alice = TeamStore(team_server.server("alice"), cache)
    alice.open()
    try:
        third, second, first = alice.list_leads(LeadFilter())
        team_server.kill()
        queued = alice.update_lead(first.id, status="contacted", version=first.version)
        assert queued.pending and queued.status == "contacted" and not alice.online
        alice.update_lead(second.id, notes="Alice, typed offline", version=second.version)
        alice.update_lead(third.id, status="won", version=third.version)
        alice.update_lead(first.id, notes="Then a note on the first", version=first.version)  # joins its edit
        assert alice.pending_count() == 3 and alice.pending_lead_ids() == {first.id, second.id, third.id}
        shown = alice.list_leads(LeadFilter())  # from the copy, with my edits on it
        assert [(lead.status, lead.pending) for lead in shown] == [("won", True), ("new", True), ("contacted", True)]
        assert shown[2].notes == "Then a note on the first" and alice.as_of is not None
    finally:
        alice.close()  # the app quits while offline: nothing typed may be lost
    team_server.start_again()
    asyncio.run(_edit_as_bob(team_server, second.id, "Bob, meanwhile"))  # a colleague edits one of them
    alice = TeamStore(team_server.server("alice"), cache)
    alice.open()
    try:
        # Opening online replays the outbox at once; flush_outbox waits for that run (and sends what is left).
        alice.flush_outbox()
        conflicts = alice.pending_conflicts()
        assert [c.lead_id for c in conflicts] == [second.id]
        conflict = conflicts[0]
        assert conflict.queued and conflict.current.notes == "Bob, meanwhile"
        assert conflict.mine == {"notes": "Alice, typed offline"}
        assert alice.pending_count() == 1  # kept until the user chooses
        assert [c.lead_id for c in alice.pending_conflicts()] == [second.id]
        on_server = {lead.id: lead for lead in alice.list_leads(LeadFilter())}
        assert on_server[first.id].status == "contacted" and on_server[first.id].notes == "Then a note on the first"
        assert on_server[third.id].status == "won" and not on_server[third.id].pending
        assert on_server[second.id].pending and on_server[second.id].notes == "Alice, typed offline"

        async def log() -> list[TeamChange]:
            async with TeamClient(team_server.server("alice")) as client:
                return await asyncio.wait_for(_stream(client, 6), 60)

        changes = asyncio.run(log())  # the server's change log: 3 new leads, bob's note, then alice's replay
        assert [(c.lead.id, c.by) for c in changes[3:]] == [
            (second.id, team_server.member_ids["bob"]),
            (first.id, team_server.member_ids["alice"]),
            (third.id, team_server.member_ids["alice"]),
        ]
        kept = alice.resolve_conflict(conflict, keep_mine=True)
        assert kept.notes == "Alice, typed offline" and not kept.pending and alice.pending_count() == 0
    finally:
        alice.close()


def test_a_queued_edit_is_sent_on_reconnect_and_a_replay_conflict_reaches_the_listener(
    sqlite_team_server: TeamServerProcess, tmp_path: Path
) -> None:
    sqlite_team_server.post_lead(1)
    sqlite_team_server.post_lead(2)
    alice = TeamStore(sqlite_team_server.server("alice"), tmp_path / "cache", backoff=FAST)
    alice.open()
    told = Recorder()
    conflicts: list[EditConflict] = []
    listener = told.listener()
    listener.on_conflict = conflicts.append
    try:
        second, first = alice.list_leads(LeadFilter())
        alice.start_following(listener)
        wait_until(lambda: alice.stream_connected, "the stream to open")
        # A colleague changes the second lead after Alice saw it (she edits what she saw: version 1).
        asyncio.run(_edit_as_bob(sqlite_team_server, second.id, "Theirs"))
        sqlite_team_server.kill()
        wait_until(lambda: told.connection[-1:] == [False], "the offline state")
        alice.update_lead(first.id, status="qualified", version=first.version)
        alice.update_lead(second.id, notes="Mine", version=second.version)
        wait_until(lambda: told.pending[-1:] == [2], "the pending count")
        sqlite_team_server.start_again()
        wait_until(lambda: told.pending[-1:] == [1] and conflicts, "the replay after reconnecting")
        assert told.connection[-1] is True
        assert conflicts[0].lead_id == second.id and conflicts[0].current.notes == "Theirs"
        after = alice.get_lead(first.id)
        assert after is not None and after.status == "qualified" and not after.pending
        theirs = alice.resolve_conflict(conflicts[0], keep_mine=False)  # take the colleague's
        assert theirs.notes == "Theirs" and alice.pending_count() == 0
        wait_until(lambda: any(c.lead.id == first.id and "status" in c.fields for c in told.changes), "my change")
    finally:
        alice.close()
