"""The local SQLite store: webhook events, the leads they carry, and refused deliveries.

No Qt here: the receiver, the command line and the UI all use the same ``Store``.
"""

from __future__ import annotations

from .bus import EventBus
from .errors import LeadNotFoundError, StoreFullError
from .generated_sites import GeneratedSite
from .models import (
    ASSIGNEE_ME,
    ASSIGNEE_NONE,
    LEAD_SORT_KEYS,
    LEAD_STATUSES,
    IngestResult,
    Lead,
    LeadFilter,
    LeadStatus,
    RejectedAttempt,
    StoredEvent,
)
from .payload import InvalidPayloadError
from .schema import SCHEMA_VERSION, SchemaTooNewError
from .store import Store
from .writer import StoreClosedError

__all__ = [
    "ASSIGNEE_ME",
    "ASSIGNEE_NONE",
    "LEAD_SORT_KEYS",
    "LEAD_STATUSES",
    "SCHEMA_VERSION",
    "EventBus",
    "GeneratedSite",
    "IngestResult",
    "InvalidPayloadError",
    "Lead",
    "LeadFilter",
    "LeadNotFoundError",
    "LeadStatus",
    "RejectedAttempt",
    "SchemaTooNewError",
    "Store",
    "StoreClosedError",
    "StoreFullError",
    "StoredEvent",
]
