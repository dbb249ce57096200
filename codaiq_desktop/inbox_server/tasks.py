"""Stopping the storage engines' background tasks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

_log = logging.getLogger(__name__)

STOP_TIMEOUT = 5.0
"""Seconds a closing engine waits for its background tasks before it gives up on them."""


async def stop_tasks(tasks: Iterable[asyncio.Task[None]], timeout: float = STOP_TIMEOUT) -> None:
    """Cancel ``tasks`` and wait for them, at most ``timeout`` seconds: closing never hangs."""
    pending = [task for task in tasks if not task.done()]
    for task in pending:
        task.cancel()
    if not pending:
        return
    _, still_running = await asyncio.wait(pending, timeout=timeout)
    for task in still_running:
        _log.warning("The background task %s did not stop within %.0f s.", task.get_name(), timeout)
