"""The leads table of a team inbox: the local table plus who works each lead.

Same lazy, paged model as "This computer" (:class:`LeadsTableModel`), reading the
``TeamStore`` through the same ``StoreReader``; it adds an Assignee column after the
Message (hidden for a local store), shows an edit still queued offline as "pending", and takes a lead a
colleague changed (from the server's stream) into its row without a reload.
"""

from __future__ import annotations


from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from codaiq_desktop.store import LeadFilter
from codaiq_desktop.ui.leads.lead_values import ShownLead, lead_assignee, lead_pending
from codaiq_desktop.ui.leads.lead_columns import COL_STATUS, COLUMNS, LeadColumn, LeadSource
from codaiq_desktop.ui.leads.leads_model import LeadsTableModel
from codaiq_desktop.ui.team.members import TeamDirectory

_Index = QModelIndex | QPersistentModelIndex

#: The team table's columns: the local ones, then Assignee (the local indices stay as they are).
TEAM_COLUMNS: tuple[LeadColumn, ...] = (*COLUMNS, LeadColumn("Assignee", None, "assignee"))
COL_ASSIGNEE = len(COLUMNS)

PENDING_MARK = "pending"


def is_pending(lead: ShownLead) -> bool:
    """An edit of this lead waits in the offline queue."""
    return lead_pending(lead)


class TeamLeadsTableModel(LeadsTableModel):
    """:class:`LeadsTableModel` with an Assignee column and pending marks; see the module docstring."""

    columns = TEAM_COLUMNS

    def __init__(
        self,
        source: LeadSource | None,
        directory: TeamDirectory,
        parent: QObject | None = None,
        *,
        lead_filter: LeadFilter | None = None,
    ) -> None:
        self.directory = directory
        super().__init__(source, parent, lead_filter=lead_filter)

    def _display(self, lead: ShownLead, column: int) -> str:
        if column == COL_ASSIGNEE:
            return self.directory.label(lead_assignee(lead)) or "—"
        value = super()._display(lead, column)
        if column == COL_STATUS and value and is_pending(lead):
            return f"{value} · {PENDING_MARK}"
        return value

    def _tooltip(self, lead: ShownLead, column: int) -> str | None:
        if column == COL_ASSIGNEE:
            assignee = lead_assignee(lead)
            return f"Assigned to {self.directory.full_label(assignee)}" if assignee else "Nobody has taken it yet"
        if column == COL_STATUS and is_pending(lead):
            return "Changed while offline: sent to the server when it is back"
        return super()._tooltip(lead, column)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The team table sorts by the columns the local one does (Assignee and Message: no)."""
        if column >= COL_ASSIGNEE:
            return
        super().sort(column, order)

    def emit_lead_changed(self, lead_id: int) -> None:
        """Repaint ``lead_id``'s row if it is on screen (a colleague's change, or a pending mark)."""
        row = self.row_of(lead_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(TEAM_COLUMNS) - 1))

    def replace_lead_labels(self) -> None:
        """The member names became known: repaint the Assignee column."""
        if self.rowCount():
            self.dataChanged.emit(self.index(0, COL_ASSIGNEE), self.index(self.rowCount() - 1, COL_ASSIGNEE))

    def refresh_pending(self) -> None:
        """Queued edits were sent: read again the rows still marked pending (the mark goes)."""
        for lead_id, lead in list(self._cache.items()):
            if is_pending(lead):
                self.refresh_lead(lead_id)
