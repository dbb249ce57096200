"""The Overview's links reach the other tabs through the main window (which builds them lazily)."""

from __future__ import annotations

from codaiq_desktop.ui.analytics.analytics_tab import AnalyticsTab
from codaiq_desktop.ui.leads.leads_tab import LeadsTab
from codaiq_desktop.ui.overview.overview_tab import OverviewTab


def test_a_sites_leads_and_analytics_links_open_those_tabs(main_window) -> None:
    overview = main_window.tab("overview")
    assert isinstance(overview, OverviewTab)
    main_window.show_tab("overview")

    overview.sig_open_leads.emit("website-1")
    assert main_window.current_tab_key() == "leads"
    assert isinstance(main_window.tabs.currentWidget(), LeadsTab)

    overview.sig_open_analytics.emit("website-1")
    assert main_window.current_tab_key() == "analytics"
    assert isinstance(main_window.tabs.currentWidget(), AnalyticsTab)
