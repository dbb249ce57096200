"""Page-view analytics: privacy of visitor ids, windows and buckets, the traffic simulator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from codaiq_desktop.sandbox import ManualClock, SandboxConfig
from codaiq_desktop.sandbox.analytics import DAY, HOUR, PageView, referrer_source
from codaiq_desktop.sandbox.service import SandboxService

# Wednesday 2026-03-11 15:20 UTC
NOW = datetime(2026, 3, 11, 15, 20, tzinfo=UTC).timestamp()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def service(tmp_path, clock) -> Iterator[SandboxService]:
    service = SandboxService(SandboxConfig(data_dir=tmp_path, clock=clock))
    try:
        yield service
    finally:
        service.db.close()


def view(website_id: str, at: float, *, path: str = "/", ip: str = "203.0.113.9", agent: str = "UA", referrer=None):
    return PageView(website_id, path, referrer, ip, agent, at, own_host="127.0.0.1:1")


def visitors_of(service: SandboxService) -> list[str]:
    return [row[0] for row in service.db._db.execute("SELECT visitor FROM pageviews ORDER BY id")]


def test_visitor_ids_are_stable_within_a_day_and_unlinkable_across_days(service, clock) -> None:
    service.analytics.record([view("web_a", NOW), view("web_a", NOW + 60), view("web_a", NOW, ip="203.0.113.10")])
    clock.advance(DAY)
    service.analytics.record([view("web_a", clock())])
    same, again, other_ip, next_day = visitors_of(service)
    assert same == again
    assert other_ip != same
    assert next_day != same
    for visitor in (same, next_day):
        assert "203.0.113.9" not in visitor and "UA" not in visitor


def test_old_salts_are_forgotten(service, clock) -> None:
    service.analytics.record([view("web_a", NOW)])
    clock.advance(3 * DAY)
    service.analytics.record([view("web_a", clock())])
    days = [row[0] for row in service.db._db.execute("SELECT day FROM visitor_salts")]
    assert days == [int(clock() // DAY)]


def test_referrer_sources() -> None:
    assert referrer_source(None, "h:1") == "direct"
    assert referrer_source("", "h:1") == "direct"
    assert referrer_source("https://www.google.com/search?q=a", "h:1") == "google.com"
    assert referrer_source("http://h:1/sites/web/", "h:1") is None
    assert referrer_source("not a url", "h:1") == "direct"


def test_24h_buckets_are_whole_hours_ending_with_the_current_one(service) -> None:
    service.analytics.record([view("web_b", NOW), view("web_b", NOW - 2 * HOUR), view("web_b", NOW - 30 * HOUR)])
    report = service.analytics.report("web_b", "24h", None)
    assert report["end"] == "2026-03-11T16:00:00.000Z" and report["start"] == "2026-03-10T16:00:00.000Z"
    assert [p["pageviews"] for p in report["timeseries"]][-3:] == [1, 0, 1]
    assert report["totalPageviews"] == 2


def test_daily_buckets_are_utc_days_ending_today(service) -> None:
    service.analytics.record([view("web_c", NOW), view("web_c", NOW - DAY), view("web_c", NOW - 7 * DAY)])
    report = service.analytics.report("web_c", "7d", None)
    assert report["timeseries"][-1]["date"] == "2026-03-11T00:00:00.000Z"
    assert report["timeseries"][0]["date"] == "2026-03-05T00:00:00.000Z"
    assert [p["pageviews"] for p in report["timeseries"]] == [0, 0, 0, 0, 0, 1, 1]
    assert report["totalPageviews"] == 2
    last_week = service.analytics.report("web_c", "7d", NOW - 6 * DAY)
    assert last_week["totalPageviews"] == 1


def test_simulated_traffic_has_a_weekday_rhythm_and_a_realistic_mix(service) -> None:
    pages = ["/", "/pages/about.html", "/pages/services.html", "/pages/contact.html"]
    recorded = service.simulator.simulate("web_d", 90, pages)
    report = service.analytics.report("web_d", "90d", None)
    assert report["totalPageviews"] == recorded
    weekday_views, weekend_views = [], []
    for point in report["timeseries"][:-1]:  # the last day is still running
        day = datetime.fromisoformat(point["date"].replace("Z", "+00:00"))
        (weekend_views if day.weekday() >= 5 else weekday_views).append(point["pageviews"])
    assert sum(weekday_views) / len(weekday_views) > 1.3 * sum(weekend_views) / len(weekend_views)
    first_month = sum(p["pageviews"] for p in report["timeseries"][:30])
    last_month = sum(p["pageviews"] for p in report["timeseries"][-31:-1])
    assert last_month > first_month  # slow growth
    sources = {r["source"]: r["visits"] for r in report["referrers"]}
    assert max(sources, key=sources.get) == "google.com"
    assert {"direct", "facebook.com", "linkedin.com"} <= set(sources)
    assert report["topPages"][0]["path"] == "/"
    assert {p["path"] for p in report["topPages"]} == set(pages)
    assert report["uniqueVisitors"] < report["totalPageviews"]


def test_simulation_is_reproducible(tmp_path, clock) -> None:
    counts = []
    for name in ("one", "two"):
        service = SandboxService(SandboxConfig(data_dir=tmp_path / name, clock=clock))
        try:
            counts.append(service.simulator.simulate("web_same", 30, ["/", "/pages/about.html"]))
        finally:
            service.db.close()
    assert counts[0] == counts[1] > 0
