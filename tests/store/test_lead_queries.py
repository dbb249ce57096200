"""Paging, sorting, filtering and text search of leads, checked against a plain-Python model."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codaiq_desktop.store import LEAD_SORT_KEYS, LEAD_STATUSES, Lead, LeadFilter, Store
from codaiq_desktop.store import store as store_module
from tests.fixtures.receiver import encode, make_event
from tests.fixtures.hypothesis_budget import examples

START = datetime(2026, 3, 1, tzinfo=UTC)
FIRST_NAMES = ["alice", "Bob", "carol", "Dave", "eve", "Frank", "zed", None]
LAST_NAMES = ["Jones", "smith", "Brown", "o'neil", "Lee"]
WEBSITES = ["web_a", "web_b", "web_c", None]
ACCOUNTS = ["alpha", "beta", None]


@dataclass(frozen=True)
class Seeded:
    store: Store
    leads: list[Lead]


def _seed(path: Path, count: int = 120) -> Seeded:
    """Leads with controlled receive times, websites, accounts, statuses and read flags."""
    store = Store(path)
    clock = iter(START + timedelta(minutes=7 * n) for n in range(count))
    original = store_module.utc_now
    store_module.utc_now = lambda: next(clock)
    try:

        async def fill() -> None:
            for n in range(count):
                first = FIRST_NAMES[n % len(FIRST_NAMES)]
                last = LAST_NAMES[(n // 3) % len(LAST_NAMES)]
                data = {
                    "leadId": f"lead{n}",
                    "name": f"{first} {last}" if first else None,
                    "email": f"{(first or 'anon').lower()}{n}@example{n % 2}.com" if n % 5 else None,
                    "message": ["Need a quote", "Call me back", "Pricing for catering", None][n % 4],
                }
                payload = make_event("lead.captured", website_id=WEBSITES[n % 4], data=data)
                await store.ingest(encode(payload), {}, account=ACCOUNTS[n % 3])

        asyncio.run(fill())
    finally:
        store_module.utc_now = original
    leads = store.list_leads(limit=10_000)
    for lead in leads:
        status = LEAD_STATUSES[(lead.id * 7) % len(LEAD_STATUSES)]
        store.update_lead(lead.id, status=status, read=lead.id % 3 == 0)
    return Seeded(store, store.list_leads(limit=10_000))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    data = _seed(tmp_path_factory.mktemp("leads") / "store.sqlite3")
    try:
        yield data
    finally:
        data.store.close()


# -- the model ------------------------------------------------------------------------

_WORDS = re.compile(r"[^\W_]+")


def _model_matches(lead: Lead, lead_filter: LeadFilter) -> bool:
    if lead_filter.account is not None and lead.account != lead_filter.account:
        return False
    if lead_filter.website_id is not None and lead.website_id != lead_filter.website_id:
        return False
    if lead_filter.status is not None and lead.status != lead_filter.status:
        return False
    if lead_filter.since is not None and lead.received_at < lead_filter.since:
        return False
    if lead_filter.until is not None and lead.received_at >= lead_filter.until:
        return False
    if lead_filter.unread_only and lead.read:
        return False
    if lead_filter.text:
        wanted = [w.lower() for w in _WORDS.findall(lead_filter.text)]
        words = {
            w.lower()
            for field in (lead.name, lead.email, lead.phone, lead.message)
            if field
            for w in _WORDS.findall(field)
        }
        if wanted and not all(any(word.startswith(w) for word in words) for w in wanted):
            return False
    return True


def _model_sort_key(lead: Lead, sort: str) -> tuple:
    value = getattr(lead, sort)
    if isinstance(value, str) and sort in ("name", "email"):
        value = value.lower()
    # SQLite puts NULL before every value in ascending order.
    return (value is not None, value if value is not None else 0, lead.id)


def _model(leads: list[Lead], lead_filter: LeadFilter, sort: str, descending: bool) -> list[int]:
    chosen = [lead for lead in leads if _model_matches(lead, lead_filter)]
    chosen.sort(key=lambda lead: _model_sort_key(lead, sort), reverse=descending)
    return [lead.id for lead in chosen]


moments = st.integers(min_value=-10, max_value=120 * 7 + 10).map(lambda m: START + timedelta(minutes=m))
filters = st.builds(
    LeadFilter,
    website_id=st.sampled_from([*WEBSITES[:3], None, "web_missing"]),
    status=st.none() | st.sampled_from(LEAD_STATUSES),
    text=st.none()
    | st.sampled_from(["ali", "SMITH", "example1", "call back", "o'neil", "pricing cat", "nobody", "  "]),
    since=st.none() | moments,
    until=st.none() | moments,
    unread_only=st.booleans(),
    account=st.sampled_from([None, "alpha", "beta", "account_missing"]),
)


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lead_filter=filters, sort=st.sampled_from(LEAD_SORT_KEYS), descending=st.booleans(), page=st.integers(1, 40))
def test_pages_concatenate_to_the_models_answer(
    seeded: Seeded, lead_filter: LeadFilter, sort: str, descending: bool, page: int
) -> None:
    expected = _model(seeded.leads, lead_filter, sort, descending)
    got: list[int] = []
    offset = 0
    while True:
        chunk = seeded.store.list_leads(lead_filter, sort=sort, descending=descending, offset=offset, limit=page)
        got.extend(lead.id for lead in chunk)
        if len(chunk) < page:
            break
        offset += page
    assert got == expected
    assert seeded.store.count_leads(lead_filter) == len(expected)


def test_the_seed_covers_what_the_model_checks(seeded: Seeded) -> None:
    """Guards the property test from passing on an empty or uniform data set."""
    leads = seeded.leads
    assert len(leads) == 120
    assert {lead.status for lead in leads} == set(LEAD_STATUSES)
    assert {lead.read for lead in leads} == {True, False}
    assert {lead.account for lead in leads} == set(ACCOUNTS)
    assert any(lead.name is None for lead in leads) and any(lead.email is None for lead in leads)
    assert len(_model(leads, LeadFilter(text="ali"), "received_at", True)) > 0


def test_text_search_matches_prefixes_across_fields(seeded: Seeded) -> None:
    store = seeded.store
    by_name = store.list_leads(LeadFilter(text="ali"), limit=500)
    assert by_name and all("alice" in (lead.name or "").lower() for lead in by_name)
    by_message = store.list_leads(LeadFilter(text="cater"), limit=500)
    assert by_message and all("catering" in (lead.message or "") for lead in by_message)
    assert store.count_leads(LeadFilter(text="alice cater")) == len(
        [lead for lead in by_name if "catering" in (lead.message or "")]
    )


@pytest.mark.parametrize(
    "typed", ['"', "AND", "OR NOT", "NEAR(a b)", "*", "name:alice", "a^b", "'", "((", "-alice", "\\", "\x00", "ü" * 300]
)
def test_search_syntax_typed_by_a_user_never_fails(seeded: Seeded, typed: str) -> None:
    seeded.store.list_leads(LeadFilter(text=typed))
    seeded.store.count_leads(LeadFilter(text=typed))


def test_blank_search_is_no_filter(seeded: Seeded) -> None:
    assert seeded.store.count_leads(LeadFilter(text=" ,.; ")) == len(seeded.leads)


async def test_search_folds_case_and_accents(store: Store) -> None:
    await store.ingest(encode(make_event(data={"leadId": "z", "name": "Zoë Ångström", "email": "ZOE@Example.org"})), {})
    assert store.count_leads(LeadFilter(text="zoe angstr")) == 1
    assert store.count_leads(LeadFilter(text="example.org")) == 1
    assert store.count_leads(LeadFilter(text="zoey")) == 0


async def test_search_sees_details_filled_in_by_a_later_event(store: Store) -> None:
    await store.ingest(encode(make_event("lead.captured", data={"leadId": "L", "name": "Pat"})), {})
    assert store.count_leads(LeadFilter(text="quote")) == 0
    await store.ingest(encode(make_event("form.submitted", data={"leadId": "L", "message": "quote please"})), {})
    assert store.count_leads(LeadFilter(text="quote pat")) == 1
