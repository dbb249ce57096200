"""Keep a table's columns inside its width, one stretching column taking what is left.

Each column has the width it wants (from the font, or what the user dragged it to). When the
view is narrower than all of them together (a laptop, the detail pane open) they shrink in
proportion, so the stretching column (a message, a note) still shows some words and nothing
scrolls sideways; when the view grows they come back to what they want.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
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
        self._scale = 1.0
        self._fitting = False
        table.viewport().installEventFilter(self)
        table.horizontalHeader().sectionResized.connect(self._on_section_resized)

    @property
    def scale(self) -> float:
        """How much the columns are shrunk now (1.0: not at all)."""
        return self._scale

    def want(self, column: int, width: int) -> None:
        """``column`` would like ``width`` pixels (less if the view is too narrow)."""
        self._wanted[column] = width
        self.fit()

    def fit(self) -> None:
        """Set the widths for the viewport as it is (also after a column is shown or hidden)."""
        columns = [c for c in self._wanted if c != self._stretch and not self._table.isColumnHidden(c)]
        total = sum(self._wanted[c] for c in columns)
        if not total:
            return
        room = self._table.viewport().width() - self._stretch_min
        self._scale = 1.0 if total <= room else max(0.0, room) / total
        self._fitting = True
        try:
            for column in columns:
                self._table.setColumnWidth(column, max(self._minimum, round(self._wanted[column] * self._scale)))
        finally:
            self._fitting = False

    def _on_section_resized(self, column: int, _old: int, new: int) -> None:
        if self._fitting or column == self._stretch or column not in self._wanted or self._scale <= 0:
            return
        self._wanted[column] = round(new / self._scale)  # the user dragged it: what it wants now

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False
