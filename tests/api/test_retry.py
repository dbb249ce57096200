"""RetryPolicy's backoff and Retry-After parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from codaiq_desktop.api.retry import RetryPolicy, parse_retry_after

NOW = datetime(2026, 4, 21, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("1.5", 1.5),
        ("-4", 0.0),
        ("Tue, 21 Apr 2026 10:00:30 GMT", 30.0),
        ("Tuesday, 21-Apr-26 10:01:00 GMT", 60.0),
        ("Tue Apr 21 10:00:05 2026", 5.0),
        ("Mon, 20 Apr 2026 10:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        ("nan", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


def test_backoff_doubles_up_to_the_cap_with_jitter_below_it() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_max=4.0, jitter=0.5)
    no_jitter = [policy.backoff(n, rand=lambda: 0.0) for n in range(1, 7)]
    assert no_jitter == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    full_jitter = [policy.backoff(n, rand=lambda: 1.0) for n in range(1, 4)]
    assert full_jitter == [0.25, 0.5, 1.0]
    assert all(0.25 <= policy.backoff(1) <= 0.5 for _ in range(50))


@pytest.mark.parametrize(
    "kwargs", [{"max_retries": -1}, {"jitter": 1.5}, {"backoff_base": -1}, {"total_time": -1}, {"max_retry_after": -2}]
)
def test_bad_policies_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)


def test_disabled_policy_and_defaults() -> None:
    assert RetryPolicy.disabled().max_retries == 0
    default = RetryPolicy()
    assert default.retry_statuses == {502, 503, 504}
    assert default.total_time is not None and default.max_retries > 0
    with pytest.raises(ValueError):
        default.backoff(0)
