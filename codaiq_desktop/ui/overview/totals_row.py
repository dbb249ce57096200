"""A one-row table of totals that stays lined up under the table it sums.

The totals are a separate view (not a last row of the table) so that sorting and
filtering the sites never moves them; the price is keeping the two aligned: this view
copies the table's column widths as the user drags them and scrolls sideways with it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget


class TotalsRow(QTableView):
    """``model``'s single row under ``table``, column for column, without headers or selection."""

    def __init__(self, model: QAbstractItemModel, table: QTableView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.horizontalHeader().setVisible(False)
        self.verticalHeader().setVisible(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFixedHeight(self.verticalHeader().defaultSectionSize() + 4)
        self.horizontalHeader().setStretchLastSection(True)
        for column in range(model.columnCount()):
            self.setColumnWidth(column, table.columnWidth(column))
        table.horizontalHeader().sectionResized.connect(self._follow_width)
        table.horizontalScrollBar().valueChanged.connect(self.horizontalScrollBar().setValue)

    def _follow_width(self, column: int, _old: int, new: int) -> None:
        self.setColumnWidth(column, new)
