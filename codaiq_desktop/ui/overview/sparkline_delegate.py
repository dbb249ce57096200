"""Paints a row's series as a small line in its cell (no chart widget per row: 200 rows stay cheap)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QSize
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QStyledItemDelegate

from codaiq_desktop.ui.overview.overview_model import SERIES_ROLE

if TYPE_CHECKING:
    # The style classes only when a cell is painted: the Overview is the start-up tab, and
    # the first use of a style class from Python builds all of its enums (milliseconds).
    from PySide6.QtWidgets import QStyleOptionViewItem

#: The Analytics chart's page-views blue (``analytics_charts.PAGEVIEWS_COLOR``; not imported
#: from there because that module loads pyqtgraph and numpy, half a second the start-up
#: window, which shows this tab first, should not wait for).
SPARKLINE_COLOR = "#2f6fde"


class SparklineDelegate(QStyledItemDelegate):
    """Draws ``SERIES_ROLE`` values as a polyline scaled to the cell, lowest at the bottom."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        series = index.data(SERIES_ROLE)
        if not series or len(series) < 2:
            super().paint(painter, option, index)
            return
        from PySide6.QtWidgets import QStyle

        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        rect = option.rect.adjusted(4, 4, -4, -4)
        top = max(series) or 1
        step = rect.width() / (len(series) - 1)
        points = QPolygonF(
            [
                QPointF(rect.left() + i * step, rect.bottom() - value / top * rect.height())
                for i, value in enumerate(series)
            ]
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(SPARKLINE_COLOR), 1.5))
        painter.drawPolyline(points)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), 110), hint.height())
