"""The inbox server: an always-on webhook receiver and shared lead inbox for an agency.

``codaiq-desktop serve`` runs it; ``codaiq-desktop serve-admin`` manages agencies and
members. Storage is SQLite by default (one process) or PostgreSQL (several processes on
one database). No Qt here.
"""

from __future__ import annotations

from .models import Agency, Change, InboxEvent, InboxLead, LeadQuery, Member
from .storage import InboxStorage, SchemaTooNewError, open_storage

__all__ = [
    "Agency",
    "Change",
    "InboxEvent",
    "InboxLead",
    "InboxStorage",
    "LeadQuery",
    "Member",
    "SchemaTooNewError",
    "open_storage",
]
