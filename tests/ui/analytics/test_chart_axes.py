"""Axes of the count charts: whole-number ticks, and date labels that do not run into each other.

Checked on what pyqtgraph would paint: the axis' own draw specs (text and rectangles)
at the chart's real size.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QImage, QPainter

from codaiq_desktop.ui.analytics.analytics_charts import RankedBarChart, SeriesPoint, TimeSeriesChart


def _labels(axis) -> list[tuple[object, str]]:
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if specs is None:
        return []
    _axis_spec, _tick_specs, text_specs = specs
    return [(rect, text) for rect, _flags, text in text_specs]


def _series(days: int, top: int) -> list[SeriesPoint]:
    start = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    return [SeriesPoint(start + dt.timedelta(days=n), n % (top + 1), (n * 7) % (top + 1)) for n in range(days)]


@pytest.mark.parametrize("top", [1, 2, 3, 5])
def test_small_counts_have_whole_number_ticks(qtbot, top: int) -> None:
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    chart.resize(900, 360)
    chart.show()
    chart.set_points(_series(7, top))
    qtbot.waitExposed(chart)
    texts = [text for _rect, text in _labels(chart.plot_widget().getPlotItem().getAxis("left"))]
    assert texts, "no ticks on the count axis"
    for text in texts:
        assert float(text.replace(",", "")).is_integer() and "." not in text, texts

    bars = RankedBarChart("Top pages", "Page views")
    qtbot.addWidget(bars)
    bars.resize(500, 260)
    bars.show()
    bars.set_items([("/", top), ("/about", 1)])
    qtbot.waitExposed(bars)
    texts = [text for _rect, text in _labels(bars.plot_widget().getPlotItem().getAxis("bottom"))]
    assert texts and all("." not in text for text in texts), texts


@pytest.mark.parametrize(("days", "width"), [(7, 700), (30, 700), (90, 700), (90, 1200), (30, 420)])
def test_date_labels_do_not_crowd(qtbot, days: int, width: int) -> None:
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    chart.resize(width, 360)
    chart.show()
    chart.set_points(_series(days, 40))
    qtbot.waitExposed(chart)
    labels = sorted(_labels(chart.plot_widget().getPlotItem().getAxis("bottom")), key=lambda item: item[0].left())
    assert len(labels) >= 2, labels
    gap = chart.fontMetrics().horizontalAdvance("  ")
    for (left, left_text), (right, right_text) in zip(labels, labels[1:], strict=False):
        assert left.right() + gap <= right.left(), f"{left_text!r} runs into {right_text!r}"


def test_hourly_labels_are_times(qtbot) -> None:
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    chart.resize(900, 360)
    chart.show()
    start = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    chart.set_points([SeriesPoint(start + dt.timedelta(hours=n), n, n) for n in range(24)], hourly=True)
    qtbot.waitExposed(chart)
    texts = [text for _rect, text in _labels(chart.plot_widget().getPlotItem().getAxis("bottom"))]
    assert len(texts) >= 4 and all(len(t) == 5 and t[2] == ":" for t in texts), texts
