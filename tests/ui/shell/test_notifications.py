"""Live notifications from real webhooks: toasts with actions, settings, burst summaries."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from PySide6.QtWidgets import QLabel, QMainWindow

from codaiq_desktop.signing import SIGNATURE_HEADER, sign
from codaiq_desktop.ui.leads.leads_tab import LeadsTab
from codaiq_desktop.ui.shell.notifications import LEAD_CAPTURED, WEBSITE_PUBLISHED, NotificationCenter
from codaiq_desktop.tls import ssl_context
from tests.fixtures.receiver import make_event

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def window(qtbot) -> QMainWindow:
    main = QMainWindow()
    qtbot.addWidget(main)
    main.setCentralWidget(QLabel("Codaiq Desktop"))
    main.resize(1100, 700)
    main.show()
    return main


def deliver(qloop, services, payloads: list[dict]) -> None:
    secret, _ = services.vault.webhook_secret()

    async def send() -> None:
        async with httpx.AsyncClient(verify=ssl_context(), timeout=10, trust_env=False) as http:

            async def one(payload: dict) -> None:
                body = json.dumps(payload).encode()
                response = await http.post(
                    services.receiver.url,
                    content=body,
                    headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)},
                )
                response.raise_for_status()

            await asyncio.gather(*(one(p) for p in payloads))

    qloop.run(send())


def test_lead_from_a_site_form_raises_a_toast_that_opens_it(
    qtbot, services, sandbox, services_key, window, until
) -> None:
    project_id, website_id = sandbox.generate("A dog groomer in Bath", "Wag & Wash", key=services_key)
    sandbox.wait_ready(project_id, website_id, key=services_key)
    leads = LeadsTab(services)
    qtbot.addWidget(leads)
    center = NotificationCenter(services, window)
    center.set_enabled(WEBSITE_PUBLISHED, False)  # only the lead is of interest here
    opened: list[int] = []
    services.sig_open_lead.connect(opened.append)

    response = sandbox.request(
        "POST",
        f"/sites/{website_id}/lead",
        data={"name": "Rex Owner", "email": "rex@example.com", "message": "Bath on Saturday?"},
    )
    assert response.status_code == 303
    until(lambda: center.visible_toasts(), message="no toast for the new lead")
    (toast,) = center.visible_toasts()
    assert toast.title.text() == "New lead"
    assert "Rex Owner" in toast.text.text() and "Bath on Saturday?" in toast.text.text()
    assert toast.action_button.text() == "Open lead"
    # form.submitted for the same submission does not raise a second toast.
    until(lambda: len(services.store.list_events(type="form.submitted")) == 1)
    assert center.toasts_shown == 1

    toast.action_button.click()
    (lead,) = services.store.list_leads()
    assert opened == [lead.id]
    assert not toast.isVisible()
    # The Leads tab answers the request by selecting that lead.
    until(lambda: leads.detail.lead_id == lead.id, message="the Leads tab did not open the lead")


def test_published_website_toast_opens_the_preview(qtbot, services, sandbox, services_key, window, until) -> None:
    center = NotificationCenter(services, window)
    previews: list[tuple[str, str]] = []
    services.sig_open_preview.connect(lambda p, w: previews.append((p, w)))
    project_id, website_id = sandbox.generate("A bike shop in Oxford", "Spokes", key=services_key)
    until(lambda: center.visible_toasts(), message="no toast for the published site")
    (toast,) = center.visible_toasts()
    assert toast.title.text() == "Website published"
    assert "Spokes" in toast.text.text()
    toast.action_button.click()
    assert previews == [(project_id, website_id)]


def test_a_burst_is_summarised(qtbot, qloop, services, window, until) -> None:
    center = NotificationCenter(services, window)
    deliver(
        qloop,
        services,
        [
            make_event(LEAD_CAPTURED, data={"leadId": f"b{n}", "name": f"Burst {n}", "email": f"b{n}@example.com"})
            for n in range(100)
        ],
    )
    until(lambda: len(services.store.list_events(limit=500)) == 100)
    until(lambda: center.visible_toasts() and center.visible_toasts()[0].notice.count == 100)
    toasts = center.visible_toasts()
    assert len(toasts) == 1 and center.toasts_shown == 1 and center.summaries_shown == 1
    assert toasts[0].title.text() == "100 new leads"
    assert toasts[0].action_button.text() == "Show leads"


def test_each_kind_can_be_turned_off(qtbot, qloop, services, window, until) -> None:
    center = NotificationCenter(services, window)
    menu = center.menu(window)
    lead_action = next(a for a in menu.actions() if a.data() == LEAD_CAPTURED)
    assert lead_action.isChecked()
    lead_action.trigger()  # unchecks: the setting is saved
    assert not center.is_enabled(LEAD_CAPTURED)
    assert NotificationCenter(services, window).is_enabled(LEAD_CAPTURED) is False  # persisted

    heard: list[object] = []
    services.sig_event_stored.connect(heard.append)
    deliver(qloop, services, [make_event(LEAD_CAPTURED), make_event(WEBSITE_PUBLISHED, data={"name": "Quiet Site"})])
    until(lambda: len(heard) == 2 and center.visible_toasts())
    center.flush()  # anything still gathered is shown now: the lead must not be among it
    assert [t.title.text() for t in center.visible_toasts()] == ["Website published"]
    assert center.toasts_shown == 1


def test_screenshot_of_a_toast(qtbot, qloop, services, window, until) -> None:
    center = NotificationCenter(services, window)
    deliver(
        qloop,
        services,
        [
            make_event(
                LEAD_CAPTURED,
                data={
                    "leadId": "shot",
                    "name": "Ada Lovelace",
                    "email": "ada@example.com",
                    "message": "Wedding flowers for June, about 40 guests.",
                },
            )
        ],
    )
    until(lambda: center.visible_toasts())
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "notification_toast.png"
    assert window.grab().save(str(path))


def test_a_replayed_lead_says_no_new_lead(qtbot, qloop, services, window, until) -> None:
    from codaiq_desktop.ui.events.events_tab import EventsTab

    center = NotificationCenter(services, window)
    deliver(
        qloop, services, [make_event(LEAD_CAPTURED, data={"leadId": "r1", "name": "Ada", "email": "a@example.com"})]
    )
    until(lambda: center.toasts_shown == 1)
    for toast in center.visible_toasts():
        toast.dismiss()
    events = EventsTab(services)
    qtbot.addWidget(events)
    until(lambda: events.inspector.model.rowCount() == 1)
    events.inspector.table.selectRow(0)
    task = events.inspector.replay_selected()
    until(lambda: task.done() and center.toasts_shown == 2, message="no toast for the replay")
    (toast,) = center.visible_toasts()
    assert toast.title.text() == "Replayed \u2014 no new lead (already in the inbox)"
    assert "New lead" not in toast.title.text() and "already in the inbox" in toast.text.text()
    assert len(services.store.list_leads()) == 1


def test_toasts_do_not_cover_the_controls_in_the_bottom_right(qtbot, qloop, services, until) -> None:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

    main = QMainWindow()
    qtbot.addWidget(main)
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.addWidget(QLabel("content"), 1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(QPushButton("Clear"))
    row.addWidget(QPushButton("Export"))
    layout.addLayout(row)
    main.setCentralWidget(body)
    main.statusBar().showMessage("ready")
    main.resize(1100, 700)
    main.show()
    center = NotificationCenter(services, main)
    deliver(
        qloop,
        services,
        [
            make_event(WEBSITE_PUBLISHED, data={"name": "One"}),
            make_event(LEAD_CAPTURED, data={"leadId": "t1", "name": "Two", "email": "t@example.com"}),
        ],
    )
    until(lambda: len(center.visible_toasts()) == 2)
    buttons = [b for b in body.findChildren(QAbstractButton) if b.isVisible()]
    assert buttons
    for toast in center.visible_toasts():
        for button in buttons:
            rect = QRect(button.mapTo(main, QPoint(0, 0)), button.size())
            assert not rect.intersects(toast.geometry()), f"a toast covers {button.text()}"


def test_toasts_move_clear_of_the_controls_of_the_tab_switched_to(qtbot, qloop, main_window, services, until) -> None:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QAbstractButton

    window = main_window
    window.resize(1280, 800)
    center = window.notifications
    window.show_tab("projects")
    deliver(qloop, services, [make_event(WEBSITE_PUBLISHED, data={"name": "Elsewhere"})])
    until(lambda: len(center.visible_toasts()) == 1)
    window.show_tab("generate")  # its history buttons sit in the bottom-right corner
    generate = window.tab("generate")
    qtbot.waitUntil(generate.isVisible)
    (toast,) = center.visible_toasts()
    buttons = [b for b in generate.findChildren(QAbstractButton) if b.isVisible()]
    assert any(b.text() == "Clear" for b in buttons)
    for button in buttons:
        rect = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        assert not rect.intersects(toast.geometry()), f"the toast covers {button.text()}"
