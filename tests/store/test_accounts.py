"""Events and leads filed per account: what ingest keeps, and every read filtered by account."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from codaiq_desktop.store import LeadFilter, Store
from codaiq_desktop.store.csv_export import HEADER
from codaiq_desktop.store.queries import lead_order, lead_where
from tests.fixtures.receiver import encode, make_event


async def _fill(store: Store) -> None:
    """alpha: 3 leads, 1 site event; beta: 2 leads; none: 1 lead (a store from before accounts)."""
    for account, leads in (("alpha", 3), ("beta", 2), (None, 1)):
        for _ in range(leads):
            await store.ingest(encode(make_event("lead.captured")), {}, account=account)
    await store.ingest(encode(make_event("website.published", data={})), {}, account="alpha")


async def test_ingest_files_the_event_and_its_lead_under_the_account(store: Store) -> None:
    result = await store.ingest(encode(make_event("lead.captured")), {}, account="alpha")
    assert result.event.account == result.lead.account == "alpha"
    assert store.get_event(result.event.id) == result.event
    assert store.get_lead(result.lead.id) == result.lead
    plain = await store.ingest(encode(make_event("lead.captured")), {})
    assert plain.event.account is None and plain.lead.account is None


async def test_lead_reads_filter_by_account_and_none_means_all(store: Store) -> None:
    await _fill(store)
    assert store.count_leads() == 6 == store.count_leads(LeadFilter(account=None))
    assert store.count_leads(LeadFilter(account="alpha")) == 3
    assert store.count_leads(LeadFilter(account="beta")) == 2
    assert store.count_leads(LeadFilter(account="gamma")) == 0
    assert {lead.account for lead in store.list_leads(LeadFilter(account="beta"))} == {"beta"}
    page = store.list_leads(LeadFilter(account="alpha"), limit=2)
    rest = store.list_leads(LeadFilter(account="alpha"), offset=2, limit=2)
    assert len(page) == 2 and len(rest) == 1 and {lead.account for lead in page + rest} == {"alpha"}

    first_alpha = store.list_leads(LeadFilter(account="alpha"))[0]
    store.update_lead(first_alpha.id, read=True)
    assert store.unread_count() == 5
    assert store.unread_count(account="alpha") == 2
    assert store.unread_count("beta") == 2
    assert store.count_leads(LeadFilter(account="alpha", unread_only=True, website_id="web_1")) == 2


async def test_event_reads_filter_by_account(store: Store) -> None:
    await _fill(store)
    assert store.count_events() == 7
    assert store.count_events(account="alpha") == 4
    assert store.count_events(type="lead.captured", account="alpha") == 3
    assert store.count_events(verified=True, account="beta") == 2
    assert [e.account for e in store.list_events(account="beta")] == ["beta", "beta"]
    newest_alpha = store.list_events(account="alpha", limit=1)
    assert newest_alpha[0].type == "website.published"
    assert store.event_types() == ["lead.captured", "website.published"]
    assert store.event_types(account="alpha") == ["lead.captured", "website.published"]
    assert store.event_types(account="beta") == ["lead.captured"]
    assert store.event_types(account="gamma") == []


async def test_export_filters_by_account_and_names_it(store: Store, tmp_path: Path) -> None:
    await _fill(store)
    target = tmp_path / "beta.csv"
    assert store.export_leads_csv(LeadFilter(account="beta"), target) == 2
    with target.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == HEADER
    assert [row[HEADER.index("Account")] for row in rows[1:]] == ["beta", "beta"]
    everything = tmp_path / "all.csv"
    assert store.export_leads_csv(None, everything) == 6


async def test_a_lead_keeps_the_account_of_its_first_event(store: Store) -> None:
    data = {"leadId": "lead_shared", "name": "Ann"}
    first = await store.ingest(encode(make_event("lead.captured", data=data)), {}, account="alpha")
    second = await store.ingest(encode(make_event("form.submitted", data=data)), {}, account="beta")
    assert second.lead.id == first.lead.id and second.lead.account == "alpha"
    assert second.event.account == "beta"  # each event still says which secret verified it

    unlabelled = {"leadId": "lead_late", "name": "Bo"}
    await store.ingest(encode(make_event("lead.captured", data=unlabelled)), {})
    later = await store.ingest(encode(make_event("form.submitted", data=unlabelled)), {}, account="beta")
    assert later.lead.account == "beta"  # the first event that had an account gives it


async def test_a_redelivery_under_another_account_changes_nothing(store: Store) -> None:
    body = encode(make_event(event_id="evt_once"))
    first = await store.ingest(body, {}, account="alpha")
    again = await store.ingest(body, {}, account="beta")
    assert again.duplicate and again.event == first.event and again.event.account == "alpha"
    assert store.count_events(account="beta") == 0


async def test_a_replay_keeps_the_account_of_the_original_unless_told(store: Store) -> None:
    body = encode(make_event(event_id="evt_r"))
    original = await store.ingest(body, {}, account="alpha")
    replayed = await store.ingest(body, {}, replay=True)
    assert replayed.event.replay and replayed.event.account == "alpha"
    moved = await store.ingest(body, {}, replay=True, account="beta")
    assert moved.event.account == "beta"
    assert moved.lead.id == original.lead.id and moved.lead.account == "alpha"


async def test_relabel_account_moves_events_and_leads(store: Store) -> None:
    await _fill(store)
    assert store.relabel_account("alpha", "alpha-2") == 3
    assert store.count_leads(LeadFilter(account="alpha")) == 0
    assert store.count_leads(LeadFilter(account="alpha-2")) == 3
    assert store.count_events(account="alpha-2") == 4
    assert store.relabel_account(None, "beta") == 1  # give the unlabelled leads to an account
    assert store.count_leads(LeadFilter(account="beta")) == 3
    assert store.count_events(account="beta") == 3
    assert store.relabel_account("beta", "beta") == 0
    assert store.relabel_account("nobody", "x") == 0


async def test_an_account_label_must_be_text(store: Store) -> None:
    with pytest.raises(TypeError):
        await store.ingest(encode(make_event()), {}, account=7)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        store.relabel_account("alpha", 7)  # type: ignore[arg-type]
    assert store.count_events() == 0


def _plan(store: Store, lead_filter: LeadFilter, sort: str, descending: bool) -> str:
    where = lead_where(lead_filter)
    sql = f"SELECT id FROM leads WHERE {where.sql} ORDER BY {lead_order(sort, descending)} LIMIT 200"
    with store._reading() as connection:
        return " | ".join(row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", where.parameters))


@pytest.mark.parametrize(
    ("lead_filter", "sort"),
    [
        (LeadFilter(account="alpha"), "received_at"),
        (LeadFilter(account="alpha", status="new"), "received_at"),
        (LeadFilter(account="alpha", website_id="web_1"), "received_at"),
        (LeadFilter(account="alpha", unread_only=True), "received_at"),
        (LeadFilter(account="alpha"), "name"),
        (LeadFilter(account="alpha"), "email"),
    ],
)
def test_an_account_filtered_leads_page_is_an_index_walk_not_a_sort(
    store: Store, lead_filter: LeadFilter, sort: str
) -> None:
    """One account's page must not sort all of that account's leads each time it is shown."""
    plan = _plan(store, lead_filter, sort, descending=True)
    assert "TEMP B-TREE" not in plan and "leads_account_" in plan, plan
