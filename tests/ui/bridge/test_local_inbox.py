"""The store and its receiver: real signed posts on loopback into a real SQLite file."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.receiver import WebhookSecret
from codaiq_desktop.ui.bridge.errors import ReceiverPortChangeError
from codaiq_desktop.ui.bridge.local_inbox import LocalInbox, ReceiverState
from codaiq_desktop.ui.common.settings import SettingsKeys, make_settings
from codaiq_desktop.tls import ssl_context
from tests.fixtures.receiver import TEST_SECRET, encode, make_event, signed_headers

SECRETS = [WebhookSecret(TEST_SECRET, "Acme")]


@pytest.fixture
def inbox(qloop, qtbot, tmp_path: Path) -> Iterator[LocalInbox]:
    settings = make_settings(tmp_path / "settings.ini")
    settings.setValue(SettingsKeys.RECEIVER_PORT, 0)
    wired = LocalInbox(settings, tmp_path / "data", str)
    qloop.run(wired.open_store())
    try:
        yield wired
    finally:
        qloop.run(wired.aclose())
        wired.deleteLater()


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


async def _post(url: str, payload: dict[str, object], secret: str = TEST_SECRET) -> int:
    body = encode(payload)
    async with httpx.AsyncClient(verify=ssl_context(), timeout=10) as http:
        response = await http.post(url, content=body, headers=signed_headers(body, secret))
    return response.status_code


def test_a_signed_delivery_is_stored_and_signalled_under_its_account(qloop, until, inbox: LocalInbox) -> None:
    stored: list[object] = []
    inbox.sig_event_stored.connect(stored.append)
    qloop.run(inbox.start_receiver(SECRETS))
    assert inbox.receiver_state == ReceiverState.LISTENING and inbox.receiver is not None
    assert qloop.run(_post(inbox.receiver.url, make_event("lead.captured"))) == 200
    until(lambda: len(stored) == 1)
    event = stored[0]
    assert event.type == "lead.captured" and event.verified and event.account == "Acme"
    assert inbox.store is not None and inbox.store.count_leads() == 1


def test_a_delivery_with_another_secret_is_refused(qloop, inbox: LocalInbox) -> None:
    qloop.run(inbox.start_receiver(SECRETS))
    assert inbox.receiver is not None
    status = qloop.run(_post(inbox.receiver.url, make_event(), secret="whsec_someone_else_0123456789"))
    assert status == 401
    inbox.set_secrets([WebhookSecret("whsec_someone_else_0123456789", "Other")])
    assert qloop.run(_post(inbox.receiver.url, make_event(), secret="whsec_someone_else_0123456789")) == 200


def test_a_taken_port_still_receives_on_a_free_one_and_says_so(qloop, inbox: LocalInbox, taken_port: int) -> None:
    inbox._settings.setValue(SettingsKeys.RECEIVER_PORT, taken_port)
    qloop.run(inbox.start_receiver(SECRETS))
    assert inbox.receiver_state == ReceiverState.PORT_TAKEN
    assert inbox.receiver is not None and inbox.receiver.port != taken_port
    assert inbox.receiver_error is not None and str(taken_port) in inbox.receiver_error
    assert qloop.run(_post(inbox.receiver.url, make_event())) == 200


def test_moving_to_a_taken_port_changes_nothing(qloop, inbox: LocalInbox, taken_port: int) -> None:
    qloop.run(inbox.start_receiver(SECRETS))
    before = inbox.receiver
    assert before is not None
    with pytest.raises(ReceiverPortChangeError, match=str(before.port)):
        qloop.run(inbox.change_receiver_port(taken_port, SECRETS))
    assert inbox.receiver is before
    assert inbox.receiver_port == 0  # the choice was not saved
    assert qloop.run(_post(before.url, make_event())) == 200


def test_moving_to_a_free_port_listens_there_and_remembers_it(qloop, inbox: LocalInbox) -> None:
    qloop.run(inbox.start_receiver(SECRETS))
    old = inbox.receiver
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    qloop.run(inbox.change_receiver_port(free, SECRETS))
    assert inbox.receiver is not None and inbox.receiver is not old and inbox.receiver.port == free
    assert inbox.receiver_port == free
    assert qloop.run(_post(inbox.receiver.url, make_event())) == 200
    with pytest.raises(ValueError, match="between 1 and 65535"):
        qloop.run(inbox.change_receiver_port(70000, SECRETS))


def test_unfiled_records_are_adopted_by_the_last_account(qloop, until, inbox: LocalInbox) -> None:
    qloop.run(inbox.start_receiver([WebhookSecret(TEST_SECRET, None)]))  # as the headless listener stores them
    assert inbox.receiver is not None and inbox.store is not None
    assert qloop.run(_post(inbox.receiver.url, make_event())) == 200
    until(lambda: inbox.store.count_leads() == 1)
    qloop.run(inbox.adopt_unfiled_records("Acme"))
    events = inbox.store.list_events()
    assert [event.account for event in events] == ["Acme"]
