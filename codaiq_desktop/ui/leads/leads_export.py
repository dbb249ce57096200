"""CSV export of the Leads tab's view: the leads its filter matches, written off the UI thread."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

if TYPE_CHECKING:
    import asyncio

    from codaiq_desktop.ui.leads.leads_tab import LeadsTab


class LeadsCsvExport:
    """The tab's "Export CSV…" button: asks for a file, then has the lead source write it."""

    def __init__(self, tab: LeadsTab) -> None:
        self._tab = tab

    def choose_file(self) -> None:
        """Ask where to save (a dated name in the home folder is offered), then export."""
        suggested = str(Path.home() / f"leads-{_dt.date.today().isoformat()}.csv")
        path, _ = QFileDialog.getSaveFileName(self._tab, "Export leads", suggested, "CSV files (*.csv)")
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> asyncio.Task[int] | None:
        """Write the current filtered view to ``path`` off the UI thread (the task, or None without a store)."""
        tab = self._tab
        store = tab.lead_store()
        if store is None:
            return None
        lead_filter = tab.model.lead_filter
        tab.export_button.setEnabled(False)
        tab.show_message("Exporting…")

        async def run() -> int:
            # The store writes it off the loop, on its own connection: page reads go on meanwhile.
            return int(await store.export_leads_csv_async(lead_filter, path, tab.website_names))

        def done(rows: int) -> None:
            tab.export_button.setEnabled(True)
            tab.show_message(f"Exported {rows:,} leads to {path}.")

        def failed(exc: BaseException) -> None:
            tab.export_button.setEnabled(True)
            tab.show_message("")
            tab.banner.show_message(f"Export failed: {tab.services.describe_error(exc)}")

        return tab.services.run(run(), on_success=done, on_error=failed, owner=tab)
