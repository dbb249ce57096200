"""The whole job against a service that sends only what the public docs promise.

The main window on the documented-only sandbox: generate → the build card reaches "ready"
without percentages → the site is in Projects (its id from the app's registry) → preview by
domain → metadata saved → ZIP exported → Analytics shows total page views and says what is
missing. Nothing is logged as an error on the way.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from codaiq_desktop.ui.generate.build_card import NO_PROGRESS_TEXT
from codaiq_desktop.tls import ssl_context


def test_generate_to_analytics_with_only_documented_fields(
    qtbot, documented_services, documented_sandbox, until, caplog, monkeypatch, tmp_path: Path
) -> None:
    from codaiq_desktop.ui.shell.main_window import MainWindow

    caplog.set_level(logging.WARNING)
    services = documented_services
    key = services.documented_key
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert window.status.account_button.text().endswith("documented fields only")

    # --- generate: the card reaches "ready" and never shows a percentage ------------------
    generate = window.tab("generate")
    window.show_tab("generate")
    generate.prompt_edit.setPlainText("A bakery in Leeds with a cake order form")
    generate.name_edit.setText("Crumb")
    qtbot.mouseClick(generate.generate_button, Qt.MouseButton.LeftButton)
    until(lambda: generate.cards() and generate.cards()[0].status == "ready", timeout=40, message="never ready")
    card = generate.cards()[0]
    assert not card.progress_reported and not card.progress.isTextVisible()
    assert card.step_label.text() == f"Ready. {NO_PROGRESS_TEXT}"
    (site,) = services.store.generated_sites(services.account_label)
    project_id, website_id = site.project_id, site.website_id
    assert site.name == "Crumb" and site.prompt.startswith("A bakery")
    until(lambda: services.store.generated_sites(services.account_label)[0].domain, message="domain never learned")

    # --- Projects: the site is listed with its id (the service sent none) -------------------
    projects = window.tab("projects")
    until(lambda: window.tabs.currentWidget() is projects, message="ready did not open the preview")
    until(lambda: projects.select_website(website_id), message="the site never appeared in Projects")
    website = projects.selected_website()
    assert website.id == website_id and projects.selected_project_id() == project_id
    assert website.build_status == "ready" and website.build_progress is None
    listed = documented_sandbox.request("GET", "/api/project", key=key).json()
    assert website_id not in str(listed)  # the service really sent no id

    # --- preview by domain ------------------------------------------------------------------
    url = projects.preview_url(website)
    assert url == f"{documented_sandbox.root_url}/domains/{website.domain}/"
    projects.right_tabs.setCurrentWidget(projects.preview)
    until(lambda: projects.preview.url is not None and projects.preview.url.toString() == url)
    page = httpx.get(url, verify=ssl_context(), timeout=10)
    assert page.status_code == 200 and "Crumb" in page.text

    # --- metadata saved ----------------------------------------------------------------------
    projects.right_tabs.setCurrentWidget(projects.detail)
    detail = projects.detail
    assert detail.save_button is not None and not detail.no_id_label.isVisible()
    detail.seo_title_edit.setText("Crumb: fresh bread and cakes in Leeds")
    qtbot.mouseClick(detail.save_button, Qt.MouseButton.LeftButton)
    until(lambda: detail.result_label.text().startswith("Saved"), message="save never finished")
    served = documented_sandbox.website(project_id, website_id, key=key)
    assert served["metadata"]["seoTitle"] == "Crumb: fresh bread and cakes in Leeds"
    assert detail.website.id == website_id

    # --- ZIP exported --------------------------------------------------------------------------
    target = tmp_path / "exports" / "crumb"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(target), args[-1] if args else ""))
    )
    assert projects.export_button.isEnabled()
    projects.export_button.click()
    flow = projects.export_flow
    until(lambda: flow.result_box is not None, timeout=40, message="export never finished")
    with zipfile.ZipFile(target.with_suffix(".zip")) as archive:
        assert archive.testzip() is None and "index.html" in archive.namelist()

    # --- Analytics: total page views, and what is missing in words ------------------------------
    documented_sandbox.request(
        "POST", "/api/sandbox/simulate", key=key, json={"websiteId": website_id, "days": 30}
    ).raise_for_status()
    total = documented_sandbox.request(
        "GET", "/api/analytics", key=key, params={"websiteId": website_id, "range": "7d"}
    ).json()["totalPageviews"]
    assert total > 0
    analytics = window.tab("analytics")
    window.show_tab("analytics")
    until(lambda: analytics.select_website(website_id), message="the site is not in Analytics")
    until(lambda: analytics.result() is not None and analytics.result().website_id == website_id)
    until(lambda: analytics.pageviews_card.value.text() == f"{total:,}", message="page views not shown")
    assert analytics.visitors_card.value.text() == "—"
    assert analytics.visitors_card.change.text() == "Unique visitors: not provided by the service"
    assert analytics.missing_label.isVisible()
    assert "unique visitors, page views over time, top pages, referrers" in analytics.missing_label.text()
    for key_name, what in (
        ("timeseries", "Page views over time"),
        ("top_pages", "Top pages"),
        ("referrers", "Referrers"),
    ):
        note = analytics.chart_notes[key_name]
        assert note.isVisible() and note.text() == f"{what}: not provided by the service."
    assert not analytics.timeseries.isVisible()

    # --- no exception anywhere ---------------------------------------------------------------------
    problems = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert problems == [], [r.getMessage() for r in problems]


def test_a_site_the_app_did_not_generate_is_listed_without_an_id_and_says_what_needs_one(
    qtbot, documented_services, documented_sandbox, until, caplog
) -> None:
    from codaiq_desktop.ui.projects.projects_model import NO_ID_NOTE, NO_PROJECT_NAME, KindRole, ObjectRole
    from codaiq_desktop.ui.projects.projects_tab import ProjectsTab

    services = documented_services
    key = services.documented_key
    project_id, website_id = documented_sandbox.generate("A tailor in Bath", "Stitch", key=key)
    documented_sandbox.wait_ready(project_id, website_id, key=key)
    tab = ProjectsTab(services)
    qtbot.addWidget(tab)
    tab.show()
    until(lambda: tab.model.rowCount() == 1, message="nothing listed")
    group = tab.model.index(0, 0)
    assert group.data() == NO_PROJECT_NAME and tab.model.rowCount(group) == 1
    row = tab.model.index(0, 0, group)
    assert row.data(KindRole) == "website" and row.data() == "Stitch"
    assert row.data(ObjectRole).id is None and row.data(Qt.ItemDataRole.ToolTipRole) == NO_ID_NOTE
    assert (
        "without an id" in tab.banner.text()
        and "saving changes, exporting and analytics need the id" in tab.banner.text()
    )

    tab.tree.setCurrentIndex(tab.proxy.mapFromSource(row))
    website = tab.selected_website()
    assert website.id is None and tab.selected_project_id() is None
    assert not tab.export_button.isEnabled() and "did not send" in tab.export_button.toolTip()
    assert not tab.copy_button.isEnabled()
    detail = tab.detail
    assert detail.no_id_label.isVisible() and not detail.name_edit.isEnabled()
    assert detail.website_id_label.text() == "Not sent by the service"
    assert tab.preview_url(website) == f"{documented_sandbox.root_url}/domains/{website.domain}/"
    tab.right_tabs.setCurrentWidget(tab.preview)
    until(lambda: tab.preview.url is not None and tab.preview.url.toString() == tab.preview_url(website))
    # Nothing that needs an id was tried for it (the site-check history is kept by id).
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert problems == [], [r.getMessage() for r in problems]
