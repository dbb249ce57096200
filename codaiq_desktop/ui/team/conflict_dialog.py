"""Both versions of a lead two people changed at once, and the choice of which to keep.

The server refuses an edit made on an older version (412/409) and answers with the
current lead. Nothing is overwritten silently: this dialog shows, field by field, what
the user wrote and what the colleague saved, and the user keeps theirs (sent again on
top of the colleague's version) or takes the colleague's (theirs is dropped, but shown
here until then so it can be copied).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.team.models import TeamLead
from codaiq_desktop.ui.team.members import relative_time

FIELD_TITLES: dict[str, str] = {"status": "Status", "notes": "Notes", "assignee": "Assignee", "read": "Read"}

KEEP_MINE = "mine"
TAKE_THEIRS = "theirs"


class EditConflictDialog(QDialog):
    """Shows ``mine`` (the fields the user changed) beside ``current`` (the server's lead)."""

    sig_resolved = Signal(str)
    """The user chose: ``"mine"`` (send my changes again on the current version) or ``"theirs"``."""

    def __init__(
        self,
        current: TeamLead,
        mine: Mapping[str, Any],
        *,
        label_of: Callable[[str | None], str] = lambda member: member or "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("editConflictDialog")
        self.setWindowTitle("Someone else changed this lead")
        self.current = current
        self.mine = dict(mine)
        self.choice: str | None = None
        who = label_of(current.updated_by) or "A colleague"
        when = relative_time(current.updated_at)
        name = current.name or "this lead"
        intro = QLabel(
            f"{who} changed {name} {when} while you were editing it. Nothing has been overwritten: "
            "choose which version to keep."
        )
        intro.setObjectName("conflictIntro")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)

        grid = QGridLayout()
        grid.addWidget(_bold("Yours"), 0, 1)
        grid.addWidget(_bold(who), 0, 2)
        self.fields: dict[str, tuple[QWidget, QWidget]] = {}
        for row, field in enumerate(self.mine, start=1):
            title = QLabel(FIELD_TITLES.get(field, field.capitalize()))
            yours = _value_widget(field, self.mine[field], label_of)
            # ``mine`` names fields by their API names, which are the lead's attributes.
            theirs = _value_widget(field, getattr(current, field, None), label_of)
            yours.setAccessibleName(f"Your {title.text().lower()}")
            theirs.setAccessibleName(f"Their {title.text().lower()}")
            grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(yours, row, 1)
            grid.addWidget(theirs, row, 2)
            self.fields[field] = (yours, theirs)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

        buttons = QDialogButtonBox()
        self.keep_mine_button = QPushButton("Keep mine")
        self.keep_mine_button.setToolTip("Save your version over your colleague's")
        self.take_theirs_button = QPushButton(f"Take {who}'s" if who != "A colleague" else "Take theirs")
        self.take_theirs_button.setToolTip("Drop your change and keep what is on the server")
        buttons.addButton(self.keep_mine_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.take_theirs_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_mine_button.clicked.connect(lambda: self._choose(KEEP_MINE))
        self.take_theirs_button.clicked.connect(lambda: self._choose(TAKE_THEIRS))
        self.keep_mine_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid, 1)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.sig_resolved.emit(choice)
        self.accept() if choice == KEEP_MINE else self.reject()

    def reject(self) -> None:
        """Closing the dialog without choosing keeps the user's text: the choice is asked again later."""
        super().reject()


def _bold(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _value_widget(field: str, value: Any, label_of: Callable[[str | None], str]) -> QWidget:
    if field == "notes":
        box = QPlainTextEdit(str(value or ""))
        box.setReadOnly(True)
        box.setMinimumHeight(120)
        return box
    if field == "assignee":
        text = label_of(value) or "Unassigned"
    elif field == "read":
        text = "Read" if value else "Unread"
    else:
        text = str(value or "").capitalize()
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
