"""Every kind of generated site, audited the way a browser sees it.

Each page the sandbox serves is loaded in a real Chromium (Qt WebEngine) and checked
by axe-core, the standard automated accessibility engine (WCAG 2 A and AA rules:
colour contrast as rendered, labels, alt text, landmarks, headings, link names ...),
then laid out at phone width, where nothing may stick out sideways (a page that
scrolls horizontally on a phone is not responsive).

axe-core's script comes from the ``axe-playwright-python`` package (test extra); only
its JavaScript file is used, injected into the page here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from codaiq_desktop.sandbox.site_generator import generate_site
from tests.sandbox.test_site_generator import PROMPTS_BY_KIND
from tests.ui.web_page import load, run_js

PHONE_WIDTH = 375
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_script() -> str:
    import axe_playwright_python  # the test extra; only its copy of axe-core's script is used

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sites(sandbox) -> dict[str, tuple[str, tuple[str, ...]]]:
    """kind -> (site root URL, page paths), one built site of each kind."""
    built = {}
    for kind, prompt in PROMPTS_BY_KIND.items():
        project_id, website_id = sandbox.generate(prompt)
        website = sandbox.wait_ready(project_id, website_id)
        assert website["metadata"]["buildStatus"] == "ready"
        built[kind] = (f"{sandbox.root_url}/sites/{website_id}", generate_site(prompt).pages)
    return built


@pytest.fixture
def view(qtbot) -> Iterator[object]:
    from PySide6.QtWebEngineWidgets import QWebEngineView

    widget = QWebEngineView()
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    yield widget


@pytest.mark.slow  # every kind of site through Qt WebEngine and axe-core
@pytest.mark.parametrize("kind", sorted(PROMPTS_BY_KIND))
def test_every_page_passes_axe_and_fits_a_phone(kind: str, sites, view, until, qtbot) -> None:
    root, pages = sites[kind]
    script = axe_script()
    assert len(pages) >= 4  # home, about, services or pricing, contact
    for path in pages:
        url = root + ("/" if path == "/" else path)
        view.resize(1280, 900)
        load(until, view, url)
        page = view.page()
        assert run_js(until, page, "typeof window.axe") == {"ok": "undefined"}
        page.runJavaScript(script)  # scripts run in order: axe is there for the next one
        assert run_js(until, page, "typeof window.axe") == {"ok": "object"}, "axe-core did not load"
        result = run_js(
            until,
            page,
            f"""axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(AXE_TAGS)}}},
                                              resultTypes: ['violations']}})
            .then(r => r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help,
                                                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}})))""",
            timeout=60,
        )
        assert "ok" in result, result
        assert result["ok"] == [], f"{kind} {path}: accessibility violations {json.dumps(result['ok'], indent=1)}"
        passes = run_js(
            until,
            page,
            f"""axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(AXE_TAGS)}}}}})
            .then(r => r.passes.map(p => p.id))""",
            timeout=60,
        )
        assert {"color-contrast", "label", "image-alt", "html-has-lang"} & set(passes["ok"]), passes

        # At phone width, nothing is wider than the screen.
        view.resize(PHONE_WIDTH, 800)
        for _ in range(100):
            if run_js(until, page, "window.innerWidth") == {"ok": PHONE_WIDTH}:
                break
            qtbot.wait(20)
        else:
            pytest.fail("the page never got the phone width")
        overflow = run_js(
            until,
            page,
            """(() => {
            const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
            return {scroll: document.documentElement.scrollWidth, width, wide};
        })()""",
        )
        assert overflow["ok"]["scroll"] <= overflow["ok"]["width"], f"{kind} {path} at {PHONE_WIDTH}px: {overflow}"
        assert overflow["ok"]["wide"] == [], f"{kind} {path} at {PHONE_WIDTH}px: {overflow}"


def test_the_served_form_sends_its_lead_through_the_page_script(sandbox, sites, view, until) -> None:
    """In a real browser the form's script posts the lead as JSON (kind-specific answers folded
    into the message) and moves on to the thank-you page; the lead is recorded."""
    root, _pages = sites["restaurant"]
    website_id = root.rsplit("/", 1)[1]
    before = sandbox.on_loop(sandbox.service.db.count_leads, website_id)
    load(until, view, root + "/pages/contact.html")
    page = view.page()
    assert run_js(until, page, "typeof document.querySelector('form[data-codaiq-lead-form]')") == {"ok": "object"}
    run_js(
        until,
        page,
        """(() => {
        const send = window.fetch;  // note what the script sends; the thank-you page reads it back
        window.fetch = (url, options) => { sessionStorage.setItem('sent', options.body); return send(url, options); };
        const form = document.querySelector('form[data-codaiq-lead-form]');
        form.querySelector('[name=name]').value = 'Browser Visitor';
        form.querySelector('[name=email]').value = 'visitor@example.com';
        form.querySelector('[name=detail_party_size]').value = '4';
        form.querySelector('[name=message]').value = 'Window table please';
        form.requestSubmit();
        return true;
    })()""",
    )
    until(lambda: view.url().toString().endswith("/pages/thanks.html"), timeout=20, message="never reached thanks")
    sent = run_js(until, view.page(), "JSON.parse(sessionStorage.getItem('sent'))")["ok"]
    assert sent == {
        "name": "Browser Visitor",
        "email": "visitor@example.com",
        "phone": None,
        "message": "Party size: 4\n\nWindow table please",
    }
    until(lambda: sandbox.on_loop(sandbox.service.db.count_leads, website_id) == before + 1, timeout=10)
