"""File › Client report…: choose sites, period, paper and branding; the PDF is made in the background.

The PDF is drawn by the same ``codaiq-desktop report`` command a cron job runs, started as
a child process: drawing a multi-page report takes a few hundred milliseconds per site,
which the window must not spend frozen. The API key reaches the child in its environment
(never on its command line, which other users can list); the agency name and logo are
remembered for next time.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.childproc import own_command_line
from codaiq_desktop.site_stats.periods import RANGE_LABELS, RANGE_SPANS

if TYPE_CHECKING:
    from codaiq_desktop.ui.analytics.analytics_tab import AnalyticsTab
    from codaiq_desktop.ui.overview.overview_tab import OverviewTab
    from codaiq_desktop.ui.services import AppServices
    from codaiq_desktop.ui.shell.main_window import MainWindow

AGENCY_NAME_KEY = "reports/agency_name"
LOGO_KEY = "reports/logo"
PAGE_SIZE_KEY = "reports/page_size"


class ClientReportDialog(QDialog):
    """Options for a client report, and the run that writes it."""

    def __init__(
        self, services: AppServices, website_ids: list[str], *, range_key: str = "30d", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Client report")
        self.setObjectName("clientReportDialog")
        self._services = services
        self._task: asyncio.Task[Any] | None = None
        self.output_path: Path | None = None
        settings = services.settings

        self.sites = QListWidget()
        self.sites.setAccessibleName("Websites in the report")
        names = services.website_names or {}
        chosen = set(website_ids)
        # The chosen sites first, then the others by name.
        for website_id, name in sorted(names.items(), key=lambda item: (item[0] not in chosen, item[1].casefold())):
            item = QListWidgetItem(f"{name}  ({website_id})")
            item.setData(Qt.ItemDataRole.UserRole, website_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if website_id in chosen else Qt.CheckState.Unchecked)
            self.sites.addItem(item)
        for website_id in website_ids:
            if website_id not in names:
                item = QListWidgetItem(website_id)
                item.setData(Qt.ItemDataRole.UserRole, website_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                self.sites.addItem(item)

        self.range = QComboBox()
        for key in RANGE_SPANS:
            self.range.addItem(f"{RANGE_LABELS[key]} ({key})", key)
        self.range.setCurrentIndex(max(0, self.range.findData(range_key)))
        self.current_period = QCheckBox("The current period (up to now)")
        self.current_period.setChecked(True)
        self.end_date = QDateEdit(QDate.currentDate().addDays(-1))
        self.end_date.setCalendarPopup(True)
        self.end_date.setDisplayFormat("yyyy-MM-dd")
        self.end_date.setToolTip("The last day the report covers (UTC)")
        self.end_date.setEnabled(False)
        self.current_period.toggled.connect(lambda on: self.end_date.setEnabled(not on))
        self.page_size = QComboBox()
        self.page_size.addItem("A4", "a4")
        self.page_size.addItem("Letter", "letter")
        self.page_size.setCurrentIndex(max(0, self.page_size.findData(settings.value(PAGE_SIZE_KEY, "a4"))))
        self.agency_name = QLineEdit(str(settings.value(AGENCY_NAME_KEY, "") or ""))
        self.agency_name.setPlaceholderText("Your agency's name, on the cover")
        self.logo = QLineEdit(str(settings.value(LOGO_KEY, "") or ""))
        self.logo.setPlaceholderText("PNG, JPEG or SVG (optional)")
        logo_button = QPushButton("Choose…")
        logo_button.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(logo_button)
        self.include_leads = QCheckBox("List each lead's name and contact details (personal data)")
        suggested = Path.home() / f"client-report-{range_key}.pdf"
        self.output = QLineEdit(str(suggested))
        output_button = QPushButton("Choose…")
        output_button.clicked.connect(self._choose_output)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output, 1)
        output_row.addWidget(output_button)

        form = QFormLayout()
        form.addRow("Websites", self.sites)
        form.addRow("Period", self.range)
        form.addRow("", self.current_period)
        form.addRow("Last day", self.end_date)
        form.addRow("Paper", self.page_size)
        form.addRow("Agency", self.agency_name)
        form.addRow("Logo", logo_row)
        form.addRow("Leads", self.include_leads)
        form.addRow("Save as", output_row)

        self.result_label = QLabel("")
        self.result_label.setObjectName("reportResult")
        self.result_label.setWordWrap(True)
        self.open_button = QPushButton("Open PDF")
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(self._open_pdf)
        self.buttons = QDialogButtonBox()
        self.generate_button = self.buttons.addButton("Create PDF", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.generate_button.clicked.connect(self.generate)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.open_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.resize(620, 560)

    # ----- choices -----------------------------------------------------------------------
    def chosen_website_ids(self) -> list[str]:
        return [
            str(self.sites.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.sites.count())
            if self.sites.item(row).checkState() == Qt.CheckState.Checked
        ]

    def arguments(self) -> list[str]:
        """The ``report`` command's arguments for the choices made (no key: that goes in the environment)."""
        args = [
            "report",
            *self.chosen_website_ids(),
            "--range",
            str(self.range.currentData()),
            "-o",
            self.output.text().strip(),
        ]
        args += ["--page-size", str(self.page_size.currentData())]
        if not self.current_period.isChecked():
            args += ["--end", self.end_date.date().toString("yyyy-MM-dd")]
        if self.agency_name.text().strip():
            args += ["--agency-name", self.agency_name.text().strip()]
        if self.logo.text().strip():
            args += ["--logo", self.logo.text().strip()]
        if self.include_leads.isChecked():
            args.append("--include-leads")
        store = self._services.store
        if store is not None and getattr(store, "path", None):
            args += ["--store", str(store.path)]
        if self._services.account_label:
            args += ["--account", str(self._services.account_label)]
        return args

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Agency logo", self.logo.text(), "Images (*.png *.jpg *.jpeg *.svg)"
        )
        if path:
            self.logo.setText(path)

    def _choose_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the report as", self.output.text(), "PDF files (*.pdf)")
        if path:
            self.output.setText(path if path.lower().endswith(".pdf") else f"{path}.pdf")

    # ----- running --------------------------------------------------------------------------
    def generate(self) -> Any:
        """Start the report (child process); the result appears in the dialog."""
        client = self._services.client
        if client is None:
            self._say("Connect an account first (Account menu).", error=True)
            return None
        if not self.chosen_website_ids():
            self._say("Tick at least one website.", error=True)
            return None
        output = Path(self.output.text().strip()).expanduser()
        if not self.output.text().strip() or not output.parent.is_dir():
            self._say(f"Choose where to save the PDF: the folder {output.parent} does not exist.", error=True)
            return None
        settings = self._services.settings
        settings.setValue(AGENCY_NAME_KEY, self.agency_name.text().strip())
        settings.setValue(LOGO_KEY, self.logo.text().strip())
        settings.setValue(PAGE_SIZE_KEY, self.page_size.currentData())
        env = dict(os.environ)
        env.update(CODAIQ_API_KEY=client.api_key.reveal(), CODAIQ_BASE_URL=client.base_url, QT_QPA_PLATFORM="offscreen")
        self.generate_button.setEnabled(False)
        self.open_button.setVisible(False)
        self._say(f"Creating the report for {len(self.chosen_website_ids())} website(s)…")
        self._task = self._services.run(
            _run_report([*own_command_line(), *self.arguments()], env),
            on_success=lambda result: self._done(result, output),
            on_error=lambda exc: self._failed(self._services.describe_error(exc)),
            owner=self,
        )
        return self._task

    def _done(self, result: tuple[int, str], output: Path) -> None:
        code, errors = result
        self.generate_button.setEnabled(True)
        if code != 0:
            lines = [line.removeprefix("error: ") for line in errors.splitlines() if line.strip()]
            self._failed(lines[-1] if lines else f"The report could not be made (exit code {code}).")
            return
        self.output_path = output
        self._say(f"Saved {output}")
        self.open_button.setVisible(True)

    def _failed(self, message: str) -> None:
        self.generate_button.setEnabled(True)
        self._say(f"No report: {message}", error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.result_label.setText(text)
        self.result_label.setProperty("hint", "error" if error else None)

    def _open_pdf(self) -> None:
        if self.output_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.output_path)))

    def reject(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().reject()


async def _run_report(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the report command; returns its exit code and what it wrote to stderr."""
    process = await asyncio.create_subprocess_exec(
        *argv, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        _out, err = await process.communicate()
    except asyncio.CancelledError:
        process.kill()
        await process.wait()
        raise
    return int(process.returncode or 0), err.decode("utf-8", "replace")


def open_client_report(window: MainWindow, services: AppServices, tabs: Mapping[str, QWidget]) -> ClientReportDialog:
    """Open the dialog for what the user is looking at: the Overview's selection, else the
    Analytics tab's site, else every site the Overview lists."""
    current = window.tabs.currentWidget()
    overview = _built_overview(tabs)
    analytics = _built_analytics(tabs)
    ids: list[str] = []
    range_key = "30d"
    if overview is not None and current is overview:
        ids, range_key = overview.selected_website_ids(), overview.range
    elif analytics is not None and analytics.website.currentData():
        ids, range_key = [str(analytics.website.currentData())], analytics.range
    elif overview is not None:
        ids, range_key = overview.selected_website_ids(), overview.range
    dialog = ClientReportDialog(services, ids, range_key=range_key, parent=window)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def _built_overview(tabs: Mapping[str, QWidget]) -> OverviewTab | None:
    """The Overview tab when it is built (its module is loaded then; no import is paid otherwise)."""
    widget = tabs.get("overview")
    if widget is None:
        return None
    from codaiq_desktop.ui.overview.overview_tab import OverviewTab

    return widget if isinstance(widget, OverviewTab) else None


def _built_analytics(tabs: Mapping[str, QWidget]) -> AnalyticsTab | None:
    """The Analytics tab when it is built (it brings pyqtgraph along: not imported for nothing)."""
    widget = tabs.get("analytics")
    if widget is None:
        return None
    from codaiq_desktop.ui.analytics.analytics_tab import AnalyticsTab

    return widget if isinstance(widget, AnalyticsTab) else None
