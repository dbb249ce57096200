"""The team pieces of the Leads tab on their own, as real widgets: names, history lines,
the offline banner, the conflict dialog and the assignment menu and filter."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtWidgets import QPlainTextEdit

from codaiq_desktop.team.models import TeamHistoryEntry, TeamMember, lead_from_json

from codaiq_desktop.ui.team.assignment import SCOPE_MINE, SCOPE_UNASSIGNED, AssigneeScopeBar, AssignMenu
from codaiq_desktop.ui.team.conflict_dialog import KEEP_MINE, TAKE_THEIRS, EditConflictDialog
from codaiq_desktop.ui.team.history_view import LeadHistoryView, history_lines, notes_attribution
from codaiq_desktop.ui.team.members import TeamDirectory, member_label, relative_time
from codaiq_desktop.ui.team.offline_banner import OfflineBanner, offline_text

NOW = _dt.datetime(2026, 12, 4, 14, 30, tzinfo=_dt.UTC)
MEMBERS = [
    TeamMember.from_json({"id": "m-alice", "email": "alice@agency.example", "role": "admin"}),
    TeamMember.from_json({"id": "m-bob", "email": "bob.stone@agency.example", "role": "member"}),
]


def directory(me: str | None = "m-bob") -> TeamDirectory:
    return TeamDirectory(MEMBERS, me=me)


def test_members_read_as_names_and_you() -> None:
    team = directory()
    assert member_label("alice@agency.example") == "Alice"
    assert member_label("bob.stone@agency.example") == "Bob Stone"
    assert member_label("x@y", "Xavier") == "Xavier"
    assert team.label("m-alice") == "Alice"
    assert team.label("m-bob") == "You"
    assert team.full_label("m-bob") == "Bob Stone"
    assert team.label(None) == ""
    assert team.label("m-gone-member-id").startswith("Member m-gone-m")
    assert [m.label for m in team.members()] == ["Alice", "Bob Stone"]


def test_relative_times() -> None:
    assert relative_time(NOW - _dt.timedelta(seconds=10), NOW) == "just now"
    assert relative_time(NOW - _dt.timedelta(minutes=2), NOW) == "2 min ago"
    assert relative_time((NOW - _dt.timedelta(hours=3)).isoformat(), NOW) == "3 h ago"
    assert relative_time(NOW - _dt.timedelta(hours=30), NOW) == "yesterday"
    assert relative_time(None, NOW) == ""


def history() -> list[TeamHistoryEntry]:
    recent = _dt.datetime.now(_dt.UTC) - _dt.timedelta(minutes=2)
    older = recent - _dt.timedelta(minutes=30)
    documents: list[dict[str, object]] = [
        {"version": 2, "by": "m-alice", "at": older.isoformat(), "changes": {"status": ["new", "contacted"]}},
        {
            "version": 3,
            "by": "m-alice",
            "at": recent.isoformat(),
            "changes": {"assignee": [None, "m-bob"], "notes": ["", "Call on Monday"]},
        },
        {"version": 4, "by": "m-bob", "at": recent.isoformat(), "changes": {"read": [False, True]}},
    ]
    return [TeamHistoryEntry.from_json(document) for document in documents]


def test_history_lines_are_attributed_newest_first(qtbot) -> None:
    team = directory()
    lines = history_lines(history(), team)
    assert lines == [
        "Alice, 2 min ago — Assigned to you; Edited the notes",
        "Alice, 32 min ago — Status: New → Contacted",
    ]
    assert notes_attribution(history(), team) == "Alice, 2 min ago"
    view = LeadHistoryView(team)
    qtbot.addWidget(view)
    view.show_history(7, history())
    assert view.attribution.text() == "Notes last edited by Alice, 2 min ago"
    assert view.lines() == lines
    view.show_history(8, [])
    assert view.lines() == ["No changes yet."]
    assert view.attribution.text() == ""


def test_offline_banner_says_since_when_and_what_waits(qtbot) -> None:
    as_of = _dt.datetime.now().astimezone().replace(hour=14, minute=2)
    assert offline_text(as_of, 0).startswith("Offline — showing leads as of 14:02.")
    assert "2 changes pending" in offline_text(as_of, 2)
    banner = OfflineBanner()
    qtbot.addWidget(banner)
    banner.set_offline(as_of, 1)
    assert banner.offline and not banner.isHidden()
    assert "as of 14:02" in banner.text() and "1 change pending" in banner.text()
    assert banner.close_button.isHidden()  # not dismissable while it is true
    banner.set_pending(3)
    assert "3 changes pending" in banner.text()
    with qtbot.waitSignal(banner.sig_action):
        banner.action_button.click()
    banner.set_online()
    assert banner.isHidden() and not banner.offline


def test_conflict_dialog_shows_both_versions_and_returns_the_choice(qtbot) -> None:
    team = directory()
    current = lead_from_json(
        {
            "id": 5,
            "name": "Ada",
            "notes": "Alice's note",
            "status": "won",
            "version": 4,
            "updatedBy": "m-alice",
            "updatedAt": _dt.datetime.now(_dt.UTC).isoformat(),
        }
    )
    dialog = EditConflictDialog(current, {"notes": "Bob's note"}, label_of=team.label)
    qtbot.addWidget(dialog)
    yours, theirs = dialog.fields["notes"]
    assert isinstance(yours, QPlainTextEdit) and isinstance(theirs, QPlainTextEdit)
    assert yours.toPlainText() == "Bob's note"
    assert theirs.toPlainText() == "Alice's note"
    assert dialog.take_theirs_button.text() == "Take Alice's"
    with qtbot.waitSignal(dialog.sig_resolved) as blocker:
        dialog.keep_mine_button.click()
    assert blocker.args == [KEEP_MINE] and dialog.choice == KEEP_MINE

    other = EditConflictDialog(current, {"status": "lost"}, label_of=team.label)
    qtbot.addWidget(other)
    other.take_theirs_button.click()
    assert other.choice == TAKE_THEIRS
    closed = EditConflictDialog(current, {"status": "lost"}, label_of=team.label)
    qtbot.addWidget(closed)
    closed.reject()  # Escape: nothing chosen, nothing dropped
    assert closed.choice is None


def test_assign_menu_and_scope_bar(qtbot) -> None:
    team = directory()
    menu = AssignMenu(team, current="m-alice")
    qtbot.addWidget(menu)
    assert menu.member_actions["m-alice"].isChecked()
    assert menu.member_actions["m-bob"].text() == "Bob Stone (you)"
    assert menu.take_action.isEnabled() and menu.unassign_action.isEnabled()
    with qtbot.waitSignal(menu.sig_assign) as blocker:
        menu.take_action.trigger()
    assert blocker.args == ["m-bob"]
    with qtbot.waitSignal(menu.sig_assign) as blocker:
        menu.unassign_action.trigger()
    assert blocker.args == [None]
    mine = AssignMenu(team, current="m-bob")
    qtbot.addWidget(mine)
    assert not mine.take_action.isEnabled()

    bar = AssigneeScopeBar()
    qtbot.addWidget(bar)
    assert bar.scope == "all"
    with qtbot.waitSignal(bar.sig_scope_changed) as blocker:
        bar.buttons[SCOPE_MINE].click()
    assert blocker.args == [SCOPE_MINE] and bar.scope == SCOPE_MINE
    bar.set_scope(SCOPE_UNASSIGNED)
    assert bar.scope == SCOPE_UNASSIGNED and not bar.buttons[SCOPE_MINE].isChecked()


class _ListSource:
    """A team inbox's leads held in a list, read as the model reads a ``TeamStore``."""

    def __init__(self, leads: list) -> None:
        self.leads = leads

    def count_leads(self, lead_filter) -> int:
        return len(self.leads)

    def list_leads(self, lead_filter, sort="received_at", descending=True, offset=0, limit=200):
        return self.leads[offset : offset + limit]

    def get_lead(self, lead_id: int):
        return next((lead for lead in self.leads if lead.id == lead_id), None)

    def unread_count(self, account=None) -> int:
        return sum(not lead.read for lead in self.leads)

    def lead_events(self, lead_id: int) -> list:
        return []


def test_team_table_paints_assignee_and_pending_mark(qtbot) -> None:
    """The team table's cells, as its view paints them: who has each lead, "pending" on a
    status changed offline, bold while unread; tooltips say the same in words."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

    from codaiq_desktop.ui.leads.lead_columns import COL_STATUS
    from codaiq_desktop.ui.team.team_leads_model import COL_ASSIGNEE, TeamLeadsTableModel

    def lead(n: int, *, pending: bool = False, **fields: object) -> object:
        document = {"id": n, "name": f"Lead {n}", "status": "new", "receivedAt": "2026-12-04T14:00:00Z"}
        return lead_from_json({**document, **fields}, pending=pending)

    leads = [lead(1, assignee="m-alice"), lead(2, status="won", pending=True, read=True), lead(3, assignee="m-bob")]
    model = TeamLeadsTableModel(None, directory())
    with qtbot.waitSignal(model.sig_reset_done, timeout=5000):
        model.set_source(_ListSource(leads))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1200, 300)
    view.grab()

    def painted(row: int, column: int) -> tuple[str, bool]:
        option = QStyleOptionViewItem()
        view.itemDelegate().initStyleOption(option, model.index(row, column))
        return option.text, option.font.bold()

    assert [painted(row, COL_ASSIGNEE) for row in range(3)] == [("Alice", True), ("—", False), ("You", True)]
    assert [painted(row, COL_STATUS)[0] for row in range(3)] == ["New", "Won · pending", "New"]
    tooltip = Qt.ItemDataRole.ToolTipRole
    assert model.data(model.index(0, COL_ASSIGNEE), tooltip) == "Assigned to Alice"
    assert model.data(model.index(1, COL_ASSIGNEE), tooltip) == "Nobody has taken it yet"
    assert model.data(model.index(1, COL_STATUS), tooltip).startswith("Changed while offline")
    assert model.data(model.index(0, COL_STATUS), tooltip) is None
