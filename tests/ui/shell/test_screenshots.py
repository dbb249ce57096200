"""Screenshots of every tab and the main dialogs, for a person to look at.

Written (offscreen) to ``tests/screenshots/`` (git-ignored), light and dark. The test
checks each PNG exists and is not blank; the looking is for people.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from codaiq_desktop.ui.accounts.account_dialogs import FirstRunDialog, KeyStorageFallbackDialog
from codaiq_desktop.ui.projects.export_flow import ExportProgressDialog
from codaiq_desktop.ui.shell.main_window import MainWindow
from codaiq_desktop.ui.shell.theme import theme_manager

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _save(widget: QWidget, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path)), f"could not write {path}"
    image = QImage(str(path))
    assert not image.isNull() and image.width() > 100
    # Not blank: text and frames give many distinct colours over the picture.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colours) > 8, f"{name} looks blank"
    return path


def _without_toasts(window: MainWindow) -> MainWindow:
    """Close the notification toasts, so the shot shows the tab they would cover."""
    center = window.notifications
    if center is not None:
        for toast in center.visible_toasts():
            toast.dismiss()
    return window


@pytest.mark.slow
def test_screenshots_of_each_tab(qtbot, services, sandbox, services_key, until) -> None:
    done_id = sandbox.generate(
        "A modern bakery in Leeds: menu, custom cakes, opening hours", name="Crumb", key=services_key
    )
    sandbox.wait_ready(*done_id, key=services_key)
    sandbox.generate("A florist in York with same-day delivery", name="Petal & Stem", key=services_key)
    # Data for the Leads, Analytics and Events tabs: leads arrive as signed webhooks.
    for name, email, message in (
        ("Amira Khan", "amira@example.com", "Could you make a three-tier lemon cake for 40 guests on 14 June?"),
        ("Tom Beale", "tom.beale@example.org", "Do you deliver to Headingley on Saturdays?"),
        ("Jo Park", "jo@example.net", "Gluten-free options for a birthday?"),
    ):
        response = sandbox.request(
            "POST",
            "/api/leads/submit",
            key=services_key,
            json={
                "websiteId": done_id[1],
                "name": name,
                "email": email,
                "phone": "+44 113 496 0000",
                "message": message,
            },
        )
        assert response.status_code in (200, 201), response.text
    simulated = sandbox.request(
        "POST", "/api/sandbox/simulate", key=services_key, json={"websiteId": done_id[1], "days": 30}
    )
    assert simulated.status_code == 200, simulated.text

    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    generate = window.tab("generate")
    projects = window.tab("projects")

    for theme in ("light", "dark"):
        theme_manager().set_mode(theme)
        window.show_tab("generate")
        generate.use_prompt(
            "A calm website for a yoga studio in Bristol with a class timetable and a booking form", "Stillness"
        )
        generate.generate()
        if generate.banner.isVisible():  # the same prompt and name moments ago: confirm a second site
            generate.banner.action_button.click()
        card = generate.cards()[0]
        shots: list[str] = []
        apply = card.apply

        def shoot_while_building(update, theme=theme, apply=apply, shots=shots):
            apply(update)
            if update.status in ("queued", "building") and not shots:  # before "ready" opens the preview
                shots.append(str(_save(window, f"{theme}-generate-building")))

        card.apply = shoot_while_building
        until(lambda card=card: card.status == "ready", timeout=30)
        assert shots, "never saw the build in progress"
        window.show_tab("generate")  # "ready" opened the preview in Projects
        _save(window, f"{theme}-generate-ready")
        # Ready opened the preview in Projects: show the details as well.
        window.show_tab("projects")
        until(lambda: projects.model.rowCount() >= 3)
        until(lambda: projects._refresh_task is None or projects._refresh_task.done())
        projects.select_website(done_id[1])
        projects.right_tabs.setCurrentWidget(projects.detail)
        _save(window, f"{theme}-projects-details")
        loads: list[bool] = []
        projects.preview.sig_load_finished.connect(loads.append)
        projects.right_tabs.setCurrentWidget(projects.preview)
        until(lambda: projects.preview.view is not None)
        projects.preview.reload()  # the site may have loaded already (a previous theme)
        until(lambda loads=loads: loads, timeout=40, message="the preview never loaded")
        projects.preview.set_width("mobile")
        qtbot.wait(300)  # let Chromium paint the new width
        _save(window, f"{theme}-projects-preview-mobile")
        projects.preview.set_width("desktop")
        qtbot.wait(300)
        _save(_without_toasts(window), f"{theme}-projects-preview-desktop")
        leads = window.tab("leads")
        window.show_tab("leads")
        until(lambda: leads.model.rowCount() >= 3, message="the leads never arrived")
        leads.table.selectRow(0)
        _save(_without_toasts(window), f"{theme}-leads")
        analytics = window.tab("analytics")
        window.show_tab("analytics")
        until(lambda: analytics.website.findData(done_id[1]) >= 0, message="the analytics tab never listed the site")
        refreshes: list[object] = []
        analytics.sig_refreshed.connect(refreshes.append)
        analytics.select_website(done_id[1])
        until(lambda refreshes=refreshes: refreshes, message="the analytics never loaded")
        assert analytics.stack.currentIndex() == analytics.PAGE_CHARTS
        _save(_without_toasts(window), f"{theme}-analytics")
        events = window.tab("events")
        window.show_tab("events")
        until(lambda: events.inspector.model.rowCount() >= 6, message="the events never arrived")
        events.inspector.table.selectRow(0)
        _save(_without_toasts(window), f"{theme}-events")
    theme_manager().set_mode("system")


def test_screenshots_of_dialogs(qtbot) -> None:
    for dialog, name in ((FirstRunDialog(), "dialog-first-run"), (KeyStorageFallbackDialog(), "dialog-no-keyring")):
        qtbot.addWidget(dialog)
        dialog.show()
        _save(dialog, name)
    progress = ExportProgressDialog("Crumb.zip")
    qtbot.addWidget(progress)
    progress.show()
    progress.update_progress(23_500_000, 52_428_800, force=True)
    _save(progress, "dialog-export-progress")
