"""The Events tab composes its receiver panel and inspector: one banner, one message line, a screenshot."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication

from tests.fixtures.receiver import make_event
from tests.ui.events.conftest import make_tab, post

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def test_screenshot_of_the_events_tab(qtbot, qloop, services, until) -> None:
    tab = make_tab(qtbot, services)
    secret, _ = services.vault.webhook_secret()
    for event in ("website.created", "website.published", "lead.captured", "form.submitted"):
        post(qloop, services.receiver.url, make_event(event, website_id="web_demo"), secret)
    post(qloop, services.receiver.url, make_event("lead.captured", website_id="web_demo"), "forged")
    until(lambda: tab.inspector.model.rowCount() == 5)
    tab.inspector.table.selectRow(2)
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "events_tab.png"
    assert tab.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_the_panels_messages_reach_the_tabs_banner_and_message_line(qtbot, services) -> None:
    tab = make_tab(qtbot, services)
    panel = tab.receiver_panel
    secret, _ = services.vault.webhook_secret()
    panel.copy_secret_button.click()
    assert QGuiApplication.clipboard().text() == secret
    assert tab.inspector.message.text() == "Secret copied."
    panel.copy_address_button.click()
    assert tab.inspector.message.text() == "Webhook URL copied."
    panel.use_own_secret("too-short")
    assert "too short" in tab.banner.text() and tab.banner.property("banner") == "error"
    assert services.vault.webhook_secret()[0] == secret
