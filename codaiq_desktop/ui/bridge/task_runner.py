"""The coroutine runner every tab uses: work on the asyncio loop, results on the Qt thread.

qasync runs the asyncio loop on the Qt thread, so a task's done-callback already runs
there. What the runner adds are the rules every caller relies on: no callback once the
task was cancelled or the widget that asked has been deleted, and an error nobody
handles is logged and handed to ``on_unhandled`` (the status bar), never raised into Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject
from shiboken6 import isValid

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)
T = TypeVar("T")


class TaskRunner:
    """Runs coroutines for the UI; :meth:`cancel_all` ends whatever still runs at shutdown."""

    def __init__(self, on_unhandled: Callable[[BaseException], object]) -> None:
        self._on_unhandled = on_unhandled
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def pending(self) -> int:
        """How many tasks have not finished yet."""
        return len(self._tasks)

    def run(
        self,
        coro: Coroutine[Any, Any, T] | Awaitable[T],
        on_success: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        *,
        owner: QObject | None = None,
    ) -> asyncio.Task[T]:
        """Run ``coro`` on the loop; call back on the Qt thread when it ends.

        Callbacks are skipped when the task is cancelled or ``owner`` (a widget) has been
        deleted meanwhile. Errors without ``on_error`` go to ``on_unhandled``. The task is
        returned so the caller can cancel it.
        """
        import asyncio  # imported on first use: the window shows before asyncio loads

        task: asyncio.Task[T] = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def _done(finished: asyncio.Task[T]) -> None:
            self._tasks.discard(finished)
            if finished.cancelled():
                return
            if owner is not None and not isValid(owner):
                return
            exc = finished.exception()
            if exc is None:
                if on_success is not None:
                    on_success(finished.result())
                return
            if on_error is not None:
                on_error(exc)
            else:
                log.error("Background task failed", exc_info=exc)
                self._on_unhandled(exc)

        task.add_done_callback(_done)
        return task

    async def cancel_all(self) -> None:
        """Cancel every task still running and wait until each has ended."""
        import asyncio

        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
