"""Per-member read marks, offset pages, "assigned to nobody" and a lead's events, on both engines."""

from __future__ import annotations

import pytest

from codaiq_desktop.inbox_server.models import LeadQuery
from codaiq_desktop.inbox_server.storage import InboxStorage, LeadNotFoundError

from .conftest import lead_body, prepared, settle


async def test_read_marks_are_per_member_and_change_no_version(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    alice, _ = await storage.add_member(agency.id, "alice@example.com", "member")
    bob, _ = await storage.add_member(agency.id, "bob@example.com", "member")
    for number in range(6):
        await storage.ingest(prepared(agency.id, lead_body(number, name=f"Quincy {number}" if number < 3 else None)))
    leads = (await storage.list_leads(agency.id, LeadQuery())).leads
    marked = await storage.set_read(agency.id, leads[0].id, alice.id, True)
    again = await storage.set_read(agency.id, leads[0].id, alice.id, True)  # no change: not logged twice
    assert marked.read and again.read and marked.version == leads[0].version == 1
    assert await storage.read_marks(agency.id, alice.id, [lead.id for lead in leads]) == {leads[0].id}
    assert await storage.read_marks(agency.id, bob.id, [lead.id for lead in leads]) == set()
    assert (await storage.list_leads(agency.id, LeadQuery(unread=True, reader=alice.id))).total == 5
    assert (await storage.list_leads(agency.id, LeadQuery(unread=False, reader=alice.id))).total == 1
    assert (await storage.list_leads(agency.id, LeadQuery(unread=True, reader=bob.id))).total == 6
    quincy = leads[-1]  # the oldest, "Quincy 0"
    await storage.set_read(agency.id, quincy.id, alice.id, True)
    searched = await storage.list_leads(agency.id, LeadQuery(text="quincy", unread=True, reader=alice.id))
    assert searched.total == 2 and quincy.id not in {lead.id for lead in searched.leads}
    await settle(storage)
    reads = [c for c in await storage.changes_since(agency.id, 0) if c.kind == "lead.read"]
    assert [(c.lead_id, c.member_id, c.fields) for c in reads] == [
        (leads[0].id, alice.id, ["read"]),
        (quincy.id, alice.id, ["read"]),
    ]
    await storage.set_read(agency.id, leads[0].id, alice.id, False)
    assert await storage.read_marks(agency.id, alice.id, [leads[0].id]) == set()


async def test_offset_pages_and_unassigned(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    member, _ = await storage.add_member(agency.id, "sam@example.com", "member")
    for number in range(9):
        await storage.ingest(prepared(agency.id, lead_body(number, name=f"Quincy {number}")))
    ids = [lead.id for lead in (await storage.list_leads(agency.id, LeadQuery(limit=50))).leads]
    page = await storage.list_leads(agency.id, LeadQuery(limit=3, offset=4))
    assert [lead.id for lead in page.leads] == ids[4:7] and page.total == 9
    searched = await storage.list_leads(agency.id, LeadQuery(text="quincy", limit=3, offset=7))
    assert [lead.id for lead in searched.leads] == ids[7:]
    await storage.update_lead(agency.id, ids[2], member.id, None, {"assignee": member.id})
    nobody = await storage.list_leads(agency.id, LeadQuery(unassigned=True, limit=50))
    assert nobody.total == 8 and ids[2] not in {lead.id for lead in nobody.leads}
    searched_nobody = await storage.list_leads(agency.id, LeadQuery(unassigned=True, text="quincy"))
    assert searched_nobody.total == 8


async def test_the_events_of_one_lead_oldest_first(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    other = await storage.add_agency("Other", "secret-b")
    await storage.ingest(prepared(agency.id, lead_body(1)))
    await storage.ingest(prepared(agency.id, lead_body(2)))
    await storage.ingest(prepared(agency.id, lead_body(1, event="form.submitted")))
    first = (await storage.list_leads(agency.id, LeadQuery())).leads[-1]
    events = await storage.lead_events(agency.id, first.id)
    assert [e.type for e in events] == ["lead.captured", "form.submitted"] and {e.lead_id for e in events} == {first.id}
    with pytest.raises(LeadNotFoundError):
        await storage.lead_events(other.id, first.id)  # another agency's lead is not found
