"""Projects › Details: the live search-result preview, the social card and the site check, on real widgets
against the real sandbox (and deliberately broken sites on loopback). Screenshots go to
``tests/screenshots/`` (git-ignored) for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from codaiq_desktop.site_check import ERROR, SiteReport
from codaiq_desktop.ui.projects.projects_tab import ProjectsTab
from codaiq_desktop.ui.seo.detail_panels import SIDE_BY_SIDE_WIDTH
from codaiq_desktop.ui.seo.result_text import ELLIPSIS
from tests.site_check.site_server import LOGO, page, serve

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
LONG_TITLE = "Little Lantern | Bakery made with care in Leeds since 1998, sourdough and rye every morning"


def _shoot(widget: QWidget, name: str) -> None:
    from PySide6.QtTest import QTest

    QTest.qWait(150)  # layout requests climb one parent per event: let them all run, as the app's loop does
    SHOTS.mkdir(exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def built_site(sandbox, services_key):
    project_id, website_id = sandbox.generate(
        "A bakery in Leeds with a cake order form", name="Crumb", key=services_key
    )
    sandbox.wait_ready(project_id, website_id, key=services_key)
    return project_id, website_id


@pytest.fixture
def tab(qtbot, services, built_site, until) -> ProjectsTab:
    widget = ProjectsTab(services)
    qtbot.addWidget(widget)
    widget.resize(1500, 1000)
    widget.splitter.setSizes([330, 1170])
    widget.show()
    until(lambda: widget.model.rowCount() >= 1, message="projects never loaded")
    assert widget.select_website(built_site[1])
    return widget


def test_the_preview_follows_typing_and_says_where_the_title_is_cut(qtbot, tab, until) -> None:
    detail = tab.detail
    preview = detail.seo.preview
    saved_title = detail.website.seo_title
    assert preview.desktop_card.title_label.text() == saved_title  # the saved title, whole
    assert preview.title_hint.text().startswith("Desktop: Title fits (")
    assert preview.url_line.startswith("https://") and detail.website.domain in preview.url_line
    assert preview.desktop_card.site_label.text() == detail.website.name

    detail.seo_title_edit.clear()
    qtbot.keyClicks(detail.seo_title_edit, LONG_TITLE)
    assert preview.desktop_card.title_label.text().endswith("1998," + ELLIPSIS)
    assert preview.title_hint.text().startswith("Desktop: Title will be cut after \u20181998,\u2019")
    assert preview.title_hint.property("hint") == "warning"
    # Beside the editor when the pane is wide enough.
    until(lambda: detail.seo.preview_box.isVisible())
    side = detail.seo.preview_box.parentWidget()
    assert side.width() < SIDE_BY_SIDE_WIDTH or side.beside
    _shoot(detail, "seo-preview-desktop")

    qtbot.mouseClick(preview.view_buttons["mobile"], Qt.MouseButton.LeftButton)
    title_lines = preview.mobile_card.title_label.text().split("\n")
    assert len(title_lines) == 2 and title_lines[1].endswith("rye" + ELLIPSIS)
    assert preview.title_hint.text().startswith("Mobile: Title will be cut after \u2018rye\u2019")
    _shoot(detail.seo.preview_box, "seo-preview-mobile")

    detail.seo_title_edit.setText("Crumb | Bakery in Leeds")
    assert preview.mobile_card.title_label.text() == "Crumb | Bakery in Leeds"
    assert preview.title_hint.text().startswith("Mobile: Title fits")


def test_the_social_card_shows_the_open_graph_tags_and_follows_the_seo_title(qtbot, tab, until) -> None:
    detail = tab.detail
    preview = detail.seo.preview
    qtbot.mouseClick(preview.view_buttons["social"], Qt.MouseButton.LeftButton)
    until(lambda: preview.social is not None, message="the social card never loaded")
    card = preview.social
    assert card.og_title == detail.website.seo_title  # the generator mirrors the SEO title into og:title
    assert preview.social_card.title_label.text() == card.og_title
    assert preview.social_card.domain_label.text() == "127.0.0.1"
    assert "follows the SEO title" in preview.title_hint.text()
    detail.seo_title_edit.setText("Crumb | Cakes for every celebration in Leeds")
    assert preview.social_card.title_label.text() == "Crumb | Cakes for every celebration in Leeds"
    _shoot(detail.seo.preview_box, "seo-social-card")


def test_a_social_card_with_an_image_and_one_without_tags(qtbot, services, until) -> None:
    from codaiq_desktop.site_check.social_card import read_social_card
    from codaiq_desktop.ui.seo.search_preview import SeoPreview

    image = QImage(1200, 630, QImage.Format.Format_RGB32)
    image.fill(QColor("#ba2c43"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    png = bytes(buffer.data())
    with_tags = page(og_image="card.png")
    without = page().split('<meta property="og:title"')[0] + "</head><body><h1>x</h1></body></html>"
    preview = SeoPreview()
    qtbot.addWidget(preview)
    preview.set_view("social")
    with serve({"index.html": with_tags, "card.png": png, "plain.html": without}) as site:
        cards: list = []
        services.run(read_social_card(site.url), on_success=cards.append)
        services.run(read_social_card(site.url + "plain.html"), on_success=cards.append)
        until(lambda: len(cards) == 2)
    tagged, plain = sorted(cards, key=lambda c: c.og_title is None)
    assert tagged.og_title == "Crumb" and tagged.image == png
    preview.set_saved("Something else", "")
    preview.set_social_card(tagged)
    assert preview.social_card.has_image
    assert "comes from the page's og:title" in preview.title_hint.text()
    assert preview.description_hint.text().startswith("Picture from og:image")
    preview.set_social_card(plain)
    assert not plain.has_open_graph and plain.title == "A bakery in Leeds with fresh bread every day"
    assert preview.social_card.title_label.text() == plain.title  # the fallback a network uses
    assert preview.title_hint.text().startswith("No Open Graph tags")
    assert preview.description_hint.text() == "No og:image: the card has no picture."


def _run_check(panel, until) -> SiteReport:
    reports: list[SiteReport] = []
    panel.sig_checked.connect(reports.append)
    panel.check_button.click()
    assert panel.cancel_button.isVisibleTo(panel) and not panel.check_button.isEnabled()
    until(lambda: bool(reports) or panel.banner.isVisibleTo(panel), timeout=60, message="the check never finished")
    assert reports, panel.banner.label.text()
    return reports[0]


def test_checking_a_sandbox_site_finds_no_error_and_a_second_run_says_what_changed(tab, until) -> None:
    panel = tab.detail.seo.site_check
    assert panel.check_button.isEnabled()
    report = _run_check(panel, until)
    assert report.accessibility == "checked", report.accessibility
    assert [f for f in report.findings if f.severity == ERROR] == []
    assert len(report.pages) >= 4
    assert panel.summary_label.text().startswith("No errors")
    assert panel.model.rowCount() == len(report.pages)
    assert panel.changes_label.text().startswith("First check of this site")
    assert not panel.cancel_button.isVisibleTo(panel) and panel.check_button.isEnabled()
    second = _run_check(panel, until)
    assert second.changes is not None and second.changes.new == () and second.changes.fixed == ()
    assert panel.changes_label.text().startswith("Nothing changed since the check of")
    # Kept per site: showing the site again shows its last check.
    website = tab.detail.website
    panel.show_website(None, None)
    panel.show_website(website, tab.detail.site_url())
    until(lambda: panel.report is not None and panel.report.checked_at == second.checked_at)
    assert panel.summary_label.text().startswith("No errors") and "Last checked" in panel.summary_label.text()


BROKEN_BODY = (
    '<h1>Bread</h1><h1>Cakes</h1><img src="logo.svg"><a href="menu.html">Our menu</a>'
    '<form><input name="email" type="email"></form>'  # axe-core takes a placeholder as a name
    '<p style="color:#c8c8c8">Open daily from seven</p>'
)


def test_a_broken_site_shows_each_finding_with_its_fix_and_axe_impacts(qtbot, tab, until) -> None:
    detail = tab.detail
    panel = detail.seo.site_check
    with serve({"index.html": page(title=None, body=BROKEN_BODY), "logo.svg": LOGO}) as site:
        panel.show_website(detail.website, site.url)
        report = _run_check(panel, until)
    errors = {f.check for f in report.findings if f.severity == ERROR}
    assert {"title", "h1-count", "img-alt", "link-broken", "form-label"} <= errors
    assert {"axe:image-alt", "axe:label", "axe:color-contrast"} <= {f.check for f in report.findings}
    shown = panel.findings_shown()
    assert {f.check for f in shown} >= {"title", "h1-count", "img-alt", "link-broken", "form-label", "axe:image-alt"}
    texts = []
    for row in range(panel.model.rowCount(panel.model.index(0, 0))):
        texts.append(panel.model.index(row, 0, panel.model.index(0, 0)).data())
    assert any(text.startswith("Accessibility (axe-core)") for text in texts)
    assert panel.summary_label.property("hint") == "error"
    # Selecting a finding says how to fix it and where it comes from.
    img = next(i for i in _indexes(panel) if getattr(i.data(Qt.ItemDataRole.UserRole + 1), "check", "") == "img-alt")
    panel.tree.setCurrentIndex(img)
    assert "How to fix: Add alt=" in panel.detail_label.text()
    assert "Comes from the generated site, not from your edits." in panel.detail_label.text()
    panel.tree.scrollTo(img)
    _shoot(detail.seo.check_box, "seo-site-check-broken")


def _indexes(panel):
    stack = [panel.model.index(r, 0) for r in range(panel.model.rowCount())]
    while stack:
        index = stack.pop(0)
        yield index
        stack.extend(panel.model.index(r, 0, index) for r in range(panel.model.rowCount(index)))


def test_the_check_can_be_cancelled_and_the_window_stays_responsive(qtbot, tab, until) -> None:
    detail = tab.detail
    panel = detail.seo.site_check
    with serve({"index.html": page()}) as site:
        site.hold.clear()  # the site never answers
        panel.show_website(detail.website, site.url)
        panel.check_button.click()
        until(lambda: "Reading" in panel.status_label.text())
        # The editor still takes typing while the check waits.
        detail.seo_title_edit.setText("Crumb | Bakery in Leeds, open every day")
        assert detail.seo.preview.desktop_card.title_label.text() == "Crumb | Bakery in Leeds, open every day"
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert panel.status_label.text() == "Check cancelled."
        until(lambda: panel.check_button.isEnabled())
        assert not panel.cancel_button.isVisibleTo(panel) and not panel.banner.isVisibleTo(panel)


def test_an_exported_zip_can_be_checked_from_the_panel(tab, until, tmp_path) -> None:
    import zipfile

    archive = tmp_path / "crumb.zip"
    with zipfile.ZipFile(archive, "w") as zip_file:
        zip_file.writestr("index.html", page(lang=None, body="<h1>Bread</h1>"))
        zip_file.writestr("logo.svg", LOGO)
    panel = tab.detail.seo.site_check
    reports: list[SiteReport] = []
    panel.sig_checked.connect(reports.append)
    panel.check_zip(archive)
    until(lambda: bool(reports), timeout=60)
    assert reports[0].source == "zip:crumb.zip"
    # The export's pages are audited too (served from loopback for the browser while the check runs).
    assert reports[0].accessibility == "checked"
    assert sorted(f.check for f in reports[0].findings if f.severity == ERROR) == ["axe:html-has-lang", "html-lang"]
    panel.check_zip(tmp_path / "missing.zip")
    until(lambda: panel.banner.isVisibleTo(panel))
    assert "There is no file" in panel.banner.label.text()


def test_nothing_to_check_until_a_site_is_selected(qtbot, services) -> None:
    from codaiq_desktop.ui.seo.site_check_panel import SiteCheckPanel

    panel = SiteCheckPanel(services)
    qtbot.addWidget(panel)
    assert not panel.check_button.isEnabled()
    assert panel.summary_label.text() == "Select a website to check it."
    panel.start_check()  # nothing to check: nothing starts
    assert not panel.is_running
