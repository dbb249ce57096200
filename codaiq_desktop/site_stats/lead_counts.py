"""Leads per website from the local inbox, as counts: the Overview's column and a report's summary.

The Codaiq API has no call that lists leads; they reach the app as webhooks and live
in the local store. These helpers only count (by site, status and week), so a
client report carries no personal data unless the caller asks for the leads
themselves (``include_leads``). They run SQL through the store's public reads and
block for a few milliseconds per site: call them off the UI thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from codaiq_desktop.site_stats.periods import Period
from codaiq_desktop.store.models import LEAD_STATUSES, LeadFilter

__all__ = ["LeadSummary", "SiteLeadCounts", "lead_summary", "site_lead_counts"]


@dataclass(frozen=True, slots=True)
class SiteLeadCounts:
    """A site's leads received in a period (``total``), those still ``new``, and the last one ever."""

    website_id: str
    total: int
    new: int
    last_received_at: datetime | None


def site_lead_counts(
    store: Any, website_ids: Iterable[str], period_for: Any, *, account: str | None = None
) -> dict[str, SiteLeadCounts]:
    """Counts for each site; ``period_for(website_id) -> Period | None`` gives the window
    (``None``: no known period, so leads of the range's last span up to now are not guessed:
    total and new are then counted over all time)."""
    result: dict[str, SiteLeadCounts] = {}
    for website_id in website_ids:
        period = period_for(website_id)
        since = period.start if period is not None else None
        until = period.end if period is not None else None
        base = LeadFilter(website_id=website_id, since=since, until=until, account=account)
        total = store.count_leads(base)
        new = store.count_leads(
            LeadFilter(website_id=website_id, status="new", since=since, until=until, account=account)
        )
        latest = store.list_leads(LeadFilter(website_id=website_id, account=account), limit=1)
        last = latest[0].received_at if latest else None
        result[website_id] = SiteLeadCounts(website_id, total, new, last)
    return result


@dataclass(frozen=True)
class LeadSummary:
    """A report's leads section: counts by status and by week; the leads only when asked for."""

    period: Period
    total: int
    by_status: dict[str, int]
    by_week: list[tuple[datetime, datetime, int]]
    """(week start, week end, count), the first and last weeks cut to the period."""
    leads: list[Any] = field(default_factory=list)
    """The leads themselves (name, email, ...) only with ``include_leads``; else empty."""


def lead_summary(
    store: Any,
    website_id: str,
    period: Period,
    *,
    account: str | None = None,
    include_leads: bool = False,
    max_leads: int = 500,
) -> LeadSummary:
    """Count a site's leads received in ``period`` by status and by ISO week (Monday, UTC)."""

    def count(**criteria: Any) -> int:
        return int(store.count_leads(LeadFilter(website_id=website_id, account=account, **criteria)))

    total = count(since=period.start, until=period.end)
    by_status = {status: count(status=status, since=period.start, until=period.end) for status in LEAD_STATUSES}
    weeks: list[tuple[datetime, datetime, int]] = []
    start = period.start.astimezone(UTC)
    week_start = (start - timedelta(days=start.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    while week_start < period.end:
        week_end = week_start + timedelta(days=7)
        lo, hi = max(week_start, period.start), min(week_end, period.end)
        weeks.append((lo, hi, count(since=lo, until=hi)))
        week_start = week_end
    leads: list[Any] = []
    if include_leads:
        leads = store.list_leads(
            LeadFilter(website_id=website_id, since=period.start, until=period.end, account=account),
            sort="received_at",
            descending=False,
            limit=max_leads,
        )
    return LeadSummary(period=period, total=total, by_status=by_status, by_week=weeks, leads=list(leads))
