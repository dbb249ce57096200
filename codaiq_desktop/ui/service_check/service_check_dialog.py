"""The "Check the service" dialog: the read-only probe of ``api.service_check``, in words.

The same report as ``codaiq-desktop check-service``, for support and for the first day
with a real key. Analytics are checked for the newest site this app generated when the
service's list names no website id.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from codaiq_desktop.ui.services import AppServices

log = logging.getLogger(__name__)


class ServiceCheckDialog(QDialog):
    """Runs the probe on open (and on "Check again"); shows the report or why it failed."""

    sig_checked = Signal(object)
    """The probe finished; carries the ``ServiceCheck``."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serviceCheckDialog")
        self.setWindowTitle("Check the service")
        self.services = services
        self.report: Any = None
        self._task: Any = None
        self.intro = QLabel(
            "A read-only look at what the connected service sends: one projects list and, when a "
            "website id is known, one analytics call. Nothing is created or changed."
        )
        self.intro.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("serviceCheckStatus")
        self.status_label.setWordWrap(True)
        self.report_view = QPlainTextEdit()
        self.report_view.setObjectName("serviceCheckReport")
        self.report_view.setReadOnly(True)
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.again_button = QPushButton("Check again")
        self.again_button.clicked.connect(self.start)
        self.copy_button = QPushButton("Copy report")
        self.copy_button.clicked.connect(self.copy_report)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.status_label)
        layout.addWidget(self.report_view, 1)
        layout.addLayout(buttons)
        self.resize(760, 560)
        self.copy_button.setEnabled(False)

    def start(self) -> None:
        """Run the probe against the active account."""
        client = self.services.client
        if client is None:
            self.status_label.setText("No account is connected. Choose one in File \u203a Accounts, then check again.")
            return
        if self._task is not None and not self._task.done():
            return
        self.again_button.setEnabled(False)
        self.status_label.setText(f"Checking {client.base_url}\u2026")
        self._task = self.services.run(self._check(client), on_success=self._show, on_error=self._failed, owner=self)
        self._task.add_done_callback(lambda _t: self.again_button.setEnabled(True))

    async def _check(self, client: Any) -> Any:
        from codaiq_desktop.api.service_check import check_service

        fallback = None
        reader, account = self.services.store_reader, self.services.account_label
        if reader is not None:
            generated = await reader.read(lambda store: store.generated_sites(account))
            fallback = generated[0].website_id if generated else None
        return await check_service(client, fallback_website_id=fallback)

    def _show(self, report: Any) -> None:
        self.report = report
        degraded = [f.name for f in report.features if f.state == "degraded"]
        self.status_label.setText(
            f"Degraded with this service: {', '.join(degraded)}. The report says why."
            if degraded
            else "Every feature checked works fully with this service."
        )
        self.report_view.setPlainText(report.to_text())
        self.copy_button.setEnabled(True)
        self.sig_checked.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.status_label.setText(f"The service could not be checked. {self.services.describe_error(exc)}")

    def copy_report(self) -> None:
        if self.report is not None:
            QGuiApplication.clipboard().setText(self.report.to_text())
            self.status_label.setText("Report copied to the clipboard (it holds no keys).")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.accept()
            return
        super().keyPressEvent(event)
