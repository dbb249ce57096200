"""Columns that fit the table's width: in a narrow window the columns shrink in proportion
and the stretching one keeps room, with no sideways scrolling; wide again, they come back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableView

from codaiq_desktop.ui.common import column_fit
from codaiq_desktop.ui.common.column_fit import ColumnFit

WANTED = {0: 140, 1: 120, 2: 200, 3: 160}
STRETCH = 4


def make_table(qtbot, width: int) -> tuple[QTableView, ColumnFit]:
    model = QStandardItemModel(3, 5)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setSectionResizeMode(STRETCH, QHeaderView.ResizeMode.Stretch)
    fit = ColumnFit(table, STRETCH, stretch_min=160, minimum=48)
    for column, width_wanted in WANTED.items():
        fit.want(column, width_wanted)
    table.resize(width, 300)
    table.show()
    qtbot.waitExposed(table)
    return table, fit


def widths(table: QTableView) -> dict[int, int]:
    return {column: table.columnWidth(column) for column in WANTED}


def test_wide_enough_every_column_gets_what_it_wants(qtbot) -> None:
    table, fit = make_table(qtbot, 1200)
    assert widths(table) == WANTED and fit.scale == 1.0
    assert table.columnWidth(STRETCH) >= 160


def test_narrow_the_columns_shrink_in_proportion_and_nothing_scrolls_sideways(qtbot) -> None:
    table, fit = make_table(qtbot, 1200)
    table.resize(600, 300)
    qtbot.waitUntil(lambda: fit.scale < 1.0)
    room = table.viewport().width() - 160
    assert sum(widths(table).values()) <= room + len(WANTED)  # rounding
    assert widths(table)[2] > widths(table)[1]  # still in proportion
    assert table.columnWidth(STRETCH) >= 150
    assert table.horizontalHeader().length() <= table.viewport().width() + 1
    table.resize(1200, 300)
    qtbot.waitUntil(lambda: fit.scale == 1.0)
    assert widths(table) == WANTED


def test_a_hidden_column_gives_its_room_and_a_dragged_width_is_kept(qtbot, monkeypatch) -> None:
    table, fit = make_table(qtbot, 620)
    shrunk = widths(table)[0]
    table.setColumnHidden(2, True)
    fit.fit()
    assert widths(table)[0] > shrunk
    table.resize(1400, 300)
    qtbot.waitUntil(lambda: fit.scale == 1.0)
    table.setColumnWidth(1, 180)  # the header resizing a section by itself: not remembered
    fit.fit()
    assert table.columnWidth(1) == WANTED[1]
    monkeypatch.setattr(column_fit.QGuiApplication, "mouseButtons", lambda: Qt.MouseButton.LeftButton)
    table.setColumnWidth(1, 180)  # the user drags it
    monkeypatch.undo()
    fit.fit()
    assert table.columnWidth(1) == 180


def test_a_column_that_must_stay_whole_keeps_its_width(qtbot) -> None:
    table, fit = make_table(qtbot, 1200)
    fit.want(0, WANTED[0], shrinks=False)  # say, a date
    table.resize(560, 300)
    qtbot.waitUntil(lambda: fit.scale < 1.0)
    assert table.columnWidth(0) == WANTED[0]
    assert table.columnWidth(2) < WANTED[2]
    assert table.horizontalHeader().length() <= table.viewport().width() + 1
