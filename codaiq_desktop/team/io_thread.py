"""The team store's I/O thread: one asyncio loop on its own thread.

``TeamStore``'s calls are blocking (worker threads make them, as they do a local ``Store``'s),
while its ``TeamClient`` is async and its follower a long-lived task. Both live on this loop;
a blocking call hands its coroutine over and waits, and listeners are called here.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["TeamIoThread"]

log = logging.getLogger(__name__)

T = TypeVar("T")

_NOT_OPEN = "The team store is not open."


class TeamIoThread:
    """An event loop running on a daemon thread, from ``start`` until ``stop``."""

    def __init__(self, name: str = "team-io") -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The running loop (``None`` before ``start`` and from the moment ``stop`` begins)."""
        return self._loop

    def start(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name=self._name, daemon=True)
        self._thread.start()

    def stop(self, shut: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``shut()`` on the loop (at most 15 s), then stop the loop and its thread. Safe to call twice."""
        loop, self._loop = self._loop, None
        if loop is not None:
            try:
                asyncio.run_coroutine_threadsafe(shut(), loop).result(timeout=15)
            except (concurrent.futures.TimeoutError, RuntimeError):
                log.warning("The team connection did not close in time.")
            loop.call_soon_threadsafe(loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=15)
            loop.close()
        self._thread = None

    def on_thread(self) -> bool:
        """The caller is on the I/O thread (a listener callback or a task on the loop)."""
        return threading.current_thread() is self._thread

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the loop and wait for its result (from any other thread)."""
        if self._loop is None or self._thread is None:
            coroutine.close()
            raise RuntimeError(_NOT_OPEN)
        if self.on_thread():
            coroutine.close()
            raise RuntimeError(
                "TeamStore's blocking calls cannot run on its own I/O thread (from a listener); "
                "hand the work to another thread."
            )
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def submit(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Start ``coroutine`` on the loop without waiting for it (from any thread, the I/O one too)."""
        if self._loop is None:
            coroutine.close()
            raise RuntimeError(_NOT_OPEN)
        if self.on_thread():
            self._loop.create_task(coroutine)
        else:
            asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def notify(self, callback: Callable[..., None] | None, *args: Any) -> None:
        """Call a listener on the I/O thread (whichever thread noticed); its failure is logged."""
        if callback is None or self._loop is None:
            return

        def call() -> None:
            try:
                callback(*args)
            except Exception:
                log.exception("A team listener failed.")

        if self.on_thread():
            call()
        else:
            self._loop.call_soon_threadsafe(call)
