"""The history of an account's generations (prompt, name, time, result), kept per account.

Plain data in a small JSON file per account under the data folder, and a thin
``QAbstractListModel`` over it. The history is the user's own record; the server
keeps the sites, so losing this file loses nothing but convenience.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

log = logging.getLogger(__name__)

MAX_ENTRIES = 200


@dataclass(frozen=True)
class GenerationRecord:
    """One submitted generation and what became of it."""

    prompt: str
    name: str
    created_at: str  # ISO-8601 UTC
    project_id: str | None = None
    website_id: str | None = None
    result: str = "submitted"  # submitted | queued | building | ready | failed | error | stopped
    detail: str = ""  # failure reason or error message

    @property
    def created(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.created_at)
        except ValueError:
            return None


class GenerationHistory:
    """The records of one account, newest first, saved after each change."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.records: list[GenerationRecord] = self._load()

    def _load(self) -> list[GenerationRecord]:
        if self.path is None:
            return []
        try:
            items = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("Generation history %s unreadable: %s", self.path, exc)
            return []
        records = []
        for item in items if isinstance(items, list) else []:
            try:
                records.append(
                    GenerationRecord(**{k: item[k] for k in item if k in GenerationRecord.__dataclass_fields__})
                )
            except TypeError:
                continue
        return records[:MAX_ENTRIES]

    def save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps([asdict(r) for r in self.records], indent=1), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("Could not save the generation history: %s", exc)


class GenerationHistoryModel(QAbstractListModel):
    """Rows are :class:`GenerationRecord`; ``RecordRole`` gives the record itself."""

    RecordRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._history = GenerationHistory(None)

    def set_history(self, history: GenerationHistory) -> None:
        self.beginResetModel()
        self._history = history
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._history.records)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._history.records):
            return None
        record = self._history.records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            when = record.created.astimezone().strftime("%d %b %H:%M") if record.created else ""
            title = record.name or _first_words(record.prompt)
            return f"{title}\n{when} \u00b7 {_RESULT_TEXT.get(record.result, record.result)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = record.prompt
            if record.detail:
                tip += f"\n\n{record.detail}"
            return tip
        if role == self.RecordRole:
            return record
        return None

    def record(self, row: int) -> GenerationRecord | None:
        return self._history.records[row] if 0 <= row < len(self._history.records) else None

    def add(self, record: GenerationRecord) -> int:
        """Insert at the top; returns the new record's row (0)."""
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._history.records.insert(0, record)
        self.endInsertRows()
        overflow = len(self._history.records) - MAX_ENTRIES
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), MAX_ENTRIES, len(self._history.records) - 1)
            del self._history.records[MAX_ENTRIES:]
            self.endRemoveRows()
        self._history.save()
        return 0

    def update(self, created_at: str, **changes: Any) -> None:
        """Change the record submitted at ``created_at`` (its stable key)."""
        for row, record in enumerate(self._history.records):
            if record.created_at == created_at:
                self._history.records[row] = replace(record, **changes)
                index = self.index(row)
                self.dataChanged.emit(index, index)
                self._history.save()
                return

    def clear(self) -> None:
        self.beginResetModel()
        self._history.records.clear()
        self.endResetModel()
        self._history.save()


_RESULT_TEXT = {
    "submitted": "sending\u2026",
    "queued": "queued",
    "building": "building",
    "ready": "ready",
    "failed": "build failed",
    "error": "not sent",
    "stopped": "stopped following",
}


def _first_words(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
