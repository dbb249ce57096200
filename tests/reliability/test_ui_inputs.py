"""Hostile and unusual input through the real widgets: shown as text, stored verbatim, never run.

Lead fields are typed by strangers on a client's website and reach the app through the
webhook receiver; prompts and site names are typed by staff and come back from the
server. Everything here goes through the real parts (the session's sandbox over HTTP,
the services' own receiver and SQLite store, real widgets) and checks what a user sees.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt

from codaiq_desktop.store import LeadFilter
from codaiq_desktop.ui.generate.generate_tab import MAX_PROMPT_CHARS, GenerateTab
from codaiq_desktop.ui.leads.leads_tab import LeadsTab
from codaiq_desktop.ui.projects.projects_tab import ProjectsTab
from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.ui.projects.website_detail import WebsiteDetail
from codaiq_desktop.tls import ssl_context
from tests.fixtures.qt_async import QtAsyncRunner
from tests.fixtures.receiver import make_event, signed_headers
from tests.fixtures.sandbox import RunningSandbox

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

HOSTILE = {
    "name": "<script>alert('x')</script> <b>Bold</b> Robert'); DROP TABLE leads;--",
    "email": "attacker+<img src=x onerror=alert(1)>@example.com",
    "phone": "=cmd|' /C calc'!A0",
    "message": "@SUM(1+1)*cmd|' /C calc'!A0\n" + "\u05e9\u05dc\u05d5\u05dd \U0001f600 " + "x" * 20_000,
}


def _deliver(qloop: QtAsyncRunner, services: AppServices, payload: dict) -> httpx.Response:
    secret, _ = services.vault.webhook_secret()
    body = json.dumps(payload).encode()
    assert services.receiver is not None
    url = services.receiver.url

    async def post() -> httpx.Response:
        async with httpx.AsyncClient(verify=ssl_context(), timeout=10.0) as http:
            return await http.post(url, content=body, headers=signed_headers(body, secret))

    return qloop.run(post())


def test_hostile_lead_fields_are_stored_verbatim_shown_as_text_and_exported_formula_safe(
    qtbot, qloop: QtAsyncRunner, services: AppServices, until: Callable[..., None], tmp_path: Path
) -> None:
    tab = LeadsTab(services)
    qtbot.addWidget(tab)
    tab.show()
    payload = make_event("lead.captured", website_id="web_hostile", data={"leadId": "lead_hostile", **HOSTILE})
    response = _deliver(qloop, services, payload)
    assert response.status_code == 200, response.text

    assert services.store is not None
    until(lambda: services.store.count_leads(LeadFilter()) == 1)
    (lead,) = services.store.list_leads(LeadFilter())
    for field, value in HOSTILE.items():
        assert getattr(lead, field) == value  # stored verbatim

    until(lambda: tab.model.rowCount() == 1)
    shown = [
        str(tab.model.data(tab.model.index(0, column), Qt.ItemDataRole.DisplayRole) or "")
        for column in range(tab.model.columnCount())
    ]
    assert HOSTILE["name"] in shown
    assert HOSTILE["email"] in shown

    tab.table.selectRow(0)
    until(lambda: tab.detail.lead_id == lead.id)
    labels = {"name": tab.detail._name, "email": tab.detail._email, "phone": tab.detail._phone}
    for field, label in labels.items():
        assert label.textFormat() == Qt.TextFormat.PlainText, field
        assert label.text() == HOSTILE[field]
    assert tab.detail._message.toPlainText() == HOSTILE["message"]

    target = tmp_path / "leads.csv"
    assert services.store.export_leads_csv(LeadFilter(), target) == 1
    with target.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells, rows
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@")), cell  # no cell a spreadsheet would run
    assert "'" + HOSTILE["phone"] in cells
    assert any(cell == "'" + HOSTILE["message"] for cell in cells)


def test_the_events_inspector_shows_the_raw_json_as_text(
    qtbot, qloop: QtAsyncRunner, services: AppServices, until: Callable[..., None]
) -> None:
    from codaiq_desktop.ui.events.events_tab import EventsTab

    tab = EventsTab(services)
    qtbot.addWidget(tab)
    tab.show()
    payload = make_event("lead.captured", website_id="web_hostile", data={"leadId": "lead_ev", **HOSTILE})
    assert _deliver(qloop, services, payload).status_code == 200

    def shown() -> bool:
        tab.inspector.flush_arrivals()
        return tab.inspector.table.model().rowCount() >= 1

    until(shown)
    tab.inspector.table.selectRow(0)
    until(lambda: "<script>" in tab.inspector.body.toPlainText())
    text = tab.inspector.body.toPlainText()
    assert json.loads(text)["data"]["name"] == HOSTILE["name"]  # the JSON, intact, as text


def test_a_prompt_one_character_over_the_limit_is_explained_and_not_sent(
    qtbot, services: AppServices, until: Callable[..., None]
) -> None:
    tab = GenerateTab(services)
    qtbot.addWidget(tab)
    tab.show()
    tab.prompt_edit.setPlainText("\U0001f600" + "a" * MAX_PROMPT_CHARS)  # 4,001 characters
    assert len(tab.prompt_edit.toPlainText()) == MAX_PROMPT_CHARS + 1
    tab.generate()
    assert "1 characters over" in tab.hint_label.text() or "over the 4,000-character limit" in tab.hint_label.text()
    assert tab.cards() == []
    assert services.client is not None
    projects = services.run(services.client.list_projects())
    until(lambda: projects.done())
    assert projects.result() == []  # nothing reached the server


def test_the_generated_site_escapes_a_name_with_a_script_tag(sandbox: RunningSandbox) -> None:
    key = sandbox.new_key("enterprise")
    name = "<script>alert('owned')</script> Caf\u00e9 \u05e9\u05dc\u05d5\u05dd \U0001f370"
    project_id, website_id = sandbox.generate("A family bakery with a wedding cake page", name=name, key=key)
    sandbox.wait_ready(project_id, website_id, key=key)
    html = httpx.get(f"{sandbox.root_url}/sites/{website_id}/", verify=ssl_context(), timeout=10.0).text
    assert "<script>alert('owned')</script>" not in html
    assert "&lt;script&gt;" in html
    assert "Caf\u00e9" in html


PROMPT = (
    'A caf\u00e9 <b>bold</b> <script>alert(1)</script> "quoted" for \u05e9\u05dc\u05d5\u05dd '
    "\u05e2\u05d5\u05dc\u05dd bakers \U0001f382 with a wedding cake page"
)
NAME = "<i>Caf\u00e9</i> \u05e9\u05dc\u05d5\u05dd \U0001f382 <script>x</script>"


def test_unusual_prompts_and_names_round_trip_through_generate_and_show_as_text(
    qtbot, qloop: QtAsyncRunner, services: AppServices, until: Callable[..., None]
) -> None:
    tab = GenerateTab(services)
    qtbot.addWidget(tab)
    tab.show()
    card = tab.submit(PROMPT, NAME)
    until(lambda: card.website is not None and card.status in ("ready", "failed"), timeout=30)
    assert card.status == "ready", card.error_label.text()
    for label, expected in ((card.title_label, NAME), (card.prompt_label, PROMPT)):
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert label.text() == expected

    history = tab.history_model
    texts = [
        str(history.data(history.index(row, 0), Qt.ItemDataRole.DisplayRole) or "") for row in range(history.rowCount())
    ]
    assert any(NAME in text or PROMPT[:40] in text for text in texts), texts

    assert services.client is not None
    website = qloop.run(services.client.get_website(card.website.project_id, card.website.id))
    assert website.name == NAME  # the server kept it exactly

    projects = ProjectsTab(services)
    qtbot.addWidget(projects)
    projects.show()
    until(lambda: projects.model.find_website(website.id).isValid(), timeout=20)
    index = projects.model.find_website(website.id)
    assert projects.model.data(index, Qt.ItemDataRole.DisplayRole) == NAME


def test_metadata_with_quotes_and_newlines_saves_through_the_detail_pane_and_reads_back_identical(
    qtbot,
    qloop: QtAsyncRunner,
    sandbox: RunningSandbox,
    services: AppServices,
    services_key: str,
    until: Callable[..., None],
) -> None:
    project_id, website_id = sandbox.generate(
        "A flower shop in York with a wedding page", name="York Flowers", key=services_key
    )
    sandbox.wait_ready(project_id, website_id, key=services_key)
    assert services.client is not None
    website = qloop.run(services.client.get_website(project_id, website_id))

    detail = WebsiteDetail(services)
    qtbot.addWidget(detail)
    detail.show()
    detail.show_website(project_id, website)
    title = 'Flowers "York" \u2014 Bob\'s <b>best</b> \\ bouquets'
    description = 'Line one with "quotes"\nLine two \u05e9\u05dc\u05d5\u05dd\n\n  indented = not a formula'
    detail.seo_title_edit.setText(title)
    detail.seo_description_edit.setPlainText(description)
    detail.save()
    until(lambda: detail.result_label.text().startswith("Saved"), timeout=20)
    assert detail.title_label.textFormat() == Qt.TextFormat.PlainText

    saved = qloop.run(services.client.get_website(project_id, website_id))
    assert saved.seo_title == title
    assert saved.seo_description == description
    assert detail.seo_title_edit.text() == title
    assert detail.seo_description_edit.toPlainText() == description
