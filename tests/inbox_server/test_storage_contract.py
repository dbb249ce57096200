"""One contract for both storage engines (SQLite and PostgreSQL), run against each.

Every behaviour the HTTP layer relies on is pinned here: dedupe forever, lead merge,
tenancy, paging, capped counts, search (prefixes, accents), conditional edits with
history, the change log, members and secrets.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from codaiq_desktop.inbox_server.models import LeadQuery
from codaiq_desktop.inbox_server.storage import (
    InboxStorage,
    InvalidEditError,
    LeadNotFoundError,
    VersionConflictError,
    prepare_event,
)
from codaiq_desktop.store.payload import InvalidPayloadError

from .conftest import lead_body, prepared, settle


async def test_an_event_is_stored_once_and_redeliveries_are_duplicates(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    first = await storage.ingest(prepared(agency.id, lead_body(1)))
    again = await storage.ingest(prepared(agency.id, lead_body(1)))
    assert (first.duplicate, again.duplicate) == (False, True)
    page = await storage.list_leads(agency.id, LeadQuery())
    assert page.total == 1 and len(page.leads) == 1
    events = await storage.list_events(agency.id)
    assert [event.event_id for event in events.events] == ["evt_lead.captured_1"]
    assert events.events[0].lead_id == page.leads[0].id


async def test_concurrent_redeliveries_store_one_event(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    outcomes = await asyncio.gather(*(storage.ingest(prepared(agency.id, lead_body(7))) for _ in range(20)))
    assert sum(not outcome.duplicate for outcome in outcomes) == 1
    assert (await storage.list_leads(agency.id, LeadQuery())).total == 1


async def test_deliveries_stored_together_each_keep_their_own_raw_body(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    bodies = [lead_body(number, event="form.submitted" if number % 3 else "lead.captured") for number in range(24)]
    await asyncio.gather(*(storage.ingest(prepared(agency.id, body)) for body in bodies))
    events = (await storage.list_events(agency.id, limit=100)).events
    assert len(events) == 24
    assert {event.event_id: event.payload for event in events} == {
        json.loads(body)["id"]: json.loads(body) for body in bodies
    }


async def test_two_events_of_one_lead_merge_its_data_recursively(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    await storage.ingest(prepared(agency.id, lead_body(1, extra={"a": 1, "nested": {"x": 1}})))
    await storage.ingest(
        prepared(agency.id, lead_body(1, event="form.submitted", phone="555", extra={"b": 2, "nested": {"y": 2}}))
    )
    (lead,) = (await storage.list_leads(agency.id, LeadQuery())).leads
    assert lead.event_count == 2
    assert lead.phone == "555"  # an empty field is filled by a later event
    assert lead.data["extra"] == {"a": 1, "b": 2, "nested": {"x": 1, "y": 2}}
    assert lead.name == "Person 1"


async def test_a_later_event_adds_flat_data_but_never_overwrites_what_is_stored(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    await storage.ingest(prepared(agency.id, lead_body(1, colour="red", size=1)))
    await storage.ingest(prepared(agency.id, lead_body(1, event="form.submitted", colour="blue", shape="round")))
    (lead,) = (await storage.list_leads(agency.id, LeadQuery())).leads
    assert lead.event_count == 2
    assert {key: lead.data[key] for key in ("colour", "size", "shape")} == {
        "colour": "red",
        "size": 1,
        "shape": "round",
    }


async def test_agencies_never_see_each_others_leads_or_events(storage: InboxStorage) -> None:
    a = await storage.add_agency("A", "secret-a")
    b = await storage.add_agency("B", "secret-b")
    await storage.ingest(prepared(a.id, lead_body(1)))
    # The same event id under another agency is a different event.
    assert not (await storage.ingest(prepared(b.id, lead_body(1)))).duplicate
    await storage.ingest(prepared(a.id, lead_body(2)))
    a_leads = (await storage.list_leads(a.id, LeadQuery())).leads
    assert len(a_leads) == 2
    assert (await storage.list_leads(b.id, LeadQuery())).total == 1
    assert await storage.get_lead(b.id, a_leads[0].id) is None
    with pytest.raises(LeadNotFoundError):
        await storage.update_lead(b.id, a_leads[0].id, None, None, {"status": "won"})
    with pytest.raises(LeadNotFoundError):
        await storage.lead_history(b.id, a_leads[0].id)
    assert len((await storage.list_events(b.id)).events) == 1
    assert (await storage.stats(b.id))["total"] == 1
    await settle(storage)
    assert all(change.lead["id"] != a_leads[0].id for change in await storage.changes_since(b.id, 0))


async def test_keyset_pages_cover_every_lead_once_newest_first(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    for number in range(23):
        await storage.ingest(prepared(agency.id, lead_body(number)))
    seen: list[int] = []
    before = None
    while True:
        page = await storage.list_leads(agency.id, LeadQuery(limit=5, before_id=before))
        assert page.total == 23
        seen.extend(lead.id for lead in page.leads)
        before = page.next_before_id
        if before is None:
            break
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 23


async def test_filters_combine(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    member, _token = await storage.add_member(agency.id, "sam@example.com", "member")
    for number in range(6):
        await storage.ingest(prepared(agency.id, lead_body(number, website=f"web_{number % 2}")))
    leads = (await storage.list_leads(agency.id, LeadQuery())).leads
    await storage.update_lead(agency.id, leads[0].id, member.id, None, {"status": "won", "assignee": member.id})
    await storage.update_lead(agency.id, leads[1].id, member.id, None, {"read": True})
    assert (await storage.list_leads(agency.id, LeadQuery(status="won"))).total == 1
    assert (await storage.list_leads(agency.id, LeadQuery(assignee=member.id))).total == 1
    assert (await storage.list_leads(agency.id, LeadQuery(unread=True))).total == 5
    assert (await storage.list_leads(agency.id, LeadQuery(website_id="web_0"))).total == 3
    assert (await storage.list_leads(agency.id, LeadQuery(website_id="web_0", status="new"))).total == (
        3 - (leads[0].website_id == "web_0")
    )
    stats = await storage.stats(agency.id)
    assert stats["total"] == 6 and stats["byStatus"] == {"new": 5, "won": 1}
    assert sorted(site["websiteId"] for site in stats["byWebsite"]) == ["web_0", "web_1"]


async def test_text_search_matches_word_prefixes_and_folds_accents(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    await storage.ingest(
        prepared(agency.id, lead_body(1, name="José Álvarez", email="jose@casa.example", message="Kitchen renovation"))
    )
    await storage.ingest(
        prepared(agency.id, lead_body(2, name="Maria Keller", email="mk@firm.example", message="Roof repair"))
    )

    async def names(text: str) -> list[str | None]:
        return [lead.name for lead in (await storage.list_leads(agency.id, LeadQuery(text=text))).leads]

    assert await names("jose") == ["José Álvarez"]
    assert await names("ALVA") == ["José Álvarez"]
    assert await names("kitch reno") == ["José Álvarez"]
    assert await names("firm") == ["Maria Keller"]
    assert await names("casa") == ["José Álvarez"]
    assert await names("nothing-like-this") == []
    assert sorted(await names("  ")) == ["José Álvarez", "Maria Keller"]  # no words: no text filter
    assert await names("\"') OR 1=1 -- :* & |") == []  # operators are plain text, never an error


async def test_counts_are_capped(storage: InboxStorage, monkeypatch: pytest.MonkeyPatch) -> None:
    from codaiq_desktop.inbox_server import models, postgres_search, sqlite_search

    for module in (models, postgres_search, sqlite_search):
        monkeypatch.setattr(module, "COUNT_CAP", 3)
    agency = await storage.add_agency("Acme", "secret-a")
    for number in range(5):
        await storage.ingest(prepared(agency.id, lead_body(number)))
    page = await storage.list_leads(agency.id, LeadQuery(limit=2))
    assert page.total == 4 and len(page.leads) == 2  # counted up to the cap + 1
    assert (await storage.list_leads(agency.id, LeadQuery(text="person"))).total == 4


async def test_conditional_edit_keeps_history_and_refuses_a_stale_version(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    alice, _ = await storage.add_member(agency.id, "alice@example.com", "admin")
    bob, _ = await storage.add_member(agency.id, "bob@example.com", "member")
    await storage.ingest(prepared(agency.id, lead_body(1)))
    (lead,) = (await storage.list_leads(agency.id, LeadQuery())).leads
    assert lead.version == 1
    edited = await storage.update_lead(agency.id, lead.id, alice.id, 1, {"status": "contacted", "notes": "Called"})
    assert (edited.version, edited.status, edited.notes, edited.updated_by) == (2, "contacted", "Called", alice.id)
    with pytest.raises(VersionConflictError) as conflict:
        await storage.update_lead(agency.id, lead.id, bob.id, 1, {"status": "lost"})
    assert conflict.value.current.version == 2 and conflict.value.current.status == "contacted"
    await storage.update_lead(agency.id, lead.id, bob.id, 2, {"assignee": bob.id, "read": True})
    history = await storage.lead_history(agency.id, lead.id)
    assert [(entry.version, entry.member_id) for entry in history] == [(2, alice.id), (3, bob.id)]
    assert history[0].changes == {"status": ["new", "contacted"], "notes": ["", "Called"]}
    assert history[1].changes == {"assignee": [None, bob.id], "read": [False, True]}
    with pytest.raises(InvalidEditError):
        await storage.update_lead(agency.id, lead.id, bob.id, None, {"status": "bogus"})
    with pytest.raises(InvalidEditError):
        await storage.update_lead(agency.id, lead.id, bob.id, None, {"assignee": "mem_not_here"})
    with pytest.raises(InvalidEditError):
        await storage.update_lead(agency.id, lead.id, bob.id, None, {"id": 5})


async def test_change_log_is_gapless_and_carries_the_lead(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    member, _ = await storage.add_member(agency.id, "sam@example.com", "member")
    await asyncio.gather(*(storage.ingest(prepared(agency.id, lead_body(n))) for n in range(30)))
    await storage.ingest(prepared(agency.id, lead_body(3, event="form.submitted")))
    lead = (await storage.list_leads(agency.id, LeadQuery(limit=1))).leads[0]
    await storage.update_lead(agency.id, lead.id, member.id, None, {"status": "won"})
    await settle(storage)
    changes = await storage.changes_since(agency.id, 0)
    assert [change.seq for change in changes] == list(range(1, 33))
    assert await storage.head_seq(agency.id) == 32
    assert sum(change.kind == "lead.created" for change in changes) == 30
    last = changes[-1]
    assert (last.kind, last.fields, last.member_id) == ("lead.updated", ["status"], member.id)
    assert last.lead == (await storage.get_lead(agency.id, lead.id)).to_json()  # type: ignore[union-attr]
    assert [change.seq for change in await storage.changes_since(agency.id, 30)] == [31, 32]


async def test_members_tokens_and_revocation(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "secret-a")
    member, token = await storage.add_member(agency.id, "Sam@Example.com", "member")
    assert len(token) > 40 and token not in repr(member)
    found = await storage.authenticate(token)
    assert found is not None and (found.id, found.agency_id, found.role) == (member.id, agency.id, "member")
    assert await storage.authenticate(token + "x") is None
    revoked = await storage.revoke_member(agency.id, "sam@example.com")
    assert revoked.revoked_at is not None
    assert await storage.authenticate(token) is None
    assert [m.email for m in await storage.list_members(agency.id)] == ["Sam@Example.com"]
    with pytest.raises(ValueError):
        await storage.add_member(agency.id, "not-an-email", "member")
    with pytest.raises(ValueError):
        await storage.add_member(agency.id, "x@example.com", "owner")


async def test_secret_rotation_keeps_the_old_secret_for_the_grace_window(storage: InboxStorage) -> None:
    agency = await storage.add_agency("Acme", "old-secret")
    await storage.rotate_secret(agency.id, "new-secret", grace_seconds=3600)
    assert await storage.webhook_secrets(agency.id) == ["new-secret", "old-secret"]
    await storage.rotate_secret(agency.id, "newest-secret", grace_seconds=0)
    assert await storage.webhook_secrets(agency.id) == ["newest-secret"]


async def test_readiness_and_unknown_agency(storage: InboxStorage) -> None:
    assert await storage.ready() == (True, "ok")
    assert await storage.get_agency("agc_missing") is None
    assert await storage.head_seq("agc_missing") == 0


def test_a_body_with_a_nul_character_is_refused_before_storage() -> None:
    body = json.dumps({"event": "lead.captured", "data": {"name": "a\u0000b"}}).encode()
    with pytest.raises(InvalidPayloadError):
        prepare_event("agc_x", body, {})


async def test_postgres_a_change_that_commits_late_is_numbered_after_those_before_it(postgres_dsn: str) -> None:
    """A writer that commits late does not hold others up, and its change is not skipped:
    it gets the next number when it becomes visible, after the ones already numbered."""
    import psycopg

    from codaiq_desktop.inbox_server.postgres_storage import PostgresInbox

    storage = PostgresInbox(postgres_dsn, pool_size=3, writers=1)
    await storage.open()
    try:
        agency = await storage.add_agency("A", "secret-a")
        async with await psycopg.AsyncConnection.connect(postgres_dsn, autocommit=True) as slow:
            async with slow.transaction():
                await slow.execute(
                    "INSERT INTO changes (agency_id, kind, lead_id, fields, lead) VALUES (%s, 'lead.updated', 0, '[]', '{}')",
                    (agency.id,),
                )
                await storage.ingest(prepared(agency.id, lead_body(1)))  # not held up by the open transaction
                await settle(storage)
                assert [(c.seq, c.kind) for c in await storage.changes_since(agency.id, 0)] == [(1, "lead.created")]
            await settle(storage)
        assert [(c.seq, c.kind) for c in await storage.changes_since(agency.id, 0)] == [
            (1, "lead.created"),
            (2, "lead.updated"),
        ]
        assert await storage.head_seq(agency.id) == 2
    finally:
        await storage.close()
