"""Render gathered report sections to PDF files, with or without a running app.

The ``codaiq-desktop report`` command has no window: it starts a ``QApplication`` on
Qt's offscreen platform (a report never needs a screen, so this works over SSH and
from cron) unless one exists already, as in the desktop app.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from codaiq_desktop.site_stats.report_data import ReportSection

if TYPE_CHECKING:
    from codaiq_desktop.ui.reports.report_pdf import ReportOptions

__all__ = ["ensure_qt_app", "output_paths", "render_reports"]


def ensure_qt_app() -> object:
    """The running ``QApplication``, or a new offscreen one (pyqtgraph needs the widgets module)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(["codaiq-desktop report"])
    return app


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug[:60] or "website"


def output_paths(sections: Sequence[ReportSection], output: Path) -> list[tuple[Path, list[ReportSection]]]:
    """An existing folder gets one PDF per site (``<site>-<range>-<end>.pdf``); anything else one PDF."""
    if output.is_dir():
        plan = []
        for section in sections:
            end = section.period.end.strftime("%Y-%m-%d") if section.period is not None else "latest"
            name = f"{_slug(section.site.label)}-{section.range}-{end}.pdf"
            plan.append((output / name, [section]))
        return plan
    return [(output, list(sections))]


def render_reports(
    sections: Sequence[ReportSection], output: Path, options: ReportOptions | None = None
) -> list[tuple[Path, int]]:
    """Write the PDF(s); returns each file with its page count."""
    from codaiq_desktop.ui.reports.report_pdf import write_report_pdf

    ensure_qt_app()
    written = []
    for path, part in output_paths(sections, output):
        pages = write_report_pdf(part, path, options)
        written.append((path, pages))
    return written
