"""The Overview's totals row stays lined up under the sites table (real Qt views)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QTableView, QWidget

from codaiq_desktop.ui.overview.overview_model import COLUMN, OverviewTableModel, OverviewTotalsModel
from codaiq_desktop.ui.overview.totals_row import TotalsRow


def test_the_totals_follow_the_tables_column_widths_and_sideways_scroll(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    table = QTableView()
    table.setModel(OverviewTableModel())
    table.setColumnWidth(COLUMN["name"], 190)
    totals_model = OverviewTotalsModel()
    totals_model.set_rows([])
    totals = TotalsRow(totals_model, table)
    layout = QHBoxLayout(holder)
    layout.addWidget(table)
    layout.addWidget(totals)
    holder.resize(400, 300)  # narrower than the columns: both scroll sideways
    holder.show()

    assert totals.columnWidth(COLUMN["name"]) == 190  # copied when built
    table.setColumnWidth(COLUMN["name"], 260)  # as a drag on the header does
    assert totals.columnWidth(COLUMN["name"]) == 260
    bar = table.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    assert totals.horizontalScrollBar().value() == bar.value()
    assert not totals.horizontalHeader().isVisible() and totals.selectionMode() == TotalsRow.SelectionMode.NoSelection
