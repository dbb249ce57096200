"""What the Leads tab does on a team inbox server, added to the tab by one object.

:class:`TeamLeadsController` puts the team pieces into a :class:`LeadsTab` whose model
is a :class:`TeamLeadsTableModel` reading a ``TeamStore``: the Mine / Unassigned / All
filter, "Assign to…" / "Take it" (row menu and detail pane), attributed history under
the notes, the offline banner and pending count, and the conflict dialog. It takes the
server's live changes (a colleague's edit, a new lead) into the open table without a
reload, and says when a colleague assigned a lead to this member.

Every read runs on the model's ``StoreReader`` thread and every edit on the tab's edit
thread, as for the local store: the UI thread never waits for the network.
"""

from __future__ import annotations

import logging
import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget

from codaiq_desktop.team import EditConflict, TeamChange, TeamHistoryEntry, TeamLead, TeamMember, TeamStore
from codaiq_desktop.ui.leads.lead_values import ShownLead, lead_assignee
from codaiq_desktop.ui.leads.lead_columns import COL_MESSAGE, COL_STATUS, COL_TIME, LeadSource
from codaiq_desktop.ui.team.assignment import SCOPE_ALL, SCOPE_MINE, SCOPE_UNASSIGNED, AssigneeScopeBar, AssignMenu
from codaiq_desktop.ui.team.conflict_dialog import KEEP_MINE, TAKE_THEIRS, EditConflictDialog
from codaiq_desktop.ui.team.history_view import LeadHistoryView
from codaiq_desktop.ui.team.members import TeamDirectory
from codaiq_desktop.ui.team.offline_banner import OfflineBanner
from codaiq_desktop.ui.team.team_leads_model import COL_ASSIGNEE, TeamLeadsTableModel

if TYPE_CHECKING:
    from codaiq_desktop.ui.leads.leads_tab import LeadsTab
    from codaiq_desktop.ui.services import AppServices
    from codaiq_desktop.ui.team.team_connection import TeamConnection

log = logging.getLogger(__name__)

ASSIGNEE_ME = "me"
"""``LeadFilter.assignee`` for Mine (the server reads it as the token's member)."""
ASSIGNEE_NONE = "none"
"""``LeadFilter.assignee`` for Unassigned."""


def team_store(store: LeadSource) -> TeamStore:
    """The tab's source as the team store the controller reads (it is active only then)."""
    if not isinstance(store, TeamStore):
        raise TypeError("The Leads tab does not read a team inbox server.")
    return store


class TeamLeadsController(QObject):
    """The team half of a Leads tab; see the module docstring."""

    sig_assigned_to_me = Signal(object)
    """A colleague assigned this lead (the lead object) to this desktop's member."""

    sig_pending_changed = Signal(int)
    """How many edits wait in the offline queue."""

    def __init__(self, tab: LeadsTab, directory: TeamDirectory) -> None:
        super().__init__(tab)
        self.tab = tab
        self.directory = directory
        self.conflicts_shown = 0
        self.conflict_dialog: EditConflictDialog | None = None
        self.active = False
        """The tab reads a team inbox server (the pieces here are shown)."""
        self.notifications: list[str] = []
        """What this desktop was told ("Alice assigned … to you"), newest last."""
        self._pending = 0
        self._history_ticket = 0
        self._connection: TeamConnection | None = None

        self.scope_bar = AssigneeScopeBar()
        self.offline_banner = OfflineBanner()
        self.history = LeadHistoryView(directory)
        self.take_button = QPushButton("Take it")
        self.take_button.setToolTip("Assign this lead to yourself")
        self.assign_button = QToolButton()
        self.assign_button.setText("Assign to…")
        self.assign_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.assign_button.setToolTip("Give this lead to a colleague")
        self.assignee_label = QLabel()
        self.assignee_label.setObjectName("leadAssignee")
        self.assignee_label.setTextFormat(Qt.TextFormat.PlainText)
        actions = QWidget()
        actions_layout = QHBoxLayout(actions)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        actions_layout.addWidget(self.assignee_label)
        actions_layout.addWidget(self.take_button)
        actions_layout.addWidget(self.assign_button)
        actions_layout.addStretch(1)
        self.assignment_row = actions

        self._place_widgets()
        self.scope_bar.sig_scope_changed.connect(lambda _scope: tab.apply_filter())
        self.take_button.clicked.connect(self.take_selected)
        self.assign_button.pressed.connect(self._prepare_assign_menu)
        self.offline_banner.sig_action.connect(tab.reload)
        tab.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tab.table.customContextMenuRequested.connect(self._row_menu)
        self._update_assignment_row()
        self._show_pieces(False)

    def _show_pieces(self, shown: bool) -> None:
        self.scope_bar.setVisible(shown)
        self.assignment_row.setVisible(shown)
        self.history.setVisible(shown)
        if not shown:
            self.offline_banner.set_online()
        self.tab.detail.set_row_visible(self.assignment_row, shown)

    def _place_widgets(self) -> None:
        """Where the team pieces go: the scope beside the search, the offline banner over the
        table, who has the lead under its status, the history under the notes."""
        self.tab.filter_bar.insertWidget(1, self.scope_bar)
        self.tab.main_layout.insertWidget(1, self.offline_banner)
        self.tab.detail.add_form_row("Assignee", self.assignment_row)
        self.tab.detail.add_section(self.history)

    def _set_tab_mode(self, active: bool) -> None:
        """Show or hide in the tab what only a team inbox has."""
        tab = self.tab
        tab.table.setColumnHidden(COL_ASSIGNEE, not active)
        # Shown just before the Message, which keeps the remaining width (the model's column
        # order stays the local one: only the header's visual order moves).
        header = tab.table.horizontalHeader()
        if header.visualIndex(COL_ASSIGNEE) > header.visualIndex(COL_MESSAGE):  # a second move would swap them back
            header.moveSection(header.visualIndex(COL_ASSIGNEE), header.visualIndex(COL_MESSAGE))
        metrics = tab.table.fontMetrics()
        status_width = metrics.horizontalAdvance("Contacted · pending" if active else "Contacted") + 24
        tab.column_fit.want(COL_STATUS, status_width, shrinks=False)
        tab.date_filter.setVisible(not active)
        if active:
            tab.date_filter.setCurrentIndex(0)
            tab.table.horizontalHeader().setSortIndicator(COL_TIME, Qt.SortOrder.DescendingOrder)
        tab.add_button.setToolTip(
            "Submit a lead through the API; it reaches this inbox through the team server's webhook"
            if active
            else "Submit a lead through the API, as a site's form would"
        )
        tab.detail.set_notes_shared(active)

    def set_active(self, active: bool) -> None:
        """Team mode on (the tab reads a team store) or off (the local store)."""
        self.active = active
        self._show_pieces(active)
        self._set_tab_mode(active)
        if not active:
            self.scope_bar.blockSignals(True)
            self.scope_bar.set_scope(SCOPE_ALL)
            self.scope_bar.blockSignals(False)
            self.set_pending(0)
        else:
            self.load_members()

    def connect_services(self, services: AppServices) -> None:
        """Follow the team connection's live signals (new leads, changes, online state, conflicts)."""
        connection = services.team
        connection.sig_lead_added.connect(self.apply_change)
        connection.sig_lead_changed.connect(self.apply_change)
        # Bound methods only: the connections end with this object (the tab may close first).
        connection.sig_online.connect(self._on_online)
        connection.sig_conflict.connect(self.resolve_queued_conflict)
        connection.sig_pending.connect(self.set_pending)
        connection.sig_source_changed.connect(self._source_changed)
        self._connection = connection

    def _on_online(self, online: bool) -> None:
        connection = self._connection
        store = connection.store if connection is not None else None
        as_of = store.as_of if store is not None else None
        self.set_online(online, as_of or (connection.as_of if connection is not None else None))
        if online and self.active:
            self.load_members()  # a desktop that started offline learns its team now

    def _source_changed(self) -> None:
        self.tab.follow_lead_source()
        connection = self._connection
        store = connection.store if connection is not None else None
        if store is not None and self.active and not store.online:
            self.set_online(False, store.as_of)

    # ----- filter --------------------------------------------------------------------
    @property
    def model(self) -> TeamLeadsTableModel:
        model = self.tab.model
        assert isinstance(model, TeamLeadsTableModel)
        return model

    def assignee_filter(self) -> str | None:
        """The ``LeadFilter.assignee`` the scope buttons describe (``None``: everyone's)."""
        scope = self.scope_bar.scope
        if not self.active:
            return None
        if scope == SCOPE_MINE:
            return ASSIGNEE_ME
        if scope == SCOPE_UNASSIGNED:
            return ASSIGNEE_NONE
        return None

    def set_scope(self, scope: str) -> None:
        """Show Mine, Unassigned or All (as a click on the button would)."""
        self.scope_bar.set_scope(scope)

    # ----- members ------------------------------------------------------------------
    def load_members(self) -> None:
        """Read the members (and who this desktop is) off the UI thread."""
        reader = self.model.reader
        if reader is None:
            return

        def read(source: LeadSource) -> tuple[list[TeamMember], str | None]:
            store = team_store(source)
            return list(store.members()), store.member.id if store.member is not None else None

        def done(result: tuple[list[TeamMember], str | None]) -> None:
            members, me = result
            self.directory.update(members)
            if me:
                self.directory.me = str(me)
            self._update_assignment_row()
            self.model.replace_lead_labels()

        reader.submit(read, done, lambda exc: log.warning("Reading the team's members failed: %s", exc))

    # ----- assignment ---------------------------------------------------------------
    def _selected_lead(self) -> ShownLead | None:
        return self.tab.detail.lead

    def _update_assignment_row(self) -> None:
        lead = self._selected_lead()
        current = lead_assignee(lead) if lead is not None else None
        self.assignee_label.setText(self.directory.label(current) or "Nobody yet")
        self.take_button.setEnabled(lead is not None and self.directory.me is not None and current != self.directory.me)
        self.assign_button.setEnabled(lead is not None)

    def _prepare_assign_menu(self) -> None:
        lead = self._selected_lead()
        if lead is None:
            return
        lead_id = lead.id
        menu = AssignMenu(self.directory, lead_assignee(lead), self.assign_button)
        menu.sig_assign.connect(lambda member: self.assign(lead_id, member))
        self.assign_button.setMenu(menu)

    def _row_menu(self, position: QPoint) -> None:
        index = self.tab.table.indexAt(position)
        lead = self.model.lead_at(index.row()) if index.isValid() else None
        if lead is None:
            return
        menu = self.row_menu(lead)
        menu.popup(self.tab.table.viewport().mapToGlobal(position))

    def row_menu(self, lead: ShownLead) -> QMenu:
        """The table's right-click menu for ``lead``: Take it, and Assign to ▸ members."""
        lead_id = lead.id
        menu = QMenu(self.tab.table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        assign = AssignMenu(self.directory, lead_assignee(lead), menu)
        assign.sig_assign.connect(lambda member: self.assign(lead_id, member))
        menu.addAction(assign.take_action)
        menu.addMenu(assign)
        return menu

    def take_selected(self) -> None:
        lead = self._selected_lead()
        if lead is not None and self.directory.me is not None:
            self.assign(lead.id, self.directory.me)

    def assign(self, lead_id: int, member_id: str | None) -> None:
        """Assign ``lead_id`` to ``member_id`` (``None``: nobody) on the server."""
        who = self.directory.full_label(member_id) if member_id else None
        message = (
            "You took it." if member_id == self.directory.me else (f"Assigned to {who}." if who else "Unassigned.")
        )
        self.tab.write_change(lead_id, {"assignee": member_id}, message)

    # ----- detail pane ----------------------------------------------------------------
    def lead_shown(self, lead: ShownLead | None) -> None:
        """The detail pane shows ``lead`` (or nothing): its assignment row and history."""
        self._update_assignment_row()
        if lead is None:
            self.history.show_history(None, [])
            return
        self.load_history(lead.id)

    def load_history(self, lead_id: int) -> None:
        reader = self.model.reader
        if reader is None:
            return
        self._history_ticket += 1
        ticket = self._history_ticket

        def done(entries: Sequence[TeamHistoryEntry]) -> None:
            if ticket == self._history_ticket and self.tab.detail.lead_id == lead_id:
                self.history.show_history(lead_id, list(entries))

        reader.submit(lambda store: list(team_store(store).lead_history(lead_id)), done, lambda exc: None)

    # ----- live changes ------------------------------------------------------------------
    def apply_change(self, change: TeamChange) -> None:
        """A lead changed on the server (a colleague's edit or a new lead), as the stream sent it.

        A lead the table has read is repainted where it is, without reading anything. A new
        lead (or one just assigned to me while "Mine" is shown) is placed by the tab's
        coalesced arrivals, inserted at the top. A change to a lead the table has not read
        costs nothing: its page is read fresh when the user gets there. The detail pane
        follows, keeping notes the user is typing.
        """
        if not self.active:
            return
        lead, fields, kind = change.lead, change.fields, change.kind
        by = change.by or lead.updated_by
        lead_id = lead.id
        me = self.directory.me
        assignee = lead.assignee
        if self.model.cached_lead(lead_id) is not None:
            self.model.replace_lead(lead, membership_may_change=True)
        elif kind == "lead.created" or (self.scope_bar.scope == SCOPE_MINE and "assignee" in fields and assignee == me):
            self.tab.note_arrival(lead_id)
        if self.tab.detail.lead_id == lead_id:
            self.tab.detail.show_lead(lead)
            self._update_assignment_row()
            self.load_history(lead_id)
        if me is not None and "assignee" in fields and assignee == me and by != me:
            self._tell_assigned(lead, by)

    def _tell_assigned(self, lead: TeamLead, by: str | None) -> None:
        name = lead.name or "A lead"
        text = f"{self.directory.full_label(by) if by else 'A colleague'} assigned {name} to you."
        self.notifications.append(text)
        self.sig_assigned_to_me.emit(lead)

    def lead_written(self, lead: ShownLead) -> None:
        """An edit of ours was saved (or queued offline): pending marks and the pane follow."""
        if self.tab.detail.lead_id == lead.id:
            self._update_assignment_row()
            self.load_history(lead.id)

    # ----- offline -----------------------------------------------------------------------------
    def set_online(self, online: bool, as_of: _dt.datetime | None = None) -> None:
        """The server answered again (hide the banner, read again) or stopped answering."""
        if online:
            was_offline = self.offline_banner.offline
            self.offline_banner.set_online()
            if was_offline:
                self.tab.reload()
        else:
            self.offline_banner.set_offline(as_of, self._pending)

    def set_pending(self, pending: int) -> None:
        if pending != self._pending:
            sent = pending < self._pending
            self._pending = pending
            if sent:
                self.model.refresh_pending()
            self.offline_banner.set_pending(pending)
            self.sig_pending_changed.emit(pending)

    @property
    def pending(self) -> int:
        return self._pending

    # ----- conflicts --------------------------------------------------------------------------
    def handle_write_error(self, exc: BaseException, resend: Callable[[Mapping[str, Any], int], None]) -> bool:
        """An edit failed: a colleague's concurrent change opens the dialog (``True``), else ``False``.

        ``resend(mine, version)`` sends the user's fields again on top of ``version``.
        """
        if not isinstance(exc, EditConflict):
            return False
        version = exc.current.version
        self.resolve_conflict(exc.current, exc.mine, lambda fields: resend(fields, version))
        return True

    def resolve_queued_conflict(self, conflict: EditConflict) -> None:
        """An edit queued offline was refused on replay: the same dialog, settled by the store's outbox."""
        reader = self.model.reader
        if reader is None:
            return

        def settle(keep_mine: bool) -> None:
            reader.submit(
                lambda store: team_store(store).resolve_conflict(conflict, keep_mine=keep_mine),
                lambda lead: self.model.replace_lead(lead) if lead is not None else None,
                lambda exc: self.tab.banner.show_message(f"Could not save the change: {exc}"),
            )

        dialog = self.resolve_conflict(conflict.current, conflict.mine, lambda _fields: settle(True))
        dialog.sig_resolved.connect(lambda choice: settle(False) if choice == TAKE_THEIRS else None)

    def resolve_conflict(
        self, current: TeamLead, mine: Mapping[str, Any], resend: Callable[[Mapping[str, Any]], None]
    ) -> EditConflictDialog:
        """Show both versions; "Keep mine" sends ``mine`` again on top of ``current``.

        "Take theirs" shows the colleague's version. Closed without a choice, the user's
        text stays in the notes box (not saved) and the pane says so: nothing is lost.
        """
        self.conflicts_shown += 1
        lead_id = current.id
        self.model.replace_lead(current)
        dialog = EditConflictDialog(current, mine, label_of=self.directory.label, parent=self.tab)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(_result: int) -> None:
            if self.conflict_dialog is dialog:
                self.conflict_dialog = None
            if dialog.choice == KEEP_MINE:
                resend(mine)
            elif dialog.choice == TAKE_THEIRS:
                if self.tab.detail.lead_id == lead_id:
                    self.tab.detail.show_lead(current)
                    self.tab.detail.take_notes_from(current)
                self.tab.show_message("Kept your colleague's version.")
            else:
                self.tab.detail.set_notes_state("Not saved")
                self.tab.show_message("Your change is not saved yet: the lead changed meanwhile.")

        dialog.finished.connect(finished)
        self.conflict_dialog = dialog
        dialog.open()
        return dialog
