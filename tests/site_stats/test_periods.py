"""Periods as a report states them: exact bounds, the previous window, and --end."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from codaiq_desktop.api.models import Analytics
from codaiq_desktop.site_stats.change import change_percent
from codaiq_desktop.site_stats.periods import Period, parse_report_end


def test_a_daily_period_is_stated_by_its_first_and_last_day() -> None:
    period = Period.ending(datetime(2026, 12, 1, tzinfo=UTC), "30d")
    assert period.start == datetime(2026, 11, 1, tzinfo=UTC)
    assert period.describe() == "1 Nov 2026 – 30 Nov 2026 (30 days, UTC)"
    assert period.describe_bounds() == "from 2026-11-01T00:00Z (inclusive) to 2026-12-01T00:00Z (exclusive)"
    assert period.previous().describe() == "2 Oct 2026 – 31 Oct 2026 (30 days, UTC)"


def test_an_hourly_period_names_its_hours() -> None:
    period = Period.ending(datetime(2026, 12, 4, 16, 0, tzinfo=UTC), "24h")
    assert period.describe() == "3 Dec 2026 16:00 – 4 Dec 2026 16:00 UTC (24 hours)"


def test_the_period_comes_from_what_the_server_echoed_or_is_unknown() -> None:
    echoed = Analytics.from_json(
        {"totalPageviews": 5, "start": "2026-11-27T00:00:00.000Z", "end": "2026-12-04T00:00:00.000Z"},
        website_id="w",
        range="7d",
    )
    assert Period.from_analytics(echoed) == Period(
        datetime(2026, 11, 27, tzinfo=UTC), datetime(2026, 12, 4, tzinfo=UTC), "7d"
    )
    documented = Analytics.from_json({"totalPageviews": 5}, website_id="w", range="7d")
    assert Period.from_analytics(documented) is None


def test_end_date_includes_that_day_and_bad_input_says_how_to_write_it() -> None:
    assert parse_report_end("2026-11-30") == datetime(2026, 12, 1, tzinfo=UTC)
    assert parse_report_end("2026-11-30T15:00Z") == datetime(2026, 11, 30, 15, tzinfo=UTC)
    for bad in ("30/11/2026", "2026-13-01", "yesterday"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            parse_report_end(bad)


def test_change_is_not_invented_when_there_was_nothing_before() -> None:
    assert change_percent(150, 100) == 50.0
    assert change_percent(5, 0) is None
    assert change_percent(None, 10) is None and change_percent(10, None) is None
