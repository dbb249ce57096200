"""The last figures of every site, on disk with their time, so a reopened Overview is instant.

One small JSON file per account and range under the app's data folder. It holds only
what the service returned (counts, periods, build states, names): no key, no lead.
Written whole to a temporary file and renamed over the old one, so a crash mid-write
leaves the previous cache, never half of one; a damaged or foreign file reads as empty.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from codaiq_desktop.api.models import parse_timestamp
from codaiq_desktop.site_stats.site_figures import SiteFigures

__all__ = ["FiguresCache"]

log = logging.getLogger(__name__)

CACHE_VERSION = 1


class FiguresCache:
    """``cache.load(account, range) -> (figures, saved_at)``; ``cache.save(account, range, figures)``."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path_for(self, account_key: str, range_key: str) -> Path:
        digest = hashlib.sha256(account_key.encode("utf-8")).hexdigest()[:16]
        return self.folder / f"figures-{digest}-{range_key}.json"

    def load(self, account_key: str, range_key: str) -> tuple[list[SiteFigures], datetime | None]:
        """The cached figures and when they were saved; ``([], None)`` when there are none."""
        path = self.path_for(account_key, range_key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return [], None
        except (OSError, ValueError) as exc:
            log.warning("Ignoring an unreadable figures cache %s: %s", path.name, exc)
            return [], None
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or data.get("range") != range_key:
            return [], None
        figures = [item for item in (SiteFigures.from_json(entry) for entry in data.get("sites") or []) if item]
        return figures, parse_timestamp(data.get("savedAt"))

    async def load_async(self, account_key: str, range_key: str) -> tuple[list[SiteFigures], datetime | None]:
        """:meth:`load` on a worker thread, for a caller on the asyncio loop."""
        return await asyncio.to_thread(self.load, account_key, range_key)

    async def save_async(self, account_key: str, range_key: str, figures: Iterable[SiteFigures]) -> datetime:
        """:meth:`save` on a worker thread, for a caller on the asyncio loop."""
        return await asyncio.to_thread(self.save, account_key, range_key, list(figures))

    def save(self, account_key: str, range_key: str, figures: Iterable[SiteFigures]) -> datetime:
        """Replace the cache for ``account_key`` and ``range_key``; returns the time it holds."""
        saved_at = datetime.now(UTC)
        document: dict[str, Any] = {
            "version": CACHE_VERSION,
            "range": range_key,
            "savedAt": saved_at.isoformat(),
            "sites": [item.to_json() for item in figures],
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path_for(account_key, range_key)
        fd, temp = tempfile.mkstemp(prefix=".figures-", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(temp, path)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
        return saved_at
