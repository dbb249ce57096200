"""TeamClient against a real ``serve`` process (SQLite and PostgreSQL): answers, paging, errors."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from codaiq_desktop.store import ASSIGNEE_ME, ASSIGNEE_NONE, LeadFilter
from codaiq_desktop.team import (
    EditConflict,
    LeadGoneError,
    TeamAuthError,
    TeamChange,
    TeamClient,
    TeamServer,
    TeamUnreachable,
)
from tests.fixtures.team_server import TeamServerProcess


async def test_me_members_and_a_refused_token(team_server: TeamServerProcess, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore log every request at this level
    async with TeamClient(team_server.server("alice")) as alice:
        member, agency = await alice.me()
        assert member.id == team_server.member_ids["alice"] and member.email == "alice@agency.example"
        assert agency == "Team agency"
        assert {m.email for m in await alice.members()} == {"alice@agency.example", "bob@agency.example"}
        info = await alice.receiver_info()
        assert info.webhook_url == team_server.url + team_server.webhook_path and info.ready
    wrong = "not-a-real-token-but-a-secret-all-the-same"
    async with TeamClient(TeamServer(team_server.url, wrong)) as client:
        assert wrong not in repr(client)
        with pytest.raises(TeamAuthError) as caught:
            await client.me()
    assert wrong not in str(caught.value) and team_server.url in str(caught.value)
    assert "/api/v1/me" in caplog.text  # the requests were logged ...
    assert wrong not in caplog.text and team_server.tokens["alice"] not in caplog.text  # ... without a token


async def test_an_unreachable_server_is_a_typed_error_without_the_token() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = "secret-token-that-must-not-leak-0123456789"
    async with TeamClient(TeamServer(f"http://127.0.0.1:{port}", token), timeout=3) as client:
        with pytest.raises(TeamUnreachable) as caught:
            await client.leads()
    assert "cannot be reached" in str(caught.value) and token not in str(caught.value)


async def test_a_concurrent_edit_is_a_conflict_carrying_the_current_version(team_server: TeamServerProcess) -> None:
    team_server.post_lead(1)
    async with TeamClient(team_server.server("alice")) as alice, TeamClient(team_server.server("bob")) as bob:
        (seen,) = (await alice.leads()).leads
        assert seen.version == 1 and seen.status == "new"
        theirs = await bob.update_lead(seen.id, seen.version, {"notes": "Bob called, wants a quote"})
        assert theirs.version == 2 and theirs.updated_by == team_server.member_ids["bob"]
        with pytest.raises(EditConflict) as caught:
            await alice.update_lead(seen.id, seen.version, {"notes": "Alice: left a voicemail", "status": "contacted"})
        conflict = caught.value
        assert conflict.lead_id == seen.id and conflict.current.version == 2
        assert conflict.current.notes == "Bob called, wants a quote" and conflict.current.status == "new"
        assert conflict.mine == {"notes": "Alice: left a voicemail", "status": "contacted"}
        kept = await alice.update_lead(seen.id, conflict.current.version, conflict.mine)  # "keep mine"
        assert kept.version == 3 and kept.notes == "Alice: left a voicemail"
        history = await bob.history(seen.id)
        assert [(h.by, sorted(h.changes)) for h in history] == [
            (team_server.member_ids["bob"], ["notes"]),
            (team_server.member_ids["alice"], ["notes", "status"]),
        ]
        with pytest.raises(LeadGoneError):
            await alice.lead(seen.id + 1000)


async def test_offset_paging_search_and_the_assignee_filters(team_server: TeamServerProcess) -> None:
    for number in range(7):
        team_server.post_lead(number, name=f"Person {number}" if number != 3 else "Zelda Quince")
    async with TeamClient(team_server.server("alice")) as alice, TeamClient(team_server.server("bob")) as bob:
        everything = await alice.leads(limit=50)
        ids = [lead.id for lead in everything.leads]
        assert len(ids) == 7 and ids == sorted(ids, reverse=True) and everything.total == 7
        assert not everything.total.capped and everything.total.label == "7"
        page = await alice.leads(offset=2, limit=3)
        assert [lead.id for lead in page.leads] == ids[2:5] and page.total == 7
        assert [lead.id for lead in (await alice.leads(offset=6, limit=3)).leads] == ids[6:]
        (zelda,) = (await alice.leads(LeadFilter(text="zel"))).leads
        assert zelda.name == "Zelda Quince"
        taken = await bob.update_lead(zelda.id, zelda.version, {"assignee": team_server.member_ids["bob"]})
        assert taken.assignee == team_server.member_ids["bob"]
        assert [lead.id for lead in (await bob.leads(LeadFilter(assignee=ASSIGNEE_ME))).leads] == [zelda.id]
        assert (await alice.leads(LeadFilter(assignee=ASSIGNEE_ME))).leads == []
        unassigned = await alice.leads(LeadFilter(assignee=ASSIGNEE_NONE))
        assert unassigned.total == 6 and zelda.id not in {lead.id for lead in unassigned.leads}
        bobs = await alice.leads(LeadFilter(assignee=team_server.member_ids["bob"], text="quince"))
        assert [lead.id for lead in bobs.leads] == [zelda.id]
        with pytest.raises(ValueError, match="date"):
            await alice.leads(LeadFilter(since=zelda.received_at))


async def _changes(client: TeamClient, after: int, count: int) -> list[TeamChange]:
    found: list[TeamChange] = []
    async for change in client.stream(after):
        found.append(change)
        if len(found) == count:
            break
    return found


async def test_read_is_per_member_and_a_read_mark_streams_to_its_member_only(team_server: TeamServerProcess) -> None:
    for number in range(3):
        team_server.post_lead(number)
    async with TeamClient(team_server.server("alice")) as alice, TeamClient(team_server.server("bob")) as bob:
        first = (await alice.leads()).leads[0]
        marked = await alice.update_lead(first.id, None, {"read": True})  # a mark of my own: no If-Match needed
        assert marked.read and marked.version == first.version  # reading changes no version: no conflicts
        assert (await alice.leads(LeadFilter(unread_only=True))).total == 2
        assert (await bob.leads(LeadFilter(unread_only=True))).total == 3
        assert (await bob.lead(first.id)).read is False and (await alice.lead(first.id)).read is True
        await bob.update_lead(first.id, first.version, {"status": "won"})
        bobs_view = await asyncio.wait_for(_changes(bob, 0, 4), 30)
        assert [c.kind for c in bobs_view] == ["lead.created"] * 3 + ["lead.updated"]  # alice's mark is not there
        assert all(not c.lead.read for c in bobs_view)
        alices_view = await asyncio.wait_for(_changes(alice, 0, 5), 30)
        assert [c.kind for c in alices_view] == ["lead.created"] * 3 + ["lead.read", "lead.updated"]
        assert alices_view[-1].lead.read is True and alices_view[-1].lead.status == "won"
        assert [c.seq for c in alices_view] == sorted({c.seq for c in alices_view})
