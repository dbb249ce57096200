"""The Projects tab against the real sandbox: list, search, metadata round trip, preview."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from codaiq_desktop.ui.projects.projects_model import KindRole, ProjectsTreeModel
from codaiq_desktop.ui.projects.projects_tab import ProjectsTab
from codaiq_desktop.tls import ssl_context


@pytest.fixture
def built_site(sandbox, services_key):
    """One ready website of the test's own sandbox account: (projectId, websiteId)."""
    project_id, website_id = sandbox.generate(
        "A bakery in Leeds with a cake order form", name="Crumb", key=services_key
    )
    sandbox.wait_ready(project_id, website_id, key=services_key)
    return project_id, website_id


@pytest.fixture
def tab(qtbot, services, until) -> ProjectsTab:
    widget = ProjectsTab(services)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def _loaded(tab: ProjectsTab, until, count: int = 1) -> None:
    until(lambda: tab.model.rowCount() >= count, message="projects never loaded")


def test_tree_lists_projects_with_status_and_search(
    qtbot, tab, built_site, sandbox, services_key, until, qtmodeltester
) -> None:
    sandbox.generate("A florist in York", name="Petal", key=services_key)
    tab.refresh()
    _loaded(tab, until, 2)
    qtmodeltester.check(tab.model)
    assert tab.proxy.rowCount() == 2
    assert tab.select_website(built_site[1])
    status = tab.selected_index().siblingAtColumn(1).data()
    assert status == "Ready"
    qtmodeltester.check(tab.proxy)  # the search filter is a model the view reads too
    qtbot.keyClicks(tab.search_edit, "petal")
    assert tab.proxy.rowCount() == 1
    qtmodeltester.check(tab.proxy)
    project = tab.proxy.index(0, 0)
    assert tab.proxy.rowCount(project) == 1
    assert tab.proxy.index(0, 0, project).data().startswith("Petal")
    tab.search_edit.clear()
    assert tab.proxy.rowCount() == 2


def test_metadata_edit_round_trip(qtbot, tab, built_site, sandbox, services_key, until) -> None:
    project_id, website_id = built_site
    _loaded(tab, until)
    assert tab.select_website(website_id)
    detail = tab.detail
    assert detail.website.id == website_id
    assert not detail.save_button.isEnabled()

    detail.name_edit.setText("Crumb & Co")
    detail.seo_title_edit.setText("Crumb & Co \u2014 Cakes and bread baked in Leeds every day")
    assert "a good length" in detail.seo_title_hint.text()
    detail.add_custom_row()
    row = detail.custom_table.rowCount() - 1
    detail.custom_table.item(row, 0).setText("googleAnalyticsId")
    detail.custom_table.item(row, 1).setText("G-12345")
    assert detail.save_button.isEnabled()
    qtbot.mouseClick(detail.save_button, Qt.MouseButton.LeftButton)
    until(lambda: detail.result_label.text().startswith("Saved"), message="save never confirmed")

    on_server = sandbox.website(project_id, website_id, key=services_key)
    assert on_server["name"] == "Crumb & Co"
    assert on_server["metadata"]["seoTitle"].startswith("Crumb & Co")
    assert on_server["metadata"]["googleAnalyticsId"] == "G-12345"
    # The tree shows the new name without a reload.
    assert tab.selected_index().data() == "Crumb & Co"

    # Removing the custom key deletes it on the server (sent as null).
    for r in range(detail.custom_table.rowCount()):
        if detail.custom_table.item(r, 0).text() == "googleAnalyticsId":
            detail.custom_table.setCurrentCell(r, 0)
    detail.remove_custom_row()
    detail.save()
    until(lambda: "googleAnalyticsId" not in detail.website.metadata)
    assert "googleAnalyticsId" not in sandbox.website(project_id, website_id, key=services_key)["metadata"]


def test_save_error_reverts_with_message(tab, built_site, sandbox_faults, until) -> None:
    _loaded(tab, until)
    assert tab.select_website(built_site[1])
    detail = tab.detail
    saved_name = detail.website.name
    sandbox_faults.set({"path": "/api/project", "method": "PATCH", "kind": "error", "status": 500})
    detail.name_edit.setText("Something else")
    detail.save()
    until(lambda: detail.banner.isVisible(), message="no error shown")
    assert "not saved" in detail.banner.label.text()
    assert "Traceback" not in detail.banner.label.text()
    assert detail.name_edit.text() == saved_name
    assert not detail.save_button.isEnabled()


def test_bad_custom_key_is_explained_locally(tab, built_site, until) -> None:
    _loaded(tab, until)
    assert tab.select_website(built_site[1])
    detail = tab.detail
    detail.add_custom_row()
    row = detail.custom_table.rowCount() - 1
    detail.custom_table.item(row, 0).setText("buildStatus")
    detail.custom_table.item(row, 1).setText("ready")
    detail.save()
    assert detail.banner.isVisible()
    assert "set by the build" in detail.banner.label.text()


def test_open_preview_loads_the_site(qtbot, tab, built_site, services, until, qloop) -> None:
    project_id, website_id = built_site
    loads: list[bool] = []
    tab.preview.sig_load_finished.connect(loads.append)
    services.sig_open_preview.emit(project_id, website_id)
    until(lambda: loads, timeout=40, message="the preview never finished loading")
    assert loads[-1] is True
    assert tab.right_tabs.currentWidget() is tab.preview
    assert tab.preview.url.toString().endswith(f"/sites/{website_id}/")

    titles: list[str] = []
    tab.preview.page.runJavaScript("document.title", 0, titles.append)
    until(lambda: titles)
    assert titles[0]

    tab.preview.set_width("mobile")
    assert tab.preview.view.width() == 375
    tab.preview.set_width("desktop")


def test_preview_refuses_local_files(tab, built_site, services, until) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings

    services.sig_open_preview.emit(*built_site)
    until(lambda: tab.preview.page is not None)
    page = tab.preview.page
    settings = page.settings()
    assert not settings.testAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls)
    assert not settings.testAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled)
    assert page.profile().isOffTheRecord()
    typed = QWebEnginePage.NavigationType.NavigationTypeTyped
    assert not page.acceptNavigationRequest(QUrl("file:///etc/passwd"), typed, True)
    assert page.acceptNavigationRequest(tab.preview.url, typed, True)


def test_model_passes_the_model_tester(qtmodeltester, services, qloop) -> None:
    projects = qloop.run(services.client.list_projects())
    model = ProjectsTreeModel()
    model.set_projects(projects)
    qtmodeltester.check(model)
    for row in range(model.rowCount()):
        assert model.index(row, 0).data(KindRole) == "project"


def test_open_site_opens_what_the_sandbox_serves(qtbot, tab, built_site, sandbox, until, monkeypatch) -> None:
    """Sandbox domains resolve nowhere: the button opens the site the sandbox serves."""
    import httpx
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    _loaded(tab, until)
    assert tab.select_website(built_site[1])
    detail = tab.detail
    assert detail.open_domain_button.text() == "Open site" and detail.open_domain_button.isEnabled()
    qtbot.mouseClick(detail.open_domain_button, Qt.MouseButton.LeftButton)
    assert opened == [f"{sandbox.root_url}/sites/{built_site[1]}/"]
    page = httpx.get(opened[0], verify=ssl_context(), timeout=10, trust_env=False)
    assert page.status_code == 200 and "<html" in page.text.lower()


def test_saved_title_and_name_show_in_the_reloaded_preview(qtbot, tab, built_site, services, until, qloop) -> None:
    project_id, website_id = built_site
    loads: list[bool] = []
    tab.preview.sig_load_finished.connect(loads.append)
    services.sig_open_preview.emit(project_id, website_id)
    until(lambda: loads, timeout=40, message="the preview never finished loading")

    def page_value(script: str) -> str:
        values: list[str] = []
        tab.preview.page.runJavaScript(script, 0, values.append)
        until(lambda: values)
        return values[0]

    assert page_value("document.title") != "Crumb Club \u2014 Cakes baked in Leeds"
    detail = tab.detail
    detail.name_edit.setText("Crumb Club")
    detail.seo_title_edit.setText("Crumb Club \u2014 Cakes baked in Leeds")
    loads.clear()
    qtbot.mouseClick(detail.save_button, Qt.MouseButton.LeftButton)
    until(lambda: detail.result_label.text().startswith("Saved"), message="save never confirmed")
    until(lambda: loads, timeout=40, message="the preview did not reload after Save")
    assert page_value("document.title") == "Crumb Club \u2014 Cakes baked in Leeds"
    assert page_value("document.querySelector('.brand').textContent.trim()") == "Crumb Club"


def test_nothing_selected_shows_a_sentence_not_an_empty_form(tab, built_site, until) -> None:
    detail = tab.detail
    assert detail.empty_label.isVisible() and "Select a website" in detail.empty_label.text()
    assert not detail.name_edit.isVisible() and not detail.save_button.isVisible()
    _loaded(tab, until)
    assert tab.select_website(built_site[1])
    assert detail.name_edit.isVisible() and not detail.empty_label.isVisible()
    assert detail.open_domain_button.text() == "Open site"


def test_open_site_without_a_browser_offers_to_copy_the_address(
    qtbot, tab, built_site, sandbox, until, monkeypatch
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices, QGuiApplication

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)  # as on a machine with no browser
    _loaded(tab, until)
    assert tab.select_website(built_site[1])
    box = tab.detail.open_domain()
    assert box is not None and box.isVisible()
    url = f"{sandbox.root_url}/sites/{built_site[1]}/"
    assert "No web browser" in box.text() and box.informativeText() == url
    copy = next(button for button in box.buttons() if button.text() == "Copy address")
    copy.click()
    assert QGuiApplication.clipboard().text() == url
    # The preview's own "open in browser" button says the same.
    tab.preview.url = QUrl(url)
    again = tab.preview.open_in_browser()
    assert again is not None and again.informativeText() == url
    again.close()
