"""The Events tab's event inspector: every delivery received, filterable, with its raw form.

Accepted events and refused attempts (bad or missing signature) in one live list, and the
raw JSON and headers of the selected one. Arrivals are inserted in batches so a burst of
webhooks costs one model insert per batch. Refused attempts are not announced by the store,
so while the tab is in view the inspector checks for new ones. A stored event can be
replayed through the app's own handlers; the copy is marked as a replay everywhere.
"""

from __future__ import annotations

import asyncio

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.accounts import Account
from codaiq_desktop.store import IngestResult, RejectedAttempt, Store, StoredEvent
from codaiq_desktop.team import TeamStore
from codaiq_desktop.ui.common.formatting import format_time
from codaiq_desktop.ui.common.widgets import record_table
from codaiq_desktop.ui.events.events_model import (
    COL_TIME,
    COL_TYPE,
    COL_WEBSITE,
    RESULT_REJECTED,
    RESULT_UNVERIFIED,
    RESULT_VERIFIED,
    EventsTableModel,
    InspectorFilter,
    InspectorRow,
    row_from_event,
    row_from_rejected,
)

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

ARRIVAL_BATCH_MS = 50
#: Refused deliveries are not announced by the store; while visible, the tab checks for
#: new ones this often (a count on a small table).
REJECTED_POLL_MS = 1000


class EventInspector(QWidget):
    """A live, filterable list of what the receiver took or refused, and the selected delivery."""

    sig_replayed = Signal(object)
    """A stored event was replayed (the new ``StoredEvent``, flagged ``replay``)."""

    sig_error = Signal(str)
    """The list could not be read or a replay failed (words for the user)."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._pending: list[InspectorRow] = []
        self._rejected_seen: int | None = None
        self._names_requested = False

        # ----- filters and list -----------------------------------------------------
        self.type_filter = QComboBox()
        self.type_filter.setAccessibleName("Event type")
        self.type_filter.addItem("All types", None)
        self.result_filter = QComboBox()
        self.result_filter.setAccessibleName("Verification result")
        for label, value in (
            ("All results", None),
            ("Verified", RESULT_VERIFIED),
            ("Not verified", RESULT_UNVERIFIED),
            ("Rejected", RESULT_REJECTED),
        ):
            self.result_filter.addItem(label, value)
        self.count_label = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show"))
        filters.addWidget(self.type_filter)
        filters.addWidget(self.result_filter)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self.model = EventsTableModel(
            services.lead_store, self, inspector_filter=InspectorFilter(account=services.account_label)
        )
        self.table = record_table("eventsTable", self.model)
        self.table.setColumnWidth(COL_TIME, 150)
        self.table.setColumnWidth(COL_TYPE, 150)
        self.table.setColumnWidth(COL_WEBSITE, 170)
        self.empty_label = QLabel(
            "Nothing received yet. Events appear here as soon as the service sends them to the URL above."
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        # ----- detail -----------------------------------------------------------------
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.summary = QLabel("Select an event to see what was received.")
        self.summary.setWordWrap(True)
        self.summary.setObjectName("eventSummary")
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setFont(fixed)
        self.body.setAccessibleName("Raw JSON")
        self.headers = QPlainTextEdit()
        self.headers.setReadOnly(True)
        self.headers.setFont(fixed)
        self.headers.setAccessibleName("Headers")
        self.detail_tabs = QTabWidget()
        self.detail_tabs.addTab(self.body, "Body")
        self.detail_tabs.addTab(self.headers, "Headers")
        self.copy_json_button = QPushButton("Copy JSON")
        self.replay_button = QPushButton("Replay")
        self.replay_button.setToolTip(
            "Run this event through the app again (it is stored as a replay), to test how the app reacts"
        )
        self.message = QLabel()
        self.message.setObjectName("eventsMessage")
        self.message.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.copy_json_button)
        actions.addWidget(self.replay_button)
        actions.addStretch(1)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.summary)
        detail_layout.addWidget(self.detail_tabs, 1)
        detail_layout.addLayout(actions)
        detail_layout.addWidget(self.message)

        list_side = QWidget()
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.empty_label, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("eventsSplitter")
        splitter.addWidget(list_side)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._arrival_timer = QTimer(self)
        self._arrival_timer.setSingleShot(True)
        self._arrival_timer.setInterval(ARRIVAL_BATCH_MS)
        self._arrival_timer.timeout.connect(self.flush_arrivals)
        self._rejected_timer = QTimer(self)
        self._rejected_timer.setInterval(REJECTED_POLL_MS)
        self._rejected_timer.timeout.connect(self.check_rejected)

        self.type_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.result_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.copy_json_button.clicked.connect(self._copy_json)
        self.replay_button.clicked.connect(self.replay_selected)
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.model.modelReset.connect(self._update_count)
        self.model.sig_loaded.connect(self._update_count)
        self.model.sig_error.connect(self.sig_error)

        services.sig_event_stored.connect(self._on_event_stored)
        services.sig_account_changed.connect(self._on_account_changed)
        services.sig_website_names.connect(self._show_website_names)
        services.team.sig_source_changed.connect(self._follow_store)

        self._show_website_names()
        self._show_row(None)
        self._update_count()
        self._load_event_types()

    def start_watching(self) -> None:
        """Catch up with the store and poll for refused deliveries (while the tab is in view)."""
        self._follow_store()
        self.check_rejected()
        self._rejected_timer.start()

    def stop_watching(self) -> None:
        """Stop polling for refused deliveries (the tab is out of view)."""
        self._rejected_timer.stop()

    def _show_website_names(self) -> None:
        """Name sites in the list once any tab has loaded the projects (load them if none has)."""
        services = self._services
        self.model.set_website_names(services.website_names)
        if not services.website_names and services.client is not None and not self._names_requested:
            self._names_requested = True
            # Names are a nicety: without them the list shows ids, so a failure stays quiet.
            services.run(services.load_website_names(), on_error=lambda _exc: None, owner=self)

    # ----- list ----------------------------------------------------------------------------
    def current_filter(self) -> InspectorFilter:
        return InspectorFilter(
            type=self.type_filter.currentData(),
            result=self.result_filter.currentData(),
            account=self._services.account_label,
        )

    def apply_filter(self) -> None:
        self._pending.clear()
        self.model.set_filter(self.current_filter())
        self._show_row(None)

    def refresh(self) -> None:
        """Read the list again (the main window's Refresh)."""
        self._load_event_types()
        self.apply_filter()

    def _load_event_types(self) -> None:
        reader = self.model.reader
        if reader is not None:
            account = self._services.account_label
            reader.submit(lambda store: store.event_types(account=account), self._set_event_types, lambda exc: None)

    def _set_event_types(self, types: list[str]) -> None:
        current = self.type_filter.currentData()
        known = {self.type_filter.itemData(i) for i in range(1, self.type_filter.count())}
        for event_type in types:
            if event_type not in known:
                self.type_filter.addItem(event_type, event_type)
        if current is not None:
            self.type_filter.setCurrentIndex(max(self.type_filter.findData(current), 0))

    def _on_event_stored(self, event: StoredEvent) -> None:
        self._follow_store()
        if not self._services.is_active_account_event(event):
            return  # listed when its account is the active one
        self._pending.append(row_from_event(event))
        if self.type_filter.findData(event.type) < 0:
            self.type_filter.addItem(event.type, event.type)
        if not self._arrival_timer.isActive():
            self._arrival_timer.start()

    def flush_arrivals(self) -> int:
        """Insert the events announced since the last batch (one insert per batch)."""
        self._arrival_timer.stop()
        rows, self._pending = self._pending, []
        return self.model.prepend(rows)

    def check_rejected(self) -> None:
        """Look for refused deliveries (the store does not announce them)."""
        reader = self.model.reader
        if reader is None:
            return
        seen = self._rejected_seen

        def read(store: Store | TeamStore) -> tuple[int, list[RejectedAttempt]]:
            total = int(store.count_rejected())
            fresh = total - seen if seen is not None else 0
            return total, list(store.list_rejected(offset=0, limit=min(max(fresh, 0), 500))) if fresh > 0 else []

        def done(result: tuple[int, list[RejectedAttempt]]) -> None:
            total, attempts = result
            self._rejected_seen = total
            self.model.prepend([row_from_rejected(a) for a in reversed(attempts)])

        reader.submit(read, done, lambda exc: None)

    def _on_account_changed(self, _account: Account | None) -> None:
        self._follow_store()
        self.type_filter.blockSignals(True)
        while self.type_filter.count() > 1:  # the types this account's events have, loaded next
            self.type_filter.removeItem(1)
        self.type_filter.blockSignals(False)
        self.apply_filter()  # the new account's events (and every refused attempt)
        self._load_event_types()
        self._names_requested = False
        self._show_website_names()

    def _follow_store(self) -> None:
        """Read from the services' lead store, which may have opened (or changed) since."""
        store = self._services.lead_store
        current = self.model.reader.store if self.model.reader is not None else None
        if store is not current:
            self.model.set_store(store)
            self._rejected_seen = None
            self.check_rejected()
            self._load_event_types()

    def _update_count(self) -> None:
        rows = self.model.rowCount()
        more = "+" if self.model.canFetchMore(QModelIndex()) else ""
        self.count_label.setText(f"{rows:,}{more} shown")
        empty = rows == 0 and not self.model.loading
        current = self.model.inspector_filter
        filtered = current != InspectorFilter(account=current.account)  # the account is no filter the user set
        self.empty_label.setText(
            "Nothing matches these filters."
            if filtered
            else "Nothing received yet. Events appear here as soon as the service sends them to the URL above."
        )
        self.empty_label.setVisible(empty)
        self.table.setVisible(not empty)

    # ----- detail and replay -----------------------------------------------------------------
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_row(self.model.row_at(current.row()) if current.isValid() else None)

    def selected_row(self) -> InspectorRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _show_row(self, row: InspectorRow | None) -> None:
        if row is None:
            self.summary.setText("Select an event to see what was received.")
            self.body.setPlainText("")
            self.headers.setPlainText("")
            self.copy_json_button.setEnabled(False)
            self.replay_button.setEnabled(False)
            return
        when = format_time(row.received_at, seconds=True)
        if row.kind == "event":
            self.summary.setText(f"{row.type} · {when} · {row.result_text}")
        else:
            self.summary.setText(f"Refused delivery · {when} · {row.reason}")
        self.body.setPlainText(row.pretty_body())
        self.headers.setPlainText("\n".join(f"{name}: {value}" for name, value in sorted(row.headers().items())))
        self.copy_json_button.setEnabled(row.kind == "event")
        self.replay_button.setEnabled(
            row.kind == "event" and self._services.store is not None and not self._services.team.active
        )

    def _copy_json(self) -> None:
        row = self.selected_row()
        if row is not None and row.kind == "event":
            QGuiApplication.clipboard().setText(row.pretty_body())
            self.message.setText("JSON copied.")

    def replay_selected(self) -> asyncio.Task[IngestResult] | None:
        """Store the selected event again as a replay; it flows through every handler."""
        row = self.selected_row()
        store = self._services.store
        if row is None or not isinstance(row.source, StoredEvent) or store is None:
            return None
        event = row.source
        self.replay_button.setEnabled(False)

        def done(result: IngestResult) -> None:
            self.replay_button.setEnabled(True)
            self.message.setText(f"Replayed {event.type}; the copy is marked as a replay.")
            self.sig_replayed.emit(result.event)

        def failed(exc: BaseException) -> None:
            self.replay_button.setEnabled(True)
            self.sig_error.emit(f"Replay failed: {self._services.describe_error(exc)}")

        return self._services.run(
            store.ingest(event.raw_body, dict(event.headers), replay=True, verified=event.verified),
            on_success=done,
            on_error=failed,
            owner=self,
        )
