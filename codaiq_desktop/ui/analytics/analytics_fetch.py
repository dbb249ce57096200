"""What the Analytics tab asks for and when: ranges, refresh pacing and the previous-period fetch.

Kept apart from the widgets so the rules (how far apart automatic refreshes are, when a
previous window's answer is trusted and cached) can be read and tested without a tab.
"""

from __future__ import annotations

import datetime as _dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codaiq_desktop.ui.common.formatting import to_datetime

if TYPE_CHECKING:
    from codaiq_desktop.api import CodaiqClient
    from codaiq_desktop.api.models import Analytics, RateLimitInfo

log = logging.getLogger(__name__)

RANGES: dict[str, _dt.timedelta] = {
    "24h": _dt.timedelta(hours=24),
    "7d": _dt.timedelta(days=7),
    "30d": _dt.timedelta(days=30),
    "90d": _dt.timedelta(days=90),
}
RANGE_LABELS = {"24h": "24 hours", "7d": "7 days", "30d": "30 days", "90d": "90 days"}
AUTO_REFRESH_SECONDS = 60.0
REQUESTS_PER_REFRESH = 2  # the current window and the previous one
#: Automatic refreshes may use at most this share of the requests left before the quota resets.
QUOTA_SHARE = 0.1
PREVIOUS_CACHE_SIZE = 32
"""Previous-period answers kept (a few websites times four ranges)."""


def refresh_delay(
    info: RateLimitInfo | None,
    *,
    now: _dt.datetime | None = None,
    base: float = AUTO_REFRESH_SECONDS,
    cost: int = REQUESTS_PER_REFRESH,
    share: float = QUOTA_SHARE,
    resume_at: float = 0.0,
) -> float:
    """Seconds until the next automatic refresh.

    Never less than ``base``; when the server reported its quota (``RateLimitInfo``),
    automatic refreshes spend at most ``share`` of the requests left before the reset
    (the user's own actions need the rest); when almost nothing is left, wait for the
    reset; after a 429 (``resume_at``, epoch seconds), wait until requests may resume.
    """
    moment = now or _dt.datetime.now(_dt.UTC)
    delay = base
    remaining = getattr(info, "remaining", None)
    reset_at = to_datetime(getattr(info, "reset_at", None))
    until_reset = max(0.0, (reset_at - moment).total_seconds()) if reset_at is not None else None
    if remaining is not None:
        if remaining <= cost:
            delay = max(delay, until_reset if until_reset is not None else 15 * 60.0)
        elif until_reset is not None:
            refreshes = max(remaining * share / cost, 1e-9)
            delay = max(delay, until_reset / refreshes)
    if resume_at:
        delay = max(delay, resume_at - moment.timestamp())
    return delay


@dataclass(frozen=True)
class AnalyticsResult:
    """What one refresh fetched: the current window and, when available, the previous one."""

    website_id: str
    range: str
    current: Analytics
    previous: Analytics | None
    previous_error: str | None
    fetched_at: _dt.datetime


async def fetch_analytics(
    client: CodaiqClient, website_id: str, range_key: str, cache: dict[tuple[str, str, str], Analytics] | None = None
) -> AnalyticsResult:
    """The current window and the previous, equal one (from ``cache`` when it holds it).

    The previous window is trusted only when the server echoes the ``end`` asked for.
    """
    current = await client.analytics(website_id, range_key)
    previous: Analytics | None = None
    previous_error = None
    end = current.end
    if end is None:
        previous_error = "Previous period unavailable (the server did not say which period it measured)"
    else:
        start = to_datetime(current.raw.get("start")) or end - RANGES[range_key]
        key = (website_id, range_key, start.isoformat())
        try:
            cached = cache.get(key) if cache is not None else None
            previous = cached if cached is not None else await client.analytics(website_id, range_key, end=start)
        except Exception as exc:  # noqa: BLE001 - the current numbers still show
            log.warning("Previous-period analytics failed: %s", type(exc).__name__)
            previous_error = "Previous period unavailable right now"
        else:
            echoed = previous.end
            if echoed is None or abs((echoed - start).total_seconds()) > 1.0:
                previous = None
                previous_error = "Previous period unavailable (the server ignored the period asked for)"
            elif cache is not None:
                if len(cache) >= PREVIOUS_CACHE_SIZE:
                    cache.pop(next(iter(cache)))
                cache[key] = previous
    return AnalyticsResult(website_id, range_key, current, previous, previous_error, _dt.datetime.now(_dt.UTC))


def missing_analytics(analytics: Analytics) -> list[str]:
    """What the service left out of an analytics answer, in words (empty: it sent everything)."""
    missing = []
    if analytics.unique_visitors is None:
        missing.append("unique visitors")
    if analytics.timeseries is None:
        missing.append("page views over time")
    if analytics.top_pages is None:
        missing.append("top pages")
    if analytics.referrers is None:
        missing.append("referrers")
    return missing
