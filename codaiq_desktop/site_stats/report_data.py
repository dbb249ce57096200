"""Everything a client report says about one website, gathered without Qt.

For each website: the analytics of the chosen window and of the equal window before
it (asked for by its exact end, and only trusted when the service echoes that end),
the site's name, domain and build state from the projects list, and a count of its
leads from the local inbox. Rendering (``ui/reports``) then only lays this out; the
command line and the app gather it the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from codaiq_desktop.api import errors
from codaiq_desktop.site_stats.lead_counts import LeadSummary, lead_summary
from codaiq_desktop.site_stats.pacing import QuotaPacer
from codaiq_desktop.site_stats.periods import Period
from codaiq_desktop.site_stats.site_figures import SiteInfo, sites_of

__all__ = ["ReportSection", "UnknownWebsiteError", "gather_report", "open_inbox"]

log = logging.getLogger(__name__)


class UnknownWebsiteError(LookupError):
    """A website id the account's projects do not list."""

    def __init__(self, website_ids: list[str]) -> None:
        self.website_ids = website_ids
        super().__init__(
            f"No website with the id {', '.join(website_ids)} in this account's projects; "
            "`codaiq-desktop projects` lists them."
        )


@dataclass(frozen=True)
class ReportSection:
    """One website's part of a report. ``None`` figures are reported as "not provided"."""

    site: SiteInfo
    range: str
    analytics: Any
    previous: Any | None
    period: Period | None
    previous_period: Period | None
    previous_note: str | None
    leads: LeadSummary | None
    previous_leads_total: int | None
    leads_note: str | None
    fetched_at: datetime


async def gather_report(
    client: Any,
    website_ids: list[str],
    range_key: str,
    *,
    end: datetime | None = None,
    store: Any = None,
    account: str | None = None,
    include_leads: bool = False,
    inbox_note: str | None = None,
    pacer: QuotaPacer | None = None,
) -> list[ReportSection]:
    """Fetch each website's figures (paced under the key's quota) and count its leads."""
    pacer = pacer or QuotaPacer(concurrency=2)
    async with pacer.slot():
        try:
            projects = await client.list_projects()
        finally:
            pacer.observe(client.rate_limit)
    listed = sites_of(projects)
    sites = {site.website_id: site for site in listed if site.website_id}
    missing = [website_id for website_id in website_ids if website_id not in sites]
    if missing and not any(site.website_id is None for site in listed):
        raise UnknownWebsiteError(missing)
    for website_id in missing:
        # The service lists websites without ids (the documented API need not send them):
        # the id given still reaches the analytics; name and domain are "not provided".
        sites[website_id] = SiteInfo(website_id, None, None, None, None, None)
    sections = []
    for website_id in website_ids:
        site = sites[website_id]
        async with pacer.slot():
            try:
                current = await client.analytics(website_id, range_key, end=end)
            finally:
                pacer.observe(client.rate_limit)
        period = Period.from_analytics(current)
        previous = None
        previous_period = None
        previous_note = None
        if end is not None and period is not None and abs((period.end - end).total_seconds()) > 1.0:
            period = None  # not the window asked for: do not state it as if it were
        if period is None:
            previous_note = "not provided: the service did not say which period it measured"
        else:
            wanted = period.previous()
            try:
                async with pacer.slot():
                    try:
                        answer = await client.analytics(website_id, range_key, end=wanted.end)
                    finally:
                        pacer.observe(client.rate_limit)
            except errors.CodaiqError as exc:
                previous_note = f"not provided: {exc}"
            else:
                echoed = Period.from_analytics(answer)
                if echoed is None or abs((echoed.end - wanted.end).total_seconds()) > 1.0:
                    previous_note = "not provided: the service ignored the period asked for"
                else:
                    previous, previous_period = answer, echoed
        leads: LeadSummary | None = None
        previous_leads: int | None = None
        leads_note = inbox_note
        if store is not None and period is not None:
            leads = lead_summary(store, website_id, period, account=account, include_leads=include_leads)
            previous_leads = lead_summary(
                store, website_id, previous_period or period.previous(), account=account
            ).total
        elif store is not None:
            leads_note = "not provided: the period is unknown, so leads cannot be counted for it"
        sections.append(
            ReportSection(
                site=site,
                range=range_key,
                analytics=current,
                previous=previous,
                period=period,
                previous_period=previous_period,
                previous_note=previous_note,
                leads=leads,
                previous_leads_total=previous_leads,
                leads_note=leads_note,
                fetched_at=datetime.now(UTC),
            )
        )
    return sections


def open_inbox(path: Path | None) -> tuple[Any, str | None]:
    """The local lead store at ``path`` (the app's by default) for counting, or why there is none.

    A missing file is not created: the report then says leads are "not provided".
    """
    from codaiq_desktop.accounts import data_dir
    from codaiq_desktop.store import Store

    target = Path(path) if path is not None else data_dir() / "store.sqlite3"
    if not target.exists():
        return None, f"not provided: no local inbox at {target} (leads reach the desktop app through webhooks)"
    try:
        return Store(target), None
    except Exception as exc:  # noqa: BLE001 - a report without leads beats no report
        log.warning("Could not open the inbox %s: %s", target, exc)
        return None, f"not provided: the local inbox at {target} could not be opened ({exc})"
