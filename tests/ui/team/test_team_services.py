"""With a team account active: no local receiver, the team store is the lead source, live
changes arrive as Qt signals, and the Events tab shows the server's webhook URL.

Real ``AppServices`` (on the session's sandbox) against a real ``serve`` process on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from codaiq_desktop.accounts import Account, KeyStorage
from codaiq_desktop.store import LeadFilter
from codaiq_desktop.ui.events.events_tab import EventsTab
from codaiq_desktop.ui.services import AppServices, ReceiverState
from codaiq_desktop.ui.team.team_connection import TeamState
from tests.fixtures.team_server import TeamServerProcess
from tests.ui.team.engines import serve_on_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def inbox_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TeamServerProcess]:
    """``serve`` on each engine, with one agency and members alice and bob."""
    yield from serve_on_engine(request, tmp_path)


def _port_accepts(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _connect_team_account(qloop, services: AppServices, inbox_server, services_key: str) -> Account:
    """An agency account on the sandbox whose leads come from the team server, made active."""
    assert services.client is not None
    account = Account("Agency", services.client.base_url, key_storage=KeyStorage.SESSION)
    services.vault.set_key(account, services_key)
    services.accounts.upsert(account)
    services.accounts.active = account.name
    services.save_accounts()
    qloop.run(services.use_account(account, services_key))
    saved, _where = qloop.run(services.team.save_source(account, inbox_server.server("alice")), timeout=60)
    return saved


def test_a_team_account_turns_the_local_receiver_off_and_reads_the_server(
    qtbot, qloop, services, inbox_server, services_key, until
) -> None:
    assert services.receiver is not None
    local_port = services.receiver.port
    assert _port_accepts(local_port)
    added: list[object] = []
    services.team.sig_lead_added.connect(added.append)

    _connect_team_account(qloop, services, inbox_server, services_key)

    assert services.team.state == TeamState.ONLINE, services.team.error
    assert services.receiver is None and services.receiver_state == ReceiverState.STOPPED
    assert not _port_accepts(local_port)
    assert services.lead_store is services.team.store and services.lead_store is not services.store

    inbox_server.post_lead(1, name="Grace Hopper")
    until(lambda: len(added) == 1, message="the new lead never came as a signal")
    assert added[0].lead.name == "Grace Hopper"  # type: ignore[attr-defined]
    assert int(services.lead_store.count_leads(LeadFilter())) == 1


def test_the_events_tab_shows_the_servers_webhook_url_instead_of_the_port(
    qtbot, qloop, services, inbox_server, services_key, until
) -> None:
    tab = EventsTab(services)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.receiver_panel.isVisible() and not tab.team_panel.isVisible()

    _connect_team_account(qloop, services, inbox_server, services_key)

    expected = inbox_server.url + inbox_server.webhook_path
    until(lambda: tab.team_panel.webhook_url.text() == expected, message=lambda: tab.team_panel.webhook_url.text())
    assert tab.team_panel.isVisible() and not tab.receiver_panel.isVisible()
    assert "Connected" in tab.team_panel.state.text()
    assert "Receiving webhooks" in tab.team_panel.receiver_state.text()
    tab.team_panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == expected
    assert tab.inspector.model.reader is not None and tab.inspector.model.reader.store is services.team.store

    # Back to this computer: the receiver listens again and its card returns.
    qloop.run(services.team.save_source(services.accounts.get("Agency"), None), timeout=60)
    until(lambda: services.receiver_state == ReceiverState.LISTENING)
    assert tab.receiver_panel.isVisible() and not tab.team_panel.isVisible()
    assert services.lead_store is services.store
