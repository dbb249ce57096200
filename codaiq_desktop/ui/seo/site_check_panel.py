"""Projects › Details › Site check: run the check on the selected site and show what it found.

The check runs as a task on the app's loop (HTTP with httpx, the accessibility audit in a
hidden Qt WebEngine page, the history file on a worker thread), so the window never waits
for it; Cancel stops it where it is. Results are grouped by page, errors first, and
axe-core's accessibility findings by impact. The last run of each site is read back when
the site is selected, and a new run says what is new and what was fixed since then.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.site_check import (
    ERROR,
    INFO,
    WARNING,
    CheckHistory,
    ExportedZip,
    Finding,
    ServedSite,
    SiteCheckError,
    SiteReport,
    SiteSource,
    check_site,
)
from codaiq_desktop.site_check.findings import AXE_IMPACTS
from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.ui.shell.theme import icon, theme_manager
from codaiq_desktop.ui.common.widgets import MessageBanner, restyle

log = logging.getLogger(__name__)

FindingRole = Qt.ItemDataRole.UserRole + 1
_SEVERITY_WORDS = {ERROR: "Error", WARNING: "Warning", INFO: "Note"}
_SEVERITY_COLOURS = {ERROR: "danger", WARNING: "warning", INFO: "muted"}


def site_key(website: Any) -> str:
    """What the site's checks are kept under: its id, or its domain when the service sent no id."""
    return str(website.id or website.domain or website.name or "unnamed-site")


class SiteCheckPanel(QWidget):
    """The Check site button, its progress, and the findings of the last run for the shown website."""

    sig_checked = Signal(object)
    """A check finished; carries the ``SiteReport`` (with what changed since the last run)."""

    def __init__(self, services: AppServices, parent: QWidget | None = None, *, accessibility: bool = True) -> None:
        super().__init__(parent)
        self.services = services
        self.accessibility = accessibility
        self.history = CheckHistory(Path(services.data_dir) / "site-checks")
        self.website: Any = None
        self.site_url: str | None = None
        self.report: SiteReport | None = None
        self._task: asyncio.Task[Any] | None = None
        self._history_task: asyncio.Task[Any] | None = None

        self.check_button = QPushButton(icon("check"), "Check site")
        self.check_button.setObjectName("checkSiteButton")
        self.check_button.setToolTip(
            "Read the site's pages and check titles, headings, images, links, forms, "
            "Open Graph tags, page weight and accessibility"
        )
        self.check_button.clicked.connect(self.start_check)
        menu = QMenu(self)
        self.zip_action = menu.addAction("Check an exported ZIP\u2026")
        self.zip_action.triggered.connect(self.choose_zip)
        self.more_button = QPushButton("More")
        self.more_button.setToolTip("More ways to check")
        self.more_button.setAccessibleName("More ways to check")
        self.more_button.setMenu(menu)
        self.cancel_button = QPushButton(icon("stop"), "Cancel")
        self.cancel_button.setObjectName("cancelSiteCheckButton")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("siteCheckStatus")
        self.status_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.more_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.status_label, 1)

        self.banner = MessageBanner()
        self.banner.setObjectName("siteCheckBanner")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("siteCheckSummary")
        self.summary_label.setWordWrap(True)
        self.changes_label = QLabel()
        self.changes_label.setObjectName("siteCheckChanges")
        self.changes_label.setWordWrap(True)
        self.changes_label.setProperty("muted", True)

        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Finding", "Element", "From"])
        self.tree = QTreeView()
        self.tree.setObjectName("siteCheckResults")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setMinimumHeight(220)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().resizeSection(1, 220)
        self.tree.header().setStretchLastSection(False)
        self.tree.selectionModel().currentChanged.connect(self._show_detail)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("siteCheckDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.changes_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail_label)
        theme_manager().sig_theme_changed.connect(self._recolour)
        self.show_website(None, None)

    def _recolour(self, _theme: str) -> None:
        if self.report is not None:
            self._fill(self.report)

    # ------------------------------------------------------------------ the website shown
    def show_website(self, website: Any, site_url: str | None) -> None:
        """Show ``website``'s last stored check (read off the UI thread); a running check is cancelled."""
        same = website is not None and self.website is not None and site_key(website) == site_key(self.website)
        self.site_url = site_url
        if same:
            self.website = website
            self._sync()
            return
        self.cancel()
        self.website = website
        self.report = None
        self.banner.hide()
        self._fill(None)
        self.status_label.clear()
        if website is None:
            self.summary_label.setText("Select a website to check it.")
        else:
            self.summary_label.setText(
                "Not checked yet. Check site reads the served pages and lists what to fix before the client sees them."
            )
            if self._history_task is not None:
                self._history_task.cancel()
            website_id = site_key(website)
            self._history_task = self.services.run(
                self.history.latest_async(website_id),
                on_success=lambda report: self._stored_loaded(website_id, report),
                on_error=lambda exc: log.warning("Could not read the site-check history: %s", exc),
                owner=self,
            )
        self._sync()

    def _stored_loaded(self, website_id: str, report: SiteReport | None) -> None:
        if report is None or self.website is None or site_key(self.website) != website_id or self.is_running:
            return
        self._show_report(report, stored=True)

    # ------------------------------------------------------------------ running
    @property
    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start_check(self) -> None:
        """Check the served site (on the sandbox, the copy it serves; otherwise the live domain)."""
        if self.website is None or self.is_running:
            return
        if not self.site_url:
            self.banner.show_message(
                "This website has no address yet, so there is nothing to read. Check an exported ZIP instead (\u25be).",
                "warning",
            )
            return
        try:
            source = ServedSite(self.site_url)
        except SiteCheckError as exc:
            self.banner.show_message(str(exc), "error")
            return
        self._run(source)

    def choose_zip(self) -> None:
        if self.website is None or self.is_running:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Check an exported site", str(Path.home()), "ZIP archives (*.zip)")
        if path:
            self.check_zip(Path(path))

    def check_zip(self, path: Path) -> None:
        """Check an exported ZIP of the shown website (read on a worker thread)."""
        if self.website is None or self.is_running:
            return

        async def open_zip() -> SiteSource:
            return await ExportedZip.open_async(path)

        self._run(open_zip())

    def _run(self, source: SiteSource | Any) -> None:
        website = self.website
        accessibility = self.accessibility

        async def run() -> SiteReport:
            opened: SiteSource = source if not asyncio.iscoroutine(source) else await source
            audit = None
            if accessibility:
                from codaiq_desktop.ui.seo.axe_audit import AxeAuditSession

                audit = AxeAuditSession()  # fed page by page while the crawl runs
            try:
                report = await check_site(
                    opened,
                    website_id=site_key(website),
                    seo_title=website.seo_title,
                    seo_description=website.seo_description,
                    audit=audit,
                    progress=self._progress,
                )
            finally:
                await opened.aclose()
            return await self.history.record_async(report)

        self.banner.hide()
        self.status_label.setText("Starting\u2026")
        self._task = self.services.run(run(), on_success=self._finished, on_error=self._failed, owner=self)
        self._task.add_done_callback(lambda _t: self._sync())
        self._sync()

    def cancel(self) -> None:
        if self.is_running and self._task is not None:
            self._task.cancel()
            self.status_label.setText("Check cancelled.")
        self._sync()

    def _progress(self, text: str) -> None:
        self.status_label.setText(text)

    def _finished(self, report: SiteReport) -> None:
        self.status_label.clear()
        self._show_report(report, stored=False)
        self.sig_checked.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.status_label.clear()
        message = str(exc) if isinstance(exc, SiteCheckError) else self.services.describe_error(exc)
        if not isinstance(exc, SiteCheckError):
            log.error("The site check failed", exc_info=exc)
        self.banner.show_message(f"The site could not be checked. {message}", "error")

    def _sync(self) -> None:
        running = self.is_running
        has_site = self.website is not None
        self.check_button.setEnabled(has_site and not running)
        self.more_button.setEnabled(has_site and not running)
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)

    # ------------------------------------------------------------------ results
    def _show_report(self, report: SiteReport, *, stored: bool) -> None:
        self.report = report
        errors, warnings = report.count(ERROR), report.count(WARNING)
        when = report.checked_at.replace("T", " ").replace("Z", " UTC")
        accessibility = {"checked": "accessibility checked with axe-core", "skipped": "accessibility not checked"}.get(
            report.accessibility, f"accessibility {report.accessibility}"
        )
        verdict = (
            "No errors: ready for the client."
            if errors == 0 and warnings == 0
            else "No errors; the warnings are worth a look."
            if errors == 0
            else f"{errors} error{'s' if errors != 1 else ''} to fix before the client sees the site."
        )
        prefix = f"Last checked {when}" if stored else f"Checked {when} in {report.duration_seconds:.1f} s"
        self.summary_label.setText(f"{verdict} {report.summary()} {prefix} ({report.source}; {accessibility}).")
        self.summary_label.setProperty("hint", "error" if errors else "warning" if warnings else "ok")
        restyle(self.summary_label)
        changes = report.changes
        if changes is not None:
            self.changes_label.setText(changes.summary())
            self.changes_label.show()
        else:
            self.changes_label.setVisible(not stored)
            self.changes_label.setText("First check of this site: the next one will say what changed.")
        self._fill(report)

    def _fill(self, report: SiteReport | None) -> None:
        self.model.removeRows(0, self.model.rowCount())
        self.detail_label.clear()
        if report is None:
            return
        new = {f.fingerprint for f in report.changes.new} if report.changes is not None else set()
        for page in report.pages:
            counts = []
            for severity in (ERROR, WARNING, INFO):
                count = sum(1 for f in page.findings if f.severity == severity)
                if count:
                    counts.append(f"{count} {_SEVERITY_WORDS[severity].lower()}{'s' if count != 1 else ''}")
            weight = f"{page.weight_bytes / 1000:.0f} kB"
            title = page.title or "(no title)"
            page_item = QStandardItem(f"{page.path} \u2014 {title}")
            page_item.setToolTip(page.url)
            summary = QStandardItem(", ".join(counts) if counts else "no findings")
            page_row = [page_item, summary, QStandardItem(weight)]
            static = [f for f in page.findings if f.impact is None]
            axe = [f for f in page.findings if f.impact is not None]
            for finding in static:
                page_item.appendRow(self._finding_row(finding, finding.fingerprint in new))
            if axe:
                group = QStandardItem(f"Accessibility (axe-core): {len(axe)} finding{'s' if len(axe) != 1 else ''}")
                for impact in AXE_IMPACTS:
                    of_impact = [f for f in axe if f.impact == impact]
                    if not of_impact:
                        continue
                    impact_item = QStandardItem(f"{impact.capitalize()} ({len(of_impact)})")
                    impact_item.setForeground(self._colour(ERROR if impact in ("critical", "serious") else WARNING))
                    for finding in of_impact:
                        impact_item.appendRow(self._finding_row(finding, finding.fingerprint in new))
                    group.appendRow([impact_item, QStandardItem(""), QStandardItem("")])
                page_item.appendRow([group, QStandardItem(""), QStandardItem("")])
            if any(f.severity == ERROR for f in page.findings):
                page_item.setForeground(self._colour(ERROR))
            self.model.appendRow(page_row)
        if report.changes is not None and report.changes.fixed:
            fixed = QStandardItem(f"Fixed since the last check ({len(report.changes.fixed)})")
            fixed.setForeground(self._colour("ok"))
            for finding in report.changes.fixed:
                row = self._finding_row(finding, False)
                row[0].setText(f"{finding.page}: {row[0].text()}")
                fixed.appendRow(row)
            self.model.appendRow([fixed, QStandardItem(""), QStandardItem("")])
        self.tree.expandAll()  # a site has a handful of pages and findings: show them all

    def _finding_row(self, finding: Finding, is_new: bool) -> list[QStandardItem]:
        word = _SEVERITY_WORDS.get(finding.severity, finding.severity)
        text = f"{word}: {finding.message}"
        if is_new:
            text = f"[new] {text}"
        item = QStandardItem(text)
        item.setData(finding, FindingRole)
        item.setForeground(self._colour(finding.severity))
        item.setToolTip(f"{finding.message}\n\nFix: {finding.fix}\n\n{finding.origin_note}")
        element = QStandardItem(finding.element or "the page")
        element.setToolTip(finding.element)
        origin = QStandardItem(
            {"generator": "generator", "edits": "your edits", "server": "serving"}.get(finding.origin, finding.origin)
        )
        origin.setToolTip(finding.origin_note)
        return [item, element, origin]

    def _colour(self, severity: str) -> QColor:
        role = {"ok": "success"}.get(severity, _SEVERITY_COLOURS.get(severity, "text"))
        return theme_manager().color(role)

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        finding = current.siblingAtColumn(0).data(FindingRole)
        if not isinstance(finding, Finding):
            self.detail_label.clear()
            return
        self.detail_label.setText(
            f"{finding.message}\nElement: {finding.element or 'the page'} on {finding.page}\n"
            f"How to fix: {finding.fix}\n{finding.origin_note}"
        )

    def findings_shown(self) -> list[Finding]:
        """Every finding in the results tree (for tests and for copying)."""
        found: list[Finding] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                finding = index.data(FindingRole)
                if isinstance(finding, Finding):
                    found.append(finding)
                walk(index)

        walk(QModelIndex())
        return found
