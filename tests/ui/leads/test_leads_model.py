"""The leads table model over a real store: lazy pages, filters, sorting, live inserts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

from benchmarks.bench_leads_table import build_lead_store
from codaiq_desktop.store import LeadFilter, Store
from codaiq_desktop.ui.leads.lead_columns import COL_NAME, COL_TIME, LeadIdRole
from codaiq_desktop.ui.leads.leads_model import LeadsTableModel
from tests.fixtures.receiver import make_event


def ingest_leads(
    qloop, store: Store, count: int, *, website_id: str = "web_1", start: int = 0, key: str = "L"
) -> list[int]:
    """Store ``count`` lead.captured events the way the receiver does; returns local lead ids."""

    async def run() -> list[int]:
        ids = []
        for n in range(start, start + count):
            payload = make_event(
                website_id=website_id,
                data={
                    "leadId": f"{key}{n}",
                    "name": f"Lead {n:04d}",
                    "email": f"lead{n}@example.com",
                    "message": f"Message number {n}",
                },
            )
            result = await store.ingest(json.dumps(payload).encode(), {"Content-Type": "application/json"})
            ids.append(result.lead.id)
        return ids

    return qloop.run(run())


def read_rows(qtbot, model: LeadsTableModel, rows: range) -> list[str]:
    """Names at ``rows``, waiting for their pages to be read."""
    names = []
    for row in rows:
        if model.lead_at(row) is None:
            with qtbot.waitSignal(model.sig_rows_loaded, timeout=5000):
                pass
        names.append(model.data(model.index(row, COL_NAME)))
    return names


def open_model(qtbot, source: Store, model_class: type[LeadsTableModel] = LeadsTableModel) -> LeadsTableModel:
    """A table model over ``source``, once its first count and page are read."""
    model = model_class(None)
    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.set_source(source)
    return model


@pytest.fixture(scope="module")
def big_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_lead_store(tmp_path_factory.mktemp("leads") / "store.sqlite3", 5_000)


@pytest.fixture
def big_store(big_store_path: Path, tmp_path: Path):
    copy = tmp_path / "store.sqlite3"
    copy.write_bytes(big_store_path.read_bytes())
    with Store(copy) as opened:
        yield opened


def test_model_passes_qt_model_checks(qtbot, qtmodeltester, big_store: Store) -> None:
    model = open_model(qtbot, big_store)
    assert model.rowCount() == 5_000
    read_rows(qtbot, model, range(3))
    qtmodeltester.check(model, force_py=True)


def test_rows_are_read_lazily_a_page_at_a_time(qtbot, big_store: Store) -> None:
    model = open_model(qtbot, big_store)
    # Only the first page came with the count; a far row is a placeholder until read.
    assert model.lead_id_at(0) is not None
    assert model.lead_id_at(4_000) is None
    assert model.data(model.index(4_000, COL_NAME)) == "…"
    with qtbot.waitSignal(model.sig_rows_loaded, timeout=5000) as loaded:
        pass
    first, last = loaded.args
    assert first <= 4_000 <= last and last - first + 1 == model.PAGE_SIZE
    # Newest first: row 4000 is lead number 999 of the 5000 generated (0-based, by time).
    assert model.data(model.index(4_000, COL_NAME)) == "Person 999"


def test_filters_and_sort_are_done_by_the_store(qtbot, big_store: Store) -> None:
    model = open_model(qtbot, big_store)
    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.set_filter(LeadFilter(website_id="site-bravo", status="won"))
    # website i % 4 == 1 and status i % 5 == 3: i % 20 == 13 → 250 of 5000.
    assert model.rowCount() == big_store.count_leads(LeadFilter(website_id="site-bravo", status="won")) == 250
    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.set_filter(LeadFilter(text="package 12"))
    assert model.rowCount() == big_store.count_leads(LeadFilter(text="package 12")) > 0
    assert all("package 12" in model.lead_at(r).message for r in range(min(50, model.rowCount())))

    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.set_filter(LeadFilter())
    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    expected = [lead.name for lead in big_store.list_leads(LeadFilter(), sort="name", descending=False, limit=5)]
    assert read_rows(qtbot, model, range(5)) == expected


def test_unsortable_column_is_ignored(qtbot, big_store: Store) -> None:
    model = open_model(qtbot, big_store)
    model.sort(6, Qt.SortOrder.AscendingOrder)  # message: no index, no sort
    assert model.sort_column == COL_TIME and model.descending


def test_live_leads_insert_at_top_keeping_selection(qtbot, qloop, store: Store) -> None:
    ingest_leads(qloop, store, 30)
    model = open_model(qtbot, store)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    selected_id = model.lead_id_at(10)
    view.selectionModel().setCurrentIndex(
        model.index(10, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    resets: list[bool] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(True))

    new_ids = ingest_leads(qloop, store, 3, start=100)
    for lead_id in new_ids:
        model.note_arrival(lead_id)
    with qtbot.waitSignal(model.rowsInserted, timeout=5000) as inserted:
        model.apply_arrivals()
    assert inserted.args[1:] == [0, 2]
    assert not resets, "a live lead must not reset the view"
    assert model.rowCount() == 33
    assert [model.lead_id_at(r) for r in range(3)] == list(reversed(new_ids))
    assert not model.lead_at(0).read
    current = view.selectionModel().currentIndex()
    assert current.row() == 13 and current.data(LeadIdRole) == selected_id


def test_arrivals_outside_the_filter_change_nothing(qtbot, qloop, store: Store) -> None:
    ingest_leads(qloop, store, 5, website_id="web_1")
    model = open_model(qtbot, store)
    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.set_filter(LeadFilter(website_id="web_1"))
    # The reset also rereads the unread count: let that read finish first, or it may count
    # the two arrivals itself and leave the batch nothing to change.
    qtbot.waitUntil(lambda: model.reader is not None and not model.reader.busy, timeout=5000)
    other = ingest_leads(qloop, store, 2, website_id="web_2", start=50)
    for lead_id in other:
        model.note_arrival(lead_id)
    with qtbot.waitSignal(model.sig_unread_changed, timeout=5000):
        model.apply_arrivals()
    assert model.rowCount() == 5
    assert model.unread_count == 7


def test_burst_of_arrivals_costs_one_insert(qtbot, qloop, store: Store) -> None:
    ingest_leads(qloop, store, 3)
    model = open_model(qtbot, store)
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    for lead_id in ingest_leads(qloop, store, 120, start=10):
        model.note_arrival(lead_id)
    with qtbot.waitSignal(model.rowsInserted, timeout=5000):
        model.apply_arrivals()
    assert inserts == [(0, 119)]
    assert model.rowCount() == 123


def test_arrivals_sorted_by_name_reload_in_place(qtbot, qloop, store: Store) -> None:
    ingest_leads(qloop, store, 10)
    model = open_model(qtbot, store)
    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    (middle,) = ingest_leads(qloop, store, 1, start=5, key="again")  # "Lead 0005" sorts mid-list
    model.note_arrival(middle)
    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.apply_arrivals()
    names = read_rows(qtbot, model, range(model.rowCount()))
    assert names == sorted(names) and names.count("Lead 0005") == 2


def test_local_edit_shows_at_once(qtbot, qloop, store: Store) -> None:
    ingest_leads(qloop, store, 3)
    model = open_model(qtbot, store)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append((top.row(), bottom.row())))
    lead = store.update_lead(model.lead_id_at(1), status="won")
    model.replace_lead(lead)
    assert len(changed) == 1 and changed[0][0] <= 1 <= changed[0][1]
    assert model.data(model.index(1, 5)) == "Won"


def test_a_change_repaints_only_its_row_after_arrivals_moved_it(qtbot, qloop, store: Store) -> None:
    """A colleague's change (team inbox: 50 a second) repaints its own row, not the table,
    also once live arrivals have pushed the rows down."""
    ingest_leads(qloop, store, 30)
    model = open_model(qtbot, store)
    watched = model.lead_id_at(7)
    for lead_id in ingest_leads(qloop, store, 4, start=100):
        model.note_arrival(lead_id)
    with qtbot.waitSignal(model.rowsInserted, timeout=5000):
        model.apply_arrivals()
    assert model.lead_id_at(11) == watched and model.row_of(watched) == 11
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append((top.row(), bottom.row())))
    model.replace_lead(store.update_lead(watched, status="won"))
    assert changed == [(11, 11)]
    assert model.data(model.index(11, 5)) == "Won"


def test_a_change_after_rows_moved_unpredictably_still_shows(qtbot, qloop, store: Store) -> None:
    """Sorted by name, an arrival lands mid-list; a change to a row below it is still shown
    (its remembered position no longer holds, so the whole table repaints)."""
    ingest_leads(qloop, store, 10)
    model = open_model(qtbot, store)
    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    last = model.lead_id_at(9)
    (middle,) = ingest_leads(qloop, store, 1, start=5, key="again")
    model.note_arrival(middle)
    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.apply_arrivals()
    read_rows(qtbot, model, range(model.rowCount()))
    row = model.row_of(last)
    assert row == 10 and model.lead_id_at(row) == last
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append((top.row(), bottom.row())))
    model.replace_lead(store.update_lead(last, status="lost"))
    assert len(changed) == 1 and changed[0][0] <= 10 <= changed[0][1]
    assert model.data(model.index(10, 5)) == "Lost"


class _CountingModel(LeadsTableModel):
    """Counts ``data`` calls (a paint that answers through ``multiData`` makes none)."""

    data_calls = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        type(self).data_calls += 1
        return super().data(index, role)


def test_a_paint_asks_each_cell_once_and_shows_what_data_answers(qtbot, qloop, store: Store) -> None:
    """A view paints through ``multiData`` (one Python call per cell, not one per role), and
    what it paints is what ``data`` answers: text, and bold for an unread lead."""
    ids = ingest_leads(qloop, store, 6)
    store.update_lead(ids[2], read=True)
    model = open_model(qtbot, store, _CountingModel)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1000, 400)
    view.grab()  # a real paint of every visible cell
    _CountingModel.data_calls = 0
    view.grab()
    assert _CountingModel.data_calls == 0
    delegate = view.itemDelegate()
    bold_rows = set()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)
            assert option.text == model.data(index, Qt.ItemDataRole.DisplayRole)
            if option.font.bold():
                bold_rows.add(row)
    read_row = model.row_of(ids[2])
    assert read_row is not None
    assert bold_rows == set(range(model.rowCount())) - {read_row}
    assert model.data(model.index(0, COL_TIME), LeadIdRole) == model.lead_id_at(0)
