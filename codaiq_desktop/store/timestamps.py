"""How the store writes times: ISO-8601 UTC text of fixed width, so text order is time order.

Text rather than numbers keeps the file readable with the ``sqlite3`` shell, and the
fixed width (always microseconds, always ``Z``) lets indexes sort and range-scan it.
"""

from __future__ import annotations

from datetime import UTC, datetime

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    """``moment`` as stored text; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(_FORMAT)


def from_text(text: str) -> datetime:
    """Stored text back to an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)
