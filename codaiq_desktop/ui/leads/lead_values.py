"""What a lead source returns, as the Leads tab reads it.

The local store returns ``Lead`` objects and exact counts; a team inbox server returns
``TeamLead`` objects (every attribute of a ``Lead`` and more) and counts that stop at a
cap. The table model, its arrivals and the tab read both through these.
"""

from __future__ import annotations

from typing import TypeAlias

from codaiq_desktop.store.models import Lead
from codaiq_desktop.team.models import CappedCount, TeamLead

ShownLead: TypeAlias = Lead | TeamLead
"""A row of the Leads table: a local lead, or a team inbox's lead."""


def lead_version(lead: ShownLead) -> int | None:
    """The version a team inbox edit is conditional on; ``None`` for a local lead."""
    return lead.version if isinstance(lead, TeamLead) else None


def lead_pending(lead: ShownLead) -> bool:
    """A team inbox edit of it is still queued (offline); a local lead never is."""
    return isinstance(lead, TeamLead) and lead.pending


def lead_assignee(lead: ShownLead) -> str | None:
    """The member a team inbox lead is assigned to; ``None`` for a local lead or nobody."""
    return lead.assignee if isinstance(lead, TeamLead) else None


def count_number(count: int) -> tuple[int, bool]:
    """``(rows, capped)`` of a store's count: an exact int, or a team server's capped count.

    A team inbox server stops counting at a cap (an exact count of a million rows costs
    too much).
    """
    return int(count), isinstance(count, CappedCount) and count.capped


def count_label(count: int) -> str:
    """A row count as people read it; a capped count reads "10,000+"."""
    return count.label if isinstance(count, CappedCount) else f"{int(count):,}"
