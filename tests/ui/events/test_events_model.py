"""The Events tab's table model on a real store: Qt's model checks, and paging through a long log."""

from __future__ import annotations

import json

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
