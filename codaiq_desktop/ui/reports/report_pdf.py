"""A client report as PDF, laid out with Qt's own PDF output (``QPdfWriter`` + ``QTextDocument``).

Each website gets a section: a cover page (agency logo and name, site name, domain,
the exact period), a page of key figures with their change against the previous
period and the time-series chart (painted as vectors, see ``report_chart``), then top
pages, referrers and a leads summary that flow over as many pages as they need.

The text is plain and exact: numbers as the API sent them (thousands separated, never
rounded), periods as dates with the time zone, and a figure the service did not send
says "not provided" — never 0. Leads are counted, not listed, unless the caller asks
for them (``ReportOptions.include_leads``).

Rendering needs a ``QGuiApplication`` (the offscreen platform is enough) and runs on
the thread that owns it. The file appears only when complete (written beside it, then
renamed), so a failure never leaves half a PDF at the destination.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from codaiq_desktop.site_stats.periods import RANGE_LABELS
from codaiq_desktop.site_stats.report_data import ReportSection
from codaiq_desktop.site_stats.site_figures import change_percent
from codaiq_desktop.ui.reports.report_chart import SCENE_HEIGHT, SCENE_WIDTH, legend_html, paint_timeseries

__all__ = ["NOT_PROVIDED", "PAGE_SIZES", "ReportOptions", "change_text", "write_report_pdf"]

NOT_PROVIDED = "not provided"
PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
RESOLUTION = 300
MARGIN_MM = 16.0
FOOTER_MM = 8.0
BASE_POINT_SIZE = 10.0

STYLE = """
h1 { font-size: 17pt; font-weight: 600; margin: 0 0 6pt 0; }
h2 { font-size: 13pt; font-weight: 600; margin: 14pt 0 4pt 0; }
p { margin: 0 0 4pt 0; }
.muted { color: #555555; }
table.figures { border-collapse: collapse; }
table.figures th { background: #eef1f5; font-weight: 600; text-align: left; padding: 4pt 8pt; }
table.figures td { padding: 3pt 8pt; border-bottom: 1px solid #dddddd; }
td.num, th.num { text-align: right; }
.up { color: #1d7a46; }
.down { color: #b3261e; }
"""


@dataclass(frozen=True)
class ReportOptions:
    """How the PDF looks: the agency's name and logo, paper size, whether leads are listed."""

    agency_name: str | None = None
    logo: Path | None = None
    page_size: str = "a4"
    include_leads: bool = False
    generated_at: datetime | None = None


def number(value: int | None) -> str:
    """An exact count with thousands separators, or "not provided"."""
    return NOT_PROVIDED if value is None else f"{value:,}"


def change_text(current: int | None, previous: int | None, note: str | None = None) -> str:
    """ "▲ 12.5%", "▼ 3.0%", "no change", "new (none before)" or why it is not provided."""
    if current is None or previous is None:
        return note or NOT_PROVIDED
    if previous == 0:
        return "no change (none in either period)" if current == 0 else "new (none the period before)"
    pct = change_percent(current, previous) or 0.0
    if abs(pct) < 0.05:
        return "no change"
    return f"{'▲' if pct > 0 else '▼'} {abs(pct):.1f}%"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


class _PdfCanvas:
    """The writer, its painter and page geometry in device pixels (origin at the margin)."""

    def __init__(self, path: Path, options: ReportOptions, title: str) -> None:
        self.writer = QPdfWriter(str(path))
        self.writer.setResolution(RESOLUTION)
        page_id = PAGE_SIZES.get(options.page_size.lower())
        if page_id is None:
            raise ValueError(f"Unknown page size {options.page_size!r}; use A4 or Letter.")
        self.writer.setPageSize(QPageSize(page_id))
        self.writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
        self.writer.setTitle(title)
        self.writer.setCreator("Codaiq Desktop")
        paint = self.writer.pageLayout().paintRectPixels(RESOLUTION)
        self.width = float(paint.width())
        self.height = float(paint.height())
        self.footer = self.mm(FOOTER_MM)
        self.painter = QPainter()
        if not self.painter.begin(self.writer):
            raise OSError(f"Could not write a PDF at {path}")
        self.pages = 1
        self._fresh = True

    def mm(self, value: float) -> float:
        return value / 25.4 * RESOLUTION

    @property
    def body_height(self) -> float:
        return self.height - self.footer

    def new_page(self) -> None:
        if self._fresh:
            return
        self.writer.newPage()
        self.pages += 1
        self._fresh = True

    def used(self) -> None:
        self._fresh = False

    def document(self, body: str, width: float | None = None) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.writer)
        font = QFont()
        font.setPointSizeF(BASE_POINT_SIZE)
        doc.setDefaultFont(font)
        doc.setDefaultStyleSheet(STYLE)
        doc.setDocumentMargin(0)
        doc.setHtml(body)
        doc.setTextWidth(width or self.width)
        return doc

    def draw(self, doc: QTextDocument, x: float, y: float) -> float:
        """Draw ``doc`` with its top-left at (x, y); returns its height."""
        self.painter.save()
        self.painter.translate(x, y)
        doc.drawContents(self.painter)
        self.painter.restore()
        self.used()
        return float(doc.size().height())

    def flow(self, doc: QTextDocument, footer: str) -> None:
        """Draw a long document over as many pages as it needs, starting on a new page."""
        doc.setPageSize(QSizeF(self.width, self.body_height))
        page_height = self.body_height
        for index in range(doc.pageCount()):
            self.new_page()
            self.painter.save()
            self.painter.translate(0, -index * page_height)
            doc.drawContents(self.painter, QRectF(0, index * page_height, self.width, page_height))
            self.painter.restore()
            self.used()
            self.draw_footer(footer)

    def draw_footer(self, text: str) -> None:
        doc = self.document(f"<p class='muted' style='font-size:8pt'>{_esc(text)} · page {self.pages}</p>")
        self.draw(doc, 0, self.height - doc.size().height())

    def finish(self) -> None:
        self.painter.end()


def write_report_pdf(sections: Sequence[ReportSection], path: Path, options: ReportOptions | None = None) -> int:
    """Write the report for ``sections`` to ``path`` (replaced only when complete); returns its pages."""
    options = options or ReportOptions()
    if not sections:
        raise ValueError("A report needs at least one website.")
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(2, "No such folder", str(folder))
    logo = _load_logo(options.logo)
    fd, temp_name = tempfile.mkstemp(prefix=".report-", suffix=".pdf.tmp", dir=folder)
    os.close(fd)
    temp = Path(temp_name)
    try:
        names = ", ".join(section.site.label for section in sections)
        canvas = _PdfCanvas(temp, options, f"Website report: {names}")
        try:
            generated = options.generated_at or datetime.now(UTC)
            for section in sections:
                _write_section(canvas, section, options, logo, generated)
        finally:
            canvas.finish()
        pages = canvas.pages
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # a report is an ordinary document, not a private temp file
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return pages


def _load_logo(path: Path | None) -> QImage | None:
    if path is None:
        return None
    image = QImage(str(path))
    if image.isNull():
        raise ValueError(f"The logo {path} could not be read as an image (PNG, JPEG or SVG).")
    return image


def _write_section(
    canvas: _PdfCanvas, section: ReportSection, options: ReportOptions, logo: QImage | None, generated: datetime
) -> None:
    footer = f"{section.site.label} · {_period_text(section)}"
    canvas.new_page()
    _cover(canvas, section, options, logo, generated)
    canvas.draw_footer(footer)
    canvas.new_page()
    _figures_page(canvas, section)
    canvas.draw_footer(footer)
    canvas.new_page()
    canvas.flow(canvas.document(_details_html(section, options)), footer)


def _period_text(section: ReportSection) -> str:
    if section.period is None:
        return f"last {RANGE_LABELS.get(section.range, section.range)} (exact period {NOT_PROVIDED} by the service)"
    return section.period.describe()


def _cover(
    canvas: _PdfCanvas, section: ReportSection, options: ReportOptions, logo: QImage | None, generated: datetime
) -> None:
    y = 0.0
    if logo is not None:
        box = QSizeF(canvas.mm(60), canvas.mm(24))
        scaled = QSizeF(logo.size()).scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
        canvas.painter.drawImage(QRectF(QPointF(0, 0), scaled), logo)
        y = scaled.height() + canvas.mm(4)
        canvas.used()
    if options.agency_name:
        y += canvas.draw(
            canvas.document(f"<p style='font-size:14pt; font-weight:600'>{_esc(options.agency_name)}</p>"), 0, y
        )
    site = section.site
    previous = (
        f"Compared with the period before: {_esc(section.previous_period.describe())}"
        if section.previous_period is not None
        else f"Previous period: {_esc(section.previous_note or NOT_PROVIDED)}"
    )
    body = (
        "<p class='muted' style='font-size:13pt'>Website report</p>"
        f"<p style='font-size:26pt; font-weight:700'>{_esc(site.label)}</p>"
        f"<p style='font-size:13pt'>{_esc(site.domain or 'Domain ' + NOT_PROVIDED)}</p>"
        "<p>&nbsp;</p>"
        f"<p style='font-size:13pt'><b>Period:</b> {_esc(_period_text(section))}</p>"
        f"<p class='muted'>{previous}</p>"
    )
    if section.period is not None:
        body += f"<p class='muted'>Exactly {_esc(section.period.describe_bounds())}.</p>"
    canvas.draw(canvas.document(body), 0, max(y + canvas.mm(10), canvas.height * 0.3))
    prepared = f"Prepared {generated:%d %b %Y %H:%M} UTC"
    if options.agency_name:
        prepared += f" by {_esc(options.agency_name)}"
    closing = canvas.document(
        f"<p class='muted'>{prepared}. Traffic figures from the Codaiq API"
        f" (fetched {section.fetched_at:%d %b %Y %H:%M} UTC); leads from this computer's inbox.</p>"
    )
    canvas.draw(closing, 0, canvas.body_height - closing.size().height() - canvas.mm(4))


def _kpi_rows(section: ReportSection) -> list[tuple[str, int | None, int | None, str]]:
    current, previous = section.analytics, section.previous
    note = f"{NOT_PROVIDED}" if section.previous_note else None
    views = getattr(current, "total_pageviews", None)
    views_before = getattr(previous, "total_pageviews", None) if previous is not None else None
    visitors = getattr(current, "unique_visitors", None)
    visitors_before = getattr(previous, "unique_visitors", None) if previous is not None else None
    leads = section.leads.total if section.leads is not None else None
    rows = [
        ("Page views", views, views_before, change_text(views, views_before, note)),
        ("Unique visitors", visitors, visitors_before, change_text(visitors, visitors_before, note)),
        ("Leads received", leads, section.previous_leads_total, change_text(leads, section.previous_leads_total)),
    ]
    return rows


def _figures_page(canvas: _PdfCanvas, section: ReportSection) -> None:
    rows = "".join(
        f"<tr><td>{_esc(label)}</td><td class='num'><b>{_esc(number(now))}</b></td>"
        f"<td class='num'>{_esc(number(before))}</td><td class='num {_trend_class(change)}'>{_esc(change)}</td></tr>"
        for label, now, before, change in _kpi_rows(section)
    )
    compared = (
        f"compared with {_esc(section.previous_period.describe())}"
        if section.previous_period is not None
        else "compared with the equal period before it"
    )
    body = (
        f"<h1>Key figures — {_esc(section.site.label)}</h1>"
        f"<p class='muted'>{_esc(_period_text(section))}, {compared}.</p>"
        "<table class='figures' width='100%' cellspacing='0' cellpadding='5'>"
        "<tr><th></th><th class='num'>This period</th><th class='num'>Previous period</th><th class='num'>Change</th></tr>"
        f"{rows}</table>"
    )
    notes = []
    if section.previous_note:
        notes.append(f"Previous period {section.previous_note.removeprefix('not provided')}".rstrip(": "))
    if section.leads_note:
        notes.append(f"Leads {section.leads_note}")
    if notes:
        body += "".join(f"<p class='muted' style='font-size:8.5pt'>{_esc(n)}.</p>" for n in notes)
    y = canvas.draw(canvas.document(body), 0, 0) + canvas.mm(8)
    points = [
        (point.date, int(point.pageviews), point.unique_visitors)
        for point in (getattr(section.analytics, "timeseries", ()) or ())
    ]
    hourly = section.range == "24h"
    unit = "hour" if hourly else "day"
    has_visitors = bool(points) and all(point[2] is not None for point in points)
    heading = canvas.document(
        f"<h2>Page views{' and unique visitors' if has_visitors else ''} per {unit}</h2>"
        + (f"<p>{legend_html(has_visitors)}</p>" if points else f"<p>Time series: {NOT_PROVIDED} by the service.</p>")
    )
    y += canvas.draw(heading, 0, y) + canvas.mm(2)
    if points:
        # The plot's own proportions (uniform scaling keeps line widths even).
        height = min(canvas.width * SCENE_HEIGHT / SCENE_WIDTH, canvas.body_height - y - canvas.mm(4))
        paint_timeseries(canvas.painter, QRectF(0, y, canvas.width, height), points, hourly=hourly)
        canvas.used()


def _trend_class(change: str) -> str:
    return "up" if change.startswith("▲") else "down" if change.startswith("▼") else ""


def _ranked_table(rows: list[tuple[str, int]], label: str, value_label: str) -> str:
    body = "".join(
        f"<tr><td>{index}</td><td>{_esc(name)}</td><td class='num'>{value:,}</td></tr>"
        for index, (name, value) in enumerate(rows, start=1)
    )
    return (
        "<table class='figures' width='100%' cellspacing='0' cellpadding='5'>"
        f"<tr><th>#</th><th>{_esc(label)}</th><th class='num'>{_esc(value_label)}</th></tr>{body}</table>"
    )


def _details_html(section: ReportSection, options: ReportOptions) -> str:
    analytics = section.analytics
    raw = getattr(analytics, "raw", None) or {}
    parts = [f"<h1>Details — {_esc(section.site.label)}</h1>", f"<p class='muted'>{_esc(_period_text(section))}</p>"]
    parts.append("<h2>Top pages</h2>")
    pages = [(page.path, int(page.pageviews)) for page in getattr(analytics, "top_pages", ()) or ()]
    if "topPages" not in raw:
        parts.append(f"<p>Top pages: {NOT_PROVIDED} by the service.</p>")
    elif not pages:
        parts.append("<p>No page was viewed in this period.</p>")
    else:
        parts.append(_ranked_table(pages, "Page", "Page views"))
    parts.append("<h2>Referrers</h2>")
    referrers = [(ref.source or "direct", int(ref.visits)) for ref in getattr(analytics, "referrers", ()) or ()]
    if "referrers" not in raw:
        parts.append(f"<p>Referrers: {NOT_PROVIDED} by the service.</p>")
    elif not referrers:
        parts.append("<p>No visits with a referrer in this period.</p>")
    else:
        parts.append(_ranked_table(referrers, "Source (\u201cdirect\u201d: typed or bookmarked)", "Visits"))
    parts.append(_leads_html(section, options))
    parts.append(
        "<h2>About these figures</h2>"
        "<p class='muted'>Page views count every page loaded; unique visitors are counted once per day "
        "without storing who they are. Changes compare with the equal period just before. "
        "Leads are those this computer received from the site's forms through webhooks.</p>"
    )
    return "".join(parts)


def _leads_html(section: ReportSection, options: ReportOptions) -> str:
    parts = ["<h2>Leads</h2>"]
    summary = section.leads
    if summary is None:
        parts.append(f"<p>Leads: {_esc(section.leads_note or NOT_PROVIDED)}.</p>")
        return "".join(parts)
    parts.append(f"<p>{summary.total:,} lead{'s' if summary.total != 1 else ''} received in this period.</p>")
    status_rows = "".join(
        f"<tr><td>{_esc(status.capitalize())}</td><td class='num'>{count:,}</td></tr>"
        for status, count in summary.by_status.items()
    )
    parts.append(
        "<table class='figures' cellspacing='0' cellpadding='5'><tr><th>Status now</th><th class='num'>Leads</th></tr>"
        f"{status_rows}</table>"
    )
    week_rows = "".join(
        f"<tr><td>{start:%a %d %b %Y} – {(end - _one_second()):%a %d %b %Y}</td><td class='num'>{count:,}</td></tr>"
        for start, end, count in summary.by_week
    )
    parts.append(
        "<p>&nbsp;</p><table class='figures' cellspacing='0' cellpadding='5'><tr><th>Week (UTC, from Monday)</th>"
        f"<th class='num'>Leads</th></tr>{week_rows}</table>"
    )
    if options.include_leads:
        parts.append("<h2>Leads in detail</h2>")
        if not summary.leads:
            parts.append("<p>None.</p>")
        else:
            rows = "".join(_lead_row(lead) for lead in summary.leads)
            parts.append(
                "<table class='figures' width='100%' cellspacing='0' cellpadding='5'><tr><th>Received (UTC)</th><th>Name</th>"
                f"<th>Email</th><th>Phone</th><th>Status</th><th>Message</th></tr>{rows}</table>"
            )
    else:
        parts.append("<p class='muted'>Names and contact details are not part of this report.</p>")
    return "".join(parts)


def _lead_row(lead: Any) -> str:
    message = (lead.message or "").strip()
    if len(message) > 160:
        message = message[:159] + "…"
    received = lead.received_at.astimezone(UTC).strftime("%d %b %Y %H:%M") if lead.received_at else NOT_PROVIDED
    return (
        f"<tr><td>{_esc(received)}</td><td>{_esc(lead.name or '')}</td><td>{_esc(lead.email or '')}</td>"
        f"<td>{_esc(lead.phone or '')}</td><td>{_esc(lead.status)}</td><td>{_esc(message)}</td></tr>"
    )


def _one_second() -> Any:
    from datetime import timedelta

    return timedelta(seconds=1)
