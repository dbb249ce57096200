"""Keeping the user's place in the Leads table while its rows are reset or inserted.

A reload (a live batch the model cannot place, a reconnect) resets the model; new
leads are inserted above what the user reads. Either way the same lead stays
selected and the same rows stay in view, unless the user asked for a new filter or
order, which starts at its top. A lead asked for by id (from a notification) is
selected once its row is read, with the filters cleared if they hide it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView

if TYPE_CHECKING:
    from codaiq_desktop.ui.leads.leads_tab import LeadsTab


class LeadsViewPlace:
    """The selected lead and scroll position of one :class:`LeadsTab`, across resets and inserts."""

    def __init__(self, tab: LeadsTab) -> None:
        self._tab = tab
        # (lead to select again, row to scroll to) after the model's next reset.
        self._restore: tuple[int | None, int] | None = None
        self._scroll_before_insert: int | None = None
        self._open_when_loaded: int | None = None
        tab.model.modelAboutToBeReset.connect(self._remember_view)
        tab.model.modelReset.connect(self._restore_view)
        tab.model.rowsAboutToBeInserted.connect(self._before_insert)
        tab.model.rowsInserted.connect(self._after_insert)

    def restart_at_top(self) -> None:
        """The next reset comes from a new filter or order: keep the selected lead, scroll to the top."""
        self._restore = (self._tab.detail.lead_id, 0)

    def on_scrolled(self, value: int) -> None:
        """Reloads read around the row the user looks at."""
        self._tab.model.anchor_row = value

    def select_row(self, row: int, *, scroll: bool = True) -> None:
        """Make ``row`` the current, selected row (scrolled into view unless ``scroll`` is false)."""
        table = self._tab.table
        index = self._tab.model.index(row, 0)
        table.selectionModel().setCurrentIndex(
            index, table.selectionModel().SelectionFlag.ClearAndSelect | table.selectionModel().SelectionFlag.Rows
        )
        if scroll:
            table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _remember_view(self) -> None:
        if self._restore is None:  # a reload in place (not a new filter or order)
            self._restore = (self._tab.detail.lead_id, max(self._tab.table.verticalScrollBar().value(), 0))

    def _restore_view(self) -> None:
        """After a reset: the scroll position and selected lead (if it is still near) again."""
        tab = self._tab
        lead_id, row_hint = self._restore or (None, 0)
        self._restore = None
        tab.update_empty_state()
        tab.table.verticalScrollBar().setValue(row_hint)
        if lead_id is None:
            return
        # The reload read the page around ``row_hint``; looking there is free.
        row = tab.model.row_of(lead_id)
        if row is None:
            tab.table.clearSelection()
            tab.detail.show_lead(None)
            return
        self.select_row(row, scroll=False)

    def _before_insert(self, _parent: QModelIndex, first: int, _last: int) -> None:
        bar = self._tab.table.verticalScrollBar()
        self._scroll_before_insert = bar.value() if first <= bar.value() and bar.value() > 0 else None

    def _after_insert(self, _parent: QModelIndex, first: int, last: int) -> None:
        # Rows above what the user reads push it down; scroll by as many rows so the
        # same leads stay in view. At the very top, new leads simply appear.
        if self._scroll_before_insert is not None:
            self._tab.table.verticalScrollBar().setValue(self._scroll_before_insert + (last - first + 1))
        self._scroll_before_insert = None
        self._tab.update_empty_state()

    def open_lead(self, lead_id: int) -> None:
        """Select ``lead_id``, clearing the tab's filters if they hide it."""
        self._open_when_loaded = lead_id
        if self.open_pending_lead():
            return
        if self._tab.model.has_pending:
            self._tab.apply_arrivals()  # the lead may be one not inserted yet; sig_total_changed retries
            return
        self._tab.clear_filters()

    def open_after_reset(self) -> None:
        """A lead asked for by id and still not in the first rows: show it in the pane alone."""
        lead_id = self._open_when_loaded
        if lead_id is None or self.open_pending_lead():
            return
        self._open_when_loaded = None
        reader = self._tab.model.reader
        if reader is not None:
            reader.submit(lambda store: store.get_lead(lead_id), self._tab.show_in_detail, lambda exc: None)

    def open_pending_lead(self) -> bool:
        """Select the lead asked for by id if its row is known now (True when it was)."""
        lead_id = self._open_when_loaded
        if lead_id is None:
            return False
        row = self._tab.model.row_of(lead_id)
        if row is None:
            return False
        self._open_when_loaded = None
        self.select_row(row)
        return True
