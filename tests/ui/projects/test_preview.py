"""The preview as a visitor uses it: inside the real ``QWebEngineView``, on the sandbox.

A lead typed into the generated site's form and submitted in the preview reaches the
local inbox through the sandbox's signed webhook; scripts in the page cannot read a
local file by any of the ways a page could try.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codaiq_desktop.ui.projects.projects_tab import ProjectsTab
from tests.ui.web_page import run_js


@pytest.fixture
def previewed(qtbot, services, sandbox, services_key, until):
    project_id, website_id = sandbox.generate(
        "A pottery studio in Delft with a class booking form", name="Blue Kiln", key=services_key
    )
    sandbox.wait_ready(project_id, website_id, key=services_key)
    tab = ProjectsTab(services)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    loads: list[bool] = []
    services.sig_open_preview.emit(project_id, website_id)
    until(lambda: tab.preview.page is not None, message="the preview never started")
    tab.preview.sig_load_finished.connect(loads.append)
    until(lambda: loads and loads[-1], timeout=30, message="the site never loaded in the preview")
    return tab, website_id


def test_a_lead_submitted_in_the_preview_reaches_the_inbox(previewed, services, until) -> None:
    tab, website_id = previewed
    page = tab.preview.page
    loads: list[bool] = []
    tab.preview.sig_load_finished.connect(loads.append)
    # The home page links to the contact page that holds the form; fill it as a visitor would.
    answer = run_js(
        until,
        page,
        """(async () => {
        let form = document.querySelector('form[data-codaiq-lead-form]');
        if (!form) {
            const link = [...document.querySelectorAll('a')].find(a => /contact/i.test(a.getAttribute('href') || ''));
            return link ? 'go:' + link.href : 'no form, no contact link';
        }
        return 'here';
    })()""",
    )
    assert "ok" in answer, answer
    if answer["ok"].startswith("go:"):
        page.runJavaScript(f"window.location.href = {json.dumps(answer['ok'][3:])};")
        until(lambda: loads and loads[-1], timeout=30, message="the contact page never loaded")
        loads.clear()
    filled = run_js(
        until,
        page,
        """(() => {
        const form = document.querySelector('form[data-codaiq-lead-form]');
        form.querySelector('[name=name]').value = 'Ada Visitor';
        form.querySelector('[name=email]').value = 'ada.visitor@example.com';
        form.querySelector('[name=message]').value = 'A wheel-throwing class for two, please.';
        setTimeout(() => form.requestSubmit(), 0);
        return form.getAttribute('action');
    })()""",
    )
    assert filled.get("ok"), filled
    until(
        lambda: services.store.count_leads() == 1,
        timeout=30,
        message="the lead submitted in the preview never reached the inbox",
    )
    lead = services.store.list_leads(limit=1)[0]
    assert (lead.name, lead.email, lead.website_id) == ("Ada Visitor", "ada.visitor@example.com", website_id)
    assert lead.message == "A wheel-throwing class for two, please."


def test_scripts_in_the_preview_cannot_read_local_files(previewed, until, tmp_path: Path) -> None:
    tab, _website_id = previewed
    secret_file = tmp_path / "private.txt"
    secret_file.write_text("PRIVATE-CONTENT-7f3a", encoding="utf-8")
    url = secret_file.as_uri()
    result = run_js(
        until,
        tab.preview.page,
        f"""(async () => {{
        const url = {json.dumps(url)};
        const seen = {{}};
        try {{ seen.fetch = await (await fetch(url)).text(); }} catch (e) {{ seen.fetch = 'blocked'; }}
        seen.xhr = await new Promise(done => {{
            try {{
                const x = new XMLHttpRequest();
                x.onload = () => done(x.responseText || 'empty');
                x.onerror = () => done('blocked');
                x.open('GET', url); x.send();
            }} catch (e) {{ done('blocked'); }}
        }});
        seen.iframe = await new Promise(done => {{
            const f = document.createElement('iframe');
            f.onload = () => {{ try {{ done(f.contentDocument.body.innerText || 'empty'); }} catch (e) {{ done('blocked'); }} }};
            f.src = url; document.body.appendChild(f);
            setTimeout(() => done('blocked'), 3000);
        }});
        return seen;
    }})()""",
        timeout=20,
    )
    assert "ok" in result, result
    for way, value in result["ok"].items():
        assert "PRIVATE-CONTENT" not in value, f"the page read a local file through {way}"
    assert tab.preview.page.url().scheme() == "http"  # still on the site
