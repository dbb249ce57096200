"""The webhook inspector's list: stored events and rejected attempts, newest first.

Two kinds of row share one table because a user debugging a webhook wants to see
"what arrived" in order, whether it was accepted or refused. The store keeps them
apart (a refused body is not trusted, so only its digest is kept), so the model
merges two newest-first streams page by page as the user scrolls
(``canFetchMore``/``fetchMore``, read on a worker thread) and inserts live arrivals
at the top in batches.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from codaiq_desktop.store import RejectedAttempt, Store, StoredEvent
from codaiq_desktop.team import TeamStore
from codaiq_desktop.ui.common.formatting import format_time, to_datetime
from codaiq_desktop.ui.common.store_reader import StoreReader
from codaiq_desktop.ui.common.cell_roles import RoleData, answer_through_data

_Index = QModelIndex | QPersistentModelIndex

RESULT_VERIFIED = "verified"
RESULT_UNVERIFIED = "unverified"
RESULT_REJECTED = "rejected"

COLUMN_TITLES = ("Received", "Type", "Website", "Result")
COL_TIME, COL_TYPE, COL_WEBSITE, COL_RESULT = range(len(COLUMN_TITLES))

#: Role giving the :class:`InspectorRow` of a row.
InspectorRowRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class InspectorRow:
    """One line of the inspector, built from a stored event or a rejected attempt."""

    kind: str  # "event" | "rejected"
    id: int
    received_at: _dt.datetime
    type: str
    website_id: str | None
    result: str
    replay: bool
    reason: str | None
    source: StoredEvent | RejectedAttempt

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)

    @property
    def result_text(self) -> str:
        if self.result == RESULT_REJECTED:
            return f"Rejected: {self.reason}" if self.reason else "Rejected"
        text = "Verified" if self.result == RESULT_VERIFIED else "Not verified"
        return f"{text} (replay)" if self.replay else text

    def pretty_body(self) -> str:
        """The JSON body, indented; a rejected attempt shows why its body is not kept."""
        if isinstance(self.source, StoredEvent):
            try:
                return json.dumps(json.loads(self.source.raw_body), indent=2, ensure_ascii=False)
            except (ValueError, UnicodeDecodeError):
                return self.source.raw_body.decode("utf-8", errors="replace")
        digest = self.source.body_sha256 or "unknown"
        return (
            "The body of a refused delivery is not stored, because nothing vouches for it.\n"
            f"Size: {self.source.size:,} bytes\nSHA-256: {digest}\n"
            f"Answered with HTTP {self.source.status_code}."
        )

    def headers(self) -> dict[str, str]:
        return dict(self.source.headers or {})


def row_from_event(event: StoredEvent) -> InspectorRow:
    return InspectorRow(
        kind="event",
        id=event.id,
        received_at=to_datetime(event.received_at) or _dt.datetime.now(_dt.UTC),
        type=event.type,
        website_id=event.website_id,
        result=RESULT_VERIFIED if event.verified else RESULT_UNVERIFIED,
        replay=bool(event.replay),
        reason=None,
        source=event,
    )


def row_from_rejected(attempt: RejectedAttempt) -> InspectorRow:
    return InspectorRow(
        kind="rejected",
        id=attempt.id,
        received_at=to_datetime(attempt.received_at) or _dt.datetime.now(_dt.UTC),
        type="—",
        website_id=None,
        result=RESULT_REJECTED,
        replay=False,
        reason=attempt.reason,
        source=attempt,
    )


@dataclass(frozen=True)
class InspectorFilter:
    """Which rows to show: an event type (rejected attempts have none) and a result."""

    type: str | None = None
    result: str | None = None  # RESULT_* or None for all
    account: str | None = None  # events of this account only (None: all); refused attempts have none

    def wants_events(self) -> bool:
        return self.result != RESULT_REJECTED

    def wants_rejected(self) -> bool:
        return self.type is None and self.result in (None, RESULT_REJECTED)

    def accepts(self, row: InspectorRow) -> bool:
        if self.type is not None and row.type != self.type:
            return False
        if self.account is not None and row.kind == "event":
            owner = row.source.account if isinstance(row.source, StoredEvent) else None
            if owner is not None and owner != self.account:
                return False
        return self.result is None or row.result == self.result


@dataclass(frozen=True)
class _Page:
    events: list[InspectorRow]
    rejected: list[InspectorRow]
    events_done: bool
    rejected_done: bool


def merge_page(page: _Page) -> list[InspectorRow]:
    """Newest first, cut where one stream's page ends while it may have more.

    Rows past the cut could be interleaved with rows of that stream not read yet,
    so they are left for the next page instead of being shown out of order.
    """
    rows = sorted(page.events + page.rejected, key=lambda r: (r.received_at, r.kind == "event", r.id), reverse=True)
    cut: tuple[_dt.datetime, bool, int] | None = None
    for stream, done in ((page.events, page.events_done), (page.rejected, page.rejected_done)):
        if stream and not done:
            last = stream[-1]
            key = (last.received_at, last.kind == "event", last.id)
            cut = key if cut is None or key > cut else cut
    if cut is None:
        return rows
    return [r for r in rows if (r.received_at, r.kind == "event", r.id) >= cut]


class EventsTableModel(QAbstractTableModel):
    """Rows for the inspector; reads more in the background as the view scrolls,
    prepends live arrivals."""

    sig_loaded = Signal()
    """A page was read (or the first one after a filter change); tests and the tab wait on it."""

    sig_error = Signal(str)
    """Reading the store failed; a sentence for the user."""

    PAGE_SIZE = 200

    def __init__(
        self,
        store: Store | TeamStore | None = None,
        parent: QObject | None = None,
        *,
        inspector_filter: InspectorFilter | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[InspectorRow] = []
        self._keys: set[tuple[str, int]] = set()
        self._filter = inspector_filter or InspectorFilter()
        self._reader: StoreReader[Store | TeamStore] | None = None
        self._events_offset = 0
        self._rejected_offset = 0
        self._events_done = True
        self._rejected_done = True
        self._reading = False
        self._generation = 0
        self._rejected_color = QColor("#d93025")
        self._website_names: dict[str, str] = {}
        self.set_store(store)

    def set_website_names(self, names: dict[str, str]) -> None:
        """Show these names in the Website column instead of ids (the id stays in the tooltip)."""
        self._website_names = dict(names)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_WEBSITE),
                self.index(len(self._rows) - 1, COL_WEBSITE),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )

    @property
    def inspector_filter(self) -> InspectorFilter:
        return self._filter

    @property
    def reader(self) -> StoreReader[Store | TeamStore] | None:
        return self._reader

    @property
    def loading(self) -> bool:
        return self._reading

    def set_store(self, store: Store | TeamStore | None) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader.deleteLater()
        self._reader = StoreReader(store, self, name="events-reader") if store is not None else None
        self.set_filter(self._filter)

    def set_filter(self, inspector_filter: InspectorFilter) -> None:
        """Show rows matching ``inspector_filter``, from the newest."""
        self.beginResetModel()
        self._generation += 1
        self._filter = inspector_filter
        self._rows = []
        self._keys = set()
        self._events_offset = self._rejected_offset = 0
        self._events_done = not inspector_filter.wants_events() or self._reader is None
        self._rejected_done = not inspector_filter.wants_rejected() or self._reader is None
        self._reading = False
        self.endResetModel()
        self._read_more()

    def prepend(self, rows: Iterable[InspectorRow]) -> int:
        """Insert live arrivals (oldest first in ``rows``) at the top; returns rows added."""
        fresh = [r for r in rows if r.key not in self._keys and self._filter.accepts(r)]
        if not fresh:
            return 0
        fresh.reverse()
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._rows[0:0] = fresh
        for row in fresh:
            self._keys.add(row.key)
            # The store's newest-first pages now start one row later.
            if row.kind == "event":
                self._events_offset += 1
            else:
                self._rejected_offset += 1
        self.endInsertRows()
        return len(fresh)

    def row_at(self, row: int) -> InspectorRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: tuple[str, int]) -> int | None:
        for position, row in enumerate(self._rows):
            if row.key == key:
                return position
        return None

    def rows(self) -> list[InspectorRow]:
        return list(self._rows)

    # ----- reading ---------------------------------------------------------------------
    def _read_more(self) -> None:
        if self._reading or self._reader is None or (self._events_done and self._rejected_done):
            return
        self._reading = True
        generation = self._generation
        wanted = self._filter
        events_offset, rejected_offset = self._events_offset, self._rejected_offset
        read_events, read_rejected = not self._events_done, not self._rejected_done
        verified = {RESULT_VERIFIED: True, RESULT_UNVERIFIED: False}.get(wanted.result or "")
        page = self.PAGE_SIZE

        def read(store: Store | TeamStore) -> _Page:
            events = (
                [
                    row_from_event(e)
                    for e in store.list_events(
                        type=wanted.type, verified=verified, offset=events_offset, limit=page, account=wanted.account
                    )
                ]
                if read_events
                else []
            )
            rejected = (
                [row_from_rejected(r) for r in store.list_rejected(offset=rejected_offset, limit=page)]
                if read_rejected
                else []
            )
            return _Page(
                events, rejected, not read_events or len(events) < page, not read_rejected or len(rejected) < page
            )

        def done(result: _Page) -> None:
            if generation != self._generation:
                return
            self._reading = False
            self._events_done = result.events_done
            self._rejected_done = result.rejected_done
            accepted = [r for r in merge_page(result) if r.key not in self._keys]
            self._events_offset += sum(1 for r in accepted if r.kind == "event")
            self._rejected_offset += sum(1 for r in accepted if r.kind == "rejected")
            if accepted:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(accepted) - 1)
                self._rows.extend(accepted)
                self._keys.update(r.key for r in accepted)
                self.endInsertRows()
            self.sig_loaded.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._reading = False
            self.sig_error.emit("The event log could not be read from the local store. Details are in the log file.")

        self._reader.submit(read, done, failed)

    # ----- Qt model API --------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMN_TITLES)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMN_TITLES):
            return COLUMN_TITLES[section]
        return None

    # flags(): QAbstractTableModel's own is a read-only row's, answered without Python.

    def multiData(self, index: _Index, roleDataSpan: RoleData) -> None:
        """One call per painted cell (see ``ui/common/cell_roles.py``)."""
        answer_through_data(self.data, index, roleDataSpan)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(COLUMN_TITLES):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == InspectorRowRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_TIME:
                return format_time(row.received_at, seconds=True)
            if column == COL_TYPE:
                return row.type
            if column == COL_WEBSITE:
                return self._website_names.get(row.website_id or "", row.website_id or "")
            return row.result_text
        if role == Qt.ItemDataRole.ForegroundRole and row.result == RESULT_REJECTED:
            return self._rejected_color
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_RESULT:
            return row.result_text
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_WEBSITE and row.website_id:
            return f"Website id: {row.website_id}"
        return None

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not (self._events_done and self._rejected_done)

    def fetchMore(self, parent: _Index) -> None:
        if not parent.isValid():
            self._read_more()
