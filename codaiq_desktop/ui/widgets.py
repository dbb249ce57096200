"""Small widgets shared by the tabs: the inline message banner, status words, restyling."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from codaiq_desktop.ui.theme import icon

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
        close.setIcon(icon("stop"))
        close.setProperty("flat", True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(close)
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
