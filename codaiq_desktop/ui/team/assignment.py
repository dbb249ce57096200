"""Who works a lead: the "Assign to…" menu, "Take it", and the Mine / Unassigned / All filter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QMenu, QPushButton, QWidget

from codaiq_desktop.ui.team.members import TeamDirectory

SCOPE_ALL = "all"
SCOPE_MINE = "mine"
SCOPE_UNASSIGNED = "unassigned"
SCOPES: tuple[tuple[str, str, str], ...] = (
    (SCOPE_MINE, "Mine", "Leads assigned to you"),
    (SCOPE_UNASSIGNED, "Unassigned", "Leads nobody has taken yet"),
    (SCOPE_ALL, "All", "Every lead of the team"),
)


class AssigneeScopeBar(QWidget):
    """Three toggle buttons, one checked: whose leads the table shows."""

    sig_scope_changed = Signal(str)
    """The user picked ``"mine"``, ``"unassigned"`` or ``"all"``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assigneeScope")
        self.setAccessibleName("Whose leads")
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for scope, text, tip in SCOPES:
            button = QPushButton(text)
            button.setCheckable(True)
            button.setToolTip(tip)
            button.setProperty("segment", scope)
            self._group.addButton(button)
            layout.addWidget(button)
            self.buttons[scope] = button
            button.toggled.connect(lambda on, s=scope: self._on_toggled(s, on))
        self.buttons[SCOPE_ALL].setChecked(True)

    def _on_toggled(self, scope: str, on: bool) -> None:
        if on:
            self.sig_scope_changed.emit(scope)

    @property
    def scope(self) -> str:
        for scope, button in self.buttons.items():
            if button.isChecked():
                return scope
        return SCOPE_ALL

    def set_scope(self, scope: str) -> None:
        """Check ``scope``'s button (emits ``sig_scope_changed`` if it changes)."""
        self.buttons[scope].setChecked(True)


class AssignMenu(QMenu):
    """ "Take it", "Unassign" and one entry per member; the current assignee is checked."""

    sig_assign = Signal(object)
    """Assign to this member id (``None``: nobody)."""

    def __init__(self, directory: TeamDirectory, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__("Assign to", parent)
        self.setObjectName("assignMenu")
        self.take_action = QAction("Take it", self)
        self.take_action.setEnabled(directory.me is not None and current != directory.me)
        self.take_action.triggered.connect(lambda: self.sig_assign.emit(directory.me))
        self.addAction(self.take_action)
        self.unassign_action = QAction("Unassign", self)
        self.unassign_action.setEnabled(current is not None)
        self.unassign_action.triggered.connect(lambda: self.sig_assign.emit(None))
        self.addAction(self.unassign_action)
        self.addSeparator()
        self.member_actions: dict[str, QAction] = {}
        for member in directory.members():
            text = member.label if member.id != directory.me else f"{member.label} (you)"
            action = QAction(text, self)
            action.setCheckable(True)
            action.setChecked(member.id == current)
            action.setToolTip(member.email)
            action.triggered.connect(lambda _checked=False, m=member.id: self.sig_assign.emit(m))
            self.addAction(action)
            self.member_actions[member.id] = action
