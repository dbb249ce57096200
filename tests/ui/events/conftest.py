"""Helpers for the Events tab's tests: a shown tab, and a signed (or forged) webhook POST."""

from __future__ import annotations

import json

import httpx

from codaiq_desktop.signing import SIGNATURE_HEADER, sign
from codaiq_desktop.ui.events.events_tab import EventsTab
from codaiq_desktop.tls import ssl_context


def post(qloop, url: str, payload: dict, secret: str) -> httpx.Response:
    body = json.dumps(payload).encode()

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(verify=ssl_context(), timeout=10, trust_env=False) as http:
            return await http.post(
                url, content=body, headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)}
            )

    return qloop.run(send())


def make_tab(qtbot, services) -> EventsTab:
    tab = EventsTab(services)
    qtbot.addWidget(tab)
    tab.resize(1280, 720)
    tab.show()
    return tab
