"""Past checks of each site, kept on disk, so a new check can say what changed.

One JSON file per website under the app's data dir (``site-checks/<websiteId>.json``),
holding the last :data:`KEEP_RUNS` reports, newest last. Written to a temporary file and
renamed, so a crash mid-write leaves the previous history intact.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from codaiq_desktop.site_check.findings import SiteReport, compare

log = logging.getLogger(__name__)

KEEP_RUNS = 10


class CheckHistory:
    """Reads and appends the stored reports of each website (blocking file I/O: call off the UI thread)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def default(cls) -> CheckHistory:
        """The history the app and the command line share, in the app's data dir."""
        from codaiq_desktop.accounts import data_dir

        return cls(data_dir() / "site-checks")

    def path_for(self, website_id: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", website_id)[:120] or "_"
        return self.folder / f"{safe}.json"

    def runs(self, website_id: str) -> list[SiteReport]:
        """Stored reports, oldest first; an unreadable file counts as no history (and is logged)."""
        path = self.path_for(website_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return [SiteReport.from_json(run) for run in data.get("runs", [])]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("Ignoring the unreadable site-check history %s: %s", path, exc)
            return []

    def latest(self, website_id: str) -> SiteReport | None:
        runs = self.runs(website_id)
        return runs[-1] if runs else None

    def record(self, report: SiteReport) -> SiteReport:
        """Store ``report``; returns it with what changed since the previous run (if any)."""
        runs = self.runs(report.website_id)
        # Compare like with like: the served site with the served site, an export with an export.
        same_kind = [run for run in runs if _kind(run.source) == _kind(report.source)]
        changed = report.with_changes(compare(same_kind[-1], report)) if same_kind else report
        kept: list[dict[str, Any]] = [run.to_json() for run in runs[-(KEEP_RUNS - 1) :]] + [changed.to_json()]
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path_for(report.website_id)
        fd, temp = tempfile.mkstemp(prefix=".check-", suffix=".json", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"websiteId": report.website_id, "runs": kept}, handle, ensure_ascii=False)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return changed

    async def latest_async(self, website_id: str) -> SiteReport | None:
        """:meth:`latest`, read on a worker thread for a caller on the asyncio loop."""
        return await asyncio.to_thread(self.latest, website_id)

    async def record_async(self, report: SiteReport) -> SiteReport:
        """:meth:`record`, written on a worker thread for a caller on the asyncio loop."""
        return await asyncio.to_thread(self.record, report)


def _kind(source: str) -> str:
    return "zip" if source.startswith("zip:") else "served"
