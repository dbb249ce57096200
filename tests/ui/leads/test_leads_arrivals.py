"""Where a batch of newly stored leads goes, read from a real store (``ArrivalBatch``)."""

from __future__ import annotations

from pathlib import Path

from codaiq_desktop.store import LeadFilter, Store
from codaiq_desktop.ui.leads.leads_arrivals import ArrivalBatch
from tests.ui.leads.test_leads_model import ingest_leads


def test_arrivals_go_on_top_newest_first_and_at_the_bottom_oldest_first(qloop, tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite3") as store:
        ingest_leads(qloop, store, 5)
        new = set(ingest_leads(qloop, store, 3, start=5))
        newest_first = ArrivalBatch.read(store, LeadFilter(), "received_at", True, new, old_total=5, cap=2_000)
        assert newest_first.total == 8
        placed = newest_first.placement(new, old_total=5)
        assert placed is not None and placed[0] == 0 and {lead.id for lead in placed[1]} == new
        oldest_first = ArrivalBatch.read(store, LeadFilter(), "received_at", False, new, old_total=5, cap=2_000)
        placed = oldest_first.placement(new, old_total=5)
        assert placed is not None and placed[0] == 5 and {lead.id for lead in placed[1]} == new
        assert newest_first.unread == 8


def test_arrivals_in_the_middle_or_too_many_are_not_placed(qloop, tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite3") as store:
        ingest_leads(qloop, store, 3)  # Lead 0000..0002
        ingest_leads(qloop, store, 3, start=10)  # Lead 0010..0012
        between = set(ingest_leads(qloop, store, 2, start=5))  # by name, between the two
        by_name = ArrivalBatch.read(store, LeadFilter(), "name", False, between, old_total=6, cap=2_000)
        assert by_name.total == 8
        assert by_name.placement(between, old_total=6) is None  # the model reloads instead
        over_cap = ArrivalBatch.read(store, LeadFilter(), "received_at", True, between, old_total=6, cap=1)
        assert over_cap.head == [] and over_cap.tail == []
        assert over_cap.placement(between, old_total=6) is None


def test_arrivals_outside_the_filter_change_nothing(qloop, tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite3") as store:
        ingest_leads(qloop, store, 4, website_id="web_1")
        other = set(ingest_leads(qloop, store, 2, website_id="web_2", start=4))
        batch = ArrivalBatch.read(store, LeadFilter(website_id="web_1"), "received_at", True, other, 4, 2_000)
        assert batch.total == 4 and batch.head == [] and batch.tail == []
