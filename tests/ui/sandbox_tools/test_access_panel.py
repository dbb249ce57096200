"""The sandbox's address and key for outside tools, and a test lead sent from the Events tab."""

from __future__ import annotations

import httpx
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from codaiq_desktop.ui.events.events_tab import EventsTab
from codaiq_desktop.tls import ssl_context


def make_tab(qtbot, services) -> EventsTab:
    tab = EventsTab(services)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    return tab


def test_the_sandbox_url_and_masked_key_work_from_outside(qtbot, services, services_key) -> None:
    tab = make_tab(qtbot, services)
    panel = tab.receiver_panel.sandbox_access
    assert panel.isVisible()
    assert panel.url_label.text() == services.client.base_url
    assert services_key not in panel.key_label.text() and panel.key_label.text().endswith(services_key[-4:])
    qtbot.mouseClick(panel.copy_key_button, Qt.MouseButton.LeftButton)
    copied_key = QGuiApplication.clipboard().text()
    qtbot.mouseClick(panel.copy_url_button, Qt.MouseButton.LeftButton)
    copied_url = QGuiApplication.clipboard().text()
    # What a user's script would do with them: a real call to the sandbox.
    response = httpx.get(
        f"{copied_url}/project", verify=ssl_context(), headers={"X-API-Key": copied_key}, trust_env=False, timeout=10
    )
    assert response.status_code == 200
    qtbot.mouseClick(panel.show_key_button, Qt.MouseButton.LeftButton)
    assert panel.key_label.text() == services_key
    qtbot.mouseClick(panel.show_key_button, Qt.MouseButton.LeftButton)
    assert services_key not in panel.key_label.text()


def test_send_a_test_lead_arrives_in_the_inbox(qtbot, services, sandbox, services_key, until) -> None:
    tab = make_tab(qtbot, services)
    panel = tab.receiver_panel.sandbox_access
    task = panel.send_test_lead()
    until(task.done)
    assert "Generate a site first" in panel.result_label.text()

    project_id, website_id = sandbox.generate("A bakery in Leeds", "Crumb", key=services_key)
    sandbox.wait_ready(project_id, website_id, key=services_key)
    qtbot.mouseClick(panel.test_lead_button, Qt.MouseButton.LeftButton)
    until(lambda: "Test lead sent" in panel.result_label.text(), message=lambda: panel.result_label.text())
    assert "Crumb" in panel.result_label.text()
    until(lambda: services.store.count_leads(_filter(services)) == 1, message="the test lead never arrived")
    (lead,) = services.store.list_leads(_filter(services))
    assert lead.website_id == website_id and lead.email == "test.lead@example.com"


def test_a_real_account_shows_no_sandbox_access(qtbot, qloop, services, sandbox, services_key) -> None:
    from codaiq_desktop.accounts import Account

    tab = make_tab(qtbot, services)
    qloop.run(
        services.activate(Account(name="Agency", base_url=sandbox.base_url), services_key, base_url=sandbox.base_url)
    )
    assert not tab.receiver_panel.sandbox_access.isVisible()
    assert services_key not in tab.receiver_panel.sandbox_access.key_label.text()


def _filter(services):
    from codaiq_desktop.store import LeadFilter

    return LeadFilter(account=services.account_label)
