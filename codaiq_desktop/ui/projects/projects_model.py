"""Projects and their websites as a two-level Qt tree model, plus its search proxy and badges.

The model holds plain ``api.models.Project``/``Website`` objects and is replaced as a
whole on refresh (a few hundred rows at most); a single website can be swapped in
place after an edit. Rows are identified by id, so the view's selection survives a
refresh. Status badges are painted by a delegate from the theme's palette.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from codaiq_desktop.api.models import Project, Website
from codaiq_desktop.ui.shell.theme import theme_manager
from codaiq_desktop.ui.common.formatting import format_time
from codaiq_desktop.ui.common.widgets import status_text
from codaiq_desktop.ui.common.item_flags import NO_ITEM, READ_ONLY_ITEM

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Name", "Status", "Domain", "Created", "Updated")
COL_NAME, COL_STATUS, COL_DOMAIN, COL_CREATED, COL_UPDATED = range(len(COLUMNS))

IdRole = Qt.ItemDataRole.UserRole + 1
"""The project's or website's id."""
KindRole = Qt.ItemDataRole.UserRole + 2
"""``"project"`` or ``"website"``."""
ObjectRole = Qt.ItemDataRole.UserRole + 3
"""The ``Project`` or ``Website`` itself."""
StatusRole = Qt.ItemDataRole.UserRole + 4
"""The build status string (websites) or ``None``."""
SearchRole = Qt.ItemDataRole.UserRole + 5
"""Text the search box matches: name, domain, ids."""

_PROJECT_PARENT = 0xFFFFFFFF  # internalId of top-level rows


NO_ID_NOTE = (
    "The service did not send this website\u2019s id. It can be previewed and opened by its domain; "
    "saving changes, exporting and analytics need the id, which this app knows only for sites "
    "generated here."
)
"""Said wherever a website without an id is shown (the docs do not promise website ids)."""
NO_PROJECT_NAME = "Listed without a project"
"""The group of websites the service listed without saying which project they belong to."""


class ProjectsTreeModel(QAbstractItemModel):
    """Top level: projects; children: their websites. Read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._projects: list[Project] = []

    # -- data in -----------------------------------------------------------------------
    def set_projects(self, projects: list[Project]) -> None:
        """Replace everything (newest project first)."""
        self.beginResetModel()
        self._projects = sorted(
            projects, key=lambda p: p.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True
        )
        self.endResetModel()

    def projects(self) -> list[Project]:
        return list(self._projects)

    def replace_website(self, website: Website) -> bool:
        """Swap in an updated website (after a PATCH); returns False if it is not shown."""
        if website.id is None:
            return False
        for p_row, project in enumerate(self._projects):
            for w_row, existing in enumerate(project.websites):
                if existing.id == website.id:
                    websites = list(project.websites)
                    websites[w_row] = website
                    self._projects[p_row] = dataclasses.replace(project, websites=tuple(websites))
                    parent = self.index(p_row, 0)
                    self.dataChanged.emit(self.index(w_row, 0, parent), self.index(w_row, len(COLUMNS) - 1, parent))
                    return True
        return False

    def find_website(self, website_id: str | None) -> QModelIndex:
        if website_id is None:
            return QModelIndex()
        for p_row, project in enumerate(self._projects):
            for w_row, website in enumerate(project.websites):
                if website.id == website_id:
                    return self.index(w_row, 0, self.index(p_row, 0))
        return QModelIndex()

    def project_of(self, website_id: str | None) -> Project | None:
        if website_id is None:
            return None
        for project in self._projects:
            if any(w.id == website_id for w in project.websites):
                return project
        return None

    # -- structure ------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _PROJECT_PARENT)
        return self.createIndex(row, column, parent.row())

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _PROJECT_PARENT:
            return QModelIndex()
        return self.createIndex(int(index.internalId()), 0, _PROJECT_PARENT)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._projects)
        if parent.internalId() == _PROJECT_PARENT and parent.column() == 0:
            return len(self._projects[parent.row()].websites)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return READ_ONLY_ITEM if index.isValid() else NO_ITEM

    def _item(self, index: Index) -> Project | Website | None:
        if not index.isValid():
            return None
        if index.internalId() == _PROJECT_PARENT:
            return self._projects[index.row()] if index.row() < len(self._projects) else None
        project = self._projects[int(index.internalId())]
        return project.websites[index.row()] if index.row() < len(project.websites) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        obj = self._item(index)
        if obj is None:
            return None
        if isinstance(obj, Project):
            return _project_data(obj, index.column(), role)
        return _website_data(obj, index.column(), role)


def _project_data(project: Project, column: int, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        if column == COL_NAME:
            return project.name or project.id or NO_PROJECT_NAME
        if column == COL_STATUS:
            count = len(project.websites)
            return f"{count} site{'s' if count != 1 else ''}"
        if column == COL_CREATED:
            return format_time(project.created_at)
        return "" if column in (COL_DOMAIN, COL_UPDATED) else None
    if role == Qt.ItemDataRole.ForegroundRole and column != COL_NAME:
        return theme_manager().color("muted")
    if role == Qt.ItemDataRole.ToolTipRole:
        if project.id is None:
            return "The service listed these websites without their project."
        return f"Project id: {project.id}"
    if role == IdRole:
        return project.id
    if role == KindRole:
        return "project"
    if role == ObjectRole:
        return project
    if role == StatusRole:
        return None
    if role == SearchRole:
        return " ".join([project.id or "", project.name or ""]).lower()
    return None


def _website_data(website: Website, column: int, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        if column == COL_NAME:
            return website.name or website.id or website.domain or "Unnamed website"
        if column == COL_STATUS:
            return status_text(website.build_status)
        if column == COL_DOMAIN:
            return website.domain or ""
        if column == COL_CREATED:
            return format_time(website.created_at)
        if column == COL_UPDATED:
            return format_time(website.updated_at)
        return None
    if role == Qt.ItemDataRole.ToolTipRole:
        if website.build_status == "failed" and website.build_error:
            return website.build_error
        if website.id is None:
            return NO_ID_NOTE
        return f"Website id: {website.id}"
    if role == IdRole:
        return website.id
    if role == KindRole:
        return "website"
    if role == ObjectRole:
        return website
    if role == StatusRole:
        return website.build_status
    if role == SearchRole:
        parts = [
            website.id or "",
            website.name or "",
            website.domain or "",
            str(website.metadata.get("seoTitle") or ""),
        ]
        return " ".join(parts).lower()
    return None


class ProjectsFilterProxy(QSortFilterProxyModel):
    """Search: a project shows if it or any of its websites match (recursive filtering)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)
        self.setFilterRole(SearchRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(COL_NAME)


class StatusBadgeDelegate(QStyledItemDelegate):
    """Paints a website's build status as a coloured pill."""

    _TONES = {"ready": "success", "failed": "danger", "building": "info", "queued": "info"}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        status = index.data(StatusRole)
        if not status:
            super().paint(painter, option, index)
            return
        # Background (selection, alternating rows) as usual, without text.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget: QWidget | None = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        theme = theme_manager()
        tone = self._TONES.get(status, "muted")
        fg = theme.color(tone)
        bg = theme.color(f"{tone}_soft") if tone != "muted" else theme.color("alternate")
        text = status_text(status)
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + 16
        height = metrics.height() + 4
        rect = QRectF(option.rect.x() + 4, option.rect.center().y() - height / 2 + 1, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(rect, height / 2, height / 2)
        painter.fillPath(path, bg)
        painter.setPen(fg)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(max(size.width(), 90), max(size.height(), option.fontMetrics.height() + 8))
