"""How the UI writes times, sizes and secrets: one way each, everywhere.

Times are local and read the same in every tab ("2026-11-29 14:05", with seconds
where events arrive several a second); timestamps from the service, the store or
headers are turned into aware datetimes by one function; sizes use binary units; a
secret shows only enough to tell two apart.
"""

from __future__ import annotations

import datetime as _dt

from codaiq_desktop.accounts import mask_key

__all__ = ["format_time", "human_bytes", "mask_secret", "to_datetime"]

TIME_FORMAT = "%Y-%m-%d %H:%M"
TIME_FORMAT_SECONDS = "%Y-%m-%d %H:%M:%S"


def to_datetime(value: object) -> _dt.datetime | None:
    """Turn a timestamp (datetime, epoch seconds or ISO-8601 text) into aware UTC.

    A naive datetime or text without an offset is taken as UTC (what the service and the
    store write); anything unreadable is ``None``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=_dt.UTC)
    if isinstance(value, int | float):
        return _dt.datetime.fromtimestamp(float(value), tz=_dt.UTC)
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.UTC)


def format_time(value: object, *, seconds: bool = False) -> str:
    """Local time a person scans quickly ("2026-11-29 14:05"); text it cannot read is shown as is."""
    moment = to_datetime(value)
    if moment is None:
        return "" if value is None else str(value)
    return moment.astimezone().strftime(TIME_FORMAT_SECONDS if seconds else TIME_FORMAT)


def human_bytes(count: float) -> str:
    """``1,024 bytes`` up to ``GB``, one decimal from KB on."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "bytes" else f"{count:,.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GB"


def mask_secret(secret: str | None) -> str:
    """Enough of a key or signing secret to recognise it, never enough to use it."""
    if not secret:
        return ""
    return mask_key(secret)
