"""The Leads tab: the inbox of everyone who filled in a form on a client's site.

A filter bar over a lazy table (:class:`LeadsTableModel`) and a detail pane. Leads
arrive live through the webhook receiver: they are inserted at the top, marked
unread, without moving what the user is reading or losing the selection.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.accounts import Account
from codaiq_desktop.api.models import Project
from codaiq_desktop.store import Store
from codaiq_desktop.store.models import LEAD_EVENT_TYPES, LEAD_STATUSES, LeadFilter, StoredEvent
from codaiq_desktop.team import TeamStore
from codaiq_desktop.ui.leads.lead_detail import LeadDetailPanel
from codaiq_desktop.ui.leads.lead_dialog import AddLeadDialog
from codaiq_desktop.ui.leads.lead_edits import LeadEdits
from codaiq_desktop.ui.leads.lead_values import ShownLead
from codaiq_desktop.ui.leads.leads_export import LeadsCsvExport
from codaiq_desktop.ui.leads.leads_view_place import LeadsViewPlace
from codaiq_desktop.ui.leads.lead_columns import COL_EMAIL, COL_NAME, COL_PHONE, COL_STATUS, COL_TIME, COL_WEBSITE
from codaiq_desktop.ui.leads.leads_model import LeadsTableModel
from codaiq_desktop.ui.common.column_fit import ColumnFit
from codaiq_desktop.ui.common.widgets import MessageBanner, record_table, show_unread_in_tab
from codaiq_desktop.ui.team.members import TeamDirectory
from codaiq_desktop.ui.team.team_leads import TeamLeadsController
from codaiq_desktop.ui.team.team_leads_model import COL_ASSIGNEE, TeamLeadsTableModel

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

SEARCH_DELAY_MS = 250
ARRIVAL_BATCH_MS = 100

# (label, how far back) for the date filter; None = no bound, "custom" = the two date fields.
DATE_PRESETS: tuple[tuple[str, _dt.timedelta | str | None], ...] = (
    ("Any time", None),
    ("Last 24 hours", _dt.timedelta(hours=24)),
    ("Last 7 days", _dt.timedelta(days=7)),
    ("Last 30 days", _dt.timedelta(days=30)),
    ("Last 90 days", _dt.timedelta(days=90)),
    ("Between dates…", "custom"),
)


class LeadsTab(QWidget):
    """Filter, read and follow up leads; see the module docstring."""

    sig_unread_count_changed = Signal(int)
    """Unread leads in the store (for the tab's title: "Leads (3)")."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._websites: dict[str, str] = {}
        self._unread = 0
        self.edits = LeadEdits(self)
        """The write path: the user's edits, committed off the UI thread in order."""
        self.csv_export = LeadsCsvExport(self)

        # The team model reads the local store as well; the Assignee column shows in team mode only.
        self.model: LeadsTableModel = TeamLeadsTableModel(
            self.lead_store(), TeamDirectory(), self, lead_filter=LeadFilter(account=services.account_label)
        )

        # ----- filter bar ------------------------------------------------------
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, email, phone or message")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search leads")
        self.website_filter = QComboBox()
        self.website_filter.setAccessibleName("Website")
        self.website_filter.addItem("All websites", None)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Status")
        self.status_filter.addItem("Any status", None)
        for status in LEAD_STATUSES:
            self.status_filter.addItem(status.capitalize(), status)
        self.date_filter = QComboBox()
        self.date_filter.setAccessibleName("Received")
        for label, span in DATE_PRESETS:
            self.date_filter.addItem(label, span)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setVisible(False)
        self.unread_only = QCheckBox("Unread only")
        self.add_button = QPushButton("Add lead…")
        self.add_button.setToolTip("Submit a lead through the API, as a site's form would")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Save the leads in this view (filters applied) as a CSV file")

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.website_filter, 1)
        bar.addWidget(self.status_filter, 1)
        bar.addWidget(self.date_filter, 1)
        bar.addWidget(self.date_from)
        bar.addWidget(self.date_to)
        bar.addWidget(self.unread_only)
        bar.addStretch(0)
        bar.addWidget(self.add_button)
        bar.addWidget(self.export_button)

        # ----- table -------------------------------------------------------------
        self.table = record_table("leadsTable", self.model)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        # Widths from the font, so an international phone number fits whole; the Message
        # takes what is left and wraps onto a second line. In a narrow window the other
        # columns give up width in proportion: no sideways scrolling.
        metrics = self.table.fontMetrics()
        padding = 24
        self.column_fit = ColumnFit(self.table, self.model.message_column)
        for column, sample in (
            (COL_TIME, "2026-12-04 15:29"),
            (COL_NAME, "Grace Hopper"),
            (COL_EMAIL, "grace@example.com"),
            (COL_PHONE, "+44 (0)20 7946 0958"),
            (COL_WEBSITE, "Petal & Stem"),
            (COL_STATUS, "Contacted"),
            (COL_ASSIGNEE, "Barbara Liskov"),
        ):
            # A date and a status stay whole; names and addresses can be cut short ("…").
            self.column_fit.want(
                column, metrics.horizontalAdvance(sample) + padding, shrinks=column not in (COL_TIME, COL_STATUS)
            )
        header.setSectionResizeMode(self.model.message_column, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(50)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setDefaultSectionSize(2 * metrics.lineSpacing() + 10)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COL_TIME, Qt.SortOrder.DescendingOrder)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._on_sort_requested)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("leadsEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.busy_label = QLabel("Searching…")
        self.busy_label.setObjectName("leadsBusy")
        self.busy_label.setVisible(False)
        self.count_label = QLabel()
        self.count_label.setObjectName("leadsCount")
        self.message_label = QLabel()
        self.message_label.setObjectName("leadsMessage")
        self.message_label.setWordWrap(True)

        self.detail = LeadDetailPanel()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty_label, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("leadsSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 380])
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addWidget(self.busy_label)
        footer.addStretch(1)
        footer.addWidget(self.message_label, 3)

        self.banner = MessageBanner()
        layout = QVBoxLayout(self)
        self.filter_bar, self.main_layout = bar, layout
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

        # ----- timers and wiring -------------------------------------------------
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self._arrival_timer = QTimer(self)
        self._arrival_timer.setSingleShot(True)
        self._arrival_timer.setInterval(ARRIVAL_BATCH_MS)
        self._arrival_timer.timeout.connect(self.apply_arrivals)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.setInterval(6000)
        self._message_timer.timeout.connect(lambda: self.message_label.setText(""))

        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.website_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.date_filter.currentIndexChanged.connect(self._on_date_preset)
        self.date_from.dateChanged.connect(lambda _d: self.apply_filter())
        self.date_to.dateChanged.connect(lambda _d: self.apply_filter())
        self.unread_only.toggled.connect(lambda _on: self.apply_filter())
        self.add_button.clicked.connect(self.open_add_dialog)
        self.export_button.clicked.connect(self.csv_export.choose_file)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.place = LeadsViewPlace(self)
        """Keeps the selected lead and scroll position across resets and live inserts."""
        self.model.sig_total_changed.connect(self._update_counts)
        self.model.sig_unread_changed.connect(self._on_unread_changed)
        self.model.sig_busy_changed.connect(self.busy_label.setVisible)
        self.model.sig_rows_loaded.connect(self._on_rows_loaded)
        self.model.sig_reset_done.connect(self.place.open_after_reset)
        self.model.sig_error.connect(self.banner.show_message)
        self.table.verticalScrollBar().valueChanged.connect(self.place.on_scrolled)
        self.detail.sig_status_changed.connect(self.set_status)
        self.detail.sig_notes_changed.connect(self.save_notes)
        self.detail.sig_message.connect(self.show_message)
        self.banner.sig_action.connect(self.load_websites)

        services.sig_event_stored.connect(self._on_event_stored)
        services.sig_account_changed.connect(self._on_account_changed)
        services.sig_projects_changed.connect(self.load_websites)
        services.sig_website_names.connect(self._on_website_names)
        services.sig_open_lead.connect(self.open_lead)

        self.team = TeamLeadsController(self, self._team_model().directory)
        """The team pieces (assignment, history, offline state); shown when leads come from a team server."""
        self.team.connect_services(services)
        self.team.set_active(self._is_team_source(self.lead_store()))

        self._update_counts(self.model.rowCount())
        if services.client is not None:
            self.load_websites()

    # ----- filtering -------------------------------------------------------------
    def current_filter(self) -> LeadFilter:
        """The filter the controls describe."""
        since: _dt.datetime | None = None
        until: _dt.datetime | None = None
        span = self.date_filter.currentData()
        if isinstance(span, _dt.timedelta):
            since = _dt.datetime.now(_dt.UTC) - span
        elif span == "custom":
            since = _local_midnight(self.date_from.date())
            until = _local_midnight(self.date_to.date().addDays(1))
        text = self.search.text().strip() or None
        team = getattr(self, "team", None)
        if team is not None and team.active:
            since = until = None  # a team server filters by everything but time
        return LeadFilter(
            website_id=self.website_filter.currentData(),
            status=self.status_filter.currentData(),
            text=text,
            since=since,
            until=until,
            unread_only=self.unread_only.isChecked(),
            account=self._services.account_label,
            assignee=team.assignee_filter() if team is not None else None,
        )

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def apply_filter(self) -> None:
        """Show the leads matching the controls, from the top (read in the background)."""
        self._search_timer.stop()
        new_filter = self.current_filter()
        if new_filter == self.model.lead_filter and not self.model.busy:
            return
        self.place.restart_at_top()
        self.model.set_filter(new_filter)

    def reload(self) -> None:
        """Read everything again, keeping the selected lead and the scroll position."""
        self.model.reload()

    def refresh(self) -> None:
        """The main window's Refresh: the leads and the website names."""
        self.reload()
        self.load_websites()

    def _on_date_preset(self, _index: int) -> None:
        custom = self.date_filter.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.apply_filter()

    def _on_sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        if self.model.columns[column].sort_key is None or (self.team.active and column != COL_TIME):
            # Not sortable by the store: put the indicator back where the order really is.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            current = Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(self.model.sort_column, current)
            header.blockSignals(False)
            self.show_message(
                "The team inbox lists leads newest first."
                if self.team.active
                else "Leads can be sorted by time, name, email, website or status."
            )
        elif (column, descending) != (self.model.sort_column, self.model.descending):
            self.place.restart_at_top()  # a new order starts at its top
            self.model.sort(column, order)

    # ----- live arrivals -----------------------------------------------------------
    def _on_event_stored(self, event: StoredEvent) -> None:
        self._follow_store()
        if not self._services.is_active_account_event(event):
            return  # stored, and shown when its account is the active one
        lead_id = event.lead_id
        if lead_id is None or event.type not in LEAD_EVENT_TYPES:
            return
        if self.model.cached_lead(lead_id) is not None:
            # Already shown (the second event of a submission, or a replay): re-read it.
            self.model.refresh_lead(lead_id)
            return
        self.note_arrival(lead_id)

    def apply_arrivals(self) -> None:
        """Place the leads stored since the last batch (see ``LeadsTableModel.apply_arrivals``).

        Sorted by time they are inserted; sorted otherwise the model reloads and
        :class:`LeadsViewPlace` keeps the selection and scroll position.
        """
        self._arrival_timer.stop()
        self.model.apply_arrivals()

    # ----- selection and edits -------------------------------------------------------
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        lead = self.model.lead_at(current.row()) if current.isValid() else None
        self.show_in_detail(lead)

    def _on_rows_loaded(self, first: int, last: int) -> None:
        current = self.table.currentIndex()
        if current.isValid() and first <= current.row() <= last and self.detail.lead_id is None:
            self.show_in_detail(self.model.lead_at(current.row()))

    def show_in_detail(self, lead: ShownLead | None) -> None:
        self.detail.show_lead(lead)
        if self.team.active:
            self.team.lead_shown(lead)
        if lead is None:
            return
        lead_id = lead.id
        self._load_raw_events(lead_id)
        if not lead.read:
            self.edits.mark_read(lead_id)

    def _load_raw_events(self, lead_id: int) -> None:
        """Read the events behind a lead in the background, for the "Raw event" box."""
        reader = self.model.reader
        if reader is None:
            return
        from codaiq_desktop.ui.events.events_model import row_from_event

        def done(events: list[StoredEvent]) -> None:
            if self.detail.lead_id == lead_id and events:
                text = "\n\n".join(row_from_event(event).pretty_body() for event in events)
                # Only the raw text: the lead itself may have changed since the read began.
                self.detail.show_raw_event(text)

        reader.submit(lambda store: store.lead_events(lead_id), done, lambda exc: None)

    def set_status(self, lead_id: int, status: str) -> None:
        """Change a lead's status in the store and repaint it."""
        self.write_change(lead_id, {"status": status}, f"Marked as {status}.")

    def save_notes(self, lead_id: int, notes: str) -> None:
        version = self.detail.notes_version() if self.team.active and self.detail.lead_id == lead_id else None
        self.write_change(lead_id, {"notes": notes}, "Notes saved.", version=version)

    def write_change(
        self, lead_id: int, changes: dict[str, Any], done_message: str | None = None, *, version: int | None = None
    ) -> None:
        """Change ``lead_id``'s fields off the UI thread (see :meth:`LeadEdits.write_change`)."""
        self.edits.write_change(lead_id, changes, done_message, version=version)

    @property
    def writes_pending(self) -> bool:
        """An edit is still on its way to the store (tests wait for it)."""
        return self.edits.writes_pending

    def open_lead(self, lead_id: int) -> None:
        """Select ``lead_id`` (from a notification), clearing filters if they hide it."""
        self.place.open_lead(lead_id)

    def clear_filters(self) -> None:
        """Every filter back to "all" (a lead asked for by id is hidden by them)."""
        for widget in (self.website_filter, self.status_filter, self.date_filter, self.unread_only, self.search):
            widget.blockSignals(True)
        self.search.clear()
        self.website_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(0)
        self.date_filter.setCurrentIndex(0)
        self.unread_only.setChecked(False)
        for widget in (self.website_filter, self.status_filter, self.date_filter, self.unread_only, self.search):
            widget.blockSignals(False)
        self.date_from.setVisible(False)
        self.date_to.setVisible(False)
        self.apply_filter()

    # ----- account, websites -----------------------------------------------------------
    def _on_account_changed(self, _account: Account | None) -> None:
        """Another account: its own leads (the website choice is refilled from its projects)."""
        self.detail.show_lead(None)
        self.banner.hide()  # its message was about the previous account
        self._follow_store()
        self.website_filter.blockSignals(True)
        self.website_filter.setCurrentIndex(0)
        self.website_filter.blockSignals(False)
        self.apply_filter()
        self.load_websites()

    def _follow_store(self) -> None:
        """Read from the services' lead source, which may have opened (or changed) since."""
        store = self.lead_store()
        current = self.model.reader.store if self.model.reader is not None else None
        if store is not current:
            # The source first: team mode reads the members through the model's reader.
            self.model.set_source(store)
            self.team.set_active(self._is_team_source(store))

    def follow_lead_source(self) -> None:
        """The account's lead source opened, closed or changed: read the leads from it."""
        self._follow_store()
        self.apply_filter()

    def lead_store(self) -> Store | TeamStore | None:
        """The team store when the account's leads come from a team server, else the local store."""
        return self._services.lead_store

    @property
    def services(self) -> AppServices:
        return self._services

    @property
    def website_names(self) -> dict[str, str]:
        """Website id → name as the filter shows them (a copy)."""
        return dict(self._websites)

    @staticmethod
    def _is_team_source(store: Store | TeamStore | None) -> bool:
        return isinstance(store, TeamStore)

    def _team_model(self) -> TeamLeadsTableModel:
        assert isinstance(self.model, TeamLeadsTableModel)
        return self.model

    def note_arrival(self, lead_id: int) -> None:
        """A lead this table has not read was stored: placed with the next batch of arrivals."""
        self.model.note_arrival(int(lead_id))
        if not self._arrival_timer.isActive():
            self._arrival_timer.start()

    def load_websites(self) -> None:
        """Fill the website filter with names (one request; ids keep working meanwhile)."""
        if self._services.client is None:
            return
        account = self._services.account

        def failed(exc: BaseException) -> None:
            if self._services.account is account:  # not an answer about an account left since
                self._on_projects_failed(exc)

        self._services.run(self._services.load_projects(), on_success=self._on_projects, on_error=failed, owner=self)

    def _on_projects(self, projects: list[Project]) -> None:
        if self.banner.text().startswith("Website names"):
            self.banner.hide()
        self.set_websites(self._services.website_names)

    def _on_projects_failed(self, exc: BaseException) -> None:
        self.banner.show_message(
            f"Website names are unavailable: {self._services.describe_error(exc)}", "warning", "Try again"
        )

    def _on_website_names(self) -> None:
        """Another tab loaded the projects: use its names too (no request of our own)."""
        self.set_websites(self._services.website_names)

    def set_websites(self, names: dict[str, str]) -> None:
        """Website id → name, for the filter and the Website column."""
        self._websites = dict(names)
        current = self.website_filter.currentData()
        self.website_filter.blockSignals(True)
        self.website_filter.clear()
        self.website_filter.addItem("All websites", None)
        for site_id, name in sorted(names.items(), key=lambda item: item[1].lower()):
            self.website_filter.addItem(name, site_id)
        found = self.website_filter.findData(current)
        self.website_filter.setCurrentIndex(max(found, 0))
        self.website_filter.blockSignals(False)
        self.model.set_website_names(names)
        self.detail.set_website_names(names)

    # ----- add, export -------------------------------------------------------------------
    def open_add_dialog(self) -> AddLeadDialog:
        sites = sorted(self._websites.items(), key=lambda item: item[1].lower())
        dialog = AddLeadDialog(self._services, sites, self, website_id=self.website_filter.currentData())
        dialog.sig_submitted.connect(
            lambda _receipt: self.show_message("Lead submitted. It appears here when the webhook delivers it.")
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def export_csv(self, path: Path) -> asyncio.Task[int] | None:
        """Write the current filtered view to ``path`` off the UI thread (see :class:`LeadsCsvExport`)."""
        return self.csv_export.export(path)

    # ----- labels ---------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self._message_timer.start()

    def _on_unread_changed(self, unread: int) -> None:
        self._unread = unread
        self.sig_unread_count_changed.emit(unread)
        self._update_counts(self.model.rowCount())
        self._update_tab_title()

    def _update_tab_title(self) -> None:
        """Show the unread count in the title of the tab holding this widget ("Leads (3)")."""
        widget: QWidget | None = self.parentWidget()
        while widget is not None and not isinstance(widget, QTabWidget):
            widget = widget.parentWidget()
        if widget is None:
            return
        show_unread_in_tab(widget, widget.indexOf(self), self._unread)

    @property
    def unread_count(self) -> int:
        return self._unread

    def _update_counts(self, total: int) -> None:
        noun = "lead" if total == 1 else "leads"
        label = self.model.total_label if self.model.total_label.endswith("+") else f"{total:,}"
        self.count_label.setText(f"{label} {noun} · {self._unread:,} unread")
        self.update_empty_state()
        self.place.open_pending_lead()

    def update_empty_state(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            filtered = self.model.lead_filter != LeadFilter(account=self.model.lead_filter.account)
            self.empty_label.setText(
                "No lead matches these filters."
                if filtered
                else "No leads yet. They appear here as soon as someone fills in a form on one of your sites."
            )
        self.empty_label.setVisible(empty)
        self.table.setVisible(not empty)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._follow_store()
        self._update_tab_title()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.detail.flush_notes()
        super().closeEvent(event)


def _local_midnight(day: QDate) -> _dt.datetime:
    local = _dt.datetime(day.year(), day.month(), day.day()).astimezone()
    return local.astimezone(_dt.UTC)
