"""A tiny publish/subscribe hub for stored events, with no Qt in it.

The UI bridge (which re-emits as a Qt signal), desktop notifications, the command
line's log and the tests all listen the same way: ``unsubscribe = bus.subscribe(cb)``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

from .models import StoredEvent

_log = logging.getLogger(__name__)

EventCallback = Callable[[StoredEvent], object]


class EventBus:
    """Calls every subscriber with each newly stored event, in subscription order.

    Publishing happens on the thread that calls ``publish`` (the store does it on the
    asyncio loop, after the commit and after the sender got its answer). A subscriber
    that raises is logged and skipped; it never stops the others or the receiver.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[EventCallback] = []

    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Add ``callback``; return a function that removes it again (safe to call twice)."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    def publish(self, event: StoredEvent) -> None:
        """Deliver ``event`` to a snapshot of the subscribers (they may unsubscribe meanwhile)."""
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(event)
            except Exception:  # noqa: BLE001 - one broken listener must not silence the rest
                _log.exception("An event subscriber failed on event %s (%s)", event.id, event.type)
