"""The exact window a figure covers, and the words a report uses for it.

The API measures a range (``24h``, ``7d``, ``30d``, ``90d``) as ``[start, end)`` in UTC;
the sandbox echoes both ends. A report states them as dates with the time zone, so a
client reading "page views: 1,234" knows exactly which days they were counted over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from codaiq_desktop.api.models import parse_timestamp

__all__ = ["RANGE_LABELS", "RANGE_SPANS", "Period", "parse_report_end"]

RANGE_SPANS: Final[dict[str, timedelta]] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "90d": timedelta(days=90),
}
RANGE_LABELS: Final[dict[str, str]] = {"24h": "24 hours", "7d": "7 days", "30d": "30 days", "90d": "90 days"}


@dataclass(frozen=True, slots=True)
class Period:
    """``[start, end)`` in UTC for one range."""

    start: datetime
    end: datetime
    range: str

    @classmethod
    def ending(cls, end: datetime, range_key: str) -> Period:
        """The range's window that ends at ``end`` (naive means UTC)."""
        moment = end if end.tzinfo else end.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
        return cls(moment - RANGE_SPANS[range_key], moment, range_key)

    @classmethod
    def from_analytics(cls, analytics: Any) -> Period | None:
        """The window the server says it measured (``start``/``end`` echoed), else ``None``.

        A server that does not echo ``end`` (the documented API promises only
        ``totalPageviews``) leaves the period unknown: the caller must then not
        present a previous period or a date range it did not get.
        """
        end = getattr(analytics, "end", None)
        if not isinstance(end, datetime):
            return None
        range_key = str(getattr(analytics, "range", "") or "")
        raw = getattr(analytics, "raw", None) or {}
        start = parse_timestamp(raw.get("start")) if isinstance(raw, dict) else None
        if start is None:
            if range_key not in RANGE_SPANS:
                return None
            start = end - RANGE_SPANS[range_key]
        return cls(start.astimezone(UTC), end.astimezone(UTC), range_key)

    def previous(self) -> Period:
        """The equal window just before this one."""
        return Period(self.start - (self.end - self.start), self.start, self.range)

    @property
    def whole_days(self) -> bool:
        return self.start.time() == time(0) and self.end.time() == time(0)

    def describe(self) -> str:
        """Plain and exact: "1 Nov 2026 – 30 Nov 2026 (30 days, UTC)" or, for hours,
        "29 Nov 2026 15:00 – 30 Nov 2026 15:00 UTC (24 hours)"."""
        if self.whole_days:
            last_day = (self.end - timedelta(days=1)).date()
            days = (self.end - self.start).days
            return f"{_day(self.start.date())} – {_day(last_day)} ({days} day{'s' if days != 1 else ''}, UTC)"
        hours = round((self.end - self.start).total_seconds() / 3600)
        return f"{_day(self.start.date())} {self.start:%H:%M} – {_day(self.end.date())} {self.end:%H:%M} UTC ({hours} hours)"

    def describe_bounds(self) -> str:
        """The machine-exact bounds: "from 2026-11-01T00:00Z (inclusive) to 2026-12-01T00:00Z (exclusive)"."""
        return f"from {self.start:%Y-%m-%dT%H:%MZ} (inclusive) to {self.end:%Y-%m-%dT%H:%MZ} (exclusive)"

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "range": self.range}

    @classmethod
    def from_json(cls, data: Any) -> Period | None:
        if not isinstance(data, dict):
            return None
        start, end = parse_timestamp(data.get("start")), parse_timestamp(data.get("end"))
        range_key = data.get("range")
        if start is None or end is None or not isinstance(range_key, str):
            return None
        return cls(start, end, range_key)


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_report_end(text: str) -> datetime:
    """``--end``: a date is the last day included (the window ends at the next UTC
    midnight); a date and time is the exact end. Raises ``ValueError`` with a sentence."""
    value = text.strip()
    if _DATE_ONLY.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-30.") from None
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)
    moment = parse_timestamp(value)
    if moment is None:
        raise ValueError(
            f"{text!r} is not a date; write the last day to include as YYYY-MM-DD (e.g. 2026-11-30) "
            "or an exact end as 2026-11-30T15:00Z."
        )
    return moment
