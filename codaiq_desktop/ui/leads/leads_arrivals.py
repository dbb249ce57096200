"""Where a coalesced batch of newly stored leads goes in the table, read off the UI thread.

Leads that arrive while the user reads are inserted, not reset, so the view keeps
its selection and scroll position. One recount per batch tells how many of them
match the filter; they can be placed only when the store's first rows (newest
first) or last rows (oldest first) are exactly those arrivals. Any other order
(say, sorted by name) cannot be placed without reading everything: the model
reloads instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from codaiq_desktop.store import LeadFilter
from codaiq_desktop.ui.leads.lead_values import ShownLead, count_label, count_number


class _ArrivalSource(Protocol):
    """The reads of a lead source a batch of arrivals needs."""

    def count_leads(self, lead_filter: LeadFilter) -> int: ...

    def list_leads(
        self, lead_filter: LeadFilter, sort: str = ..., descending: bool = ..., offset: int = ..., limit: int = ...
    ) -> Sequence[ShownLead]: ...

    def unread_count(self, account: str | None = None) -> int: ...


@dataclass(frozen=True)
class ArrivalBatch:
    """The store's count after a batch of arrivals, with its first and last rows that may be them."""

    total: int
    head: list[ShownLead]
    tail: list[ShownLead]
    unread: int
    total_label: str = ""

    @classmethod
    def read(
        cls,
        store: _ArrivalSource,
        lead_filter: LeadFilter,
        sort: str,
        descending: bool,
        arrived: set[int],
        old_total: int,
        cap: int,
    ) -> ArrivalBatch:
        """Count again and read the rows the ``arrived`` ids may be (on the reader's thread).

        More than ``cap`` new rows are not read: the model shows them by a reload.
        """
        count = store.count_leads(lead_filter)
        total, capped = count_number(count)
        head: list[ShownLead] = []
        tail: list[ShownLead] = []
        if capped:
            # A capped count cannot say how many arrived; the first rows can: the
            # arrivals now on top of the rows already shown are inserted.
            probe = list(store.list_leads(lead_filter, sort=sort, descending=descending, offset=0, limit=len(arrived)))
            head = _leading_arrivals(probe, arrived)
            total = old_total + len(head)
            unread = int(store.unread_count(account=lead_filter.account))
            return cls(total, head, tail, unread, count_label(count))
        delta = total - old_total
        if 0 < delta <= cap:
            head = list(store.list_leads(lead_filter, sort=sort, descending=descending, offset=0, limit=delta))
            if not _all_in(head, arrived):
                tail = list(
                    store.list_leads(lead_filter, sort=sort, descending=descending, offset=old_total, limit=delta)
                )
        unread = int(store.unread_count(account=lead_filter.account))
        return cls(total, head, tail, unread, count_label(count))

    def placement(self, arrived: set[int], old_total: int) -> tuple[int, list[ShownLead]] | None:
        """``(row, leads)`` to insert when the new rows are exactly the arrivals at the top or the
        bottom; ``None`` when they cannot be placed (the model reloads)."""
        delta = self.total - old_total
        if _all_in(self.head, arrived) and len(self.head) == delta:
            return 0, self.head
        if _all_in(self.tail, arrived) and len(self.tail) == delta:
            return old_total, self.tail
        return None


def _leading_arrivals(rows: Sequence[ShownLead], arrived: set[int]) -> list[ShownLead]:
    """The first rows that are arrivals, up to the first that is not."""
    leading: list[ShownLead] = []
    for lead in rows:
        if lead.id not in arrived:
            break
        leading.append(lead)
    return leading


def _all_in(rows: Sequence[ShownLead], arrived: set[int]) -> bool:
    return bool(rows) and all(lead.id in arrived for lead in rows)
