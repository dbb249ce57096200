"""Help › Keyboard shortcuts: every shortcut of the window's menus and of the tabs, in one list.

The menu shortcuts are read from the window's actions (so the list cannot go stale);
the ones that live inside a tab (Ctrl+Enter to generate ...) are listed here by hand.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

TAB_SHORTCUTS: tuple[tuple[str, str, str], ...] = (
    ("Generate", "Ctrl+Return", "Generate the site from the prompt"),
    ("Projects", "Ctrl+F", "Search projects and websites"),
    ("Projects", "Ctrl+E", "Export the selected website as a ZIP"),
    ("Projects", "Ctrl+S", "Save the name and SEO changes"),
    ("Projects", "Ctrl+R", "Reload the preview"),
    ("Leads", "Ctrl+F", "Search leads"),
)


def window_shortcuts(window: QWidget) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every action of ``window`` that has a shortcut."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        text = action.text().replace("&", "").rstrip("\u2026").strip()
        if not keys or not text or (keys, text) in seen:
            continue
        seen.add((keys, text))
        rows.append(("Everywhere", keys, text))
    return rows


class ShortcutsDialog(QDialog):
    """A read-only table: where a shortcut works, its keys, what it does."""

    def __init__(self, window: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        rows = window_shortcuts(window) + [
            (where, QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText), what)
            for where, keys, what in TAB_SHORTCUTS
        ]
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "Action"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 460)

    def rows(self) -> list[tuple[str, str, str]]:
        return [(self._text(row, 0), self._text(row, 1), self._text(row, 2)) for row in range(self.table.rowCount())]

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
