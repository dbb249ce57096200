"""Load what an Overview refresh needs before the user asks for one.

The tab is built at start-up without importing the API client or the figures code, so the
window appears quickly; a short while later this imports them on a background thread, so the
first Refresh does not pay for the imports on the UI thread.
"""

from __future__ import annotations

import importlib
import logging
import threading

log = logging.getLogger(__name__)

FETCHING_MODULES = ("figures_cache", "lead_counts", "pacing", "periods", "site_figures")


def start_warm_up() -> None:
    """Import the refresh's modules on a daemon thread (returns at once)."""
    threading.Thread(target=import_fetching, name="overview-warm-up", daemon=True).start()


def import_fetching() -> None:
    """Import (nothing else: no Qt object is touched on this thread) what a refresh needs."""
    for name in FETCHING_MODULES:
        try:
            importlib.import_module(f"codaiq_desktop.site_stats.{name}")
        except Exception:
            log.debug("Background import of %s failed", name, exc_info=True)
