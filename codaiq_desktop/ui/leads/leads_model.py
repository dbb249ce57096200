"""The leads inbox as a lazy, paged Qt table model over the local store.

The store may hold a million leads, so the model never loads them all. It knows
how many rows the current filter matches (one ``COUNT``), keeps a sparse list of
lead ids by row, and reads rows a page at a time the first time a view asks for
them, keeping recently used rows in a bounded cache keyed by lead id (the design
of Anki's browser table). Sorting and filtering are done by the store, and every
read runs on a worker thread (:class:`StoreReader`): a text search over a million
rows takes longer than a frame.

Leads that arrive while the user reads are *inserted* (``beginInsertRows``), not
reset, so the view keeps its selection and the tab can keep its scroll position.
Arrivals are coalesced: a burst of webhooks costs one recount, not one per lead.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from codaiq_desktop.store import LeadFilter
from codaiq_desktop.ui.common.cell_roles import RoleData, roles_of
from codaiq_desktop.ui.common.formatting import format_time
from codaiq_desktop.ui.common.store_reader import StoreReader
from codaiq_desktop.ui.leads.lead_columns import (
    COL_MESSAGE,
    COL_STATUS,
    COL_TIME,
    COL_WEBSITE,
    COLUMNS,
    LeadColumn,
    LeadIdRole,
    LeadRole,
    LeadSource,
    message_preview,
)
from codaiq_desktop.ui.leads.lead_values import ShownLead, count_label, count_number, lead_version
from codaiq_desktop.ui.leads.leads_arrivals import ArrivalBatch

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex


#: The roles ``data`` answers, as a set: a view asks several roles of every visible cell on
#: each paint, and testing a role against a tuple of enum members costs 40 times more.
_ANSWERED_ROLES = frozenset(
    {Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole, LeadIdRole, LeadRole}
)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FONT = int(Qt.ItemDataRole.FontRole)

_PLACEHOLDER = "…"


@dataclass(frozen=True)
class _Snapshot:
    """Count and one page read together, so they agree with each other."""

    total: int
    offset: int
    leads: list[ShownLead]
    unread: int
    total_label: str = ""


class LeadsTableModel(QAbstractTableModel):
    """Rows of leads matching a ``LeadFilter``, read lazily from the store off the UI thread.

    Every read goes through a :class:`StoreReader`; rows not read yet show "…" for
    the few milliseconds it takes. Structure changes (reset, live insert) bump a
    version, and a read asked under an older version is dropped rather than put
    in the wrong rows.
    """

    sig_total_changed = Signal(int)
    """The number of rows in the view changed (after a filter, reload or arrival)."""

    sig_unread_changed = Signal(int)
    """Unread leads in the whole store (not just this view)."""

    sig_busy_changed = Signal(bool)
    """A filter, sort or reload is being read (the view still shows the previous rows)."""

    sig_reset_done = Signal()
    """The rows now match the latest filter and sort."""

    sig_rows_loaded = Signal(int, int)
    """Rows ``first``..``last`` were read and can be shown."""

    sig_error = Signal(str)
    """Reading the store failed; a sentence for the user."""

    columns: tuple[LeadColumn, ...] = COLUMNS
    """The table's columns (a team inbox adds an Assignee column)."""
    message_column = COL_MESSAGE
    """The column that takes the remaining width (a team table's Assignee comes after it)."""

    PAGE_SIZE = 200
    CACHE_ROWS = 10_000
    #: More arrivals than this in one coalesced batch are shown by a reload instead.
    MAX_LIVE_INSERT = 2_000

    def __init__(
        self, source: LeadSource | None, parent: QObject | None = None, *, lead_filter: LeadFilter | None = None
    ) -> None:
        super().__init__(parent)
        self._reader: StoreReader[LeadSource] | None = None
        self._filter = lead_filter or LeadFilter()
        self._sort_column = COL_TIME
        self._descending = True
        self._ids: list[int | None] = []
        self._cache: OrderedDict[int, ShownLead] = OrderedDict()
        # Where each cached lead was put (row - _hint_shift), checked against _ids before
        # use: a colleague's change repaints one row instead of the table.
        self._row_hints: dict[int, int] = {}
        self._hint_shift = 0
        self._websites: dict[str, str] = {}
        self._version = 0
        self._requested = 0
        self._pages_in_flight: set[int] = set()
        self._page_read_since_arrivals = False
        self._pending: set[int] = set()
        self._arrivals_running = False
        self._membership_dirty = False
        self._unread = 0
        self._total_label = "0"
        self._busy = False
        self.anchor_row = 0
        """The row the user looks at (set by the view's owner); reloads read around it."""
        self._bold = QFont()
        self._bold.setBold(True)
        self.set_source(source)

    # ----- configuration -------------------------------------------------
    @property
    def lead_filter(self) -> LeadFilter:
        return self._filter

    @property
    def sort_key(self) -> str:
        return COLUMNS[self._sort_column].sort_key or "received_at"

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def unread_count(self) -> int:
        return self._unread

    @property
    def total_label(self) -> str:
        """The number of matching leads as the store counted it ("1,204", or "10,000+" from a server)."""
        return self._total_label if self._ids else "0"

    @property
    def busy(self) -> bool:
        """A reset is being read, or pages/arrivals are still on their way."""
        return self._busy or (self._reader is not None and self._reader.busy)

    @property
    def reader(self) -> StoreReader[LeadSource] | None:
        return self._reader

    def set_source(self, source: LeadSource | None) -> None:
        """Read from another store (the account changed, or the store opened)."""
        if self._reader is not None:
            self._reader.close()
            self._reader.deleteLater()
        self._reader = StoreReader(source, self, name="leads-reader") if source is not None else None
        self.beginResetModel()
        self._ids = []
        self._cache.clear()
        self._row_hints.clear()
        self._pending.clear()
        self._version += 1
        self.endResetModel()
        self.reload()

    def set_filter(self, lead_filter: LeadFilter) -> None:
        """Show only the leads matching ``lead_filter`` (read in the background)."""
        self._filter = lead_filter
        self.anchor_row = 0
        self.reload()

    def set_website_names(self, names: dict[str, str]) -> None:
        """Show website names instead of ids once the projects are known."""
        self._websites = dict(names)
        if self._ids:
            self.dataChanged.emit(self.index(0, COL_WEBSITE), self.index(len(self._ids) - 1, COL_WEBSITE))

    def website_name(self, website_id: str | None) -> str:
        return self._websites.get(str(website_id), str(website_id or ""))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the store. Columns it cannot sort quickly (phone, message) are ignored."""
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort_key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if column == self._sort_column and descending == self._descending:
            return
        self._sort_column = column
        self._descending = descending
        self.anchor_row = 0
        self.reload()

    def reload(self) -> None:
        """Count and read the page at :attr:`anchor_row` again, then reset the rows.

        Until the answer comes the view keeps the rows it has, so typing in the
        search field never blanks the table.
        """
        if self._reader is None:
            return
        self._requested += 1
        request = self._requested
        lead_filter, sort, descending = self._filter, self.sort_key, self._descending
        anchor = max(0, self.anchor_row - self.anchor_row % self.PAGE_SIZE)
        page = self.PAGE_SIZE

        def read(store: LeadSource) -> _Snapshot:
            count = store.count_leads(lead_filter)
            total = count_number(count)[0]
            last_page = max(0, total - 1) - max(0, total - 1) % page
            offset = min(anchor, last_page)
            leads = list(store.list_leads(lead_filter, sort=sort, descending=descending, offset=offset, limit=page))
            # The unread count is read next, as its own job: the rows go on screen first
            # (on a team server it is one more request).
            return _Snapshot(total, offset, leads, -1, count_label(count))

        self._set_busy(True)
        self._reader.submit(read, lambda snap: self._apply_snapshot(request, snap), self._on_read_error)

    def _apply_snapshot(self, request: int, snapshot: _Snapshot) -> None:
        if request != self._requested:
            return  # a newer filter is on its way
        self.beginResetModel()
        self._version += 1
        self._ids = [None] * snapshot.total
        self._cache.clear()
        self._row_hints.clear()
        self._pages_in_flight.clear()
        self._membership_dirty = False
        self._page_read_since_arrivals = False
        self._fill(snapshot.offset, snapshot.leads)
        self._total_label = snapshot.total_label or count_label(snapshot.total)
        self.endResetModel()
        self._set_busy(False)
        self.refresh_unread()
        self.sig_total_changed.emit(len(self._ids))
        self.sig_reset_done.emit()
        if self._pending:
            self.apply_arrivals()

    def _on_read_error(self, exc: BaseException) -> None:
        log.error("Reading leads failed", exc_info=exc)
        self._set_busy(False)
        if isinstance(exc, ValueError):
            self.sig_error.emit(str(exc))
        else:
            self.sig_error.emit("The leads could not be read from the local store. Details are in the log file.")

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.sig_busy_changed.emit(busy)

    def _set_unread(self, unread: int) -> None:
        if unread != self._unread:
            self._unread = unread
            self.sig_unread_changed.emit(unread)

    # ----- Qt model API --------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    # flags(): QAbstractTableModel's own (enabled, selectable, no children) is what a
    # read-only row needs, and answering it in C++ spares a Python call per painted cell.

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids) or index.column() >= len(self.columns):
            return None
        if role not in _ANSWERED_ROLES:
            return None
        lead = self.lead_at(index.row())
        if lead is None:
            return _PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else None
        if role == LeadRole:
            return lead
        if role == LeadIdRole:
            return lead.id
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if not lead.read else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(lead, index.column())
        return self._display(lead, index.column())

    def multiData(self, index: _Index, roleDataSpan: RoleData) -> None:
        """Every role a view paints a cell with, in one call (see ``ui/common/cell_roles.py``).

        Text and font, the two roles a paint needs, are answered here without going
        through ``data``; any other role it answers is answered as ``data`` answers it.
        """
        row, column = index.row(), index.column()
        lead = None
        known = index.isValid() and row < len(self._ids) and column < len(self.columns)
        if known:
            lead = self.lead_at(row)
        for role_data in roles_of(roleDataSpan):
            role = role_data.role()
            if not known:
                role_data.clearData()
            elif role == _DISPLAY:
                role_data.setData(_PLACEHOLDER if lead is None else self._display(lead, column))
            elif role == _FONT:
                role_data.setData(self._bold if lead is not None and not lead.read else None)
            elif role in _ANSWERED_ROLES:
                role_data.setData(self.data(index, role))
            else:
                role_data.clearData()

    def _tooltip(self, lead: ShownLead, column: int) -> str | None:
        if column == COL_MESSAGE:
            return lead.message or None
        if column == COL_WEBSITE:
            return lead.website_id
        return None

    def _display(self, lead: ShownLead, column: int) -> str:
        value = getattr(lead, COLUMNS[column].attr)
        if column == COL_TIME:
            return format_time(value)
        if column == COL_MESSAGE:
            return message_preview(value)
        if column == COL_WEBSITE:
            return self.website_name(value)
        if column == COL_STATUS:
            return str(value or "").capitalize()
        return "" if value is None else str(value)

    # ----- rows ------------------------------------------------------------
    def lead_at(self, row: int) -> ShownLead | None:
        """The lead at ``row`` if it has been read; otherwise ``None`` and its page is asked for."""
        if not 0 <= row < len(self._ids):
            return None
        lead_id = self._ids[row]
        if lead_id is not None:
            lead = self._cache.get(lead_id)
            if lead is not None:
                return lead
        self._request_page(row - row % self.PAGE_SIZE)
        return None

    def lead_id_at(self, row: int) -> int | None:
        """The id at ``row`` if known (never reads the store)."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def cached_lead(self, lead_id: int) -> ShownLead | None:
        return self._cache.get(lead_id)

    def row_of(self, lead_id: int) -> int | None:
        """The row of ``lead_id`` if the model has read it (never reads the store)."""
        hinted = self._hinted_row(lead_id)
        if hinted is not None:
            return hinted
        try:
            return self._ids.index(lead_id)
        except ValueError:
            return None

    def _hinted_row(self, lead_id: int) -> int | None:
        hint = self._row_hints.get(lead_id)
        if hint is None:
            return None
        row = hint + self._hint_shift
        return row if 0 <= row < len(self._ids) and self._ids[row] == lead_id else None

    def _request_page(self, offset: int) -> None:
        if self._reader is None or offset in self._pages_in_flight:
            return
        self._pages_in_flight.add(offset)
        version = self._version
        lead_filter, sort, descending, page = self._filter, self.sort_key, self._descending, self.PAGE_SIZE

        def read(store: LeadSource) -> list[ShownLead]:
            return list(store.list_leads(lead_filter, sort=sort, descending=descending, offset=offset, limit=page))

        def done(leads: list[ShownLead]) -> None:
            if version != self._version:
                return  # rows moved since; the view asks again for what it still shows
            self._pages_in_flight.discard(offset)
            self._page_read_since_arrivals = True
            last = self._fill(offset, leads)
            if last >= offset:
                self.dataChanged.emit(self.index(offset, 0), self.index(last, len(COLUMNS) - 1))
                self.sig_rows_loaded.emit(offset, last)

        def failed(exc: BaseException) -> None:
            self._pages_in_flight.discard(offset)
            self._on_read_error(exc)

        self._reader.submit(read, done, failed)

    def _fill(self, offset: int, leads: Sequence[ShownLead]) -> int:
        """Put ``leads`` at rows from ``offset``; returns the last row filled."""
        last = offset - 1
        for position, lead in enumerate(leads, start=offset):
            if position >= len(self._ids):
                break
            lead_id = lead.id
            self._ids[position] = lead_id
            self._remember(lead_id, lead)
            self._row_hints[lead_id] = position - self._hint_shift
            last = position
        return last

    def _remember(self, lead_id: int, lead: ShownLead) -> None:
        self._cache[lead_id] = lead
        self._cache.move_to_end(lead_id)
        while len(self._cache) > self.CACHE_ROWS:
            self._row_hints.pop(self._cache.popitem(last=False)[0], None)

    def newest(self, lead: ShownLead) -> ShownLead:
        """``lead``, or the copy the table holds when that one is a later version of it (a team
        inbox: an answer to our own edit can arrive after a colleague's newer change)."""
        cached = self._cache.get(lead.id)
        if cached is None:
            return lead
        held, incoming = lead_version(cached), lead_version(lead)
        return cached if held is not None and incoming is not None and held > incoming else lead

    def replace_lead(self, lead: ShownLead, *, membership_may_change: bool = False) -> None:
        """Show a lead as changed locally (status, notes, read), without reading the store.

        The row stays where it is even if the change takes it out of the filter (the
        user just changed it and should see it); the next arrival then reloads
        instead of counting, because the count no longer matches the rows. An older
        version than the one held is ignored (see :meth:`newest`).
        """
        if self.newest(lead) is not lead:
            return
        lead_id = lead.id
        self._remember(lead_id, lead)
        if membership_may_change and (self._filter.status is not None or self._filter.unread_only):
            self._membership_dirty = True
        row = self._hinted_row(lead_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        elif self._ids:
            # Scanning up to a million ids for the row would cost more than repainting
            # what the view shows.
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def refresh_lead(self, lead_id: int) -> None:
        """Read one lead again (a later event for it arrived) and repaint its row."""
        if self._reader is None:
            return
        self._reader.submit(
            lambda store: store.get_lead(lead_id),
            lambda lead: self.replace_lead(lead) if lead is not None else None,
            self._on_read_error,
        )

    def refresh_unread(self) -> None:
        if self._reader is not None:
            account = self._filter.account
            self._reader.submit(
                lambda store: int(store.unread_count(account=account)), self._set_unread, self._on_read_error
            )

    # ----- live arrivals -----------------------------------------------------
    def note_arrival(self, lead_id: int) -> None:
        """A lead was stored; :meth:`apply_arrivals` will place it (coalesced)."""
        self._pending.add(int(lead_id))

    @property
    def has_pending(self) -> bool:
        return bool(self._pending) or self._arrivals_running

    def apply_arrivals(self) -> None:
        """Insert the leads noted since the last call where the store now puts them.

        One recount tells how many of them match the filter; they are inserted at
        the top (newest first) or the bottom (oldest first) when the store's first
        or last rows are exactly those arrivals. Any other order (say, sorted by
        name) cannot be placed without reading everything, so the model reloads
        around :attr:`anchor_row` and the view's owner restores the selection.
        """
        if not self._pending or self._arrivals_running or self._reader is None or self._busy:
            return
        arrived, self._pending = self._pending, set()
        if self._membership_dirty:
            self.reload()
            return
        self._arrivals_running = True
        version, old_total = self._version, len(self._ids)
        lead_filter, sort, descending, cap = self._filter, self.sort_key, self._descending, self.MAX_LIVE_INSERT

        def read(store: LeadSource) -> ArrivalBatch:
            return ArrivalBatch.read(store, lead_filter, sort, descending, arrived, old_total, cap)

        def done(result: ArrivalBatch) -> None:
            self._arrivals_running = False
            if version != self._version:
                self._pending |= arrived
                self.apply_arrivals()
                return
            self._place(result, arrived, old_total)
            if self._pending:
                self.apply_arrivals()

        def failed(exc: BaseException) -> None:
            self._arrivals_running = False
            self._on_read_error(exc)

        self._reader.submit(read, done, failed)

    def _place(self, result: ArrivalBatch, arrived: set[int], old_total: int) -> None:
        self._set_unread(result.unread)
        self._total_label = result.total_label or count_label(result.total)
        if result.total == old_total:
            return
        placement = result.placement(arrived, old_total)
        if placement is None:
            self.reload()
            return
        self._insert(*placement)
        self.sig_total_changed.emit(len(self._ids))

    def _insert(self, row: int, leads: Sequence[ShownLead]) -> None:
        ids = [lead.id for lead in leads]
        self.beginInsertRows(QModelIndex(), row, row + len(ids) - 1)
        self._version += 1
        if row == 0:
            self._hint_shift += len(ids)  # every known row moved down by as many
        elif row < len(self._ids):
            self._row_hints.clear()
        self._ids[row:row] = ids
        if self._page_read_since_arrivals:
            # A page read since the last batch may already hold some of these leads
            # (read after their commit, before their announcement): re-read positions.
            self._ids = [None] * len(self._ids)
            self._ids[row : row + len(ids)] = ids
            self._row_hints.clear()
        self._page_read_since_arrivals = False
        self._pages_in_flight.clear()
        for position, (lead_id, lead) in enumerate(zip(ids, leads, strict=True), start=row):
            self._remember(lead_id, lead)
            self._row_hints[lead_id] = position - self._hint_shift
        self.endInsertRows()
