"""The team Leads tab when its server goes away mid-session (``serve`` killed with SIGKILL, then
started again on the same port and database).

The banner says since when the rows are; a status change and a note made meanwhile are kept
with a visible "pending" mark, quitting asks first, and on reconnect they reach the server in
order; leads posted while the desktop was cut off appear once each — no gaps, no doubles.
"""

from __future__ import annotations

import httpx

from codaiq_desktop.ui.leads.lead_columns import COL_STATUS
from codaiq_desktop.tls import ssl_context

from .conftest import TeamServer, names, server_lead


def test_server_restart_mid_session(qtbot, until, team_server: TeamServer, open_desktop) -> None:
    first = [team_server.post_lead(n) for n in range(1, 4)]
    alice = open_desktop("alice")
    tab = alice.leads
    until(
        lambda: tab.team.active and names(tab) == list(reversed(first)),
        message=lambda: f"rows {names(tab)}, state {alice.services.team.state}",
    )
    lead = tab.model.lead_at(0)
    tab.table.selectRow(0)
    until(lambda: tab.detail.lead_id == lead.id)

    team_server.kill()
    until(lambda: tab.team.offline_banner.offline, timeout=30, message=lambda: f"state {alice.services.team.state}")
    assert tab.team.offline_banner.isVisible()
    assert tab.team.offline_banner.text().startswith("Offline — showing leads as of ")
    assert names(tab) == list(reversed(first))  # the cached rows stay

    # Edits while offline: queued, marked, nothing lost.
    tab.set_status(lead.id, "contacted")
    tab.detail.notes_edit().setPlainText("Typed while the server was down")
    tab.detail.flush_notes()
    # Both edits of the one lead travel together (later values win), so one pending change.
    until(
        lambda: tab.team.pending == 1,
        message=lambda: f"pending {tab.team.pending}, {tab.banner.text()!r} {tab.message_label.text()!r}",
    )
    until(lambda: tab.model.data(tab.model.index(0, COL_STATUS)) == "Contacted · pending")
    assert "1 change pending" in tab.team.offline_banner.text()

    # Quitting now asks first; cancelling keeps the window and the queue.
    alice.window.close()
    box = alice.window.quit_box
    assert box is not None and box.isVisible() and box.text().startswith("1 change to leads could not reach")
    assert alice.window.isVisible()
    box.reject()
    until(lambda: alice.window.quit_box is None)
    assert alice.window.isVisible() and tab.team.pending == 1

    # The server comes back; leads are posted at once, while the desktop is still reconnecting.
    team_server.restart()
    later = [team_server.post_lead(n) for n in range(4, 7)]
    until(lambda: not tab.team.offline_banner.offline, timeout=30, message=lambda: f"state {alice.services.team.state}")
    until(lambda: tab.team.pending == 0, timeout=30, message=lambda: f"pending {tab.team.pending}")
    on_server = server_lead(team_server, lead.id)
    assert on_server["status"] == "contacted"
    assert on_server["notes"] == "Typed while the server was down"
    until(lambda: names(tab) == list(reversed(first + later)), timeout=30, message=lambda: f"rows {names(tab)}")
    listed = httpx.get(
        f"{team_server.url}/api/v1/leads",
        verify=ssl_context(),
        params={"limit": 50},
        headers={"Authorization": f"Bearer {team_server.tokens['alice']}"},
        timeout=30,
    ).json()
    assert sorted(names(tab)) == sorted(row["name"] for row in listed["leads"])  # no gaps, no doubles
    row = names(tab).index(lead.name)
    until(lambda: tab.model.data(tab.model.index(row, COL_STATUS)) == "Contacted")  # the mark is gone
