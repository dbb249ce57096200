"""The numbers behind the Analytics tab's charts as CSV (no widgets: the tab picks the file)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from codaiq_desktop.ui.common.formatting import to_datetime

if TYPE_CHECKING:
    from codaiq_desktop.api.models import Analytics


def write_analytics_csv(current: Analytics, path: Path) -> int:
    """The series, then top pages and referrers, to ``path``. Returns the rows written."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["section", "date_or_label", "pageviews", "unique_visitors"])
        for point in current.timeseries or ():
            when = to_datetime(point.date)
            writer.writerow(
                [
                    "timeseries",
                    when.isoformat() if when else point.date,
                    point.pageviews,
                    "" if point.unique_visitors is None else point.unique_visitors,
                ]
            )
            rows += 1
        for page in current.top_pages or ():
            writer.writerow(["top_page", page.path, page.pageviews, ""])
            rows += 1
        for referrer in current.referrers or ():
            writer.writerow(["referrer", referrer.source or "Direct", referrer.visits, ""])
            rows += 1
    return rows
