"""The Overview's Qt models checked by pytest-qt's model tester, and how missing figures read."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from codaiq_desktop.site_stats.lead_counts import SiteLeadCounts
from codaiq_desktop.site_stats.periods import Period
from codaiq_desktop.site_stats.site_figures import SiteFigures, SiteInfo
from codaiq_desktop.ui.analytics.analytics_charts import PAGEVIEWS_COLOR
from codaiq_desktop.ui.overview.overview_model import (
    COLUMN,
    SORT_ROLE,
    OverviewFilterModel,
    OverviewTableModel,
    OverviewTotalsModel,
)
from codaiq_desktop.ui.overview.sparkline_delegate import SPARKLINE_COLOR

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def _figures() -> list[SiteFigures]:
    period = Period.ending(datetime(2026, 12, 5, tzinfo=UTC), "7d")
    full = SiteFigures(
        SiteInfo("w1", "p1", "Alpha", "alpha.example", "ready", NOW),
        "7d",
        pageviews=1200,
        visitors=700,
        previous_pageviews=1000,
        previous_visitors=800,
        series=(100, 200, 150, 180, 170, 200, 200),
        period=period,
        previous_period=period.previous(),
        fetched_at=NOW,
    )
    documented = SiteFigures(
        SiteInfo("w2", "p2", "Beta", None, None, None),
        "7d",
        pageviews=40,
        fetched_at=NOW,
        previous_unavailable="The service did not say which period it measured.",
    )
    no_id = SiteFigures(
        SiteInfo(None, "p3", "Gamma", "gamma.example", "ready", None),
        "7d",
        fetched_at=NOW,
        unavailable="The service sent no id for this website, so its analytics cannot be asked for.",
    )
    return [full, documented, no_id]


def test_models_pass_the_model_tester(qtmodeltester) -> None:
    model = OverviewTableModel()
    model.set_figures(_figures())
    model.set_lead_counts({"w1": SiteLeadCounts("w1", 3, 1, NOW)})
    qtmodeltester.check(model)
    proxy = OverviewFilterModel()
    proxy.setSourceModel(model)
    proxy.sort(COLUMN["pageviews"], Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    totals = OverviewTotalsModel()
    totals.set_rows(proxy.visible_rows())
    qtmodeltester.check(totals)


def test_missing_figures_read_not_provided_and_sort_last() -> None:
    model = OverviewTableModel()
    model.set_figures(_figures())
    proxy = OverviewFilterModel()
    proxy.setSourceModel(model)
    proxy.sort(COLUMN["visitors"], Qt.SortOrder.DescendingOrder)
    names = [proxy.index(r, COLUMN["name"]).data() for r in range(proxy.rowCount())]
    assert names[0] == "Alpha"
    beta = model.index(1, 0).row()
    assert model.index(beta, COLUMN["visitors"]).data() == "not provided"
    assert model.index(beta, COLUMN["pageviews_change"]).data() == "not provided"
    assert model.index(beta, COLUMN["domain"]).data() == "not provided"
    assert model.index(0, COLUMN["pageviews_change"]).data() == "▲ 20.0%"
    assert model.index(0, COLUMN["visitors_change"]).data() == "▼ 12.5%"
    assert model.index(2, COLUMN["pageviews"]).data() == "—"
    assert "sent no id" in model.index(2, COLUMN["note"]).data()
    assert model.index(2, COLUMN["pageviews"]).data(SORT_ROLE) == float("-inf")
    totals = OverviewTotalsModel()
    totals.set_rows(proxy.visible_rows())
    assert totals.index(0, COLUMN["pageviews"]).data() == "1,240"
    # The change of the total covers only sites with both periods (Alpha), not Beta's 40.
    assert totals.index(0, COLUMN["pageviews_change"]).data() == "▲ 20.0%"


def test_sparkline_is_the_analytics_blue() -> None:
    assert SPARKLINE_COLOR == PAGEVIEWS_COLOR
