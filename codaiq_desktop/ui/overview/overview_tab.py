"""The Overview tab: every website of the active account, its traffic and leads, in one table.

Opening it is instant: the last figures are read from a small cache file (off the UI
thread) and shown with their time ("as of 14:02"). A refresh then lists the sites and
asks each one's analytics through a :class:`~codaiq_desktop.site_stats.QuotaPacer`: a few
requests in flight at once, never more than the key's remaining quota allows, so even a
Free plan's 10 requests a minute gets through hundreds of sites without a 429 — it waits
for the quota's reset instead and says so. Rows fill in as answers arrive ("38 of 212
sites updated"); a previous period already known is not asked for again.

Clicking a site's name opens it in the Analytics tab; clicking its lead count opens the
Leads tab filtered to it.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.ui.overview.overview_model import (
    COLUMN,
    COLUMNS,
    WEBSITE_ROLE,
    OverviewFilterModel,
    OverviewTableModel,
    OverviewTotalsModel,
)
from codaiq_desktop.ui.overview.sparkline_delegate import SparklineDelegate
from codaiq_desktop.ui.overview.totals_row import TotalsRow
from codaiq_desktop.ui.overview.warm_up import fetching_imported, start_warm_up
from codaiq_desktop.ui.common.widgets import tool_button
from codaiq_desktop.webhook_events import is_lead_event

if TYPE_CHECKING:
    import asyncio

    from codaiq_desktop.store import StoredEvent
    from codaiq_desktop.site_stats.figures_cache import FiguresCache
    from codaiq_desktop.site_stats.pacing import QuotaPacer
    from codaiq_desktop.site_stats.site_figures import FetchProgress, SiteFigures, SiteInfo
    from codaiq_desktop.ui.services import AppServices

log = logging.getLogger(__name__)

#: Figures older than this are refreshed when the tab is shown.
STALE_AFTER = timedelta(minutes=10)
#: Rows arriving within this many milliseconds are shown together (one re-sort, one repaint:
#: repainting a full table costs tens of milliseconds, so not on every answer).
FLUSH_MS = 250
#: Requests in flight at once, whatever the plan allows.
CONCURRENCY = 4
LEADS_RECOUNT_MS = 1000
WARM_UP_AFTER_MS = 1500
#: The tab refreshes by itself only when that takes at most this share of the requests left.
AUTO_REFRESH_SHARE = 0.5
#: The ranges offered (the API's); their labels. Kept here so building the tab at start-up
#: imports nothing of the API client (``site_stats`` is loaded when figures are first read).
RANGES = {"24h": "24 hours", "7d": "7 days", "30d": "30 days", "90d": "90 days"}


class OverviewTab(QWidget):
    """Every website of the active account; see the module docstring."""

    sig_open_analytics = Signal(str)
    """The user asked to see this website (id) in the Analytics tab."""

    sig_open_leads = Signal(str)
    """The user asked to see this website's (id) leads in the Leads tab."""

    sig_refreshed = Signal(object)
    """A refresh ended (a :class:`~codaiq_desktop.site_stats.FetchProgress`)."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._range = "7d"
        self._figures: dict[str, SiteFigures] = {}
        self._pending: list[SiteFigures] = []
        self._task: asyncio.Task[Any] | None = None
        self._leads_task: asyncio.Task[Any] | None = None
        self._cache_task: asyncio.Task[Any] | None = None
        self._as_of: datetime | None = None
        self._progress: FetchProgress | None = None
        self._progress_shown: FetchProgress | None = None
        self._waiting_until = 0.0
        self._shown_once = False
        self._skipped_cost: tuple[int, int] | None = None
        """(requests a refresh would take, requests left) when the tab chose not to refresh itself."""
        self.last_pacer: QuotaPacer | None = None

        # ----- controls ----------------------------------------------------------------
        self.range_buttons = QButtonGroup(self)
        ranges = QHBoxLayout()
        ranges.setSpacing(0)
        for key in RANGES:
            button = tool_button(key)
            button.setCheckable(True)
            button.setChecked(key == self._range)
            button.setToolTip(f"The last {RANGES[key]}, against the {RANGES[key]} before")
            button.setProperty("range", key)
            self.range_buttons.addButton(button)
            ranges.addWidget(button)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by name or domain")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter websites")
        self.show_filter = QComboBox()
        self.show_filter.setAccessibleName("Show")
        for label in ("All websites", "With figures", "Without figures", "With leads"):
            self.show_filter.addItem(label)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Ask the service for every site's figures again (paced under your plan's limit)")
        self.report_button = QPushButton("Client report…")
        self.report_button.setToolTip("A PDF report for the selected websites (all shown, if none is selected)")
        self.status = QLabel()
        self.status.setObjectName("overviewStatus")
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(220)
        policy = self.progress_bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # showing and hiding it must not re-lay out the table
        self.progress_bar.setSizePolicy(policy)
        self.progress_bar.setVisible(False)
        bar = QHBoxLayout()
        bar.addLayout(ranges)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.show_filter)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.report_button)
        bar.addWidget(self.progress_bar)
        bar.addWidget(self.status, 3)

        # ----- table and totals ----------------------------------------------------------
        self.model = OverviewTableModel(self)
        self.proxy = OverviewFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("overviewTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN["pageviews"], Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().setVisible(False)
        self.table.setItemDelegateForColumn(COLUMN["trend"], SparklineDelegate(self.table))
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for key, width in (
            ("name", 190),
            ("domain", 230),
            ("build", 70),
            ("trend", 120),
            ("leads", 120),
            ("note", 260),
        ):
            self.table.setColumnWidth(COLUMN[key], width)
        self.totals_model = OverviewTotalsModel(self)
        self.totals = TotalsRow(self.totals_model, self.table)
        self.totals.setObjectName("overviewTotals")
        self.empty_label = QLabel("")
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)

        # ----- wiring ------------------------------------------------------------------
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._leads_timer = QTimer(self)
        self._leads_timer.setSingleShot(True)
        self._leads_timer.setInterval(LEADS_RECOUNT_MS)
        self._leads_timer.timeout.connect(self.count_leads)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._update_status)

        self.range_buttons.buttonClicked.connect(lambda button: self.set_range(str(button.property("range"))))
        self.search.textChanged.connect(self._on_filter_text)
        self.show_filter.currentIndexChanged.connect(self._on_show_filter)
        self.refresh_button.clicked.connect(self.refresh)
        self.report_button.clicked.connect(self.open_report_dialog)
        self.table.clicked.connect(self._on_clicked)
        self.table.activated.connect(self._on_activated)
        # A batch of rows changes the totals once, not once per row.
        self._totals_timer = QTimer(self)
        self._totals_timer.setSingleShot(True)
        self._totals_timer.setInterval(0)
        self._totals_timer.timeout.connect(self._update_totals)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
            self.proxy.dataChanged,
        ):
            signal.connect(lambda *_args: self._totals_timer.start())
        services.sig_account_changed.connect(self._on_account_changed)
        services.sig_projects_changed.connect(self._on_projects_changed)
        services.sig_event_stored.connect(self._on_event_stored)
        if services.client is not None:
            self.load_cached()
        # The fetching code is imported by the first refresh; import it on a thread before
        # then, so that refresh does not spend tens of milliseconds importing on the UI thread
        # (not at once: a thread importing holds the GIL the window needs to show first).
        QTimer.singleShot(WARM_UP_AFTER_MS, self, start_warm_up)

    # ----- public --------------------------------------------------------------------
    @property
    def range(self) -> str:
        return self._range

    @property
    def as_of(self) -> datetime | None:
        """When the figures shown were fetched (from the cache until a refresh ends)."""
        return self._as_of

    def is_refreshing(self) -> bool:
        return self._task is not None and not self._task.done()

    def selected_website_ids(self) -> list[str]:
        """The selected rows' website ids, or every shown row's when none is selected."""
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if not rows:
            rows = set(range(self.proxy.rowCount()))
        ids = [self.proxy.index(row, 0).data(WEBSITE_ROLE) for row in sorted(rows)]
        return [website_id for website_id in ids if website_id]

    def set_range(self, key: str) -> None:
        if key not in RANGES:
            raise ValueError(f"Unknown range {key!r}")
        for button in self.range_buttons.buttons():
            button.setChecked(button.property("range") == key)
        if key == self._range:
            return
        self._cancel()
        self._range = key
        self._figures = {}
        self.model.set_figures([])
        self.load_cached(refresh_after=True)

    # ----- cache ---------------------------------------------------------------------
    def _cache(self) -> FiguresCache:
        from codaiq_desktop.site_stats.figures_cache import FiguresCache

        return FiguresCache(self._services.data_dir / "overview")

    def _account_key(self) -> str:
        account = self._services.account
        name = account.name if account is not None else ""
        if self._services.is_sandbox:
            return f"sandbox|{name}"
        return f"{account.base_url if account is not None else ''}|{name}"

    def load_cached(self, *, refresh_after: bool = False) -> Any:
        """Show the last figures saved for this account and range (read off the UI thread)."""
        if self._services.client is None:
            return None

        account_key, range_key, cache = self._account_key(), self._range, self._cache()

        def shown(result: tuple[list[SiteFigures], datetime | None]) -> None:
            if account_key != self._account_key() or range_key != self._range:
                return
            figures, saved_at = result
            if figures and not self._figures:
                self._figures = {_key(item, i): item for i, item in enumerate(figures)}
                self.model.set_figures(figures)
                self._as_of = _oldest(figures) or saved_at
                self.count_leads()
            self._update_status()
            stale = self._as_of is None or datetime.now(UTC) - self._as_of > STALE_AFTER
            if refresh_after:
                self.refresh()
            elif stale and self.isVisible():
                self.refresh_if_affordable()

        def failed(exc: BaseException) -> None:
            log.warning("Could not read the Overview's cache", exc_info=exc)
            if refresh_after or self.isVisible():
                self.refresh()

        self._cache_task = self._services.run(
            cache.load_async(account_key, range_key), on_success=shown, on_error=failed, owner=self
        )
        return self._cache_task

    # ----- refreshing ------------------------------------------------------------------
    def refresh(self, *, only_new: bool = False) -> Any:
        """Fetch every site's figures now (incremental: known previous periods are kept).

        ``only_new``: list the sites, but ask figures only for those without any yet (after
        a site was generated or changed: one request, not one per site).
        """
        client = self._services.client
        if client is None:
            return None
        self._cancel()
        self._skipped_cost = None
        self.refresh_button.setEnabled(False)
        self.progress_bar.setVisible(True)
        self.progress_bar.setRange(0, 0)
        self.status.setText("Listing websites…")
        self._task = self._services.run(
            self._refresh(client, self._range, self._account_key(), only_new),
            on_success=self._refresh_done,
            on_error=self._refresh_failed,
            owner=self,
        )
        self._task.add_done_callback(lambda _task: self._refresh_ended())
        return self._task

    async def _refresh(self, client: Any, range_key: str, account_key: str, only_new: bool = False) -> FetchProgress:

        await fetching_imported()
        from codaiq_desktop.site_stats.pacing import QuotaPacer
        from codaiq_desktop.site_stats.site_figures import SiteFigures, SiteFiguresFetcher

        pacer = QuotaPacer(concurrency=CONCURRENCY, on_wait=self._on_pacer_wait)
        self.last_pacer = pacer
        fetcher = SiteFiguresFetcher(client, pacer=pacer)
        sites = await fetcher.list_sites()
        if client is self._services.client:
            self._services.remember_projects(fetcher.last_projects)  # names for the other tabs
        known = {key: item for key, item in self._figures.items() if item.range == range_key}
        rows = []
        for site in sites:
            before = known.get(site.website_id or "")
            rows.append(replace(before, site=site) if before is not None else SiteFigures(site=site, range=range_key))
        self._figures = {_key(item, i): item for i, item in enumerate(rows)}
        self.model.set_figures(rows)
        self._show_empty(not rows)
        # Oldest figures first: a refresh cut short (a spent quota) updates the stalest rows.
        oldest = datetime.min.replace(tzinfo=UTC)
        order = sorted(
            sites, key=lambda s: (known.get(s.website_id or "") or SiteFigures(s, range_key)).fetched_at or oldest
        )
        if only_new:
            order = [site for site in order if _needs_figures(site, known.get(site.website_id or ""))]
        self.count_leads()
        progress = await fetcher.fetch_all(
            order, range_key, known=known, on_figures=self._queue_figures, on_progress=self._on_progress
        )
        self._flush()
        figures = list(self._figures.values())
        await self._cache().save_async(account_key, range_key, figures)
        self._as_of = _oldest(figures)
        return progress

    def _queue_figures(self, figures: SiteFigures) -> None:
        if figures.range != self._range:
            return
        self._figures[_key(figures, len(self._figures))] = figures
        self._pending.append(figures)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        """Show what arrived since the last flush: the figures, then the progress (a few times
        a second, not per site: each change repaints, and a progress bar repaints at once)."""
        self._flush_timer.stop()
        if self._pending:
            pending, self._pending = self._pending, []
            self.model.update_figures(pending)
        if self._progress_shown is not self._progress and self._progress is not None:
            progress = self._progress_shown = self._progress
            self.progress_bar.setRange(0, max(progress.total, 1))
            self.progress_bar.setValue(progress.done)
            self._update_status()

    def _on_progress(self, progress: FetchProgress) -> None:
        self._progress = progress
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _on_pacer_wait(self, resume_at: float) -> None:
        self._waiting_until = resume_at
        if resume_at:
            self._clock_timer.start()
        self._update_status()

    def _refresh_done(self, progress: FetchProgress) -> None:
        self._progress = progress
        self._update_status()
        self.count_leads()
        self.sig_refreshed.emit(progress)

    def _refresh_failed(self, exc: BaseException) -> None:
        message = self._services.describe_error(exc)
        self.status.setText(f"Not refreshed: {message}")
        if not self._figures:
            self._show_empty(True, f"The websites could not be listed. {message}")

    def _refresh_ended(self) -> None:
        self._waiting_until = 0.0
        self._clock_timer.stop()
        self.refresh_button.setEnabled(True)
        self.progress_bar.setVisible(False)

    def _cancel(self) -> None:
        for task in (self._task, self._leads_task):
            if task is not None and not task.done():
                task.cancel()
        self._pending = []
        self._flush_timer.stop()

    # ----- status line ---------------------------------------------------------------
    def _update_status(self) -> None:
        parts: list[str] = []
        progress = self._progress
        if self.is_refreshing() and progress is not None:
            parts.append(progress.text())
            if self._waiting_until:
                resume = datetime.fromtimestamp(self._waiting_until)
                parts.append(f"waiting for the API's rate limit until {resume:%H:%M:%S}")
        else:
            if self._as_of is not None:
                parts.append(f"as of {self._as_of.astimezone():%H:%M}")
            if self._skipped_cost is not None:
                cost, left = self._skipped_cost
                parts.append(
                    f"Refresh to update: it takes about {cost} requests and the API allows {left} more just now"
                )
            if progress is not None:
                if progress.stopped_reason:
                    parts.append(f"{progress.text()}. {progress.stopped_reason}")
                if progress.failed:
                    parts.append(f"{progress.failed} could not be updated (see their rows)")
        self.status.setText(" · ".join(parts))

    def _show_empty(self, empty: bool, text: str | None = None) -> None:
        self.empty_label.setText(text or "No website yet. Generate one in the Generate tab and it appears here.")
        self.empty_label.setVisible(empty)

    # ----- leads ---------------------------------------------------------------------
    def count_leads(self) -> Any:
        """Count each site's leads in its period from the local inbox (off the UI thread)."""
        from codaiq_desktop.site_stats.lead_counts import site_lead_counts
        from codaiq_desktop.site_stats.periods import Period

        reader = self._services.store_reader
        if reader is None:
            return None
        if self._leads_task is not None and not self._leads_task.done():
            self._leads_timer.start()  # one more count after this one
            return None
        now = datetime.now(UTC)
        periods: dict[str, Period] = {}
        for item in self._figures.values():
            if item.website_id:
                periods[item.website_id] = item.period or Period.ending(now, self._range)
        account = self._services.account_label

        def counted(counts: Any) -> None:
            self.model.set_lead_counts(counts)

        self._leads_task = self._services.run(
            reader.read(lambda store: site_lead_counts(store, list(periods), periods.get, account=account)),
            on_success=counted,
            on_error=lambda exc: log.warning("Could not count leads", exc_info=exc),
            owner=self,
        )
        return self._leads_task

    def _on_event_stored(self, event: StoredEvent) -> None:
        is_lead = is_lead_event(event.type)
        if is_lead and self._services.is_active_account_event(event) and not self._leads_timer.isActive():
            self._leads_timer.start()

    # ----- filter, totals, navigation ----------------------------------------------------
    def _on_filter_text(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_totals()  # at once: the totals row is part of what the filter shows

    def _on_show_filter(self, index: int) -> None:
        self.proxy.set_show(index)
        self._update_totals()

    def _update_totals(self, *_: object) -> None:
        self._totals_timer.stop()
        self.totals_model.set_rows(self.proxy.visible_rows())

    def _on_clicked(self, index: QModelIndex) -> None:
        website_id = index.data(WEBSITE_ROLE)
        if not website_id:
            return
        column = COLUMNS[index.column()][0]
        if column == "name":
            self.sig_open_analytics.emit(website_id)
        elif column == "leads":
            self.sig_open_leads.emit(website_id)

    def _on_activated(self, index: QModelIndex) -> None:
        website_id = index.data(WEBSITE_ROLE)
        if website_id and COLUMNS[index.column()][0] != "leads":
            self.sig_open_analytics.emit(website_id)

    def open_report_dialog(self) -> Any:
        from codaiq_desktop.ui.reports.report_dialog import ClientReportDialog

        dialog = ClientReportDialog(self._services, self.selected_website_ids(), range_key=self._range, parent=self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # ----- account and visibility -------------------------------------------------------
    def _on_account_changed(self, _account: Any) -> None:
        self._cancel()
        self._figures = {}
        self._as_of = None
        self._progress = None
        self.model.set_figures([])
        self._update_status()
        self.load_cached()

    def _on_projects_changed(self) -> None:
        # A site was generated, published or edited: list again, fetch only what is new.
        if self._services.client is not None and not self.is_refreshing():
            self.refresh(only_new=True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._shown_once:
            stale = self._as_of is None or datetime.now(UTC) - self._as_of > STALE_AFTER
            if stale and not self.is_refreshing() and self._services.client is not None:
                self.refresh_if_affordable()
            return
        self._shown_once = True
        if self._cache_task is None or self._cache_task.done():
            if not self._figures and self._services.client is not None:
                self.load_cached()
            elif self._as_of is None or datetime.now(UTC) - self._as_of > STALE_AFTER:
                self.refresh_if_affordable()

    def refresh_if_affordable(self) -> Any:
        """The tab's own refresh (shown with stale figures): skipped when figures are on screen
        already and it would take more than half of the requests the API says are left now —
        on a small plan those are the user's, for what they do next; Refresh still fetches."""
        info = self._services.rate_limit
        remaining = info.remaining if info is not None else None
        cost = len(self._figures) + 1
        if self._figures and remaining is not None and cost > remaining * AUTO_REFRESH_SHARE:
            self._skipped_cost = (cost, int(remaining))
            self._update_status()
            return None
        return self.refresh()

    def shutdown(self) -> None:
        self._cancel()


def _needs_figures(site: SiteInfo, known: SiteFigures | None) -> bool:
    """A site to ask about after a change: new, without figures yet, or built since."""
    return known is None or known.unavailable is not None or known.site.build_status != site.build_status


def _oldest(figures: list[SiteFigures]) -> datetime | None:
    """When the oldest figure shown was fetched: what "as of" may honestly claim."""
    times = [item.fetched_at for item in figures if item.fetched_at is not None]
    return min(times) if times else None


def _key(figures: SiteFigures, position: int) -> str:
    from codaiq_desktop.ui.overview.overview_model import row_key

    return row_key(figures, position)
