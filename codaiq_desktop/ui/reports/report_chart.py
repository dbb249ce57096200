"""The report's time-series chart: the Analytics tab's pyqtgraph plot, painted as vectors.

The plot is a ``pg.PlotItem`` in a ``QGraphicsScene`` of its own (no window, so it works
offscreen), with the Analytics tab's colours and a date axis in UTC like the report's
periods. ``QGraphicsScene.render`` onto the PDF painter keeps lines and text as vector
paths: the chart stays sharp at any zoom and its labels remain text. Point symbols are
left out on purpose (pyqtgraph draws them from cached pixmaps, which would be raster).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QPainter, QPicture

from codaiq_desktop.ui.analytics.analytics_charts import PAGEVIEWS_COLOR, VISITORS_COLOR

#: The scene's own size; the chart is scaled (as vectors) into whatever rectangle it gets.
SCENE_WIDTH = 900.0
SCENE_HEIGHT = 360.0
TEXT_COLOR = "#222222"
#: Curves are drawn in data units, scaled differently along x and y: a cosmetic pen keeps their
#: width even, in device pixels (at the PDF's 300 dpi, 5 px is 0.4 mm).
CURVE_WIDTH_PX = 5


def paint_timeseries(
    painter: QPainter, target: QRectF, points: Sequence[tuple[datetime, int, int | None]], *, hourly: bool
) -> None:
    """Paint page views (and unique visitors, where known) per bucket into ``target``."""
    # A view that is never shown: axes place their ticks through the view's transform, and the
    # view's scene (pyqtgraph's) lets the view box settle its range before it is rendered.
    view = pg.GraphicsView()
    plot = pg.PlotItem(axisItems={"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)})
    view.setCentralItem(plot)
    scene = view.scene()
    plot.setGeometry(QRectF(0, 0, SCENE_WIDTH, SCENE_HEIGHT))
    plot.hideButtons()
    plot.setMenuEnabled(False)
    plot.showGrid(x=False, y=True, alpha=0.15)
    font = QFont()
    font.setPixelSize(13)
    text_pen = pg.mkPen(TEXT_COLOR, width=1, cosmetic=False)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(text_pen)
        axis.setTextPen(pg.mkPen(TEXT_COLOR))
        axis.setStyle(tickFont=font)
    plot.setLabel("left", "Count", color=TEXT_COLOR)
    plot.setLabel("bottom", "Hour (UTC)" if hourly else "Day (UTC)", color=TEXT_COLOR)
    ordered = sorted(points, key=lambda point: point[0])
    xs = [point[0].timestamp() for point in ordered]
    views = [point[1] for point in ordered]
    plot.plot(xs, views, pen=pg.mkPen(PAGEVIEWS_COLOR, width=CURVE_WIDTH_PX, cosmetic=True))
    visitors = [point[2] for point in ordered]
    if visitors and all(value is not None for value in visitors):
        plot.plot(xs, visitors, pen=pg.mkPen(VISITORS_COLOR, width=CURVE_WIDTH_PX, cosmetic=True))
    top = max([*views, *(v for v in visitors if v is not None), 1])
    span = ((max(xs) - min(xs)) or 3600.0) if xs else 0.0
    # No window ever shows this scene, so nothing would run the layout pass that sizes the
    # axes and the view box: run it now, then fit the view to the data it now has room for.
    plot.layout.activate()
    if xs:
        plot.getViewBox().setRange(
            xRange=(min(xs) - span * 0.01, max(xs) + span * 0.01), yRange=(0, top * 1.1), padding=0
        )
    # Recorded first at screen scale, then replayed scaled into the target: the axes lay
    # out their ticks and labels for a 900-pixel-wide plot whatever the printer's resolution,
    # and the replay keeps every line and glyph a vector.
    picture = QPicture()
    recorder = QPainter(picture)
    recorder.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(recorder, QRectF(0, 0, SCENE_WIDTH, SCENE_HEIGHT), QRectF(0, 0, SCENE_WIDTH, SCENE_HEIGHT))
    recorder.end()
    painter.save()
    painter.translate(target.topLeft())
    # A picture replays at its device's resolution over the picture's own (it scales itself by
    # that ratio): undo it, so the picture's 900 units fill exactly the target's width.
    device = painter.device()
    ratio_x = device.logicalDpiX() / picture.logicalDpiX() if device is not None else 1.0
    ratio_y = device.logicalDpiY() / picture.logicalDpiY() if device is not None else 1.0
    painter.scale(target.width() / SCENE_WIDTH / ratio_x, target.height() / SCENE_HEIGHT / ratio_y)
    painter.drawPicture(0, 0, picture)
    painter.restore()
    view.deleteLater()


def legend_html(has_visitors: bool) -> str:
    """The chart's legend as rich text (drawn above the chart)."""
    parts = [f"<span style='color:{PAGEVIEWS_COLOR}'>━━</span> Page views"]
    if has_visitors:
        parts.append(f"<span style='color:{VISITORS_COLOR}'>━━</span> Unique visitors")
    return " &nbsp;&nbsp; ".join(parts)
