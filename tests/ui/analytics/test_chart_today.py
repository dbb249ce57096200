"""The bucket still running (today, or this hour) is drawn dashed and read out as "so far"."""

from __future__ import annotations

import datetime as dt

from codaiq_desktop.ui.analytics.analytics_charts import SeriesPoint, TimeSeriesChart


def _days_to(last: dt.datetime, days: int) -> list[SeriesPoint]:
    return [SeriesPoint(last - dt.timedelta(days=days - 1 - n), 50 + n, 30 + n) for n in range(days - 1)] + [
        SeriesPoint(last, 3, 2)
    ]


def test_today_is_dashed_and_said_to_be_so_far(qtbot) -> None:
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    chart.set_points(_days_to(today, 7))

    assert chart.last_is_partial()
    xs, views, _visitors = chart.plotted()
    assert len(xs) == 7  # every day is still plotted (and exported) ...
    dashed_x, dashed_views = chart.dashed_segment()
    assert dashed_x == xs[-2:] and dashed_views == views[-2:]  # ... the last step dashed
    assert chart.hover_at(xs[-1]).endswith("2 unique visitors so far")
    assert "so far" not in chart.hover_at(xs[0])


def test_past_days_are_all_solid(qtbot) -> None:
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    chart.set_points(_days_to(dt.datetime(2026, 9, 30, tzinfo=dt.UTC), 7))

    assert not chart.last_is_partial()
    assert chart.dashed_segment() == ([], [])
    assert "so far" not in chart.hover_at(chart.plotted()[0][-1])


def test_this_hour_on_the_hourly_range(qtbot) -> None:
    chart = TimeSeriesChart()
    qtbot.addWidget(chart)
    hour = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    points = [SeriesPoint(hour - dt.timedelta(hours=23 - n), n, n) for n in range(24)]
    chart.set_points(points, hourly=True)

    assert chart.last_is_partial()
    assert len(chart.dashed_segment()[0]) == 2
    # Yesterday's bucket at this hour has ended, even though today's has not.
    assert not chart.last_is_partial(now=hour + dt.timedelta(hours=1))
