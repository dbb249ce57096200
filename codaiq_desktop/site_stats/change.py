"""The change of a figure against the previous period (no imports: the Overview's table uses it at start-up)."""

from __future__ import annotations


def change_percent(current: int | None, previous: int | None) -> float | None:
    """The change in percent; ``None`` when it cannot be said (a figure missing, or none before)."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous * 100.0
