"""Pieces of the dialogs that ask for a choice and a secret, then check it before saving.

The account form and the leads-source dialog share them, so a secret field, a choice's
help text and the message under a form look and behave alike everywhere.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QBoxLayout, QButtonGroup, QDialog, QLabel, QLineEdit, QRadioButton, QWidget

from codaiq_desktop.ui.common.formatting import mask_secret
from codaiq_desktop.ui.common.widgets import restyle
from codaiq_desktop.ui.shell.theme import icon


def add_choices(layout: QBoxLayout, group: QButtonGroup, choices: list[tuple[QRadioButton, int, str]]) -> None:
    """Each radio button of ``choices`` in ``group`` under its id, its help text indented below it."""
    for radio, choice_id, help_text in choices:
        group.addButton(radio, choice_id)
        label = QLabel(help_text)
        label.setWordWrap(True)
        label.setProperty("muted", True)
        label.setContentsMargins(24, 0, 0, 6)
        layout.addWidget(radio)
        layout.addWidget(label)


def secret_edit(owner: QWidget, *, stored: str | None, empty_placeholder: str, reveal_text: str) -> QLineEdit:
    """A masked field for a key or token, with an eye action (``reveal_text``) that shows it.

    With a ``stored`` secret the field says so (masked) and may be left empty to keep it.
    """
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(
        f"Stored: {mask_secret(stored)} \u2014 leave empty to keep" if stored else empty_placeholder
    )
    reveal = QAction(icon("eye"), reveal_text, owner)
    reveal.setCheckable(True)
    reveal.toggled.connect(
        lambda on: edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
    )
    edit.addAction(reveal, QLineEdit.ActionPosition.TrailingPosition)
    return edit


class FormMessage(QLabel):
    """The sentence under a form: what a check found, or what to fix (hidden when empty)."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.hide()

    def say(self, text: str, kind: str) -> None:
        """Show ``text`` (``kind``: info, ok, warning, error)."""
        self.setText(text)
        self.setProperty("hint", None if kind == "info" else kind)
        restyle(self)
        self.setVisible(bool(text))
        grow_dialog_to_fit(self)


def grow_dialog_to_fit(content: QWidget) -> None:
    """Make the dialog ``content`` is in tall enough for it at the dialog's width; call it after
    a message appears or grows.

    A window grows by itself only to its layout's minimum, at which line edits are half their
    height: a message of a few lines squeezed every field of the form above it.
    """
    dialog = content.window()
    layout = dialog.layout()
    if not isinstance(dialog, QDialog) or not dialog.isVisible() or layout is None:
        return
    layout.activate()
    width = dialog.width()
    needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else dialog.sizeHint().height()
    if needed > dialog.height():
        dialog.resize(width, needed)
