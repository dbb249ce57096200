"""The webhook receiver: verifies Codaiq deliveries and files them in the local store.

No Qt here: the desktop app runs it on its qasync loop, ``codaiq-desktop listen`` on
plain asyncio.
"""

from __future__ import annotations

from .app import DEFAULT_MAX_BODY, HEALTH_PATH, WEBHOOK_PATH, ReceiverStats, StoreHealth, create_app
from .server import PortInUseError, WebhookReceiver, is_loopback
from .webhook_secret import SecretLike, WebhookSecret

__all__ = [
    "DEFAULT_MAX_BODY",
    "HEALTH_PATH",
    "WEBHOOK_PATH",
    "PortInUseError",
    "ReceiverStats",
    "SecretLike",
    "StoreHealth",
    "WebhookReceiver",
    "WebhookSecret",
    "create_app",
    "is_loopback",
]
