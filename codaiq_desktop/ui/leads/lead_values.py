"""Reading what a lead source returns, whatever its shape.

The local store returns ``Lead`` objects and exact counts; a team inbox server returns
mappings and counts that stop at a cap. The table model, its arrivals and the tab read
both through these.
"""

from __future__ import annotations

from typing import Any


def lead_value(lead: Any, attr: str) -> Any:
    """Read ``attr`` from a store lead (object or mapping); missing reads as ``None``."""
    if isinstance(lead, dict):
        return lead.get(attr)
    return getattr(lead, attr, None)


def count_number(count: Any) -> tuple[int, bool]:
    """``(rows, capped)`` of a store's count: an int, or a server's capped count.

    A team inbox server stops counting at a cap (an exact count of a million rows costs
    too much); it says so as ``"10000+"`` or as an int with ``capped`` set.
    """
    if isinstance(count, str):
        return int(count.rstrip("+")), count.endswith("+")
    return int(count), bool(getattr(count, "capped", False))


def count_label(count: Any) -> str:
    """A row count as people read it; a capped count reads "10,000+"."""
    label = getattr(count, "label", None)
    if isinstance(label, str) and label:
        return label
    number, capped = count_number(count)
    return f"{number:,}+" if capped else f"{number:,}"
