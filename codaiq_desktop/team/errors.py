"""What can go wrong talking to a team inbox server, as exceptions the UI can word.

Every message is a sentence a user can act on and none holds the member token (the
server's URL is fine to show). ``EditConflict`` carries both sides of a concurrent edit
so the UI can show them and let the user choose; nothing is silently overwritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import TeamLead

__all__ = [
    "EditConflict",
    "InviteError",
    "LeadGoneError",
    "TeamAuthError",
    "TeamError",
    "TeamServerError",
    "TeamUnreachable",
]


class TeamError(Exception):
    """Base of every team-inbox failure."""


class InviteError(TeamError, ValueError):
    """The pasted text is not an invite this app understands."""


class TeamUnreachable(TeamError):
    """The server did not answer (down, offline, timed out, or a proxy said it is unavailable)."""


class TeamAuthError(TeamError):
    """The server refused the member token (unknown, revoked or mistyped)."""


class TeamServerError(TeamError):
    """An answer the client did not expect; ``status`` and ``code`` say which."""

    def __init__(self, message: str, status: int = 0, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class LeadGoneError(TeamError, LookupError):
    """The lead is not in this agency's inbox (any more)."""


class EditConflict(TeamError):
    """A colleague changed the lead since the version this edit was based on (HTTP 409/412).

    ``current`` is the lead as the server has it now (the colleague's version); ``mine``
    the changes that were refused (API field names: status, notes, assignee, read);
    ``queued`` is True when the edit was made offline and refused when the outbox replayed it.
    """

    def __init__(
        self,
        lead_id: int,
        current: TeamLead,
        mine: dict[str, Any],
        *,
        queued: bool = False,
        outbox_id: int | None = None,
    ) -> None:
        super().__init__(
            f"Someone else changed this lead (now at version {current.version}) since you opened it; "
            "choose which version to keep."
        )
        self.lead_id = lead_id
        self.current = current
        self.mine = dict(mine)
        self.queued = queued
        self.outbox_id = outbox_id
