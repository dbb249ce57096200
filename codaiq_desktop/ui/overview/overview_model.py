"""The Overview's table: one row per website, sortable and filterable, plus a totals row.

Rows hold plain :class:`~codaiq_desktop.site_stats.SiteFigures` and lead counts; cells are
formatted on demand. A figure the service did not send shows "not provided" (and sorts
last), never 0. ``SORT_ROLE`` gives each cell's sort key, ``SERIES_ROLE`` the sparkline's
values, ``WEBSITE_ROLE`` the website id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont, QStandardItemModel

from codaiq_desktop.site_stats.change import change_percent

if TYPE_CHECKING:
    from codaiq_desktop.site_stats.lead_counts import SiteLeadCounts
    from codaiq_desktop.site_stats.site_figures import SiteFigures

NOT_PROVIDED = "not provided"
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SERIES_ROLE = Qt.ItemDataRole.UserRole + 2
WEBSITE_ROLE = Qt.ItemDataRole.UserRole + 3
UP_COLOR = QColor("#1d7a46")
DOWN_COLOR = QColor("#b3261e")
MUTED_COLOR = QColor("#888888")

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Website"),
    ("domain", "Domain"),
    ("build", "Build"),
    ("pageviews", "Page views"),
    ("pageviews_change", "Change"),
    ("visitors", "Visitors"),
    ("visitors_change", "Change"),
    ("trend", "Trend"),
    ("leads", "Leads new / total"),
    ("last_lead", "Last lead"),
    ("updated", "Site updated"),
    ("note", "Note"),
)
COLUMN = {key: index for index, (key, _title) in enumerate(COLUMNS)}
NUMERIC = frozenset({"pageviews", "pageviews_change", "visitors", "visitors_change", "leads"})


@dataclass(frozen=True)
class OverviewRow:
    """One website's row: its figures and its lead counts (``None`` until counted)."""

    key: str
    figures: SiteFigures
    leads: SiteLeadCounts | None = None
    _cells: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    """Display texts, sort keys and colours, made once per row (a new row after each change):
    a view asks for several roles of every visible cell on each paint."""

    @property
    def website_id(self) -> str | None:
        return self.figures.website_id

    def cells(self) -> tuple[list[str], list[Any], list[Any]]:
        made = self._cells.get("cells")
        if made is None:
            texts = [_display(self, key) for key, _title in COLUMNS]
            made = self._cells["cells"] = (
                texts,
                [_sort_key(self, key) for key, _title in COLUMNS],
                [_foreground(self, key, text) for (key, _title), text in zip(COLUMNS, texts, strict=True)],
            )
        return made


def row_key(figures: SiteFigures, index: int = 0) -> str:
    """A website's id, or a stand-in for a site the service sent without one (the same
    site gets the same stand-in on every refresh; ``index`` is not part of it)."""
    site = figures.site
    return site.website_id or f"no-id:{site.project_id or ''}:{site.name or ''}:{site.domain or ''}"


def change_text(current: int | None, previous: int | None, reason: str | None) -> str:
    if current is None:
        return NOT_PROVIDED
    if previous is None:
        return NOT_PROVIDED if reason else "…"
    if previous == 0:
        return "new" if current else "no change"
    pct = change_percent(current, previous) or 0.0
    if abs(pct) < 0.05:
        return "no change"
    return f"{'▲' if pct > 0 else '▼'} {abs(pct):.1f}%"


def _time_text(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone()
    now = datetime.now().astimezone()
    return local.strftime("%H:%M") if local.date() == now.date() else local.strftime("%d %b %Y")


class OverviewTableModel(QStandardItemModel):
    """Every website of the account; rows added, updated or removed as figures arrive.

    The cells live in Qt's own item storage, written once per change of a row: a view asks
    several roles of every visible cell on each paint, and answering those from Python
    (a call into the interpreter per role per cell) made a full repaint of 60 sites two to
    three times slower. ``_rows`` keeps the rows themselves for sorting, filtering and totals.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self._rows: list[OverviewRow] = []
        self._index: dict[str, int] = {}
        for position, (key, title) in enumerate(COLUMNS):
            self.setHeaderData(position, Qt.Orientation.Horizontal, title, Qt.ItemDataRole.DisplayRole)
            tip = _HEADER_TIPS.get(key)
            if tip:
                self.setHeaderData(position, Qt.Orientation.Horizontal, tip, Qt.ItemDataRole.ToolTipRole)

    # ----- contents -----------------------------------------------------------------
    def rows(self) -> list[OverviewRow]:
        return list(self._rows)

    def row_at(self, position: int) -> OverviewRow:
        """The row at a source position, without copying the list (the proxy asks per comparison)."""
        return self._rows[position]

    def row_for(self, website_id: str) -> OverviewRow | None:
        position = self._index.get(website_id)
        return None if position is None else self._rows[position]

    def set_figures(self, figures: Sequence[SiteFigures]) -> None:
        """Replace every row (the account's sites as now known), keeping lead counts."""
        leads = {row.key: row.leads for row in self._rows}
        self.beginResetModel()
        self.blockSignals(True)  # one reset, not a signal per cell
        try:
            self._rows = []
            for position, item in enumerate(figures):
                key = row_key(item, position)
                self._rows.append(OverviewRow(key, item, leads.get(key)))
            self.setRowCount(len(self._rows))
            for position in range(len(self._rows)):
                self._write(position)
        finally:
            self.blockSignals(False)
        self._reindex()
        self.endResetModel()

    def update_figures(self, items: Iterable[SiteFigures]) -> None:
        """Update the rows of these sites (appending any that are new): one insertion and one
        change signal for the batch, so a sorted view re-sorts once, not once per row."""
        changed: list[int] = []
        added: list[OverviewRow] = []
        for item in items:
            key = row_key(item)
            position = self._index.get(key)
            if position is not None:
                self._rows[position] = replace(self._rows[position], figures=item)
                changed.append(position)
            elif all(row.key != key for row in added):
                added.append(OverviewRow(key, item))
            else:
                added = [row if row.key != key else OverviewRow(key, item) for row in added]
        if changed:
            self._rewrite(changed, 0, len(COLUMNS) - 1)
        if added:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self.blockSignals(True)
            try:
                self._rows.extend(added)
                self.setRowCount(len(self._rows))
                for position in range(first, len(self._rows)):
                    self._write(position)
            finally:
                self.blockSignals(False)
            self._reindex()
            self.endInsertRows()

    def set_lead_counts(self, counts: dict[str, SiteLeadCounts]) -> None:
        changed: list[int] = []
        for position, row in enumerate(self._rows):
            new = counts.get(row.key)
            if new != row.leads:
                self._rows[position] = replace(row, leads=new)
                changed.append(position)
        if changed:
            self._rewrite(changed, COLUMN["leads"], COLUMN["last_lead"])

    def _rewrite(self, positions: list[int], first: int, last: int) -> None:
        """Store these rows' cells again; one change signal for the span (the view and a sorting
        proxy then do their work once)."""
        self.blockSignals(True)
        try:
            for position in positions:
                self._write(position)
        finally:
            self.blockSignals(False)
        self.dataChanged.emit(self.index(min(positions), first), self.index(max(positions), last))

    def _write(self, position: int) -> None:
        row = self._rows[position]
        for column, (key, _title) in enumerate(COLUMNS):
            self.setItemData(self.index(position, column), cell_roles(row, key))

    def _reindex(self) -> None:
        self._index = {row.key: position for position, row in enumerate(self._rows)}


_HEADER_TIPS = {
    "pageviews": "Page views in the chosen period (as the Codaiq API counts them)",
    "pageviews_change": "Page views against the equal period just before",
    "visitors": "Unique visitors in the chosen period",
    "visitors_change": "Unique visitors against the equal period just before",
    "trend": "Page views over the period",
    "leads": "Leads received in the period that are still new / all received in the period (from this computer's inbox). Click to see them.",
    "last_lead": "When the latest lead of this site arrived",
    "updated": "When the site itself was last changed",
}


_LINK_FONT: list[QFont] = []
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _link_font() -> QFont:
    if not _LINK_FONT:
        font = QFont()
        font.setUnderline(True)  # name and lead count open another tab when clicked
        _LINK_FONT.append(font)
    return _LINK_FONT[0]


def cell_roles(row: OverviewRow, column: str) -> dict[int, Any]:
    """Everything one cell shows or sorts by, by role (roles without a value left out)."""
    position = COLUMN[column]
    texts, sort_keys, colours = row.cells()
    website_id = row.figures.site.website_id
    roles: dict[int, Any] = {Qt.ItemDataRole.DisplayRole: texts[position], SORT_ROLE: sort_keys[position]}
    if colours[position] is not None:
        roles[Qt.ItemDataRole.ForegroundRole] = colours[position]
    if column in NUMERIC:
        roles[Qt.ItemDataRole.TextAlignmentRole] = _ALIGN_RIGHT
    if column in ("name", "leads") and website_id:
        roles[Qt.ItemDataRole.FontRole] = _link_font()
    if website_id is not None:
        roles[WEBSITE_ROLE] = website_id
    if column == "trend":
        roles[SERIES_ROLE] = list(row.figures.series)
    tip = _tooltip(row, column)
    if tip is not None:
        roles[Qt.ItemDataRole.ToolTipRole] = tip
    return roles


def cell(row: OverviewRow, column: str, role: int) -> Any:
    """What one cell shows (or sorts by) for ``role``."""
    return cell_roles(row, column).get(role)


def _foreground(row: OverviewRow, column: str, text: str) -> QColor | None:
    figures = row.figures
    if column in ("pageviews_change", "visitors_change"):
        pct = figures.pageviews_change if column == "pageviews_change" else figures.visitors_change
        if pct is not None and abs(pct) >= 0.05:
            return UP_COLOR if pct > 0 else DOWN_COLOR
    if text in (NOT_PROVIDED, "—", "…"):
        return MUTED_COLOR
    return None


def _display(row: OverviewRow, column: str) -> str:
    figures = row.figures
    site = figures.site
    no_figures = figures.unavailable is not None and figures.pageviews is None
    pending = figures.fetched_at is None and figures.unavailable is None
    if pending and column in ("pageviews", "visitors", "pageviews_change", "visitors_change", "trend"):
        return "…"  # asked for, not answered yet
    if column == "name":
        return site.label
    if column == "domain":
        return site.domain or NOT_PROVIDED
    if column == "build":
        return site.build_status or NOT_PROVIDED
    if column == "pageviews":
        return "—" if no_figures else (NOT_PROVIDED if figures.pageviews is None else f"{figures.pageviews:,}")
    if column == "visitors":
        return "—" if no_figures else (NOT_PROVIDED if figures.visitors is None else f"{figures.visitors:,}")
    if column == "pageviews_change":
        return (
            "—"
            if no_figures
            else change_text(figures.pageviews, figures.previous_pageviews, figures.previous_unavailable)
        )
    if column == "visitors_change":
        return (
            "—"
            if no_figures
            else change_text(figures.visitors, figures.previous_visitors, figures.previous_unavailable)
        )
    if column == "trend":
        return "" if figures.series else ("—" if no_figures else NOT_PROVIDED)
    if column == "leads":
        if not site.website_id:
            return "—"
        return "…" if row.leads is None else f"{row.leads.new:,} / {row.leads.total:,}"
    if column == "last_lead":
        return _time_text(row.leads.last_received_at) if row.leads is not None else "—"
    if column == "updated":
        return _time_text(site.updated_at)
    if column == "note":
        return figures.unavailable or (f"Previous period {NOT_PROVIDED}" if figures.previous_unavailable else "")
    return ""


def _tooltip(row: OverviewRow, column: str) -> str | None:
    figures = row.figures
    if column == "note" or (figures.unavailable and column in ("pageviews", "visitors", "name")):
        return figures.unavailable or figures.previous_unavailable
    if column in ("pageviews_change", "visitors_change"):
        if figures.previous_unavailable:
            return figures.previous_unavailable
        if figures.previous_period is not None:
            before = figures.previous_pageviews if column == "pageviews_change" else figures.previous_visitors
            return f"{NOT_PROVIDED if before is None else f'{before:,}'} in {figures.previous_period.describe()}"
    if column in ("pageviews", "visitors") and figures.period is not None:
        return figures.period.describe()
    if column == "name":
        return f"{row.figures.site.label}: open in Analytics"
    if column == "leads" and row.leads is not None:
        return "Show this site's leads"
    return None


def _sort_key(row: OverviewRow, column: str) -> Any:
    """Numbers sort as numbers, text as folded text; "not provided" sorts below everything."""
    figures = row.figures
    site = figures.site
    missing = float("-inf")
    if column == "name":
        return site.label.casefold()
    if column == "domain":
        return (site.domain or "").casefold()
    if column == "build":
        return (site.build_status or "").casefold()
    if column == "pageviews":
        return missing if figures.pageviews is None else float(figures.pageviews)
    if column == "visitors":
        return missing if figures.visitors is None else float(figures.visitors)
    if column == "pageviews_change":
        pct = figures.pageviews_change
        return missing if pct is None else pct
    if column == "visitors_change":
        pct = figures.visitors_change
        return missing if pct is None else pct
    if column == "trend":
        return float(sum(figures.series)) if figures.series else missing
    if column == "leads":
        return missing if row.leads is None else float(row.leads.total) + row.leads.new / 1e6
    if column == "last_lead":
        moment = row.leads.last_received_at if row.leads is not None else None
        return missing if moment is None else moment.timestamp()
    if column == "updated":
        return missing if site.updated_at is None else site.updated_at.timestamp()
    if column == "note":
        return (figures.unavailable or "").casefold()
    return ""


class OverviewFilterModel(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE`` and keeps rows matching the text and the chosen kind of site."""

    SHOW_ALL, SHOW_WITH_FIGURES, SHOW_WITHOUT_FIGURES, SHOW_WITH_LEADS = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._show = self.SHOW_ALL
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_show(self, show: int) -> None:
        self.beginFilterChange()
        self._show = show
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, OverviewTableModel):
            return True
        row = model.row_at(source_row)
        figures = row.figures
        if self._text:
            site = figures.site
            haystack = " ".join(filter(None, (site.name, site.domain, site.website_id, site.project_name))).casefold()
            if self._text not in haystack:
                return False
        if self._show == self.SHOW_WITH_FIGURES:
            return figures.pageviews is not None
        if self._show == self.SHOW_WITHOUT_FIGURES:
            return figures.pageviews is None
        if self._show == self.SHOW_WITH_LEADS:
            return row.leads is not None and row.leads.total > 0
        return True

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if isinstance(model, OverviewTableModel):  # straight to the rows' sort keys: no data() round trip
            a = model.row_at(left.row()).cells()[1][left.column()]
            b = model.row_at(right.row()).cells()[1][right.column()]
        else:
            a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if type(a) is not type(b):
            return str(type(a)) < str(type(b))
        return bool(a < b)

    def visible_rows(self) -> list[OverviewRow]:
        model = self.sourceModel()
        if not isinstance(model, OverviewTableModel):
            return []
        return [model.row_at(self.mapToSource(self.index(r, 0)).row()) for r in range(self.rowCount())]


@dataclass(frozen=True)
class OverviewTotals:
    """Sums over the rows shown: a change only over sites that have both periods."""

    sites: int
    with_figures: int
    pageviews: int | None
    visitors: int | None
    pageviews_change: float | None
    visitors_change: float | None
    leads_new: int
    leads_total: int

    @classmethod
    def of(cls, rows: Sequence[OverviewRow]) -> OverviewTotals:
        with_views = [row.figures for row in rows if row.figures.pageviews is not None]
        with_visitors = [f for f in with_views if f.visitors is not None]
        both_views = [f for f in with_views if f.previous_pageviews is not None]
        both_visitors = [f for f in with_visitors if f.previous_visitors is not None]
        return cls(
            sites=len(rows),
            with_figures=len(with_views),
            pageviews=sum(f.pageviews or 0 for f in with_views) if with_views else None,
            visitors=sum(f.visitors or 0 for f in with_visitors) if with_visitors else None,
            pageviews_change=change_percent(
                sum(f.pageviews or 0 for f in both_views), sum(f.previous_pageviews or 0 for f in both_views)
            )
            if both_views
            else None,
            visitors_change=change_percent(
                sum(f.visitors or 0 for f in both_visitors), sum(f.previous_visitors or 0 for f in both_visitors)
            )
            if both_visitors
            else None,
            leads_new=sum(row.leads.new for row in rows if row.leads is not None),
            leads_total=sum(row.leads.total for row in rows if row.leads is not None),
        )


class OverviewTotalsModel(QAbstractTableModel):
    """The totals row under the table (same columns), over the rows the filter shows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.totals = OverviewTotals.of([])

    def set_rows(self, rows: Sequence[OverviewRow]) -> None:
        self.totals = OverviewTotals.of(rows)
        self.dataChanged.emit(self.index(0, 0), self.index(0, len(COLUMNS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 1

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = COLUMNS[index.column()][0]
        totals = self.totals
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column in ("pageviews_change", "visitors_change"):
            pct = totals.pageviews_change if column == "pageviews_change" else totals.visitors_change
            if pct is not None and abs(pct) >= 0.05:
                return UP_COLOR if pct > 0 else DOWN_COLOR
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "name":
            return f"Total: {totals.sites:,} site{'s' if totals.sites != 1 else ''}"
        if column == "domain":
            return f"{totals.with_figures:,} with figures"
        if column == "pageviews":
            return "—" if totals.pageviews is None else f"{totals.pageviews:,}"
        if column == "visitors":
            return "—" if totals.visitors is None else f"{totals.visitors:,}"
        if column in ("pageviews_change", "visitors_change"):
            pct = totals.pageviews_change if column == "pageviews_change" else totals.visitors_change
            if pct is None:
                return "—"
            return "no change" if abs(pct) < 0.05 else f"{'▲' if pct > 0 else '▼'} {abs(pct):.1f}%"
        if column == "leads":
            return f"{totals.leads_new:,} / {totals.leads_total:,}"
        return ""
