"""The Analytics tab: a website's traffic over a range, against the period before.

The change shown on each KPI card is computed from a second request for the
previous, equal window (``end`` = the start of the current one), never guessed:
a server that does not honour ``end`` (it does not echo it back) gets "previous
period unavailable". Refreshes happen on demand and every minute while the tab is
visible, spaced further apart when the server's rate-limit headers say so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.ui.analytics.analytics_charts import RankedBarChart, SeriesPoint, TimeSeriesChart
from codaiq_desktop.ui.analytics.analytics_csv import write_analytics_csv
from codaiq_desktop.ui.analytics.analytics_fetch import (
    AUTO_REFRESH_SECONDS,
    PREVIOUS_CACHE_SIZE,
    QUOTA_SHARE,
    RANGE_LABELS,
    RANGES,
    REQUESTS_PER_REFRESH,
    AnalyticsResult,
    fetch_analytics,
    missing_analytics,
    refresh_delay,
)
from codaiq_desktop.ui.analytics.kpi_cards import Change, KpiCard
from codaiq_desktop.ui.common.formatting import to_datetime
from codaiq_desktop.ui.common.widgets import tool_button

if TYPE_CHECKING:
    from codaiq_desktop.api.models import Analytics, Project, RateLimitInfo, Website
    from codaiq_desktop.ui.services import AppServices

__all__ = [
    "AUTO_REFRESH_SECONDS",
    "PREVIOUS_CACHE_SIZE",
    "QUOTA_SHARE",
    "RANGES",
    "RANGE_LABELS",
    "REQUESTS_PER_REFRESH",
    "AnalyticsResult",
    "AnalyticsTab",
    "Change",
    "KpiCard",
    "missing_analytics",
    "refresh_delay",
]


class AnalyticsTab(QWidget):
    """Website selector, range presets, KPI cards, charts and exports."""

    sig_refreshed = Signal(object)
    """A refresh finished and is shown (an :class:`AnalyticsResult`)."""

    PAGE_LOADING, PAGE_EMPTY, PAGE_ERROR, PAGE_CHARTS, PAGE_NO_SITE = range(5)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._task: Any = None
        self._result: AnalyticsResult | None = None
        self._range = "7d"
        self._next_refresh_at: float | None = None
        self._last_refresh_at = 0.0
        self._previous_cache: dict[tuple[str, str, str], Analytics] = {}
        """(website id, range, start of the current window) -> the previous window's analytics.
        A closed past window does not change, so switching ranges back and forth, or the
        minute's auto-refresh, costs one request instead of two (Refresh fetches both again)."""

        # ----- controls ------------------------------------------------------------
        self.website = QComboBox()
        self.website.setAccessibleName("Website")
        self.website.setMinimumWidth(220)
        self.range_buttons = QButtonGroup(self)
        self.range_buttons.setExclusive(True)
        ranges = QHBoxLayout()
        ranges.setSpacing(0)
        for key in RANGES:
            button = tool_button(key)
            button.setCheckable(True)
            button.setToolTip(f"The last {RANGE_LABELS[key]}")
            button.setChecked(key == self._range)
            button.setProperty("range", key)
            self.range_buttons.addButton(button)
            ranges.addWidget(button)
        self.refresh_button = QPushButton("Refresh")
        self.status = QLabel()
        self.status.setObjectName("analyticsStatus")
        # A line of its own under the bar: in the bar it was cut to its first word at the
        # usual window width, and a "Not refreshed: ..." must be read whole.
        self.status.setWordWrap(True)
        self.status.setProperty("muted", True)
        self.export_png_button = QPushButton("Export chart…")
        self.export_png_button.setToolTip("Save the chart as a PNG image")
        self.export_csv_button = QPushButton("Export data…")
        self.export_csv_button.setToolTip("Save the numbers behind the charts as CSV")
        self.report_button = QPushButton("Client report…")
        self.report_button.setToolTip("A PDF report of this website for a client")
        self.simulate_bar_button = tool_button(
            "Simulate traffic", tooltip="Ask the local sandbox to record 30 days of plausible visits for this site"
        )
        self.simulate_bar_button.setObjectName("simulateTrafficButton")
        self.simulate_bar_button.setVisible(False)
        self.reset_zoom_button = tool_button("Reset zoom")
        self.reset_zoom_button.setToolTip("Show the whole period again (wheel zooms, drag pans)")

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Website"))
        bar.addWidget(self.website, 1)
        bar.addLayout(ranges)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.simulate_bar_button)
        bar.addWidget(self.reset_zoom_button)
        bar.addWidget(self.export_png_button)
        bar.addWidget(self.export_csv_button)
        bar.addWidget(self.report_button)

        # ----- KPIs and charts -----------------------------------------------------------
        self.pageviews_card = KpiCard("Page views")
        self.visitors_card = KpiCard("Unique visitors")
        kpis = QHBoxLayout()
        kpis.addWidget(self.pageviews_card)
        kpis.addWidget(self.visitors_card)

        self.timeseries = TimeSeriesChart()
        self.top_pages = RankedBarChart("Top pages", "Page views")
        self.referrers = RankedBarChart("Referrers", "Visits")
        # What the service did not send is said in words: a blank chart would read as no traffic.
        self.missing_label = QLabel()
        self.missing_label.setObjectName("analyticsMissing")
        self.missing_label.setWordWrap(True)
        self.missing_label.setProperty("muted", True)
        self.missing_label.hide()
        self.chart_notes: dict[str, QLabel] = {}
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        charts_layout.addWidget(self.missing_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._with_note("timeseries", self.timeseries))
        bars = QWidget()
        bars_layout = QHBoxLayout(bars)
        bars_layout.setContentsMargins(0, 0, 0, 0)
        bars_layout.addWidget(self._with_note("top_pages", self.top_pages))
        bars_layout.addWidget(self._with_note("referrers", self.referrers))
        splitter.addWidget(bars)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        charts_layout.addWidget(splitter, 1)

        self.loading_label = _centered("Loading analytics…")
        self.empty_label = _centered("No visits yet — simulate traffic in the sandbox.")
        self.simulate_button = QPushButton("Simulate 30 days of traffic")
        self.simulate_button.setToolTip("Ask the local sandbox to record plausible visits for this site")
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.simulate_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(1)
        self.error_label = _centered("")
        self.retry_button = QPushButton("Try again")
        error = QWidget()
        error_layout = QVBoxLayout(error)
        error_layout.addStretch(1)
        error_layout.addWidget(self.error_label)
        error_layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)
        error_layout.addStretch(1)
        self.no_site_label = _centered("No website yet. Generate one in the Generate tab to see its traffic here.")

        self.stack = QStackedWidget()
        self.stack.addWidget(self.loading_label)
        self.stack.addWidget(empty)
        self.stack.addWidget(error)
        self.stack.addWidget(charts)
        self.stack.addWidget(self.no_site_label)
        self.stack.setCurrentIndex(self.PAGE_NO_SITE)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addLayout(kpis)
        layout.addWidget(self.stack, 1)

        # ----- timers and wiring ---------------------------------------------------------
        self._auto_timer = QTimer(self)
        self._auto_timer.setSingleShot(True)
        self._auto_timer.timeout.connect(self._auto_refresh)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(1000)
        self._status_timer.timeout.connect(self._update_status)

        self.website.currentIndexChanged.connect(lambda _i: self.refresh())
        self.range_buttons.buttonClicked.connect(lambda button: self.set_range(str(button.property("range"))))
        self.refresh_button.clicked.connect(self.refresh_all)
        self.retry_button.clicked.connect(self.refresh)
        self.simulate_bar_button.clicked.connect(self.simulate_traffic)
        self.website.currentIndexChanged.connect(lambda _i: self._sync_simulate())
        self.reset_zoom_button.clicked.connect(self.timeseries.reset_view)
        self.export_png_button.clicked.connect(self._choose_png)
        self.export_csv_button.clicked.connect(self._choose_csv)
        self.simulate_button.clicked.connect(self.simulate_traffic)
        self.report_button.clicked.connect(self.open_report_dialog)
        services.sig_account_changed.connect(self._on_account_changed)
        services.sig_projects_changed.connect(self.load_websites)
        services.sig_rate_limit.connect(self._on_rate_limit)
        services.sig_rate_limit_wait.connect(self._on_rate_limit)
        self._update_exports()
        if services.client is not None:
            self.load_websites()

    def _with_note(self, key: str, chart: QWidget) -> QWidget:
        """``chart`` with a note in its place for when the service did not send its data."""
        note = _centered("")
        note.setObjectName(f"analyticsNote_{key}")
        note.setProperty("muted", True)
        note.hide()
        self.chart_notes[key] = note
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(chart, 1)
        layout.addWidget(note, 1)
        return box

    def _show_chart_or_note(self, key: str, chart: QWidget, provided: bool, what: str) -> None:
        note = self.chart_notes[key]
        note.setText(f"{what}: not provided by the service.")
        note.setVisible(not provided)
        chart.setVisible(provided)

    # ----- websites ---------------------------------------------------------------------
    def load_websites(self) -> None:
        """Fill the website choice (shares one projects request with the other tabs)."""
        if self._services.client is None:
            return
        self._services.run(
            self._services.load_projects(), on_success=self._on_projects, on_error=self._show_error, owner=self
        )

    def _on_projects(self, projects: list[Project]) -> None:
        sites = [
            (website.id, _site_label(website, project))
            for project in projects
            for website in project.websites
            if website.id is not None  # analytics are asked for by website id
        ]
        unnamed = sum(1 for project in projects for website in project.websites if website.id is None)
        self.website.setToolTip(
            f"{unnamed} website{'s' if unnamed != 1 else ''} the service listed without an id "
            f"{'are' if unnamed != 1 else 'is'} not here: analytics need a website id."
            if unnamed
            else ""
        )
        self.no_site_label.setText(
            "No website with an id yet. The service lists websites without ids; analytics need one, which this "
            "app keeps for the sites generated here. Generate one in the Generate tab."
            if unnamed
            else "No website yet. Generate one in the Generate tab to see its traffic here."
        )
        current = self.website.currentData()
        self.website.blockSignals(True)
        self.website.clear()
        for site_id, label in sites:
            self.website.addItem(label, site_id)
        found = self.website.findData(current)
        self.website.setCurrentIndex(found if found >= 0 else (0 if sites else -1))
        self.website.blockSignals(False)
        self._sync_simulate()
        if not sites:
            self.stack.setCurrentIndex(self.PAGE_NO_SITE)
            self._show_kpis(None)
        elif self.website.currentData() != current or self._result is None:
            self.refresh()

    def select_website(self, website_id: str) -> bool:
        """Show ``website_id`` (when the list has it); True if selected."""
        found = self.website.findData(website_id)
        if found < 0:
            return False
        if found == self.website.currentIndex():
            self.refresh()
        else:
            self.website.setCurrentIndex(found)
        return True

    def _on_account_changed(self, _account: Any) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._result = None
        self._previous_cache.clear()
        self.website.blockSignals(True)
        self.website.clear()
        self.website.blockSignals(False)
        self._sync_simulate()
        self._show_kpis(None)
        self.stack.setCurrentIndex(self.PAGE_NO_SITE)
        self._update_exports()
        self.load_websites()

    # ----- fetching ---------------------------------------------------------------------
    @property
    def range(self) -> str:
        return self._range

    def set_range(self, key: str) -> None:
        if key not in RANGES:
            raise ValueError(f"Unknown range {key!r}")
        self._range = key
        for button in self.range_buttons.buttons():
            button.setChecked(button.property("range") == key)
        self.refresh()

    def refresh(self) -> Any:
        """Fetch the selected website's numbers now; returns the task (or None)."""
        client = self._services.client
        website_id = self.website.currentData()
        if client is None or not website_id:
            return None
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._auto_timer.stop()
        if self._result is None or self._result.website_id != website_id or self._result.range != self._range:
            self.stack.setCurrentIndex(self.PAGE_LOADING)
            self._show_kpis(None)
        self.status.setText("Refreshing…")
        self._task = self._services.run(
            self._fetch(client, str(website_id), self._range, self._previous_cache),
            on_success=self._show_result,
            on_error=self._show_error,
            owner=self,
        )
        return self._task

    def refresh_all(self) -> Any:
        """The Refresh button: both windows fetched again (nothing from the cache)."""
        self._previous_cache.clear()
        return self.refresh()

    def _sync_simulate(self) -> None:
        self.simulate_bar_button.setVisible(self._services.is_sandbox and bool(self.website.currentData()))

    _fetch = staticmethod(fetch_analytics)

    def _show_result(self, result: AnalyticsResult) -> None:
        if result.website_id != self.website.currentData() or result.range != self._range:
            return
        self._result = result
        current = result.current
        self._show_kpis(result)
        points = [
            SeriesPoint(
                to_datetime(point.date) or result.fetched_at, int(point.pageviews or 0), int(point.unique_visitors or 0)
            )
            for point in current.timeseries or ()
        ]
        self.timeseries.set_points(points, hourly=result.range == "24h")
        self.top_pages.set_items([(page.path, int(page.pageviews)) for page in current.top_pages or ()])
        self.referrers.set_items([(ref.source or "Direct", int(ref.visits)) for ref in current.referrers or ()])
        self._show_chart_or_note("timeseries", self.timeseries, current.timeseries is not None, "Page views over time")
        self._show_chart_or_note("top_pages", self.top_pages, current.top_pages is not None, "Top pages")
        self._show_chart_or_note("referrers", self.referrers, current.referrers is not None, "Referrers")
        missing = missing_analytics(current)
        self.missing_label.setText(
            f"Total page views are shown. Not provided by the service: {', '.join(missing)}." if missing else ""
        )
        self.missing_label.setVisible(bool(missing))
        if int(current.total_pageviews or 0) == 0:
            self.empty_label.setText(
                "No visits yet — simulate traffic in the sandbox."
                if self._services.is_sandbox
                else "No visits in this period yet. Share the site's address to get its first visitors."
            )
            self.simulate_button.setVisible(self._services.is_sandbox)
            self.stack.setCurrentIndex(self.PAGE_EMPTY)
        else:
            self.stack.setCurrentIndex(self.PAGE_CHARTS)
        self._update_exports()
        self._schedule_auto_refresh()
        self.sig_refreshed.emit(result)

    def _show_kpis(self, result: AnalyticsResult | None) -> None:
        if result is None:
            self.pageviews_card.show_value(None, None)
            self.visitors_card.show_value(None, None)
            return
        current, previous = result.current, result.previous
        reason = result.previous_error
        views = int(current.total_pageviews or 0)
        self.pageviews_card.show_value(
            views, Change(views, None if previous is None else int(previous.total_pageviews or 0), reason)
        )
        if current.unique_visitors is None:
            self.visitors_card.show_value(None, Change(0, None, "Unique visitors: not provided by the service"))
        else:
            visitors = int(current.unique_visitors)
            before = None if previous is None or previous.unique_visitors is None else int(previous.unique_visitors)
            self.visitors_card.show_value(visitors, Change(visitors, before, reason))

    def _show_error(self, exc: BaseException) -> None:
        message = self._services.describe_error(exc)
        retry_after = getattr(exc, "retry_after", None)
        if self._result is not None and self._result.website_id == self.website.currentData():
            # Keep the numbers on screen; say why they are not fresher.
            self.status.setText(f"Not refreshed: {message}")
        else:
            self.error_label.setText(f"The analytics could not be loaded. {message}")
            self.stack.setCurrentIndex(self.PAGE_ERROR)
            self.status.setText("")
        self._schedule_auto_refresh(minimum=float(retry_after) if retry_after else 0.0)

    # ----- periodic refresh ---------------------------------------------------------------
    def _schedule_auto_refresh(self, minimum: float = 0.0) -> None:
        self._last_refresh_at = time.monotonic()
        if not self.isVisible():
            return
        delay = max(minimum, refresh_delay(self._services.rate_limit, resume_at=self._services.resume_at))
        self._start_auto_timer(delay)

    def _start_auto_timer(self, delay: float) -> None:
        self._next_refresh_at = time.monotonic() + delay
        self._auto_timer.start(int(max(delay, 0.0) * 1000))
        self._status_timer.start()
        self._update_status()

    @property
    def next_refresh_in(self) -> float | None:
        """Seconds to the next automatic refresh (None when none is planned)."""
        if not self._auto_timer.isActive() or self._next_refresh_at is None:
            return None
        return max(0.0, self._next_refresh_at - time.monotonic())

    def _on_rate_limit(self, _info: RateLimitInfo) -> None:
        """Other requests used quota (or a 429 came): push the next refresh back if needed."""
        if self._next_refresh_at is None or not self._auto_timer.isActive():
            return
        wanted = refresh_delay(self._services.rate_limit, resume_at=self._services.resume_at)
        wanted_at = self._last_refresh_at + wanted
        if wanted_at > self._next_refresh_at + 1.0:
            self._start_auto_timer(wanted_at - time.monotonic())

    def _auto_refresh(self) -> None:
        if self.isVisible():
            self.refresh()

    def _update_status(self) -> None:
        if self._task is not None and not self._task.done():
            return
        if self.status.text().startswith("Not refreshed"):
            return
        parts = []
        if self._result is not None:
            parts.append(f"Updated {self._result.fetched_at.astimezone().strftime('%H:%M:%S')}")
        remaining = self.next_refresh_in
        if remaining is not None:
            parts.append(f"next in {int(remaining)} s")
        self.status.setText(" · ".join(parts))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._task is not None and not self._task.done():
            return  # a fetch is on its way
        if self._result is None and not self._last_refresh_at:
            self.refresh()  # never fetched: now
        elif not self._auto_timer.isActive():
            # Back on screen: refresh now if the numbers are due, else when they will be.
            delay = refresh_delay(self._services.rate_limit, resume_at=self._services.resume_at)
            due_in = self._last_refresh_at + delay - time.monotonic()
            if due_in <= 0:
                self.refresh()
            else:
                self._start_auto_timer(due_in)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        # Hidden tabs do not spend the user's quota.
        self._auto_timer.stop()
        self._status_timer.stop()

    # ----- exports ------------------------------------------------------------------------
    def _update_exports(self) -> None:
        has_data = self._result is not None
        self.export_png_button.setEnabled(has_data)
        self.export_csv_button.setEnabled(has_data)

    def _choose_png(self) -> None:
        self._choose("Export chart", "png", "PNG images (*.png)", self.export_png)

    def _choose_csv(self) -> None:
        self._choose("Export analytics data", "csv", "CSV files (*.csv)", self.export_csv)

    def _choose(self, title: str, suffix: str, pattern: str, write: Callable[[Path], Any]) -> None:
        if self._result is None:
            return
        suggested = Path.home() / f"analytics-{self._result.website_id}-{self._result.range}.{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, title, str(suggested), pattern)
        if path:
            try:
                write(Path(path))
            except OSError as exc:
                self.status.setText(f"Not saved: {self._services.describe_error(exc)}")
            else:
                self.status.setText(f"Saved {Path(path).name}")

    def export_png(self, path: Path) -> None:
        """The KPI cards and charts as they are on screen, as a PNG."""
        target = self.stack.currentWidget() or self.stack
        if not target.grab().save(str(path), "PNG"):
            raise OSError(f"Could not write {path}")

    def export_csv(self, path: Path) -> int:
        """The numbers behind the charts: the series, then top pages and referrers. Returns rows."""
        if self._result is None:
            return 0
        return write_analytics_csv(self._result.current, path)

    def open_report_dialog(self) -> Any:
        """The Client report dialog for the website shown."""
        from codaiq_desktop.ui.reports.report_dialog import ClientReportDialog

        website_id = self.website.currentData()
        dialog = ClientReportDialog(
            self._services, [str(website_id)] if website_id else [], range_key=self._range, parent=self
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # ----- sandbox ------------------------------------------------------------------------
    def simulate_traffic(self) -> Any:
        """Ask the local sandbox for 30 days of plausible visits, then refresh."""
        client = self._services.client
        website_id = self.website.currentData()
        if client is None or not website_id or not self._services.is_sandbox:
            return None
        self.simulate_button.setEnabled(False)
        self.simulate_bar_button.setEnabled(False)

        async def simulate() -> int:
            from codaiq_desktop.api.sandbox_admin import SandboxAdminClient

            async with SandboxAdminClient(client.base_url, client.api_key.reveal()) as sandbox:
                return await sandbox.simulate_traffic(website_id, days=30)

        def done(_views: int) -> None:
            self.simulate_button.setEnabled(True)
            self.simulate_bar_button.setEnabled(True)
            self.refresh_all()  # the simulated visits fill past windows too

        def failed(exc: BaseException) -> None:
            self.simulate_button.setEnabled(True)
            self.simulate_bar_button.setEnabled(True)
            self.status.setText(f"Traffic was not simulated: {self._services.describe_error(exc)}")
            self.empty_label.setText(f"The sandbox did not simulate traffic: {self._services.describe_error(exc)}")

        return self._services.run(simulate(), on_success=done, on_error=failed, owner=self)

    # ----- for the main window's "Refresh" ----------------------------------------------------
    def result(self) -> AnalyticsResult | None:
        return self._result


def _site_label(website: Website, project: Project) -> str:
    """ "Site name" or "Site name — Project name" when the two differ."""
    name = website.name or website.domain or website.id or ""
    project_name = project.name or ""
    return name if not project_name or project_name == name else f"{name} — {project_name}"


def _centered(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label
