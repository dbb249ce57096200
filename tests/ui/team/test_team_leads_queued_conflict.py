"""An edit queued while the team server was away, refused when it is replayed on reconnect.

Alice starts a note on the version she sees; Bob changes the note on the server meanwhile
(she sees his change arrive, her typing stays); the server goes away before she saves, so her
note is queued. When the server is back, the replay meets Bob's newer version: the same
conflict dialog as online shows both notes, and "Keep mine" / "Take theirs" do what they say.
"""

from __future__ import annotations

import httpx
import pytest

from codaiq_desktop.ui.team.conflict_dialog import EditConflictDialog
from codaiq_desktop.tls import ssl_context

from .conftest import TeamServer, names, server_lead

MINE = "Alice: wants a call on Monday morning"
THEIRS = "Bob: sent the quote, waiting for an answer"


@pytest.mark.parametrize("choice", ["keep mine", "take theirs"])
def test_a_queued_edit_refused_on_replay_goes_through_the_conflict_dialog(
    choice: str, until, team_server: TeamServer, open_desktop, notes_saved_by_hand
) -> None:
    name = team_server.post_lead(1)
    alice = open_desktop("alice")
    tab = alice.leads
    until(
        lambda: tab.team.active and names(tab) == [name],
        message=lambda: f"rows {names(tab)}, state {alice.services.team.state}",
    )
    lead_id = tab.model.lead_at(0).id
    tab.table.selectRow(0)
    until(lambda: tab.detail.lead_id == lead_id)

    # Alice types a note on the version she sees (not saved yet).
    tab.detail.notes_edit().setPlainText(MINE)
    seen_version = tab.detail.notes_version()
    assert seen_version == server_lead(team_server, lead_id)["version"]

    # Bob changes the note on the server meanwhile; Alice's table takes it live, her typing stays.
    answer = httpx.patch(
        f"{team_server.url}/api/v1/leads/{lead_id}",
        verify=ssl_context(),
        json={"notes": THEIRS},
        headers={"Authorization": f"Bearer {team_server.tokens['bob']}", "If-Match": f'"{seen_version}"'},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    until(
        lambda: getattr(tab.model.cached_lead(lead_id), "notes", None) == THEIRS,
        message=lambda: f"Alice's row: {tab.model.cached_lead(lead_id)!r}",
    )
    assert tab.detail.notes_edit().toPlainText() == MINE
    assert tab.detail.notes_version() == seen_version

    # The server goes away before she saves: her note is queued, marked pending.
    team_server.kill()
    until(lambda: tab.team.offline_banner.offline, timeout=30, message=lambda: f"state {alice.services.team.state}")
    tab.detail.flush_notes()
    until(
        lambda: tab.team.pending == 1,
        message=lambda: f"pending {tab.team.pending}, {tab.banner.text()!r} {tab.message_label.text()!r}",
    )
    assert tab.team.conflict_dialog is None

    # Back online: the replay is refused (Bob's version is newer) and the dialog shows both notes.
    team_server.restart()
    until(
        lambda: isinstance(tab.team.conflict_dialog, EditConflictDialog),
        timeout=30,
        message=lambda: f"pending {tab.team.pending}, state {alice.services.team.state}, {tab.banner.text()!r}",
    )
    dialog = tab.team.conflict_dialog
    assert dialog is not None and dialog.isVisible()
    yours, theirs = dialog.fields["notes"]
    assert yours.toPlainText() == MINE
    assert theirs.toPlainText() == THEIRS
    assert server_lead(team_server, lead_id)["notes"] == THEIRS  # nothing overwritten before the user chose
    assert tab.detail.notes_edit().toPlainText() == MINE  # nothing lost

    if choice == "keep mine":
        dialog.keep_mine_button.click()
        until(
            lambda: server_lead(team_server, lead_id)["notes"] == MINE,
            timeout=30,
            message=lambda: f"server notes {server_lead(team_server, lead_id)['notes']!r}, {tab.banner.text()!r}",
        )
        until(lambda: tab.team.pending == 0, message=lambda: f"pending {tab.team.pending}")
        until(lambda: getattr(tab.model.cached_lead(lead_id), "notes", None) == MINE)
        assert tab.detail.notes_edit().toPlainText() == MINE
    else:
        dialog.take_theirs_button.click()
        until(lambda: tab.team.pending == 0, message=lambda: f"pending {tab.team.pending}, {tab.banner.text()!r}")
        until(
            lambda: tab.detail.notes_edit().toPlainText() == THEIRS,
            message=lambda: f"notes box {tab.detail.notes_edit().toPlainText()!r}",
        )
        until(lambda: getattr(tab.model.cached_lead(lead_id), "notes", None) == THEIRS)
        assert server_lead(team_server, lead_id)["notes"] == THEIRS  # her queued note was dropped, not sent
    assert tab.team.conflict_dialog is None
    assert tab.team.conflicts_shown == 1
