"""The account option that runs the app's local sandbox in documented-only mode."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from codaiq_desktop.accounts import Account, AccountList, AccountStore
from codaiq_desktop.ui.accounts.account_dialogs import AccountsDialog
from codaiq_desktop.tls import ssl_context
from tests.fixtures.app import make_services


def test_the_option_is_saved_with_the_account_and_off_for_older_files(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "accounts.json")
    accounts = AccountList([Account.sandbox(documented_only=True)], "Local sandbox")
    store.save(accounts)
    assert store.load().get("Local sandbox").documented_only is True
    data = json.loads((tmp_path / "accounts.json").read_text())
    del data["accounts"][0]["documented_only"]
    (tmp_path / "accounts.json").write_text(json.dumps(data))
    assert store.load().get("Local sandbox").documented_only is False


def test_the_accounts_dialog_shows_and_asks_for_the_mode(qtbot) -> None:
    accounts = AccountList([Account.sandbox(documented_only=True), Account("Agency")], "Local sandbox")
    dialog = AccountsDialog(accounts)
    qtbot.addWidget(dialog)
    assert dialog.documented_only_check.isChecked()
    assert "documented fields only" in dialog.list.item(0).text()
    with qtbot.waitSignal(dialog.sig_sandbox_documented_only) as asked:
        dialog.documented_only_check.setChecked(False)
    assert asked.args == [False]
    dialog.set_accounts(AccountList([Account.sandbox(), Account("Agency")], "Agency"))
    assert not dialog.documented_only_check.isChecked()


def test_switching_the_option_restarts_the_sandbox_child_in_that_mode(qloop, tmp_path: Path) -> None:
    services = make_services(tmp_path / "app")
    qloop.run(services.start(store_path=tmp_path / "app" / "store.sqlite3"))
    try:
        qloop.run(services.use_sandbox(), timeout=60)

        def project_list() -> dict:
            client = services.client
            response = httpx.get(
                f"{client.base_url}/project",
                verify=ssl_context(),
                headers={"X-API-Key": client.api_key.reveal()},
                timeout=10,
            )
            response.raise_for_status()
            return response.json()

        assert "projects" in project_list() and not services.sandbox_documented_only
        first_pid = services.sandbox_process.endpoint.pid
        qloop.run(services.set_sandbox_documented_only(True), timeout=60)
        assert services.sandbox_documented_only and "--documented-only" in services.sandbox_process.command
        assert services.sandbox_process.endpoint.pid != first_pid
        assert list(project_list()) == ["websites"]
        assert AccountStore(tmp_path / "app" / "accounts.json").load().get("Local sandbox").documented_only
        qloop.run(services.set_sandbox_documented_only(False), timeout=60)
        assert "projects" in project_list() and not services.sandbox_documented_only
    finally:
        qloop.run(services.aclose(), timeout=60)
