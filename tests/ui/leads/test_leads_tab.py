"""The Leads tab against the real sandbox, receiver and store.

A lead typed into a generated site's form travels sandbox → signed webhook → receiver
→ store → ``sig_event_stored`` → the tab, exactly as in the app.
"""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from codaiq_desktop.signing import SIGNATURE_HEADER, sign
from codaiq_desktop.ui.leads.lead_columns import COL_STATUS
from codaiq_desktop.ui.leads.leads_tab import LeadsTab
from codaiq_desktop.tls import ssl_context
from tests.fixtures.receiver import make_event

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def site(sandbox, services_key: str) -> tuple[str, str]:
    """A built website of the test's own sandbox account: (projectId, websiteId)."""
    project_id, website_id = sandbox.generate("A florist in York with a contact form", "Petal & Stem", key=services_key)
    sandbox.wait_ready(project_id, website_id, key=services_key)
    return project_id, website_id


def make_tab(qtbot, services) -> LeadsTab:
    tab = LeadsTab(services)
    qtbot.addWidget(tab)
    tab.resize(1280, 720)
    tab.show()
    return tab


def deliver_leads(qloop, services, leads: list[dict], website_id: str = "web_x", account: str | None = None) -> None:
    """Post ``lead.captured`` webhooks signed with an account's secret (the sandbox's by
    default) to the app's own receiver, concurrently."""
    from codaiq_desktop.accounts import SANDBOX_ACCOUNT_NAME

    label = account or SANDBOX_ACCOUNT_NAME
    secret = next(entry.secret for entry in services.receiver_secrets() if entry.account == label)

    async def post_all() -> None:
        async with httpx.AsyncClient(verify=ssl_context(), timeout=10, trust_env=False) as http:

            async def post(data: dict) -> None:
                body = json.dumps(make_event(website_id=website_id, data=data)).encode()
                response = await http.post(
                    services.receiver.url,
                    content=body,
                    headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)},
                )
                response.raise_for_status()

            await asyncio.gather(*(post(lead) for lead in leads))

    qloop.run(post_all())


def test_lead_from_a_site_form_appears_live_and_unread(qtbot, services, sandbox, site, until) -> None:
    tab = make_tab(qtbot, services)
    until(lambda: not tab.model.busy)
    assert tab.model.rowCount() == 0
    assert "No leads yet" in tab.empty_label.text() and tab.empty_label.isVisible()
    unread_seen: list[int] = []
    tab.sig_unread_count_changed.connect(unread_seen.append)
    _project_id, website_id = site

    # What a visitor's browser sends when the generated page's form is submitted.
    response = sandbox.request(
        "POST",
        f"/sites/{website_id}/lead",
        data={
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "phone": "+44 7700 900123",
            "message": "Wedding flowers for June, about 40 guests.",
        },
    )
    assert response.status_code == 303

    until(lambda: tab.model.rowCount() == 1 and tab.model.lead_at(0) is not None, message="lead never arrived")
    lead = tab.model.lead_at(0)
    assert (lead.name, lead.email, lead.website_id) == ("Ada Lovelace", "ada@example.com", website_id)
    assert not lead.read
    assert tab.model.data(tab.model.index(0, 1), Qt.ItemDataRole.FontRole).bold()
    until(lambda: unread_seen and unread_seen[-1] == 1)
    assert tab.count_label.text() == "1 lead · 1 unread"
    # Website names come from the API once the projects are listed.
    until(lambda: tab.website_filter.findData(website_id) >= 0)
    assert tab.model.data(tab.model.index(0, 4)) == "Petal & Stem"

    # Opening it shows the whole message and the raw event, and marks it read.
    tab.table.selectRow(0)
    assert tab.detail.message_text() == "Wedding flowers for June, about 40 guests."
    until(lambda: '"lead.captured"' in tab.detail.raw_text())
    until(lambda: unread_seen[-1] == 0)
    assert services.store.get_lead(lead.id).read


def test_filters_status_notes_and_csv_export(qtbot, qloop, services, until, tmp_path: Path) -> None:
    tab = make_tab(qtbot, services)
    leads = [
        {"leadId": f"f{n}", "name": name, "email": f"{name.split()[0].lower()}@example.com", "message": message}
        for n, (name, message) in enumerate(
            [
                ("Grace Hopper", "Need a quote for a conference stand"),
                ("Alan Turing", "Interested in a monthly retainer"),
                ("Katherine Johnson", "Quote for bouquets please"),
                ("Tim Berners-Lee", "Just saying hello"),
            ]
        )
    ]
    deliver_leads(qloop, services, leads[:2], website_id="site_one")
    deliver_leads(qloop, services, leads[2:], website_id="site_two")
    until(lambda: tab.model.rowCount() == 4 and not tab.model.busy)

    tab.search.setText("quote")
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    until(lambda: not tab.model.busy and tab.model.rowCount() == 2)
    assert {tab.model.lead_at(r).name for r in range(2)} == {"Grace Hopper", "Katherine Johnson"}

    tab.set_websites({"site_one": "One", "site_two": "Two"})
    tab.website_filter.setCurrentIndex(tab.website_filter.findData("site_two"))
    until(lambda: not tab.model.busy and tab.model.rowCount() == 1)
    assert tab.model.lead_at(0).name == "Katherine Johnson"

    # Status from the detail pane: saved in the store, shown in the row.
    tab.table.selectRow(0)
    combo = tab.detail.status_combo()
    combo.setCurrentIndex(combo.findData("qualified"))
    combo.activated.emit(combo.currentIndex())
    lead_id = tab.model.lead_id_at(0)
    until(lambda: not tab.writes_pending)  # edits commit off the UI thread
    assert services.store.get_lead(lead_id).status == "qualified"
    assert tab.model.data(tab.model.index(0, COL_STATUS)) == "Qualified"

    # Notes are saved after a pause in typing, with nothing else done...
    qtbot.keyClicks(tab.detail.notes_edit(), "Call back")
    assert tab.detail.notes_state() == "Editing…"
    until(lambda: services.store.get_lead(lead_id).notes == "Call back")
    assert tab.detail.notes_state() == "Saved"
    # ... or at once when the user moves on.
    tab.detail.notes_edit().setPlainText("Call back Tuesday")
    tab.detail.flush_notes()
    until(lambda: not tab.writes_pending)
    assert services.store.get_lead(lead_id).notes == "Call back Tuesday"

    tab.search.clear()
    tab.apply_filter()
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("qualified"))
    until(lambda: not tab.model.busy and tab.model.rowCount() == 1)

    tab.status_filter.setCurrentIndex(0)
    until(lambda: not tab.model.busy and tab.model.rowCount() == 2)
    target = tmp_path / "leads.csv"
    task = tab.export_csv(target)
    until(task.done)
    with target.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    assert "Exported 2 leads" in tab.message_label.text()
    assert any("Katherine" in " ".join(row.values()) for row in rows)
    assert not any("Grace" in " ".join(row.values()) for row in rows)


def test_new_leads_do_not_move_what_the_user_reads(qtbot, qloop, services, until) -> None:
    tab = make_tab(qtbot, services)
    deliver_leads(
        qloop,
        services,
        [{"leadId": f"s{n}", "name": f"Early {n:03d}", "email": f"e{n}@example.com"} for n in range(120)],
    )
    until(lambda: tab.model.rowCount() == 120 and not tab.model.busy)
    bar = tab.table.verticalScrollBar()
    bar.setValue(50)
    until(lambda: tab.model.lead_at(50) is not None)
    tab.table.selectionModel().setCurrentIndex(
        tab.model.index(55, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    top_id, selected_id = tab.model.lead_id_at(50), tab.model.lead_id_at(55)
    resets: list[bool] = []
    tab.model.modelAboutToBeReset.connect(lambda: resets.append(True))

    deliver_leads(
        qloop, services, [{"leadId": f"late{n}", "name": f"Late {n}", "email": f"l{n}@example.com"} for n in range(5)]
    )
    until(lambda: tab.model.rowCount() == 125)
    assert not resets
    assert tab.model.lead_id_at(bar.value()) == top_id, "the first visible lead must stay the same"
    assert tab.table.currentIndex().row() == 60 and tab.model.lead_id_at(60) == selected_id
    assert {tab.model.lead_at(r).name for r in range(5)} == {f"Late {n}" for n in range(5)}


def test_add_lead_dialog_validates_then_submits_through_the_api(qtbot, services, site, until) -> None:
    tab = make_tab(qtbot, services)
    _project_id, website_id = site
    until(lambda: tab.website_filter.findData(website_id) >= 0)
    dialog = tab.open_add_dialog()
    dialog.website.setCurrentIndex(dialog.website.findData(website_id))
    dialog.email.setText("not-an-email")
    dialog.submit()
    assert dialog.error_text("name") == "Enter a name."
    assert "does not look like an email" in dialog.error_text("email")
    assert dialog.isVisible()

    dialog.name.setText("Mary Jackson")
    dialog.email.setText("mary@example.com")
    dialog.message.setPlainText("Please call me about a new site.")
    results: list[int] = []
    dialog.finished.connect(results.append)
    dialog.submit()
    until(lambda: results, message="the dialog did not close after submitting")
    assert results == [1]  # accepted
    assert "appears here when the webhook delivers it" in tab.message_label.text()
    until(lambda: tab.model.rowCount() == 1 and tab.model.lead_at(0) is not None)
    assert tab.model.lead_at(0).name == "Mary Jackson"


def test_add_lead_dialog_shows_server_refusal_in_place(qtbot, services, until) -> None:
    tab = make_tab(qtbot, services)
    tab.set_websites({"web_missing": "A site that is not there"})
    dialog = tab.open_add_dialog()
    dialog.name.setText("Someone")
    dialog.email.setText("someone@example.com")
    dialog.submit()
    until(lambda: dialog.status.text() not in ("", "Submitting…"))
    assert dialog.isVisible()
    assert "Traceback" not in dialog.status.text()
    assert dialog.buttons.isEnabled()


def test_screenshot_of_the_leads_tab(qtbot, qloop, services, until) -> None:
    tab = make_tab(qtbot, services)
    people = [
        ("Ada Lovelace", "Wedding flowers for June, about 40 guests."),
        ("Grace Hopper", "Could you quote for weekly office flowers?"),
        ("Alan Turing", "Looking for a funeral wreath, this Friday."),
        ("Katherine Johnson", "Do you deliver to Harrogate?"),
        ("Tim Berners-Lee", "Interested in a flower-arranging workshop for 12."),
    ]
    deliver_leads(
        qloop,
        services,
        [
            {
                "leadId": f"shot{n}",
                "name": name,
                "email": f"{name.split()[0].lower()}@example.com",
                "phone": f"+44 7700 90{n:04d}",
                "message": message,
            }
            for n, (name, message) in enumerate(people)
        ],
        website_id="web_florist",
    )
    tab.set_websites({"web_florist": "Petal & Stem"})
    until(lambda: tab.model.rowCount() == 5 and all(tab.model.lead_at(r) for r in range(5)))
    tab.table.selectRow(1)
    until(lambda: tab.detail.lead_id is not None)
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "leads_tab.png"
    assert tab.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_main_window_shows_unread_count_and_every_tab_with_data(
    qtbot, qloop, services, sandbox, services_key, main_window, until
) -> None:
    """In the real main window: the Leads tab's title counts unread leads; each tab with data."""
    tabs = main_window.tabs
    leads = main_window.tab_widgets["leads"]
    index = tabs.indexOf(leads)
    assert tabs.tabText(index) == "Leads"
    project_id, website_id = sandbox.generate("A bakery in Leeds", "Crumb", key=services_key)
    sandbox.wait_ready(project_id, website_id, key=services_key)
    sandbox.request(
        "POST", "/api/sandbox/simulate", key=services_key, json={"websiteId": website_id, "days": 30}
    ).raise_for_status()
    for name, message in (
        ("Ada Lovelace", "A cake for 40 people in June?"),
        ("Grace Hopper", "Do you deliver to Harrogate?"),
    ):
        sandbox.request(
            "POST",
            f"/sites/{website_id}/lead",
            data={"name": name, "email": f"{name.split()[0].lower()}@example.com", "message": message},
        )
    until(lambda: tabs.tabText(index) == "Leads (2)", message=f"tab title is {tabs.tabText(index)!r}")

    SCREENSHOTS.mkdir(exist_ok=True)
    main_window.resize(1400, 860)
    main_window.show_tab("leads")
    until(lambda: leads.model.rowCount() == 2 and leads.model.lead_at(1) is not None)
    leads.table.selectRow(1)
    until(lambda: tabs.tabText(index) == "Leads (1)")
    assert main_window.grab().save(str(SCREENSHOTS / "main_window_leads.png"))

    analytics = main_window.tab_widgets["analytics"]
    main_window.show_tab("analytics")
    until(lambda: analytics.result() is not None and analytics.result().website_id == website_id)
    assert analytics.stack.currentIndex() == analytics.PAGE_CHARTS
    assert main_window.grab().save(str(SCREENSHOTS / "main_window_analytics.png"))

    events = main_window.tab_widgets["events"]
    main_window.show_tab("events")
    until(lambda: events.inspector.model.rowCount() >= 6)  # created, published, 2 × (captured, submitted)
    events.inspector.table.selectRow(0)
    assert main_window.grab().save(str(SCREENSHOTS / "main_window_events.png"))


def test_open_lead_clears_filters_that_hide_it_and_dates_filter(qtbot, qloop, services, until) -> None:
    tab = make_tab(qtbot, services)
    deliver_leads(
        qloop, services, [{"leadId": f"o{n}", "name": f"Olive {n}", "email": f"o{n}@example.com"} for n in range(3)]
    )
    until(lambda: tab.model.rowCount() == 3 and not tab.model.busy)
    target = tab.model.lead_id_at(2)

    tab.date_filter.setCurrentIndex(tab.date_filter.findText("Last 24 hours"))
    until(lambda: tab.model.lead_filter.since is not None and not tab.model.busy)
    assert tab.model.rowCount() == 3
    tab.date_filter.setCurrentIndex(tab.date_filter.findText("Between dates…"))
    assert tab.date_from.isVisible() and tab.date_to.isVisible()
    tab.date_to.setDate(tab.date_to.date().addDays(-2))  # a window that ended before today
    until(lambda: tab.model.lead_filter.until is not None and not tab.model.busy and tab.model.rowCount() == 0)
    assert "No lead matches these filters." in tab.empty_label.text()

    services.sig_open_lead.emit(target)
    until(lambda: tab.detail.lead_id == target, message="the hidden lead was not opened")
    assert tab.date_filter.currentIndex() == 0 and not tab.date_from.isVisible()
    assert tab.model.rowCount() == 3
    assert tab.table.currentIndex().row() == 2


def test_export_failure_is_explained_in_place(qtbot, services, until, tmp_path: Path) -> None:
    tab = make_tab(qtbot, services)
    until(lambda: not tab.model.busy)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    task = tab.export_csv(blocker / "leads.csv")
    until(task.done)
    text = tab.banner.text()
    assert text.startswith("Export failed:") and "Traceback" not in text
    assert tab.banner.isVisible() and tab.export_button.isEnabled()


def test_tabs_made_before_the_store_opens_follow_it(qtbot, qloop, tmp_path: Path, until) -> None:
    """As in the app: the window (and its tabs) exist before the services have started."""
    from codaiq_desktop.ui.events.events_tab import EventsTab
    from tests.ui.conftest import make_services

    services = make_services(tmp_path / "early")
    leads = make_tab(qtbot, services)
    events = EventsTab(services)
    qtbot.addWidget(events)
    assert leads.model.rowCount() == 0 and "No leads yet" in leads.empty_label.text()
    qloop.run(services.start(store_path=tmp_path / "early" / "store.sqlite3"))
    try:
        deliver_leads(qloop, services, [{"leadId": "early1", "name": "Early Bird", "email": "early@example.com"}])
        until(lambda: leads.model.rowCount() == 1 and leads.model.lead_at(0) is not None)
        assert leads.model.lead_at(0).name == "Early Bird"
        until(lambda: events.inspector.model.rowCount() == 1)
    finally:
        qloop.run(services.aclose())


def test_sorting_from_the_header(qtbot, qloop, services, until) -> None:
    tab = make_tab(qtbot, services)
    deliver_leads(
        qloop,
        services,
        [
            {"leadId": f"h{n}", "name": f"{chr(90 - n % 26)} person {n:03d}", "email": f"h{n}@example.com"}
            for n in range(120)
        ],
    )
    until(lambda: tab.model.rowCount() == 120 and not tab.model.busy)
    bar = tab.table.verticalScrollBar()
    bar.setValue(60)
    header = tab.table.horizontalHeader()
    header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # as a click on "Name" does
    until(lambda: tab.model.sort_column == 1 and not tab.model.busy)
    assert bar.value() == 0, "a new order starts at its top"
    names = [tab.model.lead_at(r).name for r in range(10)]
    assert names == sorted(names, key=str.lower) and names[0].startswith("A ")

    header.setSortIndicator(6, Qt.SortOrder.AscendingOrder)  # "Message": the store cannot sort it
    assert header.sortIndicatorSection() == 1 and tab.model.sort_column == 1
    assert "can be sorted by" in tab.message_label.text()


def test_detail_pane_contact_actions(qtbot) -> None:
    import datetime as dt

    from PySide6.QtGui import QGuiApplication

    from codaiq_desktop.store import Lead
    from codaiq_desktop.ui.leads.lead_detail import LeadDetailPanel

    panel = LeadDetailPanel()
    qtbot.addWidget(panel)
    panel.set_website_names({"web_1": "Petal & Stem"})
    lead = Lead(
        id=7,
        lead_id="L7",
        website_id="web_1",
        project_id="p",
        name="Ada Lovelace",
        email="ada@example.com",
        phone="+44 7700 900123",
        message="Hello",
        data={},
        captured_at=None,
        received_at=dt.datetime(2026, 11, 29, 9, 30, tzinfo=dt.UTC),
        status="contacted",
        notes="n",
        read=True,
    )
    messages: list[str] = []
    panel.sig_message.connect(messages.append)
    panel.show_lead(lead)
    assert panel.status_combo().currentData() == "contacted"
    panel._copy_email.click()
    assert QGuiApplication.clipboard().text() == "ada@example.com" and messages[-1] == "Email address copied."
    panel._copy_phone.click()
    assert QGuiApplication.clipboard().text() == "+44 7700 900123"
    url = panel.mailto_url()
    assert url is not None and url.scheme() == "mailto" and url.path() == "ada@example.com"
    assert "Petal" in url.query()
    panel.show_lead(None)
    assert panel.lead_id is None and panel.mailto_url() is None


def test_each_account_sees_its_own_leads_and_events(qtbot, qloop, services, sandbox, until) -> None:
    """The receiver takes every account's deliveries; the tabs show the active account's."""
    from codaiq_desktop.accounts import SANDBOX_ACCOUNT_NAME, Account
    from codaiq_desktop.ui.events.events_tab import EventsTab
    from codaiq_desktop.ui.shell.main_window import MainWindow

    from codaiq_desktop.accounts import KeyStorage

    # The user chose the 0600 key file for this account (tests run with no keyring).
    agency = Account("Harbour Agency", base_url=sandbox.base_url, plan="agency", key_storage=KeyStorage.FILE)
    services.accounts.upsert(agency)
    services.save_accounts()  # the receiver now also accepts the agency's secret
    tab = make_tab(qtbot, services)
    events = EventsTab(services)
    qtbot.addWidget(events)
    deliver_leads(
        qloop, services, [{"leadId": "s1", "name": "Sandy Box", "email": "sandy@example.com"}], website_id="web_sandbox"
    )
    deliver_leads(
        qloop,
        services,
        [
            {"leadId": "h1", "name": "Hal Bor", "email": "hal@example.com"},
            {"leadId": "h2", "name": "Mari Na", "email": "mari@example.com"},
        ],
        website_id="web_harbour",
        account=agency.name,
    )
    until(lambda: services.store.count_leads() == 3)
    accounts = {lead.account for lead in services.store.list_leads()}
    assert accounts == {SANDBOX_ACCOUNT_NAME, agency.name}

    until(lambda: tab.model.rowCount() == 1 and not tab.model.busy)
    assert tab.model.lead_at(0).name == "Sandy Box"
    assert tab.unread_count == 1
    until(lambda: events.inspector.model.rowCount() == 1)

    # Switching accounts: every tab shows the other account's records.
    window = MainWindow(services)  # its Leads tab not built yet: the window counts unread leads
    qtbot.addWidget(window)
    qloop.run(services.activate(agency, sandbox.new_key("agency")))
    until(lambda: tab.model.rowCount() == 2 and not tab.model.busy)
    assert {tab.model.lead_at(r).name for r in range(2)} == {"Hal Bor", "Mari Na"}
    assert services.webhook_secret() == (services.vault.webhook_secret(agency.name, in_file=True)[0], KeyStorage.FILE)
    until(lambda: tab.unread_count == 2)
    until(lambda: events.inspector.model.rowCount() == 2 and not events.inspector.model.loading)
    assert {row.website_id for row in events.inspector.model.rows()} == {"web_harbour"}
    assert "leads" in window.pending
    until(lambda: window.tabs.tabText(window.tabs.indexOf(window.pending["leads"])) == "Leads (2)")

    # A lead for the account not in view is stored, not shown, and waits in its inbox.
    deliver_leads(
        qloop,
        services,
        [{"leadId": "s2", "name": "Late Sandy", "email": "late@example.com"}],
        website_id="web_sandbox",
        account=SANDBOX_ACCOUNT_NAME,
    )
    until(lambda: services.store.count_leads() == 4)
    assert tab.model.rowCount() == 2

    # A renamed account keeps its leads and its secret.
    renamed = Account("Harbour & Co", base_url=sandbox.base_url, plan="agency", key_storage=KeyStorage.FILE)
    old_secret, _ = services.vault.webhook_secret(agency.name, in_file=True)
    qloop.run(services.rename_account_records(agency.name, renamed.name))
    assert services.vault.webhook_secret(renamed.name, in_file=True)[0] == old_secret
    from codaiq_desktop.store import LeadFilter

    assert services.store.count_leads(LeadFilter(account=renamed.name)) == 2


def test_phone_fits_the_message_wraps_and_nothing_scrolls_sideways(qtbot, qloop, services, until) -> None:
    from codaiq_desktop.ui.leads.lead_columns import COL_EMAIL, COL_MESSAGE, COL_PHONE

    tab = make_tab(qtbot, services)
    deliver_leads(
        qloop,
        services,
        [
            {
                "leadId": "w1",
                "name": "Ada Lovelace",
                "email": "ada@example.com",
                "phone": "+44 (0)20 7946 0958",
                "message": "Wedding flowers for June, about 40 guests, with a budget of around £900 and a theme of "
                "wild meadow flowers; could you also quote for the table arrangements?",
            }
        ],
    )
    until(lambda: tab.model.rowCount() == 1 and tab.model.lead_at(0) is not None)
    table = tab.table
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    phone_needed = table.fontMetrics().horizontalAdvance("+44 (0)20 7946 0958")
    assert table.columnWidth(COL_PHONE) > phone_needed  # the number is not cut
    assert table.columnWidth(COL_EMAIL) < 2 * table.columnWidth(COL_PHONE)
    assert table.wordWrap() and table.rowHeight(0) >= 2 * table.fontMetrics().lineSpacing()
    assert table.horizontalScrollBar().maximum() == 0  # the Message takes the remaining width
    assert table.columnWidth(COL_MESSAGE) >= 120


def test_csv_has_the_website_name_and_phones_as_typed(qtbot, qloop, services, until, tmp_path: Path) -> None:
    tab = make_tab(qtbot, services)
    deliver_leads(
        qloop,
        services,
        [{"leadId": "c1", "name": "Ada", "email": "ada@example.com", "phone": "+44 7700 900123"}],
        website_id="site_csv",
    )
    until(lambda: tab.model.rowCount() == 1 and not tab.model.busy)
    tab.set_websites({"site_csv": "Petal & Stem"})
    target = tmp_path / "leads.csv"
    task = tab.export_csv(target)
    until(task.done)
    with target.open(newline="", encoding="utf-8-sig") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["Website"] == "Petal & Stem" and row["Website ID"] == "site_csv"
    assert row["Phone"] == "+44 7700 900123"


def test_a_banner_about_one_account_goes_when_the_account_changes(qtbot, qloop, services, sandbox, until) -> None:
    from codaiq_desktop.accounts import Account

    tab = make_tab(qtbot, services)
    tab._on_projects_failed(RuntimeError("boom"))
    assert tab.banner.text().startswith("Website names are unavailable")
    other = Account(name="Agency two", base_url=sandbox.base_url)
    qloop.run(services.activate(other, sandbox.new_key("pro"), base_url=sandbox.base_url))
    until(lambda: not tab.model.busy)
    assert not tab.banner.isVisible()
