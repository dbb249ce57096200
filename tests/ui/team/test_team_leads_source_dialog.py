"""Where leads come from: the dialog checks a team server before anything is saved.

Real widgets against a real ``codaiq-desktop serve`` process (``inbox_server``, from ``tests.fixtures.team_server``: SQLite and
PostgreSQL), the session's sandbox for "answers, but is no inbox server", and a closed
port for "cannot be reached".
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QWidget

from codaiq_desktop.accounts import Account, LeadsFrom
from codaiq_desktop.team import make_invite
from codaiq_desktop.ui.services import AppServices
from codaiq_desktop.ui.team.leads_source_dialog import LeadsSourceDialog
from tests.fixtures.team_server import TeamServerProcess
from tests.ui.team.engines import serve_on_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def inbox_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TeamServerProcess]:
    """``serve`` on each engine, with one agency and members alice and bob."""
    yield from serve_on_engine(request, tmp_path)


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _agency_account(services: AppServices) -> Account:
    account = Account("Agency", services.client.base_url if services.client else "https://codaiq.com/api")
    services.accounts.upsert(account)
    services.save_accounts()
    return account


def _dialog(qtbot, services: AppServices, account: Account) -> LeadsSourceDialog:
    # Over a window that stays open, as in the app: the last window closing would end the loop.
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    dialog = LeadsSourceDialog(account, services, window)
    dialog.host_window = window  # type: ignore[attr-defined]  # kept alive as long as the dialog
    dialog.show()
    return dialog


def _save_and_wait(dialog: LeadsSourceDialog, until) -> str:
    dialog.save_button.click()
    until(lambda: dialog.save_button.isEnabled(), message="the check never ended")
    return dialog.message.text()


def test_a_bad_token_is_refused_in_words_and_nothing_is_saved(qtbot, services, inbox_server, until) -> None:
    account = _agency_account(services)
    dialog = _dialog(qtbot, services, account)
    dialog.team_radio.setChecked(True)
    dialog.url_edit.setText(inbox_server.url)
    dialog.token_edit.setText("not-a-member-token-" + "x" * 40)

    said = _save_and_wait(dialog, until)

    assert "refused this member token" in said and "Nothing was saved" in said
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert services.vault.team_token("Agency") is None
    saved = json.loads(Path(services.account_store.path).read_text())
    assert all(entry.get("leads_from") != LeadsFrom.TEAM_SERVER.value for entry in saved["accounts"])


def test_unreachable_and_not_an_inbox_server_get_their_own_words(qtbot, services, sandbox, until) -> None:
    dialog = _dialog(qtbot, services, _agency_account(services))
    dialog.team_radio.setChecked(True)
    dialog.token_edit.setText("some-member-token-" + "y" * 40)

    dialog.url_edit.setText(f"http://127.0.0.1:{_closed_port()}")
    assert "cannot be reached" in _save_and_wait(dialog, until)

    dialog.url_edit.setText(sandbox.root_url)  # a web server, but a Codaiq sandbox, not an inbox server
    assert "not as a Codaiq team inbox server" in _save_and_wait(dialog, until)

    dialog.url_edit.setText("inbox.example.com")
    dialog.save_button.click()
    assert "must start with https://" in dialog.message.text()
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_an_invite_pasted_fills_both_fields_and_a_good_token_is_accepted(qtbot, services, inbox_server, until) -> None:
    dialog = _dialog(qtbot, services, _agency_account(services))
    invite = make_invite(inbox_server.server("alice"))

    dialog.invite_edit.setText(invite)

    assert dialog.team_radio.isChecked()
    assert dialog.url_edit.text() == inbox_server.url
    assert dialog.token_edit.text() == inbox_server.tokens["alice"]
    assert dialog.invite_edit.text() == ""  # the token is not left in plain sight
    assert "Invite read" in dialog.message.text()

    dialog.invite_edit.setText("codaiq-invite:damaged!!")
    assert "damaged" in dialog.message.text()

    dialog.url_edit.setText(invite)  # pasted into the address field: read as an invite too
    assert dialog.url_edit.text() == inbox_server.url

    dialog.save_button.click()
    until(lambda: dialog.result() == QDialog.DialogCode.Accepted, message=lambda: dialog.message.text())
    assert dialog.checked_as is not None and "alice@agency.example" in dialog.checked_as


@pytest.mark.usefixtures("memory_keyring")
def test_the_token_is_in_the_vault_not_in_the_config_file_logs_or_reprs(
    qtbot, qloop, services, inbox_server, until, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    account = _agency_account(services)
    dialog = _dialog(qtbot, services, account)
    dialog.invite_edit.setText(make_invite(inbox_server.server("alice")))
    dialog.save_button.click()
    until(lambda: dialog.result() == QDialog.DialogCode.Accepted, message=lambda: dialog.message.text())
    token = inbox_server.tokens["alice"]

    saved, where = qloop.run(services.team.save_source(account, dialog.server()))

    assert services.vault.team_token("Agency") == token
    assert where is not None and where.value == "keyring"
    config = Path(services.account_store.path).read_text()
    assert inbox_server.url in config and token not in config
    assert saved.uses_team_server and saved.team_url == inbox_server.url
    for shown in (repr(saved), repr(dialog.server()), str(dialog.server()), repr(services.vault)):
        assert token not in shown
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert token not in logged
