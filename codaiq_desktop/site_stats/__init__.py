"""Figures of many websites at once, for the Overview tab and client reports (no Qt).

- :mod:`.periods`: the exact window a figure covers, the one before it, and how to say it.
- :mod:`.pacing`: spends the API key's rate limit without ever running into it.
- :mod:`.site_figures`: one website's numbers for a period and the one before (``SiteFigures``),
  fetched for every site of an account with bounded concurrency (``SiteFiguresFetcher``).
- :mod:`.figures_cache`: the last figures on disk, with their time, so a reopened view is instant.
- :mod:`.lead_counts`: leads per site from the local inbox, counted, never listed.
- :mod:`.report_data`: everything a client report says about one website.

The command line, the Overview tab and the benchmarks share all of it. Names are loaded
on first use (the Overview tab is built at start-up, before the API client is needed).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "RANGE_SPANS": "periods",
    "Period": "periods",
    "parse_report_end": "periods",
    "QuotaExhaustedError": "pacing",
    "QuotaPacer": "pacing",
    "FetchProgress": "site_figures",
    "SiteFigures": "site_figures",
    "SiteFiguresFetcher": "site_figures",
    "SiteInfo": "site_figures",
    "change_percent": "change",
    "FiguresCache": "figures_cache",
    "LeadSummary": "lead_counts",
    "SiteLeadCounts": "lead_counts",
    "lead_summary": "lead_counts",
    "site_lead_counts": "lead_counts",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
