"""A lead's history in the detail pane: who changed what and when, newest first.

Notes are shared, so the pane says who wrote the current text ("Alice, 2 min ago");
status and assignee changes are listed below it as the server recorded them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from codaiq_desktop.team.models import TeamHistoryEntry
from codaiq_desktop.ui.team.members import TeamDirectory, relative_time


def describe_change(field: str, before: Any, after: Any, directory: TeamDirectory) -> str:
    """One field's change in words ("Status: New → Contacted", "Assigned to Bob")."""
    if field == "status":
        return f"Status: {str(before or 'new').capitalize()} → {str(after or '').capitalize()}"
    if field == "assignee":
        if after is None:
            return f"Unassigned (was {directory.full_label(before)})" if before else "Unassigned"
        return "Assigned to you" if after == directory.me else f"Assigned to {directory.full_label(after)}"
    if field == "notes":
        return "Cleared the notes" if not after else "Edited the notes"
    if field == "read":
        return "Marked as read" if after else "Marked as unread"
    return f"{field.capitalize()} changed"


def history_lines(
    entries: Sequence[TeamHistoryEntry], directory: TeamDirectory, *, include_read: bool = False
) -> list[str]:
    """Each history entry as "Alice, 2 min ago — Status: New → Contacted", newest first."""
    lines: list[str] = []
    ordered = sorted(entries, key=lambda entry: entry.version, reverse=True)
    for entry in ordered:
        changes = entry.changes
        words = [
            describe_change(field, pair[0], pair[1], directory)
            for field, pair in changes.items()
            if include_read or field != "read"
        ]
        if not words:
            continue
        who = directory.label(entry.by) or "Someone"
        when = relative_time(entry.at)
        lines.append(f"{who}, {when} — {'; '.join(words)}")
    return lines


def notes_attribution(entries: Sequence[TeamHistoryEntry], directory: TeamDirectory) -> str:
    """Who last wrote the notes and when ("Alice, 2 min ago"); empty when nobody has."""
    latest: TeamHistoryEntry | None = None
    for entry in entries:
        if "notes" in entry.changes and (latest is None or entry.version > latest.version):
            latest = entry
    if latest is None:
        return ""
    who = directory.label(latest.by) or "Someone"
    return f"{who}, {relative_time(latest.at)}"


class LeadHistoryView(QWidget):
    """The "History" box under the notes; ``show_history(lead_id, entries)``."""

    def __init__(self, directory: TeamDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leadHistory")
        self._directory = directory
        self.lead_id: int | None = None
        self.attribution = QLabel()
        self.attribution.setObjectName("notesAttribution")
        self.attribution.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListWidget()
        self.list.setAccessibleName("Lead history")
        self.list.setMaximumHeight(140)
        self.list.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.attribution)
        layout.addWidget(QLabel("History"))
        layout.addWidget(self.list)

    def show_history(self, lead_id: int | None, entries: Sequence[TeamHistoryEntry]) -> None:
        self.lead_id = lead_id
        self.list.clear()
        attribution = notes_attribution(entries, self._directory)
        self.attribution.setText(f"Notes last edited by {attribution}" if attribution else "")
        lines = history_lines(entries, self._directory)
        for line in lines or ["No changes yet."]:
            self.list.addItem(QListWidgetItem(line))

    def lines(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]
