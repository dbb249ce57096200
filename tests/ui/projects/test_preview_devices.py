"""The preview's device widths, its first-load placeholder, and that looking is not a visit.

Each check runs the real ``QWebEngineView`` on a site served by the session sandbox and
asks the page itself how wide its layout viewport is.
"""

from __future__ import annotations

import httpx
import pytest

from codaiq_desktop.ui.projects.preview_pane import PreviewPane
from codaiq_desktop.tls import ssl_context


@pytest.fixture(scope="module")
def site_url(sandbox) -> str:
    project_id, website_id = sandbox.generate("A harbour cafe in Whitby with a table booking form")
    sandbox.wait_ready(project_id, website_id)
    return f"{sandbox.root_url}/sites/{website_id}/", website_id


def _pageviews(sandbox, website_id: str) -> int:
    response = sandbox.request(
        "GET", "/api/analytics", key=sandbox.api_key, params={"websiteId": website_id, "range": "24h"}
    )
    response.raise_for_status()
    return int(response.json()["totalPageviews"])


def _loaded(pane: PreviewPane, until, url: str) -> None:
    loads: list[bool] = []
    pane.sig_load_finished.connect(loads.append)
    pane.show_url(url)
    until(lambda: pane.view is not None, message="the preview never started")
    until(lambda: loads and loads[-1], timeout=30, message="the site never loaded in the preview")


def _wait_css_width(pane: PreviewPane, until, expected: int) -> None:
    """Wait until the page reports a layout viewport of ``expected`` CSS px (give or take 2)."""
    seen: list[int] = []

    def poll() -> bool:
        pane.page.runJavaScript("window.innerWidth", 0, lambda value: seen.append(int(value or 0)))
        return bool(seen) and abs(seen[-1] - expected) <= 2

    until(poll, message=lambda: f"the page is {seen[-1] if seen else '?'} px wide, not {expected}")


def test_desktop_lays_out_wider_than_tablet_scaled_to_fit(qtbot, until, site_url) -> None:
    from PySide6.QtWidgets import QLabel, QSplitter

    url, _ = site_url
    splitter = QSplitter()  # as in the Projects tab: the list on the left, the preview on the right
    qtbot.addWidget(splitter)
    splitter.addWidget(QLabel("projects"))
    pane = PreviewPane()
    splitter.addWidget(pane)
    splitter.resize(1400, 600)
    splitter.setSizes([700, 700])  # a pane narrower than a tablet would need, beside the list
    splitter.show()
    _loaded(pane, until, url)

    _wait_css_width(pane, until, 1280)
    assert pane.view.width() <= pane.width()
    assert pane.view.zoomFactor() < 1

    pane.set_width("tablet")
    _wait_css_width(pane, until, 768)
    pane.set_width("mobile")
    _wait_css_width(pane, until, 375)
    assert pane.view.width() == 375 and pane.view.zoomFactor() == pytest.approx(1.0)

    # Dragging the splitter narrows the pane (nothing holds it at its old width) and the
    # desktop page keeps its 1280-pixel layout, scaled further.
    pane.set_width("desktop")
    assert pane.minimumSizeHint().width() < 400  # what a drag of the splitter handle is held to
    splitter.setSizes([1000, 400])
    qtbot.waitUntil(lambda: pane.width() <= 420)
    _wait_css_width(pane, until, 1280)
    assert pane.view.width() <= pane.width()


def test_device_buttons_say_what_they_show(qtbot) -> None:
    pane = PreviewPane()
    qtbot.addWidget(pane)
    tips = {mode: button.toolTip() for mode, button in pane.width_buttons.items()}
    assert "1280" in tips["desktop"] and "scaled" in tips["desktop"]
    assert "768" in tips["tablet"] and "375" in tips["mobile"]


def test_a_neutral_placeholder_shows_until_the_first_page_is_in(qtbot, until, site_url) -> None:
    url, _ = site_url
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(900, 600)
    pane.show()
    loads: list[bool] = []
    pane.sig_load_finished.connect(loads.append)
    pane.url = None
    pane.show_url(url)
    pane._load_current()
    assert pane.stack.currentWidget() is pane.placeholder
    background = pane.page.backgroundColor()
    assert background.lightness() not in (0, 255) or background == pane.palette().color(pane.backgroundRole())
    until(lambda: bool(loads), timeout=30)
    assert pane.stack.currentWidget() is pane.frame


def test_the_preview_does_not_count_as_traffic(qtbot, until, sandbox, site_url) -> None:
    url, website_id = site_url
    before = _pageviews(sandbox, website_id)
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(900, 600)
    pane.show()
    _loaded(pane, until, url)
    pane.reload()
    loads: list[bool] = []
    pane.sig_load_finished.connect(loads.append)
    until(lambda: bool(loads), timeout=30)
    assert _pageviews(sandbox, website_id) == before
    with httpx.Client(verify=ssl_context(), trust_env=False) as http:  # a visitor's view still counts
        assert http.get(url).status_code == 200
    assert _pageviews(sandbox, website_id) == before + 1
