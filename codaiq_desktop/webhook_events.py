"""The webhook event names the Codaiq service sends, in one place.

The sandbox sends them, the store files lead events as leads, and the UI reacts to lead
and website events; each reads the names from here.
"""

from __future__ import annotations

from typing import Final

WEBSITE_CREATED: Final = "website.created"
WEBSITE_UPDATED: Final = "website.updated"
WEBSITE_PUBLISHED: Final = "website.published"
LEAD_CAPTURED: Final = "lead.captured"
FORM_SUBMITTED: Final = "form.submitted"

ALL_EVENTS: Final[tuple[str, ...]] = (
    WEBSITE_CREATED,
    WEBSITE_UPDATED,
    WEBSITE_PUBLISHED,
    LEAD_CAPTURED,
    FORM_SUBMITTED,
)
"""Every event the service documents, in the order its docs list them."""

LEAD_EVENT_TYPES: Final[frozenset[str]] = frozenset({LEAD_CAPTURED, FORM_SUBMITTED})
"""Events that describe a lead. The service fires both for one submission, with the same ``data.leadId``."""


def is_lead_event(event_type: str) -> bool:
    """A lead or form event, including kinds the service may add later (``lead.*``, ``form.*``)."""
    return event_type.startswith(("lead.", "form."))


def is_website_event(event_type: str) -> bool:
    """A website event (``website.*``): the projects list may have changed."""
    return event_type.startswith("website.")
