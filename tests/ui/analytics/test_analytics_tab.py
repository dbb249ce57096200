"""The Analytics tab against the real sandbox: charts equal the API's numbers, KPIs
compare with a fetched previous period, states, exports and the refresh policy."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.api import CodaiqClient
from codaiq_desktop.api.models import RateLimitInfo
from codaiq_desktop.ui.analytics.analytics_tab import RANGES, AnalyticsTab, refresh_delay

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def site(sandbox, services_key: str) -> str:
    project_id, website_id = sandbox.generate("A climbing gym in Sheffield", "Crux Climbing", key=services_key)
    sandbox.wait_ready(project_id, website_id, key=services_key)
    return website_id


@pytest.fixture
def busy_site(sandbox, services_key: str, site: str) -> str:
    response = sandbox.request("POST", "/api/sandbox/simulate", key=services_key, json={"websiteId": site, "days": 90})
    response.raise_for_status()
    assert response.json()["pageviews"] > 0
    return site


def make_tab(qtbot, services, until, website_id: str) -> AnalyticsTab:
    tab = AnalyticsTab(services)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    until(lambda: tab.website.findData(website_id) >= 0, message="the website list never loaded")
    return tab


def refreshed(tab: AnalyticsTab, until, action) -> object:
    results: list[object] = []
    tab.sig_refreshed.connect(results.append)
    action()
    until(lambda: results, message="no refresh arrived")
    tab.sig_refreshed.disconnect(results.append)
    return results[-1]


def api_json(sandbox, key: str, website_id: str, range_key: str, end: str | None = None) -> dict:
    params = {"websiteId": website_id, "range": range_key}
    if end:
        params["end"] = end
    response = sandbox.request("GET", "/api/analytics", key=key, params=params)
    response.raise_for_status()
    return response.json()


@pytest.mark.parametrize("range_key", list(RANGES))
def test_chart_series_equal_the_api_for_each_range(
    qtbot, services, sandbox, services_key, busy_site, until, range_key
) -> None:
    tab = make_tab(qtbot, services, until, busy_site)
    refreshed(tab, until, lambda: tab.select_website(busy_site))
    refreshed(tab, until, lambda: tab.set_range(range_key))
    expected = api_json(sandbox, services_key, busy_site, range_key)

    xs, views, visitors = tab.timeseries.plotted()
    series = expected["timeseries"]
    assert len(xs) == len(series) == {"24h": 24, "7d": 7, "30d": 30, "90d": 90}[range_key]
    assert views == [float(p["pageviews"]) for p in series]
    assert visitors == [float(p["uniqueVisitors"]) for p in series]
    expected_x = [dt.datetime.fromisoformat(p["date"]).timestamp() for p in series]
    assert xs == expected_x
    assert tab.top_pages.items() == [(p["path"], p["pageviews"]) for p in expected["topPages"]][:10]
    assert [label for label, _ in tab.referrers.items()] == [r["source"] or "Direct" for r in expected["referrers"]][
        :10
    ]
    assert tab.pageviews_card.value.text() == f"{expected['totalPageviews']:,}"
    assert tab.visitors_card.value.text() == f"{expected['uniqueVisitors']:,}"
    assert tab.stack.currentIndex() == tab.PAGE_CHARTS

    # The change is against the previous window, fetched with end = start of this one.
    previous = api_json(sandbox, services_key, busy_site, range_key, end=expected["start"])
    assert previous["end"] == expected["start"]
    if previous["totalPageviews"]:
        pct = (expected["totalPageviews"] - previous["totalPageviews"]) / previous["totalPageviews"] * 100
        assert (
            f"{abs(pct):.1f}% vs previous period ({previous['totalPageviews']:,})" in tab.pageviews_card.change.text()
        )
    else:
        assert (
            "none the period before" in tab.pageviews_card.change.text().lower()
            or "either" in tab.pageviews_card.change.text()
        )


def test_hover_readout_zoom_reset_and_exports(qtbot, services, busy_site, until, tmp_path: Path) -> None:
    tab = make_tab(qtbot, services, until, busy_site)
    result = refreshed(tab, until, lambda: tab.select_website(busy_site))
    first = result.current.timeseries[2]
    text = tab.timeseries.hover_at(first.date.timestamp() + 3600)
    assert f"{first.pageviews:,} page views" in text and f"{first.unique_visitors:,} unique visitors" in text
    assert tab.timeseries.readout_text() == text

    before = tab.timeseries.view_range()[0]
    tab.timeseries.zoom(0.5)
    zoomed = tab.timeseries.view_range()[0]
    assert zoomed[1] - zoomed[0] < (before[1] - before[0]) * 0.75
    tab.reset_zoom_button.click()
    assert tab.timeseries.view_range()[0] == pytest.approx(before, rel=1e-6)

    png = tmp_path / "chart.png"
    tab.export_png(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = tmp_path / "data.csv"
    rows = tab.export_csv(data)
    with data.open(newline="", encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    assert rows == len(lines)
    series = [row for row in lines if row["section"] == "timeseries"]
    assert [int(r["pageviews"]) for r in series] == [p.pageviews for p in result.current.timeseries]
    assert {r["date_or_label"] for r in lines if r["section"] == "top_page"} == {
        p.path for p in result.current.top_pages
    }


def test_empty_site_offers_to_simulate_traffic(qtbot, services, site, until) -> None:
    tab = make_tab(qtbot, services, until, site)
    refreshed(tab, until, lambda: tab.select_website(site))
    assert tab.stack.currentIndex() == tab.PAGE_EMPTY
    assert "No visits yet" in tab.empty_label.text() and "simulate traffic in the sandbox" in tab.empty_label.text()
    assert tab.simulate_button.isVisible()
    result = refreshed(tab, until, tab.simulate_button.click)
    assert result.current.total_pageviews > 0
    assert tab.stack.currentIndex() == tab.PAGE_CHARTS


def test_errors_show_in_place_and_keep_numbers(qtbot, services, busy_site, sandbox_faults, until) -> None:
    sandbox_faults.set({"path": "/api/analytics", "kind": "error", "status": 500, "count": 10})
    tab = make_tab(qtbot, services, until, busy_site)
    until(lambda: tab.stack.currentIndex() == tab.PAGE_ERROR)
    assert "could not be loaded" in tab.error_label.text()
    assert "Traceback" not in tab.error_label.text()
    sandbox_faults.clear()
    refreshed(tab, until, tab.retry_button.click)
    assert tab.stack.currentIndex() == tab.PAGE_CHARTS

    # Rate limited while numbers are shown: they stay; the status says why, and the next
    # automatic refresh waits at least as long as the server asked.
    sandbox_faults.set({"path": "/api/analytics", "kind": "rate_limit", "retryAfter": 120, "count": 10})
    task = tab.refresh()
    until(task.done)
    assert tab.stack.currentIndex() == tab.PAGE_CHARTS
    assert tab.status.text().startswith("Not refreshed")
    assert tab.next_refresh_in is not None and tab.next_refresh_in > 100


def test_server_without_end_gets_no_guessed_change() -> None:
    """A server that ignores ``end`` (no echo) must not produce a "previous period"."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "websiteId": "w1",
                "range": "7d",
                "totalPageviews": 10,
                "uniqueVisitors": 4,
                "topPages": [],
                "referrers": [],
                "timeseries": [],
            },
        )

    import asyncio

    async def run() -> object:
        async with CodaiqClient(
            "http://127.0.0.1:9/api", "key_test_0123456789abcdef", transport=httpx.MockTransport(handler)
        ) as client:
            return await AnalyticsTab._fetch(client, "w1", "7d")

    result = asyncio.run(run())
    assert result.previous is None
    assert result.previous_error.startswith("Previous period unavailable")


def test_refresh_delay_respects_the_quota() -> None:
    now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    assert refresh_delay(None, now=now) == 60.0
    plenty = RateLimitInfo(limit=20_000, remaining=19_000, reset_at=now + dt.timedelta(hours=1))
    assert refresh_delay(plenty, now=now) == 60.0
    # 100 left for an hour: 10% share = 10 requests = 5 refreshes → one every 12 minutes.
    tight = RateLimitInfo(limit=100, remaining=100, reset_at=now + dt.timedelta(hours=1))
    assert refresh_delay(tight, now=now) == pytest.approx(720.0)
    empty = RateLimitInfo(limit=100, remaining=1, reset_at=now + dt.timedelta(minutes=30))
    assert refresh_delay(empty, now=now) == pytest.approx(1800.0)
    assert refresh_delay(None, now=now, resume_at=now.timestamp() + 300) == pytest.approx(300.0)


def test_refresh_runs_only_while_visible(qtbot, services, busy_site, until) -> None:
    tab = make_tab(qtbot, services, until, busy_site)
    refreshed(tab, until, lambda: tab.select_website(busy_site))
    assert tab.next_refresh_in is not None and 50 < tab.next_refresh_in <= 60
    tab.hide()
    assert tab.next_refresh_in is None
    tab.show()
    assert tab.next_refresh_in is not None and tab.next_refresh_in <= 60

    # Another part of the app used most of the quota: the next refresh moves back.
    now = dt.datetime.now(dt.UTC)
    services.rate_limit = RateLimitInfo(limit=100, remaining=100, reset_at=now + dt.timedelta(hours=1))
    services.sig_rate_limit.emit(services.rate_limit)
    assert 650 < tab.next_refresh_in <= 720


def test_screenshot_of_the_analytics_tab(qtbot, services, busy_site, until) -> None:
    tab = make_tab(qtbot, services, until, busy_site)
    refreshed(tab, until, lambda: tab.set_range("30d"))
    result = tab.result()
    tab.timeseries.hover_at(result.current.timeseries[20].date.timestamp())
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "analytics_tab.png"
    assert tab.grab().save(str(path))
    assert path.stat().st_size > 20_000


def test_charts_follow_a_theme_change(qtbot) -> None:
    from PySide6.QtGui import QColor, QPalette

    from codaiq_desktop.ui.analytics.analytics_charts import RankedBarChart, TimeSeriesChart

    for chart in (TimeSeriesChart(), RankedBarChart("Top pages", "Page views")):
        qtbot.addWidget(chart)
        dark = QPalette(chart.palette())
        dark.setColor(QPalette.ColorRole.Base, QColor("#23272e"))
        dark.setColor(QPalette.ColorRole.Text, QColor("#e6e8eb"))
        chart.setPalette(dark)  # what the app's palette change delivers to every widget
        plot = chart._plot
        assert plot.backgroundBrush().color() == QColor("#23272e")
        assert plot.getPlotItem().getAxis("left").textPen().color() == QColor("#e6e8eb")


def test_a_chart_hidden_during_a_theme_change_shows_the_new_theme(qtbot) -> None:
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication, QLabel, QTabWidget

    from codaiq_desktop.ui.analytics.analytics_charts import TimeSeriesChart
    from codaiq_desktop.ui.shell.theme import theme_manager

    theme_manager().set_mode("light")
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    chart = TimeSeriesChart()
    tabs.addTab(QLabel("other"), "Other")
    tabs.addTab(chart, "Chart")
    tabs.resize(600, 400)
    tabs.show()
    tabs.setCurrentWidget(chart)
    qtbot.waitExposed(tabs)
    tabs.setCurrentIndex(0)
    try:
        theme_manager().set_mode("dark")
        tabs.setCurrentWidget(chart)
        plot = chart._plot
        base = QApplication.palette().color(QPalette.ColorRole.Base)
        assert base.lightness() < 100, "the dark theme did not apply"
        assert plot.backgroundBrush().color() == base
        image = chart.grab().toImage()
        assert QColor(image.pixel(image.width() // 2, image.height() // 2)).lightness() < 100
    finally:
        theme_manager().set_mode("system")


def test_switching_ranges_back_reuses_the_previous_period(qtbot, services, until, busy_site) -> None:
    """A closed past window does not change: switching back to a range costs one request, not two."""
    tab = make_tab(qtbot, services, until, busy_site)
    calls: list[tuple[str, object]] = []
    client = services.client
    real = client.analytics

    async def counted(website_id, range="7d", end=None):
        calls.append((range, end))
        return await real(website_id, range, end=end)

    client.analytics = counted
    until(lambda: tab.result() is not None and tab.result().website_id == busy_site)
    calls.clear()

    first = refreshed(tab, until, lambda: tab.set_range("30d"))
    assert len(calls) == 2 and first.previous is not None
    refreshed(tab, until, lambda: tab.set_range("7d"))
    refreshed(tab, until, lambda: tab.set_range("30d"))
    assert len(calls) == 4  # back on 30d: only the current window was asked for
    again = tab.result()
    assert again.previous is not None and again.previous.total_pageviews == first.previous.total_pageviews
    assert "vs previous period" in tab.pageviews_card.change.text()

    refreshed(tab, until, tab.refresh_all)  # the Refresh button asks for both again
    assert len(calls) == 6


def test_simulate_traffic_is_offered_for_sandbox_sites_even_with_visits(qtbot, services, until, busy_site) -> None:
    tab = make_tab(qtbot, services, until, busy_site)
    until(lambda: tab.result() is not None and tab.stack.currentIndex() == tab.PAGE_CHARTS)
    assert tab.simulate_bar_button.isVisible()
    before = int(tab.result().current.total_pageviews)
    refreshed(tab, until, tab.simulate_bar_button.click)
    until(lambda: tab.simulate_bar_button.isEnabled())
    assert int(tab.result().current.total_pageviews) > before


def test_the_bar_fits_without_controls_overlapping(qtbot, services, until, busy_site) -> None:
    from PySide6.QtCore import QPoint, QRect

    tab = make_tab(qtbot, services, until, busy_site)
    until(lambda: tab.result() is not None and tab.simulate_bar_button.isVisible())
    tab.status.setText("Updated 16:18:00 \u00b7 next refresh in 59 s")
    tab.resize(1236, 800)  # as inside a 1280-pixel main window
    qtbot.waitUntil(lambda: tab.width() == 1236)

    def rect(widget) -> QRect:
        return QRect(widget.mapTo(tab, QPoint(0, 0)), widget.size())

    controls = [
        tab.website,
        *tab.range_buttons.buttons(),
        tab.refresh_button,
        tab.simulate_bar_button,
        tab.reset_zoom_button,
        tab.export_png_button,
        tab.export_csv_button,
        getattr(tab, "report_button", tab.export_csv_button),
    ]
    controls = list(dict.fromkeys(c for c in controls if c.isVisible()))
    for i, first in enumerate(controls):
        for second in controls[i + 1 :]:
            assert not rect(first).intersects(rect(second)), f"{first.accessibleName() or first.text()} overlaps"
    assert tab.website.width() >= tab.website.minimumWidth()
    # The status has a line of its own: read whole, not cut to "Updated".
    status = tab.status
    assert status.isVisible() and status.width() >= status.fontMetrics().horizontalAdvance(status.text())
    assert not any(rect(status).intersects(rect(control)) for control in controls)
