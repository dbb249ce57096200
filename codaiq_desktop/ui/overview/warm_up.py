"""Load what an Overview refresh needs before the user asks for one.

The tab is built at start-up without importing the API client or the figures code, so the
window appears quickly; a short while later these are imported on a background thread
(``common.background_imports``), so the first Refresh does not pay for the imports on
the UI thread.
"""

from __future__ import annotations

from codaiq_desktop.ui.common.background_imports import import_in_background, imported

FETCHING_MODULES = tuple(
    f"codaiq_desktop.site_stats.{name}"
    for name in ("figures_cache", "lead_counts", "pacing", "periods", "site_figures")
)


def start_warm_up() -> None:
    """Import the refresh's modules on a daemon thread (returns at once)."""
    import_in_background(FETCHING_MODULES, thread_name="overview-warm-up")


async def fetching_imported() -> None:
    """Wait until the refresh's modules are imported (at once if the warm-up has done it)."""
    await imported(FETCHING_MODULES)
