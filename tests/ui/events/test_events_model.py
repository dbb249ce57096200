"""The Events tab's table model on a real store: Qt's model checks, and paging through a long log."""

from __future__ import annotations

import json
import sys

from codaiq_desktop.ui.events.events_model import EventsTableModel, InspectorFilter
from tests.fixtures.receiver import make_event


def test_events_model_passes_qt_model_checks(qtbot, qloop, qtmodeltester, store) -> None:
    async def fill() -> None:
        for _ in range(5):
            await store.ingest(json.dumps(make_event("website.updated")).encode(), {})
        await store.record_rejected(b"{}", {}, "The signature does not match.")

    qloop.run(fill())
    model = EventsTableModel(store)
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        pass
    assert model.rowCount() == 6
    assert model.row_at(0).kind == "rejected"
    qtmodeltester.check(model, force_py=True)
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        model.set_filter(InspectorFilter(type="website.updated"))
    assert model.rowCount() == 5
    qtmodeltester.check(model, force_py=True)


def test_events_model_pages_through_a_long_log(qtbot, qloop, store) -> None:
    async def fill() -> None:
        for n in range(450):
            await store.ingest(json.dumps(make_event("form.submitted", data={"n": n})).encode(), {})

    qloop.run(fill())
    model = EventsTableModel(store)
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        pass
    assert model.rowCount() == 200
    from PySide6.QtCore import QModelIndex

    while model.canFetchMore(QModelIndex()):
        with qtbot.waitSignal(model.sig_loaded, timeout=5000):
            model.fetchMore(QModelIndex())
    ids = [r.id for r in model.rows()]
    assert len(ids) == 450 and ids == sorted(ids, reverse=True)


def test_a_paint_asks_each_cell_once_and_shows_what_data_answers(qtbot, qloop, store) -> None:
    """The view paints through ``multiData`` (one Python call per cell): the same text and
    colour ``data`` gives, a rejected attempt in its own colour."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

    async def fill() -> None:
        for _ in range(3):
            await store.ingest(json.dumps(make_event("website.updated")).encode(), {})
        await store.record_rejected(b"{}", {}, "The signature does not match.")

    qloop.run(fill())
    asked_by_qt = []  # data calls Qt made itself, one per role (not through multiData)

    class Counting(EventsTableModel):
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if sys._getframe(1).f_code.co_name != "answer_through_data":
                asked_by_qt.append(role)
            return super().data(index, role)

    model = Counting(store)
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        pass
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 300)
    view.grab()
    asked_by_qt.clear()
    view.grab()
    assert asked_by_qt == []
    foreground = Qt.ItemDataRole.ForegroundRole
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            view.itemDelegate().initStyleOption(option, index)
            assert option.text == model.data(index)
            colour = model.data(index, foreground)
            if colour is not None:
                assert option.palette.text().color() == colour
    assert model.data(model.index(0, 0), foreground) is not None  # the rejected attempt, first
