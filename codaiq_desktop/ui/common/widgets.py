"""Small widgets shared by the tabs: the inline message banner, status words, restyling."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QWidget,
)

from codaiq_desktop.ui.shell.theme import icon

_STATUS_TEXT = {
    "submitted": "Sending",
    "queued": "Queued",
    "building": "Building",
    "ready": "Ready",
    "failed": "Failed",
    "error": "Not sent",
    "unknown": "Unknown",
}


def status_text(status: str | None) -> str:
    """A build status in words; unknown values from the service are shown as they are."""
    if not status:
        return "Unknown"
    return _STATUS_TEXT.get(status, status.replace("_", " ").capitalize())


def tool_button(text: str, *, tooltip: str | None = None, accessible_name: str | None = None) -> QToolButton:
    """A flat text button for small actions beside a value (Copy, Show, Refresh).

    One maker, so these buttons look and read alike in every tab.
    """
    button = QToolButton()
    button.setText(text)
    if tooltip:
        button.setToolTip(tooltip)
    if accessible_name:
        button.setAccessibleName(accessible_name)
    return button


def record_table(object_name: str, model: QAbstractItemModel, parent: QWidget | None = None) -> QTableView:
    """A table of records (leads, events): whole-row single selection, one line per row.

    Rows have a fixed height so the view never measures them (a million-row model
    stays instant), and the last column takes the remaining width.
    """
    table = QTableView(parent)
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def restyle(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property (``badge``, ``state``) changed.

    A widget not polished yet needs nothing: it is styled, with its properties, when first shown.
    """
    if not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        return
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class MessageBanner(QFrame):
    """An inline message where the user acts (not a modal box): error, warning or info."""

    sig_action = Signal()
    """The banner's action button was clicked (e.g. "Try again")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.hide()
        self.action_button.clicked.connect(self.sig_action)
        close = QPushButton()
        close.setObjectName("bannerClose")
        close.setIcon(icon("close"))
        close.setProperty("flat", True)
        close.setToolTip("Dismiss")
        close.setAccessibleName("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(close)
        self.close_button = close
        self.hide()

    def show_message(self, text: str, kind: str = "error", action: str | None = None) -> None:
        self.setProperty("banner", kind)
        restyle(self)
        self.label.setText(text)
        self.action_button.setVisible(action is not None)
        if action:
            self.action_button.setText(action)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


def show_unread_in_tab(tabs: QTabWidget, index: int, unread: int) -> None:
    """The Leads tab's title and tooltip for ``unread`` leads ("Leads (3)"); nothing if absent."""
    if index < 0:
        return
    tabs.setTabText(index, f"Leads ({unread:,})" if unread else "Leads")
    tabs.setTabToolTip(index, f"{unread:,} unread leads" if unread else "")


def open_in_browser(url: str, parent: QWidget) -> QMessageBox | None:
    """Open ``url`` in the user's browser; when none can be started, say so and offer to copy it.

    Returns the (non-modal) message box shown in that case, else ``None``. Without this, a
    machine with no browser (a container, a bare window manager) made "Open site" do nothing.
    """
    if QDesktopServices.openUrl(QUrl(url)):
        return None
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "No web browser found",
        "No web browser could be started to open this address. Copy it and paste it into a browser:",
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setObjectName("noBrowserBox")
    box.setInformativeText(url)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    copy = box.addButton("Copy address", QMessageBox.ButtonRole.AcceptRole)
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(url))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
