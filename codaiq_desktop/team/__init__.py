"""Team mode: the desktop as a client of an agency's shared inbox (``codaiq-desktop serve``).

No Qt here (``tests/test_layers.py``): the UI adapts the listener callbacks to signals.

- :class:`TeamServer`, :func:`parse_invite`, :func:`make_invite`: where the server is, with the member token.
- :class:`TeamClient`: the async API client (typed errors, the token never in a message).
- :class:`TeamStore`: the blocking facade the Leads and Events models read (like ``store.Store``),
  with the offline copy, the ordered outbox and the live stream follower.
"""

from __future__ import annotations

from .client import TeamClient, answers_as_inbox_server, filter_params
from .errors import EditConflict, InviteError, LeadGoneError, TeamAuthError, TeamError, TeamServerError, TeamUnreachable
from .follower import Backoff, TeamFollower
from .invite import INVITE_PREFIX, TeamServer, make_invite, parse_invite
from .models import (
    COUNT_CAP,
    CappedCount,
    ReceiverInfo,
    TeamChange,
    TeamHistoryEntry,
    TeamLead,
    TeamLeadPage,
    TeamMember,
)
from .store import KEEP, TeamListener, TeamStore

__all__ = [
    "COUNT_CAP",
    "INVITE_PREFIX",
    "KEEP",
    "Backoff",
    "CappedCount",
    "EditConflict",
    "InviteError",
    "LeadGoneError",
    "ReceiverInfo",
    "TeamAuthError",
    "TeamChange",
    "TeamClient",
    "answers_as_inbox_server",
    "TeamError",
    "TeamFollower",
    "TeamHistoryEntry",
    "TeamLead",
    "TeamLeadPage",
    "TeamListener",
    "TeamMember",
    "TeamServer",
    "TeamServerError",
    "TeamStore",
    "TeamUnreachable",
    "filter_params",
    "make_invite",
    "parse_invite",
]
