"""One way to write times, sizes and secrets."""

from __future__ import annotations

import datetime as dt

import pytest

from codaiq_desktop.ui.common.formatting import format_time, human_bytes, mask_secret, to_datetime

MOMENT = dt.datetime(2026, 11, 29, 14, 5, 7, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "value",
    [MOMENT, MOMENT.replace(tzinfo=None), MOMENT.timestamp(), "2026-11-29T14:05:07Z", "2026-11-29T15:05:07+01:00"],
)
def test_every_timestamp_shape_becomes_the_same_aware_moment(value: object) -> None:
    assert to_datetime(value) == MOMENT


@pytest.mark.parametrize("value", [None, "", "yesterday"])
def test_unreadable_timestamps_are_none(value: object) -> None:
    assert to_datetime(value) is None


def test_times_are_local_to_the_minute_or_second() -> None:
    local = MOMENT.astimezone()
    assert format_time(MOMENT) == local.strftime("%Y-%m-%d %H:%M")
    assert format_time("2026-11-29T14:05:07Z", seconds=True) == local.strftime("%Y-%m-%d %H:%M:%S")
    assert format_time(None) == "" and format_time("soon") == "soon"


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0 bytes"), (1023, "1,023 bytes"), (1536, "1.5 KB"), (5 * 1024**3, "5.0 GB")]
)
def test_sizes(count: float, text: str) -> None:
    assert human_bytes(count) == text


def test_a_masked_secret_shows_only_its_last_four_characters() -> None:
    secret = "whsec_0123456789abcdef"
    masked = mask_secret(secret)
    assert masked == "\u2022" * 8 + "cdef" and secret[:-4] not in masked
    assert mask_secret("short") == "\u2022" * 8  # too short to show any of it
    assert mask_secret("") == "" and mask_secret(None) == ""
