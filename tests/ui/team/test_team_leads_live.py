"""Two members' desktops on one team inbox server (``serve`` on PostgreSQL), in one test:
real ``AppServices`` and main windows, the real stream, a signed webhook from outside.

A lead posted to the server's webhook appears in both Leads tabs; Alice assigns it to Bob,
Bob is told and sees it under "Mine"; both edit the note, and the second to save sees
both versions in the conflict dialog, and keeps his — nothing is overwritten silently.
"""

from __future__ import annotations

from codaiq_desktop.ui.leads.lead_columns import COL_MESSAGE
from codaiq_desktop.ui.team.assignment import SCOPE_ALL, SCOPE_MINE
from codaiq_desktop.ui.team.conflict_dialog import EditConflictDialog
from codaiq_desktop.ui.team.team_leads_model import COL_ASSIGNEE

from .conftest import TeamServer, names, server_lead


def test_two_members_share_one_live_inbox(
    qtbot, until, team_server: TeamServer, open_desktop, notes_saved_by_hand
) -> None:
    alice, bob = open_desktop("alice"), open_desktop("bob")
    for desktop in (alice, bob):
        tab = desktop.leads
        until(
            lambda tab=tab: tab.team.active and tab.model.reader is not None and not tab.model.busy,
            message=lambda d=desktop: f"{d.who}: team mode {d.leads.team.active}, state {d.services.team.state}",
        )
        assert not tab.table.isColumnHidden(COL_ASSIGNEE)
        assert tab.model.rowCount() == 0
    # The Assignee column sits just before the Message, also after team mode is set again
    # (a reconnect): moving it a second time used to swap the two.
    header = alice.leads.table.horizontalHeader()
    alice.leads.team.set_active(True)
    assert header.visualIndex(COL_ASSIGNEE) == header.visualIndex(COL_MESSAGE) - 1

    # A lead posted to the server's webhook, signed as Codaiq signs: in both tabs, live.
    name = team_server.post_lead(1)
    for desktop in (alice, bob):
        until(lambda d=desktop: names(d.leads) == [name], message=lambda d=desktop: f"{d.who} shows {names(d.leads)}")
    lead_id = alice.leads.model.lead_at(0).id

    # Bob and Alice know each other by name once the members are read.
    until(lambda: bob.leads.team.directory.me is not None and alice.leads.team.directory.me is not None)
    bob_id = bob.leads.team.directory.me

    # Alice assigns it to Bob from the row's menu.
    alice.leads.table.selectRow(0)
    until(lambda: alice.leads.detail.lead_id == lead_id)
    menu = alice.leads.team.row_menu(alice.leads.model.lead_at(0))
    assign_menu = next(action.menu() for action in menu.actions() if action.menu() is not None)
    assign_menu.member_actions[bob_id].trigger()
    menu.close()
    until(lambda: server_lead(team_server, lead_id)["assignee"] == bob_id)

    # Bob is told, in a toast and in the tab, and sees it under "Mine".
    center = bob.window.notifications
    until(
        lambda: any("assigned" in toast.notice.text for toast in center.visible_toasts()),
        message=lambda: f"toasts: {[t.notice.text for t in center.visible_toasts()]}",
    )
    toast_text = next(t.notice.text for t in center.visible_toasts() if "assigned" in t.notice.text)
    assert toast_text == f"Alice assigned {name} to you."
    until(lambda: bob.leads.model.lead_at(0) is not None and bob.leads.model.lead_at(0).assignee == bob_id)
    assert bob.leads.model.data(bob.leads.model.index(0, len(bob.leads.model.columns) - 1)) == "You"
    bob.leads.team.scope_bar.buttons[SCOPE_MINE].click()
    until(lambda: bob.leads.model.lead_filter.assignee == "me" and not bob.leads.model.busy)
    assert names(bob.leads) == [name]
    alice.leads.team.set_scope(SCOPE_MINE)
    until(lambda: alice.leads.model.lead_filter.assignee == "me" and not alice.leads.model.busy)
    assert names(alice.leads) == []  # it is Bob's, not hers
    alice.leads.team.set_scope(SCOPE_ALL)
    until(lambda: names(alice.leads) == [name])

    # Both open the lead and write a note; Alice saves first.
    for desktop in (alice, bob):
        desktop.leads.table.selectRow(0)
        until(lambda d=desktop: d.leads.detail.lead_id == lead_id)
    bob.leads.detail.notes_edit().setPlainText("Bob: called, they want a quote by Friday")
    alice.leads.detail.notes_edit().setPlainText("Alice: budget is 5k")
    alice.leads.detail.flush_notes()
    until(lambda: server_lead(team_server, lead_id)["notes"] == "Alice: budget is 5k")

    # Bob saves on the version he started from: the server refuses, the dialog shows both.
    bob.leads.detail.flush_notes()
    until(lambda: isinstance(bob.leads.team.conflict_dialog, EditConflictDialog))
    dialog = bob.leads.team.conflict_dialog
    yours, theirs = dialog.fields["notes"]
    assert yours.toPlainText() == "Bob: called, they want a quote by Friday"
    assert theirs.toPlainText() == "Alice: budget is 5k"
    assert server_lead(team_server, lead_id)["notes"] == "Alice: budget is 5k"  # nothing overwritten meanwhile
    assert bob.leads.detail.notes_edit().toPlainText() == "Bob: called, they want a quote by Friday"  # nothing lost
    dialog.keep_mine_button.click()
    until(lambda: server_lead(team_server, lead_id)["notes"] == "Bob: called, they want a quote by Friday")

    # Alice sees Bob's note live, and the history says who did what.
    until(lambda: alice.leads.detail.notes_edit().toPlainText() == "Bob: called, they want a quote by Friday")
    until(
        lambda: any(line.startswith("Bob, ") and "notes" in line for line in alice.leads.team.history.lines()),
        message=lambda: f"history: {alice.leads.team.history.lines()}",
    )
    assert any(line.startswith("You, ") and "Assigned to Bob" in line for line in alice.leads.team.history.lines())
    assert alice.leads.team.history.attribution.text().startswith("Notes last edited by Bob, ")


def test_search_and_csv_export_go_through_the_server(until, team_server: TeamServer, open_desktop, tmp_path) -> None:
    import csv

    for number, name in enumerate(("Ada Lovelace", "Grace Hopper", "Alan Turing"), start=1):
        team_server.post_lead(
            number,
            name=name,
            message=f"{name.split()[0]} wants a kitchen quote" if number != 2 else "Please call me back",
        )
    alice = open_desktop("alice")
    tab = alice.leads
    until(lambda: tab.team.active and len(names(tab)) == 3)
    tab.search.setText("kitchen")
    tab.apply_filter()
    until(lambda: tab.model.lead_filter.text == "kitchen" and not tab.model.busy)
    assert sorted(names(tab)) == ["Ada Lovelace", "Alan Turing"]
    target = tmp_path / "team-leads.csv"
    task = tab.export_csv(target)
    until(task.done)
    with target.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["Name"] for row in rows) == ["Ada Lovelace", "Alan Turing"]  # the view's filter, server-side
