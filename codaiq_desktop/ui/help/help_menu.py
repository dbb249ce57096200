"""Builds the Help menu of the main window.

Documentation lives in three places: the Codaiq API documentation online, the local
sandbox's own API reference (served by the sandbox while it runs), and this app's
README when it is installed from a source checkout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from codaiq_desktop.ui.shell.theme import icon
from codaiq_desktop.ui.common.widgets import open_in_browser

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

API_DOCS_URL = "https://codaiq.com/docs"
"""The Codaiq API documentation."""


def readme_path() -> Path | None:
    """The README of a source checkout (not shipped inside a frozen app)."""
    candidate = Path(__file__).resolve().parents[3] / "README.md"
    return candidate if candidate.is_file() else None


class HelpMenu(QMenu):
    """Documentation, Keyboard shortcuts, Report a problem, Copy diagnostics, About."""

    def __init__(self, window: Any, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__("&Help", parent or window)
        self._window = window
        self._services = services
        self.docs_menu = self.addMenu(icon("info"), "Documentation")
        self.api_docs_action = self.docs_menu.addAction("Codaiq API documentation")
        self.api_docs_action.triggered.connect(lambda: self.open_url(API_DOCS_URL))
        self.sandbox_docs_action = self.docs_menu.addAction("Local sandbox API reference")
        self.sandbox_docs_action.triggered.connect(self._open_sandbox_docs)
        self.readme_action = self.docs_menu.addAction("Codaiq Desktop guide (README)")
        self.readme_action.triggered.connect(self._open_readme)
        self.docs_menu.aboutToShow.connect(self._sync_docs)
        self._sync_docs()
        self.shortcuts_action = QAction("Keyboard shortcuts", self)
        self.shortcuts_action.setShortcut("Ctrl+/")
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        window.addAction(self.shortcuts_action)
        self.addAction(self.shortcuts_action)
        self.report_action = self.addAction(icon("alert"), "Report a problem\u2026")
        self.report_action.triggered.connect(self.show_problem_report)
        self.addSeparator()
        self.dialog: Any = None

    def _sync_docs(self) -> None:
        self.sandbox_docs_action.setEnabled(bool(self._services.is_sandbox and self._services.sandbox_root_url))
        self.readme_action.setEnabled(readme_path() is not None)

    def open_url(self, url: str) -> Any:
        return open_in_browser(url, self._window)

    def _open_sandbox_docs(self) -> Any:
        root = self._services.sandbox_root_url
        return self.open_url(f"{root}/docs") if root else None

    def _open_readme(self) -> Any:
        path = readme_path()
        return self.open_url(QUrl.fromLocalFile(str(path)).toString()) if path is not None else None

    def show_shortcuts(self) -> Any:
        from codaiq_desktop.ui.help.shortcuts_dialog import ShortcutsDialog

        self.dialog = ShortcutsDialog(self._window)
        self.dialog.finished.connect(self.dialog.deleteLater)
        self.dialog.open()
        return self.dialog

    def show_problem_report(self) -> Any:
        from PySide6.QtCore import qVersion

        from codaiq_desktop.diagnostics import collect_diagnostics
        from codaiq_desktop.ui.help.problem_report import ProblemReportDialog

        self.dialog = ProblemReportDialog(collect_diagnostics(extra={"Qt runtime": qVersion()}), self._window)
        self.dialog.finished.connect(self.dialog.deleteLater)
        self.dialog.open()
        return self.dialog
