"""The offline outbox: my edits queued in order while the server cannot be reached, replayed on reconnect.

``TeamCache`` keeps the queue (it survives a restart); this module says what a queued edit
looks like on screen (applied, ``pending=True``), which version it is sent against, and how
the queue is replayed: in order, stopping when the server is gone again, keeping every edit a
colleague's change made stale as an ``EditConflict`` until the user chooses.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from typing import Any, Final

from .cache import TeamCache
from .client import TeamClient
from .errors import EditConflict, LeadGoneError, TeamAuthError, TeamServerError, TeamUnreachable
from .models import TeamLead, lead_from_json

__all__ = ["KEEP", "applied", "queued_conflicts", "replay_outbox", "version_for", "with_pending"]

log = logging.getLogger(__name__)


class _Keep:
    """The default of ``update_lead(assignee=…)``: leave the assignee as it is (``None`` unassigns)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()


def version_for(changes: Mapping[str, Any], base: int | None) -> int | None:
    """A read mark alone needs no version (it is mine only); anything else is sent "if still at base"."""
    return None if set(changes) == {"read"} else base


def applied(lead: TeamLead, changes: Mapping[str, Any]) -> TeamLead:
    """``lead`` as it will be once ``changes`` reach the server, marked ``pending``."""
    fields: dict[str, Any] = {
        name: changes[name] for name in ("status", "notes", "assignee", "read") if name in changes
    }
    return dataclasses.replace(lead, pending=True, **fields)


def with_pending(cache: TeamCache | None, leads: list[TeamLead]) -> list[TeamLead]:
    """Leads with my edits not yet on the server applied, marked ``pending``."""
    if cache is None or not leads:
        return leads
    pending = cache.pending_changes()
    if not pending:
        return leads
    return [applied(lead, pending[lead.id]) if lead.id in pending else lead for lead in leads]


def queued_conflicts(cache: TeamCache, account: str | None) -> list[EditConflict]:
    """Queued edits refused on replay, still waiting for the user's choice (also after a restart)."""
    return [
        EditConflict(
            entry.lead_id,
            lead_from_json(entry.current, account=account),
            entry.changes,
            queued=True,
            outbox_id=entry.id,
        )
        for entry in cache.outbox("conflict")
        if entry.current is not None
    ]


async def replay_outbox(
    cache: TeamCache, client: TeamClient, *, on_offline: Callable[[], None], on_conflict: Callable[[EditConflict], None]
) -> list[EditConflict]:
    """Send the queued edits in order (on the I/O thread); stops at the first sign of being offline."""
    conflicts: list[EditConflict] = []
    for entry in cache.outbox("queued"):
        try:
            lead = await client.update_lead(
                entry.lead_id, version_for(entry.changes, entry.base_version), entry.changes
            )
        except TeamUnreachable:
            on_offline()
            break
        except EditConflict as conflict:
            conflict.queued, conflict.outbox_id = True, entry.id
            cache.mark_conflict(entry.id, conflict.current)
            cache.put_leads([conflict.current])
            conflicts.append(conflict)
            on_conflict(conflict)
            continue
        except LeadGoneError:
            log.warning("A queued edit's lead is gone from the team inbox; the edit is dropped.")
            cache.remove(entry.id)
            continue
        except (TeamAuthError, TeamServerError) as exc:
            log.warning("The server refused a queued edit (%s); it stays queued.", exc)
            break
        cache.remove(entry.id)
        cache.put_leads([lead])
    return conflicts
