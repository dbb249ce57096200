"""Page-view recording, aggregation, and a traffic simulator that uses the same path.

A visitor is identified without storing who they are: the id is a hash of the IP address
and user agent with a salt that changes every UTC day and is deleted soon after, so ids
cannot be linked across days or traced back to an address. (The price: a person who comes
back on another day counts as another visitor in a multi-day range.)
"""

from __future__ import annotations

import hashlib
import math
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from codaiq_desktop.sandbox.clock import Clock, iso_utc
from codaiq_desktop.sandbox.database import SandboxDatabase

HOUR = 3600
DAY = 86_400
RANGES: dict[str, tuple[int, int]] = {  # range -> (buckets, seconds per bucket)
    "24h": (24, HOUR),
    "7d": (7, DAY),
    "30d": (30, DAY),
    "90d": (90, DAY),
}
SALT_DAYS_KEPT = 2
TOP_LIMIT = 10

PREVIEW_HEADER = "X-Codaiq-Preview"
"""A request carrying this header (any value) is the owner looking at the site (the app's
preview, its own checks): it is served but not counted as a page view."""
PREVIEW_QUERY = "codaiqPreview"
"""The same as a query parameter (``?codaiqPreview=1``), for tools that cannot set headers."""


def is_preview_request(headers: Any, query: Any) -> bool:
    """Whether a request is marked as the owner's own look at the site (not a visitor)."""
    return headers.get(PREVIEW_HEADER) is not None or query.get(PREVIEW_QUERY) is not None


@dataclass(frozen=True)
class PageView:
    """One view as the web server saw it."""

    website_id: str
    path: str
    referrer: str | None
    ip: str
    user_agent: str
    at: float
    own_host: str | None = None
    internal: bool = False
    """A click from one page of the site to another: counted, but not as a referral."""


def referrer_source(referrer: str | None, own_host: str | None) -> str | None:
    """Where a visit came from: a host name, ``direct``, or ``None`` for a click inside the site."""
    if not referrer:
        return "direct"
    parts = urlsplit(referrer)
    host = (parts.hostname or "").lower()
    if not host:
        return "direct"
    if own_host is not None and parts.netloc.lower() == own_host.lower():
        return None
    return host.removeprefix("www.")


class Analytics:
    """Records views and answers the analytics endpoint."""

    def __init__(self, db: SandboxDatabase, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._salts: dict[int, str] = {}

    def _salt(self, day: int) -> str:
        salt = self._salts.get(day)
        if salt is None:
            salt = self._salts[day] = self._db.visitor_salt(day, lambda: secrets.token_hex(16))
            today = int(self._clock() // DAY)
            self._db.forget_salts_before(today - SALT_DAYS_KEPT + 1)
            self._salts = {d: s for d, s in self._salts.items() if d > today - SALT_DAYS_KEPT or d == day}
        return salt

    def visitor_id(self, ip: str, user_agent: str, at: float) -> str:
        salt = self._salt(int(at // DAY))
        digest = hashlib.sha256(f"{salt}|{ip}|{user_agent}".encode()).hexdigest()
        return digest[:20]

    def record(self, views: Iterable[PageView]) -> int:
        """Store views (real ones one at a time, simulated ones in bulk); returns how many."""
        rows = [
            (
                view.website_id,
                view.at,
                view.path,
                None if view.internal else referrer_source(view.referrer, view.own_host),
                self.visitor_id(view.ip, view.user_agent, view.at),
            )
            for view in views
        ]
        return self._db.add_pageviews(rows)

    def window(self, range_name: str, end: float | None) -> tuple[float, float]:
        """``[start, end)`` for a range; without ``end``, the current hour/day is the last bucket."""
        buckets, step = RANGES[range_name]
        if end is None:
            end = (math.floor(self._clock() / step) + 1) * step
        return end - buckets * step, end

    def report(self, website_id: str, range_name: str, end: float | None) -> dict[str, Any]:
        buckets, step = RANGES[range_name]
        start, stop = self.window(range_name, end)
        total, unique = self._db.pageview_summary(website_id, start, stop)
        per_bucket = self._db.buckets(website_id, start, stop, step)
        timeseries = []
        for index in range(buckets):
            views, visitors = per_bucket.get(index, (0, 0))
            timeseries.append({"date": iso_utc(start + index * step), "pageviews": views, "uniqueVisitors": visitors})
        return {
            "websiteId": website_id,
            "range": range_name,
            "start": iso_utc(start),
            "end": iso_utc(stop),
            "totalPageviews": total,
            "uniqueVisitors": unique,
            "topPages": [
                {"path": path, "pageviews": count}
                for path, count in self._db.top_pages(website_id, start, stop, TOP_LIMIT)
            ],
            "referrers": [
                {"source": source, "visits": count}
                for source, count in self._db.referrers(website_id, start, stop, TOP_LIMIT)
            ],
            "timeseries": timeseries,
        }


_REFERRERS: Sequence[tuple[str | None, float]] = (
    ("https://www.google.com/", 0.38),
    (None, 0.24),
    ("https://www.facebook.com/", 0.10),
    ("https://www.instagram.com/", 0.08),
    ("https://www.linkedin.com/", 0.06),
    ("https://www.bing.com/", 0.05),
    ("https://duckduckgo.com/", 0.04),
    ("https://news.ycombinator.com/", 0.03),
    ("https://mail.example-newsletter.com/", 0.02),
)
_USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
)
# Relative weight of each weekday (Monday first) and of each UTC hour.
_WEEKDAY_WEIGHT = (1.15, 1.2, 1.15, 1.1, 0.95, 0.6, 0.55)
_HOUR_WEIGHT = tuple(0.15 + math.exp(-((hour - 14) ** 2) / 18) for hour in range(24))


class TrafficSimulator:
    """Fills a site's history with plausible visits, recorded like real ones.

    Weekdays get more traffic than weekends, afternoons more than nights, the home page
    most views, and a search engine most referrals; traffic grows slowly over the period.
    The same site, days and end time always give the same history.
    """

    def __init__(self, analytics: Analytics, clock: Clock) -> None:
        self._analytics = analytics
        self._clock = clock

    def simulate(self, website_id: str, days: int, pages: Sequence[str], own_host: str | None = None) -> int:
        now = self._clock()
        rng = random.Random(f"{website_id}:{days}:{int(now // DAY)}")
        page_weights = [1.0 / (rank + 1.3) for rank in range(len(pages))]
        views: list[PageView] = []
        first_day = int(now // DAY) - days + 1
        for offset in range(days):
            day = first_day + offset
            weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
            growth = 0.7 + 0.6 * (offset / max(1, days - 1))
            visits = max(0, int(rng.gauss(40 * _WEEKDAY_WEIGHT[weekday] * growth, 6)))
            for _ in range(visits):
                hour = rng.choices(range(24), weights=_HOUR_WEIGHT)[0]
                at = day * DAY + hour * HOUR + rng.random() * HOUR
                if at >= now:
                    continue
                ip = f"198.51.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                agent = rng.choice(_USER_AGENTS)
                referrer = rng.choices([r for r, _ in _REFERRERS], weights=[w for _, w in _REFERRERS])[0]
                depth = 1 + min(4, int(rng.expovariate(0.9)))
                path = "/" if rng.random() < 0.7 else rng.choices(pages, weights=page_weights)[0]
                for step in range(depth):
                    views.append(PageView(website_id, path, referrer, ip, agent, at, own_host, internal=step > 0))
                    at = min(now - 0.001, at + rng.uniform(5, 90))
                    path = rng.choices(pages, weights=page_weights)[0]
        return self._analytics.record(views)
