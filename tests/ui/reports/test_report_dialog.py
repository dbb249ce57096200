"""The Client report dialog: File › Client report…, the Analytics tab's button, and a real PDF
made by the report command in a child process while the window stays responsive."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt

from codaiq_desktop.ui.reports.report_dialog import ClientReportDialog
from codaiq_desktop.ui.common.stall_watchdog import StallWatchdog

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def test_file_menu_report_for_the_overview_selection_writes_the_pdf(
    qtbot, main_window, sandbox, services_key, tmp_path, until, stall_check
) -> None:
    sites = {}
    for name in ("Granite Coast Builders", "Penrose Florist"):
        project_id, website_id = sandbox.generate(f"{name} in Cornwall", name, key=services_key)
        sandbox.wait_ready(project_id, website_id, key=services_key)
        sites[name] = website_id
    overview = main_window.tab("overview")
    main_window.show_tab("overview")
    until(lambda: overview.model.rowCount() == 2 and not overview.is_refreshing(), timeout=30)
    florist = next(
        r for r in range(overview.proxy.rowCount()) if overview.proxy.index(r, 0).data() == "Penrose Florist"
    )
    overview.table.selectRow(florist)

    main_window.report_action.trigger()
    dialog = main_window.findChild(ClientReportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.chosen_website_ids() == [sites["Penrose Florist"]]
    assert "--api-key" not in dialog.arguments()  # the key travels in the child's environment only
    dialog.agency_name.setText("Northwind Studio")
    target = tmp_path / "florist.pdf"
    dialog.output.setText(str(target))
    watchdog = StallWatchdog()
    watchdog.start()
    dialog.generate()
    until(lambda: dialog.result_label.text().startswith(("Saved", "No report")), timeout=60)
    stall_check(watchdog, "a report was made", min_ticks=5)
    assert dialog.result_label.text() == f"Saved {target}"
    assert dialog.open_button.isVisible()
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "Penrose Florist" in text and "Northwind Studio" in text and "Granite Coast" not in text
    assert services_key not in text
    # The agency's name is remembered for the next report.
    again = ClientReportDialog(main_window.services, [], parent=main_window)
    qtbot.addWidget(again)
    assert again.agency_name.text() == "Northwind Studio"


def test_analytics_button_and_a_bad_folder(qtbot, services, sandbox, services_key, tmp_path, until) -> None:
    from codaiq_desktop.ui.analytics.analytics_tab import AnalyticsTab

    project_id, website_id = sandbox.generate("A pottery in St Ives", "Clay Studio", key=services_key)
    sandbox.wait_ready(project_id, website_id, key=services_key)
    tab = AnalyticsTab(services)
    qtbot.addWidget(tab)
    tab.show()
    until(lambda: tab.website.findData(website_id) >= 0, timeout=30)
    tab.select_website(website_id)
    tab.report_button.click()
    dialog = tab.findChild(ClientReportDialog)
    assert dialog is not None and dialog.chosen_website_ids() == [website_id]
    dialog.output.setText(str(tmp_path / "missing" / "x.pdf"))
    dialog.generate()
    assert "does not exist" in dialog.result_label.text()
    dialog.sites.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.output.setText(str(tmp_path / "x.pdf"))
    dialog.generate()
    assert dialog.result_label.text() == "Tick at least one website."
