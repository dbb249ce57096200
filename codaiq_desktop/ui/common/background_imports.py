"""Import modules before they are needed, on a thread: the one place ``ui`` starts a thread itself.

Building a tab or running a first refresh imports heavy modules (pyqtgraph, the API
client, the figures code); done in a slot, that import freezes the window for a moment.
So, a little after start-up, they are imported on a daemon thread, and a coroutine that
needs them awaits the import off the loop (at once if the thread has done it).

Why not through the coroutine runner or a store reader like all other work: this loads
code, not data. Python's import machinery is the only lower layer here and it is
synchronous; there is no async API to await, and the modules named are the UI's own. The
thread touches no Qt object (the imports only define classes) and nothing waits on it.
Kept to this module so the rule "one way off the UI thread" has one visible exception
(tests/ui/test_one_way_off_thread.py allows it here and nowhere else).
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Sequence

log = logging.getLogger(__name__)


def import_in_background(names: Sequence[str], *, thread_name: str) -> None:
    """Import ``names`` on a daemon thread (returns at once; a failed import is only logged)."""
    threading.Thread(target=import_modules, args=(list(names),), name=thread_name, daemon=True).start()


async def imported(names: Sequence[str]) -> None:
    """Import ``names`` off the loop and wait for them (at once if they are imported already)."""
    import asyncio  # the loop runs by now; the window is shown before asyncio is imported

    await asyncio.to_thread(import_modules, list(names))


def import_modules(names: Sequence[str]) -> None:
    """Import modules (nothing else: no Qt object is made on this thread)."""
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            log.debug("Background import of %s failed", name, exc_info=True)
