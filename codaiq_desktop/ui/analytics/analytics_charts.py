"""pyqtgraph charts of a website's analytics: a time series and ranked bars.

The widgets take plain numbers (no API objects, no network), so the tab decides
what to show and tests can compare what is plotted with what the API returned.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPalette, QShowEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QVBoxLayout, QWidget

PAGEVIEWS_COLOR = "#2f6fde"
VISITORS_COLOR = "#e07b20"
BAR_COLOR = "#3a8f6a"


HOUR = 3600
DAY = 86_400
HOUR_STEPS = tuple(h * HOUR for h in (1, 2, 3, 4, 6, 12, 24))
DAY_STEPS = tuple(d * DAY for d in (1, 2, 3, 7, 14, 28, 56, 91, 182, 364))


class CountAxis(pg.AxisItem):
    """An axis of counts: ticks on whole numbers only (no "2.5 page views"), written with separators."""

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        levels = super().tickSpacing(minVal, maxVal, size)
        whole = [(spacing, offset) for spacing, offset in levels if spacing >= 1]
        return whole or [(1.0, 0.0)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [f"{round(value * scale):,}" for value in values]


class BucketDateAxis(pg.AxisItem):
    """Dates (or hours) of the buckets, one label format and one step, chosen so labels never touch.

    pyqtgraph's date axis mixes levels (a month name beside day numbers) that run into
    each other on a narrow chart; here the step grows (1, 2, 3, 7 ... days) until the
    widest label plus a gap fits, and ticks fall on bucket starts.
    """

    def __init__(self) -> None:
        super().__init__(orientation="bottom")
        self.hourly = False
        self.anchor = 0.0
        """A bucket start: ticks are whole steps from it."""

    def _label_room(self) -> float:
        font = self.style.get("tickFont") or QApplication.font()
        metrics = QFontMetrics(font)
        sample = "00:00" if self.hourly else "30 Sep"
        return metrics.horizontalAdvance(sample) + 2 * metrics.horizontalAdvance("  ")

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        if maxVal <= minVal or size <= 0:
            return []
        per_second = size / (maxVal - minVal)
        steps = HOUR_STEPS if self.hourly else DAY_STEPS
        room = self._label_room()
        step = next((candidate for candidate in steps if candidate * per_second >= room), None)
        if step is None:  # wider than any preset: whole multiples of the largest
            step = steps[-1] * max(1, int(room / (steps[-1] * per_second)) + 1)
        first = self.anchor + ((minVal - self.anchor) // step) * step
        if first < minVal:
            first += step
        values: list[float] = []
        value = first
        while value <= maxVal and len(values) < 1000:
            values.append(value)
            value += step
        return [(float(step), values)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        moments = [_dt.datetime.fromtimestamp(value) for value in values]
        if self.hourly:
            return [f"{moment:%H:%M}" for moment in moments]
        return [f"{moment.day} {moment:%b}" for moment in moments]


@dataclass(frozen=True)
class SeriesPoint:
    """One bucket of the time series, with its start as aware UTC."""

    start: _dt.datetime
    pageviews: int
    unique_visitors: int


def _palette_colors(widget: QWidget) -> tuple[QColor, QColor]:
    """The theme's base and text colours.

    Read from the application palette unless the chart was given its own: a chart that
    was hidden (another tab, another page of the stack) when the theme changed can keep
    a stale widget palette, and would paint light text on a white plot in the dark theme.
    """
    own = widget.testAttribute(Qt.WidgetAttribute.WA_SetPalette)
    palette = widget.palette() if own else QApplication.palette(widget)
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


def _style_plot(plot: pg.PlotWidget, background: QColor, foreground: QColor) -> None:
    plot.setBackground(background)
    for side in ("left", "bottom"):
        axis = plot.getPlotItem().getAxis(side)
        axis.setPen(foreground)
        axis.setTextPen(foreground)


def _parent_the_plot_menu(plot: pg.PlotWidget) -> None:
    """Hang pyqtgraph's "Plot Options" menu on its plot so it is deleted with the chart.

    pyqtgraph creates it without a parent; the menu is off here, but the window would
    otherwise outlive every chart ever built (one per chart, for the life of the process).
    """
    menu = plot.getPlotItem().ctrlMenu
    menu.setParent(plot, menu.windowFlags())


class _ThemedChart(QWidget):
    """A chart that repaints its plot in the theme's colours whenever they may have changed."""

    def apply_palette(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self.apply_palette()

    def showEvent(self, event: QShowEvent) -> None:
        # A theme change while hidden may not have reached this widget: repaint in the current one.
        super().showEvent(event)
        self.apply_palette()


def _curve_data(curve: pg.PlotDataItem) -> tuple[list[float], list[float]]:
    """A curve's points as plain floats (two empty lists before it has any)."""
    x, y = curve.getData()
    if x is None:
        return [], []
    return [float(v) for v in x], [float(v) for v in y]


class TimeSeriesChart(_ThemedChart):
    """Page views and unique visitors over time, with a date axis and a hover read-out.

    Mouse wheel zooms, dragging pans (pyqtgraph's view box); :meth:`reset_view`
    fits everything again. Hovering shows the exact values of the nearest bucket
    in a read-out above the plot (a label, not a tooltip, so it stays readable).
    """

    sig_hovered = Signal(str)
    """The read-out text changed (empty when the pointer left the plot)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[SeriesPoint] = []
        self._hourly = False
        self._date_axis = BucketDateAxis()
        self._plot = pg.PlotWidget(axisItems={"bottom": self._date_axis, "left": CountAxis(orientation="left")})
        self._plot.setMinimumHeight(220)
        self._plot.showGrid(x=True, y=True, alpha=0.15)
        self._plot.setMenuEnabled(False)
        _parent_the_plot_menu(self._plot)
        item = self._plot.getPlotItem()
        item.hideButtons()
        self._pageviews_curve = self._plot.plot(
            [],
            [],
            pen=pg.mkPen(PAGEVIEWS_COLOR, width=2),
            symbol="o",
            symbolSize=5,
            symbolBrush=PAGEVIEWS_COLOR,
            symbolPen=None,
        )
        self._visitors_curve = self._plot.plot(
            [],
            [],
            pen=pg.mkPen(VISITORS_COLOR, width=2),
            symbol="o",
            symbolSize=5,
            symbolBrush=VISITORS_COLOR,
            symbolPen=None,
        )
        # The bucket still running (today, this hour) is drawn dashed from the last full one:
        # its count is not complete, and a solid line dropping to it reads as a collapse.
        self._so_far_curves = [
            self._plot.plot([], [], pen=pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine))
            for color in (PAGEVIEWS_COLOR, VISITORS_COLOR)
        ]
        self._cursor = pg.InfiniteLine(angle=90, movable=False)
        self._cursor.setVisible(False)
        self._plot.addItem(self._cursor, ignoreBounds=True)
        self._plot.getViewBox().setLimits(yMin=0)
        self._readout = QLabel(" ")
        self._readout.setObjectName("chartReadout")
        self._readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The legend sits above the plot, where it never hides a point.
        self._legend = QLabel(
            f"<span style='color:{PAGEVIEWS_COLOR}'>━●━</span> Page views &nbsp;&nbsp; "
            f"<span style='color:{VISITORS_COLOR}'>━●━</span> Unique visitors"
        )
        header = QHBoxLayout()
        header.addWidget(self._readout, 1)
        header.addWidget(self._legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self._plot, 1)
        self._plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.apply_palette()

    def apply_palette(self) -> None:
        """Paint the plot in the widget's palette (called again when the theme changes)."""
        background, foreground = _palette_colors(self)
        _style_plot(self._plot, background, foreground)
        self._plot.setLabel("left", "Count", color=foreground.name())
        self._cursor.setPen(pg.mkPen(foreground, style=Qt.PenStyle.DotLine))

    # ----- data ------------------------------------------------------------
    def set_points(self, points: Sequence[SeriesPoint], *, hourly: bool = False) -> None:
        """Plot ``points`` (any order) and fit the view to them."""
        self._points = sorted(points, key=lambda p: p.start)
        self._hourly = hourly
        xs = [p.start.timestamp() for p in self._points]
        self._date_axis.hourly = hourly
        self._date_axis.anchor = xs[0] if xs else 0.0
        views = [p.pageviews for p in self._points]
        visitors = [p.unique_visitors for p in self._points]
        # ``connect``: whether each point joins the next; the last join of a running bucket
        # is left to the dashed curves.
        joined = [True] * len(xs)
        if self.last_is_partial() and len(xs) >= 2:
            joined[-2] = False
            for curve, values in zip(self._so_far_curves, (views, visitors), strict=True):
                curve.setData(xs[-2:], values[-2:])
        else:
            for curve in self._so_far_curves:
                curve.setData([], [])
        connect = np.array(joined, dtype=bool)
        self._pageviews_curve.setData(xs, views, connect=connect)
        self._visitors_curve.setData(xs, visitors, connect=connect)
        self._cursor.setVisible(False)
        self._readout.setText(" ")
        self.reset_view()

    def points(self) -> list[SeriesPoint]:
        return list(self._points)

    def last_is_partial(self, now: _dt.datetime | None = None) -> bool:
        """Whether the last bucket (a day, or an hour on the 24-hour range) has not ended yet."""
        if not self._points:
            return False
        last = self._points[-1].start
        length = _dt.timedelta(hours=1) if self._hourly else _dt.timedelta(days=1)
        moment = now or _dt.datetime.now(_dt.UTC)
        return last <= moment < last + length

    def dashed_segment(self) -> tuple[list[float], list[float]]:
        """The dashed page-views curve (x seconds, values): the last two points while the last bucket runs."""
        return _curve_data(self._so_far_curves[0])

    def plotted(self) -> tuple[list[float], list[float], list[float]]:
        """What the curves hold: (x seconds, page views, unique visitors)."""
        xs, views = _curve_data(self._pageviews_curve)
        _, visitors = _curve_data(self._visitors_curve)
        return xs, views, visitors

    def reset_view(self) -> None:
        """Undo zoom and pan: fit all points, counts from zero."""
        view_box = self._plot.getViewBox()
        if not self._points:
            view_box.enableAutoRange()
            return
        xs = [p.start.timestamp() for p in self._points]
        top = max(max(p.pageviews, p.unique_visitors) for p in self._points)
        span = max(xs) - min(xs) or 3600.0
        view_box.setRange(
            xRange=(min(xs) - span * 0.02, max(xs) + span * 0.02), yRange=(0, max(top, 1) * 1.1), padding=0
        )

    def view_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        (x0, x1), (y0, y1) = self._plot.getViewBox().viewRange()
        return (x0, x1), (y0, y1)

    def zoom(self, factor: float) -> None:
        """Zoom around the centre (factor < 1 zooms in), as the mouse wheel does."""
        self._plot.getViewBox().scaleBy((factor, 1.0))

    def plot_widget(self) -> pg.PlotWidget:
        return self._plot

    # ----- hover -------------------------------------------------------------
    def readout_text(self) -> str:
        return self._readout.text().strip()

    def describe_nearest(self, x_seconds: float) -> str:
        """The read-out for the bucket nearest ``x_seconds`` (empty if no data)."""
        if not self._points:
            return ""
        point = min(self._points, key=lambda p: abs(p.start.timestamp() - x_seconds))
        local = point.start.astimezone()
        when = local.strftime("%a %d %b %Y, %H:00") if self._hourly else local.strftime("%a %d %b %Y")
        so_far = " so far" if point is self._points[-1] and self.last_is_partial() else ""
        return f"{when}: {point.pageviews:,} page views, {point.unique_visitors:,} unique visitors{so_far}"

    def hover_at(self, x_seconds: float) -> str:
        """Show the read-out and cursor for ``x_seconds``; returns the text shown."""
        text = self.describe_nearest(x_seconds)
        if text:
            point = min(self._points, key=lambda p: abs(p.start.timestamp() - x_seconds))
            self._cursor.setPos(point.start.timestamp())
            self._cursor.setVisible(True)
        self._readout.setText(text or " ")
        self.sig_hovered.emit(text)
        return text

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        view_box = self._plot.getViewBox()
        if not view_box.sceneBoundingRect().contains(scene_pos):
            return
        self.hover_at(view_box.mapSceneToView(scene_pos).x())


class RankedBarChart(_ThemedChart):
    """Horizontal bars, largest first, labelled on the left (top pages, referrers)."""

    def __init__(self, title: str, value_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[str, int]] = []
        self._plot = pg.PlotWidget(axisItems={"bottom": CountAxis(orientation="bottom")})
        self._plot.setMenuEnabled(False)
        _parent_the_plot_menu(self._plot)
        self._plot.setMouseEnabled(x=False, y=False)
        self._plot.setMinimumHeight(160)
        item = self._plot.getPlotItem()
        item.hideButtons()
        self._title = title
        self._value_label = value_label
        self._bars = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[], brush=BAR_COLOR)
        self._plot.addItem(self._bars)
        self._empty = QLabel("Nothing recorded in this period.")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._plot, 1)
        layout.addWidget(self._empty)
        self.apply_palette()

    def apply_palette(self) -> None:
        """Paint the chart in the widget's palette (called again when the theme changes)."""
        background, foreground = _palette_colors(self)
        _style_plot(self._plot, background, foreground)
        self._plot.getPlotItem().setTitle(self._title, color=foreground.name())
        self._plot.setLabel("bottom", self._value_label, color=foreground.name())

    def set_items(self, items: Sequence[tuple[str, int]], *, limit: int = 10) -> None:
        """Show the ``limit`` largest ``(label, value)`` pairs, largest at the top."""
        ranked = sorted(items, key=lambda pair: pair[1], reverse=True)[:limit]
        self._items = ranked
        count = len(ranked)
        # Row 0 at the top: y runs from count-1 (largest) down to 0.
        ys = [count - 1 - i for i in range(count)]
        self._bars.setOpts(x0=[0] * count, y=ys, height=0.6, width=[v for _, v in ranked])
        ticks = [(count - 1 - i, self._short(label)) for i, (label, _) in enumerate(ranked)]
        left = self._plot.getPlotItem().getAxis("left")
        left.setTicks([ticks])
        metrics = self.fontMetrics()
        left.setWidth(max((metrics.horizontalAdvance(t) for _, t in ticks), default=20) + 16)
        self._plot.setVisible(bool(ranked))
        self._empty.setVisible(not ranked)
        if ranked:
            self._plot.setXRange(0, max(v for _, v in ranked) * 1.08 or 1, padding=0)
            self._plot.setYRange(-0.6, count - 0.4, padding=0)

    def items(self) -> list[tuple[str, int]]:
        return list(self._items)

    def plot_widget(self) -> pg.PlotWidget:
        return self._plot

    def bar_widths(self) -> list[float]:
        return [float(v) for v in self._bars.opts.get("width", [])]

    @staticmethod
    def _short(label: str, limit: int = 28) -> str:
        return label if len(label) <= limit else label[: limit - 1] + "…"
