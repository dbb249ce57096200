"""The Events tab: the webhook inspector.

Where the receiver listens and whether it does, the signing secret, and every
delivery that arrived: accepted events and refused attempts (bad or missing
signature), with the raw JSON and headers of the selected one. A stored event can
be replayed through the app's own handlers to exercise the UI; the copy is marked
as a replay everywhere.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.accounts import MIN_WEBHOOK_SECRET_CHARS
from codaiq_desktop.store import StoredEvent
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
from codaiq_desktop.ui.services import WEBHOOK_SECRET_GRACE_SECONDS
from codaiq_desktop.ui.common.formatting import format_time, mask_secret
from codaiq_desktop.ui.common.widgets import MessageBanner, record_table, restyle, tool_button

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

log = logging.getLogger(__name__)

ARRIVAL_BATCH_MS = 50
#: Refused deliveries are not announced by the store; while visible, the tab checks for
#: new ones this often (a count on a small table).
REJECTED_POLL_MS = 1000

RECEIVER_STATE_TEXT = {
    "listening": "Listening",
    "starting": "Starting…",
    "stopped": "Stopped",
    "port_taken": "Port taken",
    "failed": "Not listening",
}



class EventsTab(QWidget):
    """The receiver's state and a live, filterable list of what it received."""

    sig_replayed = Signal(object)
    """A stored event was replayed (the new ``StoredEvent``, flagged ``replay``)."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._pending: list[InspectorRow] = []
        self._rejected_seen: int | None = None
        self._secret_shown = False
        self._names_requested = False

        # ----- receiver panel ------------------------------------------------------
        self.address = QLabel()
        self.address.setObjectName("receiverAddress")
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_address_button = tool_button("Copy")
        self.copy_address_button.setToolTip("Copy the webhook URL")
        self.state = QLabel()
        self.state.setObjectName("receiverState")
        self.secret = QLabel()
        self.secret.setObjectName("receiverSecret")
        self.secret.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_secret_button = tool_button("Show")
        self.copy_secret_button = tool_button("Copy")
        self.copy_secret_button.setToolTip("Copy the signing secret, to paste into the project's webhook settings")
        self.new_secret_button = tool_button(
            "New secret…", tooltip="Replace the signing secret; the old one keeps working for a while"
        )
        self.set_secret_button = tool_button(
            "Use my secret…", tooltip="Enter a secret that Codaiq gave you for this project's webhooks"
        )
        self.secret_box: QMessageBox | None = None
        self.secret_dialog: QInputDialog | None = None
        # A plain field, not a spin box: a port is typed, not stepped through.
        self.port = QLineEdit(str(services.receiver_port))
        self.port.setObjectName("receiverPort")
        self.port.setValidator(QIntValidator(0, 65535, self.port))
        self.port.setPlaceholderText("0 = any free port")
        self.port.setAccessibleName("Receiver port")
        self.port.setToolTip("The port on this computer that receives webhooks (0: any free port)")
        self.port.setFixedWidth(120)
        self.apply_port_button = tool_button("Apply", tooltip="Move the receiver to this port")
        self.apply_port_button.setEnabled(False)
        self.state_detail = QLabel()
        self.state_detail.setObjectName("receiverStateDetail")
        self.state_detail.setWordWrap(True)
        self.state_detail.setVisible(False)
        self.secret_storage = QLabel()
        self.secret_storage.setObjectName("secretStorage")
        self.secret_storage.setWordWrap(True)
        self.registration = QLabel()
        self.registration.setObjectName("webhookRegistration")
        self.registration.setWordWrap(True)

        panel = QFrame()
        self.receiver_panel = panel
        panel.setProperty("card", True)
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        form = QFormLayout()
        form.addRow("Webhook URL", _row(self.address, self.copy_address_button, self.state))
        form.addRow("Port", _row(self.port, self.apply_port_button))
        form.addRow(
            "Signing secret",
            _row(
                self.secret, self.show_secret_button, self.copy_secret_button,
                self.new_secret_button, self.set_secret_button,
            ),
        )
        panel_layout = QVBoxLayout(panel)
        panel_layout.addLayout(form)
        panel_layout.addWidget(self.state_detail)
        panel_layout.addWidget(self.secret_storage)
        panel_layout.addWidget(self.registration)
        from codaiq_desktop.ui.sandbox_tools.access_panel import SandboxAccessPanel

        self.sandbox_access = SandboxAccessPanel(services)
        panel_layout.addWidget(self.sandbox_access)

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

        self.banner = MessageBanner()
        layout = QVBoxLayout(self)
        layout.addWidget(panel)
        from codaiq_desktop.ui.team.team_receiver_panel import TeamReceiverPanel

        # A team account's webhooks go to its inbox server: that server's card replaces this computer's.
        self.team_panel = TeamReceiverPanel(services)
        layout.addWidget(self.team_panel)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

        # ----- wiring ---------------------------------------------------------------------
        self._arrival_timer = QTimer(self)
        self._arrival_timer.setSingleShot(True)
        self._arrival_timer.setInterval(ARRIVAL_BATCH_MS)
        self._arrival_timer.timeout.connect(self.flush_arrivals)
        self._rejected_timer = QTimer(self)
        self._rejected_timer.setInterval(REJECTED_POLL_MS)
        self._rejected_timer.timeout.connect(self.check_rejected)

        self.copy_address_button.clicked.connect(self._copy_address)
        self.show_secret_button.clicked.connect(self._toggle_secret)
        self.copy_secret_button.clicked.connect(self._copy_secret)
        self.new_secret_button.clicked.connect(self.ask_new_secret)
        self.set_secret_button.clicked.connect(self.ask_own_secret)
        self.port.textChanged.connect(self._on_port_edited)
        self.port.returnPressed.connect(self.apply_port)
        self.apply_port_button.clicked.connect(self.apply_port)
        self.type_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.result_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.copy_json_button.clicked.connect(self._copy_json)
        self.replay_button.clicked.connect(self.replay_selected)
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.model.modelReset.connect(self._update_count)
        self.model.sig_loaded.connect(self._update_count)
        self.model.sig_error.connect(self.banner.show_message)

        services.sig_event_stored.connect(self._on_event_stored)
        services.sig_receiver_state.connect(self.update_receiver)
        services.sig_account_changed.connect(self._on_account_changed)
        services.sig_webhook_secret_changed.connect(self._show_secret_text)
        services.sig_website_names.connect(self._show_website_names)
        services.team.sig_source_changed.connect(self._follow_store)
        services.team.sig_state.connect(self.update_receiver)

        self.update_receiver()
        self._show_website_names()
        self._show_row(None)
        self._update_count()
        self._load_event_types()

    def _show_website_names(self) -> None:
        """Name sites in the list once any tab has loaded the projects (load them if none has)."""
        services = self._services
        self.model.set_website_names(services.website_names)
        if not services.website_names and services.client is not None and not self._names_requested:
            self._names_requested = True
            # Names are a nicety: without them the list shows ids, so a failure stays quiet.
            services.run(services.load_website_names(), on_error=lambda _exc: None, owner=self)

    # ----- receiver and secret -----------------------------------------------------------
    def update_receiver(self, _state: str | None = None) -> None:
        """Show the receiver's address, state and secret as the services know them."""
        services = self._services
        self.receiver_panel.setVisible(not services.team.active)
        self.team_panel.setVisible(services.team.active)
        receiver = services.receiver
        state = getattr(services, "receiver_state", "stopped")
        self.address.setText(receiver.url if receiver is not None else "—")
        self.copy_address_button.setEnabled(receiver is not None)
        text = RECEIVER_STATE_TEXT.get(state, state.replace("_", " ").capitalize())
        error = getattr(services, "receiver_error", None)
        if state == "failed" and error:
            text = f"Not listening: {error}"
        self.state.setText(f"● {text}")
        self.state.setProperty(
            "state", "reachable" if state == "listening" else "rate_limited" if state == "port_taken" else state
        )
        restyle(self.state)
        self.state_detail.setText(error if state == "port_taken" and error else "")
        self.state_detail.setVisible(state == "port_taken" and bool(error))
        if not self.port.hasFocus():
            self.port.setText(str(services.receiver_port))
        self._on_port_edited()
        self._show_secret_text()
        if services.is_sandbox and receiver is not None:
            self.registration.setText(
                "The local sandbox delivers its webhooks to this address (registered automatically)."
            )
        elif receiver is not None:
            self.registration.setText(
                "To receive events from Codaiq, enter this URL and secret in the project's webhook settings. "
                "The service must be able to reach this computer (for example through a tunnel)."
            )
        else:
            self.registration.setText("")

    def _secret(self) -> tuple[str | None, Any]:
        try:
            return self._services.webhook_secret()
        except Exception:
            log.warning("The webhook secret could not be read", exc_info=True)
            return None, None

    def _show_secret_text(self) -> None:
        secret, storage = self._secret()
        if secret is None:
            self.secret.setText("unavailable")
            self.secret_storage.setText("The secret could not be read from the keyring.")
            return
        self.secret.setText(secret if self._secret_shown else mask_secret(secret))
        self.show_secret_button.setText("Hide" if self._secret_shown else "Show")
        where = str(getattr(storage, "value", storage) or "")
        self.secret_storage.setText(
            "Kept in the system keyring." if where == "keyring"
            else "Kept in the file only you can read, next to this account's API key (no system keyring)."
            if where == "file"
            else "Kept for this session only: no system keyring is available, so a new secret is made "
            "next time (the sandbox is told automatically)." if where == "session" else ""
        )

    def ask_new_secret(self) -> None:
        """Confirm before replacing the secret: a service outside the sandbox must be told by hand."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace the signing secret?",
            "A new secret will sign and verify webhooks from now on. Deliveries signed with the "
            "current secret are still accepted for the next "
            f"{int(WEBHOOK_SECRET_GRACE_SECONDS // 60)} minutes.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            "The local sandbox is told automatically. For Codaiq itself, paste the new secret "
            "into each project's webhook settings before that time is up."
        )
        box.addButton("Replace secret", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(self.rotate_secret)
        self.secret_box = box
        box.open()

    def rotate_secret(self, new_secret: str | None = None) -> None:
        """Use ``new_secret``, or make a new one (the old one stays accepted for the grace period)."""
        self.new_secret_button.setEnabled(False)
        self.set_secret_button.setEnabled(False)

        def done(_secret: str) -> None:
            self.new_secret_button.setEnabled(True)
            self.set_secret_button.setEnabled(True)
            self.banner.show_message(
                "New signing secret in use. The previous one is still accepted for "
                f"{int(WEBHOOK_SECRET_GRACE_SECONDS // 60)} minutes.",
                kind="info",
            )

        def failed(exc: BaseException) -> None:
            self.new_secret_button.setEnabled(True)
            self.set_secret_button.setEnabled(True)
            message = str(exc) if isinstance(exc, ValueError) else self._services.describe_error(exc)
            self.banner.show_message(f"The signing secret was not changed: {message}")

        self._services.run(
            self._services.rotate_webhook_secret(new_secret), on_success=done, on_error=failed, owner=self
        )

    def ask_own_secret(self) -> None:
        """Let the user enter a secret of their own (e.g. one the service shows them)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Use your own signing secret")
        dialog.setLabelText(
            "Paste the signing secret from the project's webhook settings.\n"
            f"At least {MIN_WEBHOOK_SECRET_CHARS} characters. The current secret is still accepted for "
            f"{int(WEBHOOK_SECRET_GRACE_SECONDS // 60)} minutes."
        )
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.setOkButtonText("Use this secret")
        dialog.textValueSelected.connect(self.use_own_secret)
        self.secret_dialog = dialog
        dialog.open()

    def use_own_secret(self, text: str) -> None:
        secret = text.strip()
        if len(secret) < MIN_WEBHOOK_SECRET_CHARS:
            self.banner.show_message(
                f"That secret is too short: use at least {MIN_WEBHOOK_SECRET_CHARS} characters. Nothing was changed."
            )
            return
        self.rotate_secret(secret)

    def chosen_port(self) -> int | None:
        """The port typed in the field, or None while it is not a port."""
        text = self.port.text().strip()
        return int(text) if text.isdigit() and int(text) <= 65535 else None

    def _on_port_edited(self, *_: Any) -> None:
        receiver = self._services.receiver
        chosen = self.chosen_port()
        if chosen is None:
            self.apply_port_button.setEnabled(False)
            return
        current = self._services.receiver_port
        listening_there = receiver is not None and (chosen == 0 or receiver.port == chosen)
        self.apply_port_button.setEnabled(chosen != current or not listening_there)

    def apply_port(self) -> None:
        """Move the receiver to the port in the box; the state line shows how it went."""
        port = self.chosen_port()
        if port is None or not self.apply_port_button.isEnabled():
            return
        self.apply_port_button.setEnabled(False)

        def done(_: Any) -> None:
            receiver = self._services.receiver
            if receiver is not None and self._services.receiver_state == "listening":
                self.banner.show_message(
                    f"Receiving webhooks on port {receiver.port}. Update the URL in your projects' webhook settings.",
                    kind="info",
                )
            self.update_receiver()

        def failed(exc: BaseException) -> None:
            self.banner.show_message(f"The port was not changed. {self._services.describe_error(exc)}")
            self.update_receiver()

        self._services.run(self._services.change_receiver_port(port), on_success=done, on_error=failed, owner=self)

    def _toggle_secret(self) -> None:
        self._secret_shown = not self._secret_shown
        self._show_secret_text()

    def _copy_secret(self) -> None:
        secret, _ = self._secret()
        if secret:
            QGuiApplication.clipboard().setText(secret)
            self.message.setText("Secret copied.")

    def _copy_address(self) -> None:
        if self._services.receiver is not None:
            QGuiApplication.clipboard().setText(self._services.receiver.url)
            self.message.setText("Webhook URL copied.")

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

    def _on_event_stored(self, event: Any) -> None:
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

        def read(store: Any) -> tuple[int, list[Any]]:
            total = int(store.count_rejected())
            fresh = total - seen if seen is not None else 0
            return total, list(store.list_rejected(offset=0, limit=min(max(fresh, 0), 500))) if fresh > 0 else []

        def done(result: tuple[int, list[Any]]) -> None:
            total, attempts = result
            self._rejected_seen = total
            self.model.prepend([row_from_rejected(a) for a in reversed(attempts)])

        reader.submit(read, done, lambda exc: None)

    def _on_account_changed(self, _account: Any) -> None:
        self._follow_store()
        self.type_filter.blockSignals(True)
        while self.type_filter.count() > 1:  # the types this account's events have, loaded next
            self.type_filter.removeItem(1)
        self.type_filter.blockSignals(False)
        self.apply_filter()  # the new account's events (and every refused attempt)
        self._load_event_types()
        self.update_receiver()
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
            "Nothing matches these filters." if filtered
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
        self.replay_button.setEnabled(row.kind == "event" and self._services.store is not None
                                      and not self._services.team.active)

    def _copy_json(self) -> None:
        row = self.selected_row()
        if row is not None and row.kind == "event":
            QGuiApplication.clipboard().setText(row.pretty_body())
            self.message.setText("JSON copied.")

    def replay_selected(self) -> Any:
        """Store the selected event again as a replay; it flows through every handler."""
        row = self.selected_row()
        store = self._services.store
        if row is None or not isinstance(row.source, StoredEvent) or store is None:
            return None
        event = row.source
        self.replay_button.setEnabled(False)

        def done(result: Any) -> None:
            self.replay_button.setEnabled(True)
            self.message.setText(f"Replayed {event.type}; the copy is marked as a replay.")
            self.sig_replayed.emit(result.event)

        def failed(exc: BaseException) -> None:
            self.replay_button.setEnabled(True)
            self.banner.show_message(f"Replay failed: {self._services.describe_error(exc)}")

        return self._services.run(
            store.ingest(event.raw_body, dict(event.headers), replay=True, verified=event.verified),
            on_success=done,
            on_error=failed,
            owner=self,
        )

    # ----- visibility ------------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._follow_store()
        self.update_receiver()
        self.check_rejected()
        self._rejected_timer.start()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        self._rejected_timer.stop()


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return holder

