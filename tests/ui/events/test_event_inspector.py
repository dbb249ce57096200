"""The Events tab's inspector: every delivery listed, filtered, shown raw and replayed (real receiver and store)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from codaiq_desktop.ui.events.events_model import COL_WEBSITE, RESULT_REJECTED, RESULT_VERIFIED
from tests.fixtures.receiver import make_event
from tests.ui.events.conftest import make_tab, post


def test_forged_post_is_listed_as_rejected_next_to_verified_events(qtbot, qloop, services, until) -> None:
    tab = make_tab(qtbot, services)
    secret, _ = services.vault.webhook_secret()
    good = post(qloop, services.receiver.url, make_event("website.updated", website_id="web_ok"), secret)
    assert good.status_code < 300
    forged = post(qloop, services.receiver.url, make_event("lead.captured", website_id="web_evil"), "not-the-secret")
    assert forged.status_code in (401, 403)

    until(lambda: tab.inspector.model.rowCount() == 2, message="the inspector did not list both deliveries")
    newest, older = tab.inspector.model.row_at(0), tab.inspector.model.row_at(1)
    assert newest.result == RESULT_REJECTED and newest.kind == "rejected"
    assert tab.inspector.model.data(tab.inspector.model.index(0, 3)).startswith("Rejected")
    assert older.result == RESULT_VERIFIED and older.type == "website.updated"
    assert tab.inspector.model.data(tab.inspector.model.index(1, 3)) == "Verified"
    # Nothing of the forged body was stored as an event or a lead.
    assert services.store.count_leads() == 0
    assert [e.type for e in services.store.list_events()] == ["website.updated"]

    tab.inspector.table.selectRow(0)
    assert "not stored" in tab.inspector.body.toPlainText()
    assert tab.inspector.replay_button.isEnabled() is False

    tab.inspector.result_filter.setCurrentIndex(tab.inspector.result_filter.findData(RESULT_REJECTED))
    until(lambda: not tab.inspector.model.loading)
    assert [r.kind for r in tab.inspector.model.rows()] == ["rejected"]
    tab.inspector.result_filter.setCurrentIndex(0)
    tab.inspector.type_filter.setCurrentIndex(tab.inspector.type_filter.findData("website.updated"))
    until(lambda: not tab.inspector.model.loading)
    assert [r.type for r in tab.inspector.model.rows()] == ["website.updated"]


def test_selected_event_shows_json_and_headers_and_replays(qtbot, qloop, services, until) -> None:
    tab = make_tab(qtbot, services)
    secret, _ = services.vault.webhook_secret()
    payload = make_event(
        "lead.captured", website_id="web_r", data={"leadId": "r1", "name": "Replay Me", "email": "r@example.com"}
    )
    assert post(qloop, services.receiver.url, payload, secret).status_code < 300
    until(lambda: tab.inspector.model.rowCount() == 1)
    tab.inspector.table.selectRow(0)
    assert json.loads(tab.inspector.body.toPlainText()) == payload
    assert tab.inspector.body.toPlainText().startswith("{\n  ")  # indented
    assert "x-codaiq-signature" in tab.inspector.headers.toPlainText().lower()
    tab.inspector.copy_json_button.click()
    assert json.loads(QGuiApplication.clipboard().text()) == payload

    replayed: list[object] = []
    tab.sig_replayed.connect(replayed.append)
    task = tab.inspector.replay_selected()
    until(lambda: task.done() and tab.inspector.model.rowCount() == 2)
    top = tab.inspector.model.row_at(0)
    assert top.replay and tab.inspector.model.data(tab.inspector.model.index(0, 3)) == "Verified (replay)"
    assert replayed and replayed[0].replay
    assert len(services.store.list_events()) == 2
    assert services.store.count_leads() == 1  # a replay feeds the same lead


def test_events_name_their_website_with_the_id_in_the_tooltip(qtbot, sandbox, services, services_key, until) -> None:
    project_id, website_id = sandbox.generate("A bakery in Bath", "Crumb & Co", key=services_key)
    sandbox.wait_ready(project_id, website_id, key=services_key)
    tab = make_tab(qtbot, services)

    def website_cell() -> tuple[str, str] | None:
        for position, row in enumerate(tab.inspector.model.rows()):
            if row.website_id == website_id:
                index = tab.inspector.model.index(position, COL_WEBSITE)
                return index.data(), index.data(Qt.ItemDataRole.ToolTipRole)
        return None

    until(lambda: (website_cell() or ("",))[0] == "Crumb & Co", message="the Events list shows no site name")
    assert website_id in website_cell()[1]
    assert services.website_names[website_id] == "Crumb & Co"
    # An event for a site the projects list does not know keeps its id.
    services.remember_projects([])
    until(lambda: (website_cell() or ("",))[0] == website_id)


def test_an_empty_inbox_says_nothing_was_received_not_that_filters_hide_it(qtbot, services, until) -> None:
    tab = make_tab(qtbot, services)
    until(lambda: not tab.inspector.model.loading)
    assert tab.inspector.empty_label.isVisible()
    assert tab.inspector.empty_label.text().startswith("Nothing received yet")
    tab.inspector.result_filter.setCurrentIndex(tab.inspector.result_filter.findText("Rejected"))
    until(lambda: not tab.inspector.model.loading)
    assert tab.inspector.empty_label.text() == "Nothing matches these filters."
