"""Screenshots of the team Leads tab, light and dark, for a person to look at.

Bob's desktop on a team inbox (``serve`` on PostgreSQL) with a few leads: some assigned,
notes written by colleagues, the history in the detail pane; then the same tab offline with
a pending change, and the conflict dialog. Written to ``tests/screenshots/`` (git-ignored).
Run under Xvfb to see the real window system's rendering:
``QT_QPA_PLATFORM=xcb DISPLAY=:NN pytest tests/ui/team/test_team_screenshots.py -m slow``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from codaiq_desktop.ui.shell.theme import theme_manager

from .conftest import TeamServer, names

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"

PEOPLE = (
    ("Amira Khan", "Could you make a three-tier lemon cake for 40 guests on 14 June?"),
    ("Tom Beale", "Do you deliver to Headingley on Saturdays?"),
    ("Jo Park", "Gluten-free options for a birthday party of twelve?"),
    ("Grace Hopper", "Looking for a quote on a new shop website with online booking."),
    ("Luis Alvarez", "Please call me back about the kitchen refit, any weekday after 5."),
    ("Mei Tanaka", "Can we book a tasting for our wedding menu in March?"),
)


def save(widget: QWidget, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path)), f"could not write {path}"
    image = QImage(str(path))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colours) > 8, f"{name} looks blank"
    return path


@pytest.mark.slow
def test_screenshots_of_the_team_leads_tab(
    qtbot, until, team_server: TeamServer, open_desktop, notes_saved_by_hand
) -> None:
    for number, (name, message) in enumerate(PEOPLE, start=1):
        team_server.post_lead(number, name=name, email=f"{name.split()[0].lower()}@example.com", message=message)
    alice, bob = open_desktop("alice"), open_desktop("bob")
    for desktop in (alice, bob):
        until(lambda d=desktop: len(names(d.leads)) == len(PEOPLE) and d.leads.team.directory.me is not None)
    mine, ids = alice.leads.team.directory.me, bob.leads.team.directory.me
    a_tab, b_tab = alice.leads, bob.leads
    by_name = {a_tab.model.lead_at(row).name: a_tab.model.lead_at(row).id for row in range(len(PEOPLE))}
    a_tab.team.assign(by_name["Amira Khan"], ids)
    a_tab.team.assign(by_name["Grace Hopper"], ids)
    a_tab.team.assign(by_name["Luis Alvarez"], mine)
    a_tab.set_status(by_name["Luis Alvarez"], "contacted")
    until(lambda: not a_tab.writes_pending)
    a_tab.write_change(by_name["Amira Khan"], {"notes": "Called her: wants a tasting first. Budget around £300."})
    a_tab.set_status(by_name["Amira Khan"], "qualified")
    until(lambda: not a_tab.writes_pending)
    until(lambda: b_tab.model.cached_lead(by_name["Amira Khan"]).status == "qualified")
    b_tab.open_lead(by_name["Amira Khan"])
    until(lambda: b_tab.detail.lead_id == by_name["Amira Khan"] and len(b_tab.team.history.lines()) >= 3)
    for toast in bob.window.notifications.visible_toasts():
        toast.dismiss()
    bob.window.resize(1440, 900)  # a common laptop screen: every column in view

    for theme in ("light", "dark"):
        theme_manager().set_mode(theme)
        qtbot.wait(200)
        save(bob.window, f"{theme}-team-leads")

    # Offline, with a change waiting to be sent.
    team_server.kill()
    until(lambda: b_tab.team.offline_banner.offline, timeout=30)
    b_tab.set_status(by_name["Grace Hopper"], "contacted")
    until(lambda: b_tab.team.pending == 1)
    for theme in ("light", "dark"):
        theme_manager().set_mode(theme)
        qtbot.wait(200)
        save(bob.window, f"{theme}-team-leads-offline")
    team_server.restart()
    until(lambda: b_tab.team.pending == 0, timeout=30)
    # Both desktops back online: an edit made while one still waits to reconnect would be
    # queued, and the conflict would then reach that desktop instead of Bob's.
    until(lambda: not a_tab.team.offline_banner.offline and not b_tab.team.offline_banner.offline, timeout=60)

    # The conflict dialog: Bob's note against Alice's, saved meanwhile.
    b_tab.open_lead(by_name["Amira Khan"])
    until(lambda: b_tab.detail.lead_id == by_name["Amira Khan"])
    b_tab.detail.notes_edit().setPlainText("Bob: she prefers Saturday mornings for the tasting.")
    a_tab.open_lead(by_name["Amira Khan"])
    until(lambda: a_tab.detail.lead_id == by_name["Amira Khan"])
    a_tab.detail.notes_edit().setPlainText("Alice: tasting booked for 9 March, 11:00.")
    a_tab.detail.flush_notes()
    until(lambda: not a_tab.writes_pending and a_tab.team.pending == 0)
    b_tab.detail.flush_notes()
    until(lambda: b_tab.team.conflict_dialog is not None, timeout=60)
    for theme in ("light", "dark"):
        theme_manager().set_mode(theme)
        qtbot.wait(200)
        save(b_tab.team.conflict_dialog, f"{theme}-team-conflict-dialog")
    b_tab.team.conflict_dialog.take_theirs_button.click()
    theme_manager().set_mode("light")
