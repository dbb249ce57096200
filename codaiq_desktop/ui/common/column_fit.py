"""Keep a table's columns inside its width, one stretching column taking what is left.

Each column has the width it wants (from the font, or what the user dragged it to). When the
view is narrower than all of them together (a laptop, the detail pane open) the columns whose
text can be cut short (names, addresses) shrink in proportion, while those that must stay
whole (a date, a status) keep their width, so the stretching column (a message, a note) still
shows some words and nothing scrolls sideways; when the view grows they come back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView


class ColumnFit(QObject):
    """Fits ``table``'s columns to its viewport; see the module docstring."""

    def __init__(self, table: QTableView, stretch_column: int, *, stretch_min: int = 160, minimum: int = 48) -> None:
        super().__init__(table)
        self._table = table
        self._stretch = stretch_column
        self._stretch_min = stretch_min
        self._minimum = minimum
        self._wanted: dict[int, int] = {}
        self._fixed: set[int] = set()
        self._scale = 1.0
        self._fitting = False
        table.viewport().installEventFilter(self)
        table.horizontalHeader().sectionResized.connect(self._on_section_resized)

    @property
    def scale(self) -> float:
        """How much the columns are shrunk now (1.0: not at all)."""
        return self._scale

    def want(self, column: int, width: int, *, shrinks: bool = True) -> None:
        """``column`` would like ``width`` pixels; if it ``shrinks``, less when the view is too narrow."""
        self._wanted[column] = width
        if shrinks:
            self._fixed.discard(column)
        else:
            self._fixed.add(column)
        self.fit()

    def fit(self) -> None:
        """Set the widths for the viewport as it is (also after a column is shown or hidden)."""
        columns = [c for c in self._wanted if c != self._stretch and not self._table.isColumnHidden(c)]
        flexible = sum(self._wanted[c] for c in columns if c not in self._fixed)
        fixed = sum(self._wanted[c] for c in columns if c in self._fixed)
        if not columns:
            return
        room = self._table.viewport().width() - self._stretch_min - fixed
        self._scale = 1.0 if flexible <= room else max(0.0, room) / flexible
        self._fitting = True
        try:
            for column in columns:
                wanted = self._wanted[column]
                width = wanted if column in self._fixed else max(self._minimum, round(wanted * self._scale))
                self._table.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def _on_section_resized(self, column: int, _old: int, new: int) -> None:
        if self._fitting or column == self._stretch or column not in self._wanted:
            return
        # Only a width the user drags is remembered: the header also resizes sections itself.
        if not QGuiApplication.mouseButtons() & Qt.MouseButton.LeftButton:
            return
        scale = 1.0 if column in self._fixed or self._scale <= 0 else self._scale
        self._wanted[column] = round(new / scale)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False
