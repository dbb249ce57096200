"""Figures of many websites at once, for the Overview tab and client reports (no Qt).

- :mod:`.periods`: the exact window a figure covers, the one before it, and how to say it.
- :mod:`.pacing`: spends the API key's rate limit without ever running into it.
- :mod:`.site_figures`: one website's numbers for a period and the one before (``SiteFigures``),
  fetched for every site of an account with bounded concurrency (``SiteFiguresFetcher``).
- :mod:`.figures_cache`: the last figures on disk, with their time, so a reopened view is instant.
- :mod:`.lead_counts`: leads per site from the local inbox, counted, never listed.

The command line, the Overview tab and the benchmarks share all of it.
"""

from __future__ import annotations

from codaiq_desktop.site_stats.figures_cache import FiguresCache
from codaiq_desktop.site_stats.lead_counts import LeadSummary, SiteLeadCounts, lead_summary, site_lead_counts
from codaiq_desktop.site_stats.pacing import QuotaExhaustedError, QuotaPacer
from codaiq_desktop.site_stats.periods import RANGE_SPANS, Period, parse_report_end
from codaiq_desktop.site_stats.site_figures import (
    FetchProgress,
    SiteFigures,
    SiteFiguresFetcher,
    SiteInfo,
    change_percent,
)

__all__ = [
    "RANGE_SPANS",
    "FetchProgress",
    "FiguresCache",
    "LeadSummary",
    "Period",
    "QuotaExhaustedError",
    "QuotaPacer",
    "SiteFigures",
    "SiteFiguresFetcher",
    "SiteInfo",
    "SiteLeadCounts",
    "change_percent",
    "lead_summary",
    "parse_report_end",
    "site_lead_counts",
]
