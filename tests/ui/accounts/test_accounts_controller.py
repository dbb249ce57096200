"""The account flows out of the window: add, edit (rename), remove, switch, on real dialogs."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QMessageBox

from codaiq_desktop.accounts import SANDBOX_ACCOUNT_NAME
from codaiq_desktop.ui.accounts.account_dialogs import AccountForm


def _visible(window, kind):
    return next((dialog for dialog in window.findChildren(kind) if dialog.isVisible()), None)


def _add(main_window, sandbox, until, name: str) -> str:
    """Add a remote account through the form, as a user does; returns its key."""
    controller = main_window.accounts_controller
    key = sandbox.new_key("pro")
    task = asyncio.ensure_future(controller.add_account())
    until(lambda: _visible(main_window, AccountForm) is not None)
    form = _visible(main_window, AccountForm)
    form.name_edit.setText(name)
    form.url_edit.setText(sandbox.base_url)
    form.key_edit.setText(key)
    form.connect_button.click()
    until(task.done, message="the account was never added")
    assert task.result() is True
    return key


def test_added_account_is_kept_and_connected(main_window, sandbox, until, memory_keyring) -> None:
    services = main_window.services
    key = _add(main_window, sandbox, until, "Agency")
    assert services.accounts.active == "Agency" and services.account is not None
    assert services.account.name == "Agency"
    assert services.vault.get_key(services.accounts.get("Agency")) == key
    assert services.account_store.load().get("Agency") is not None


def test_a_cancelled_add_changes_nothing(main_window, until) -> None:
    services = main_window.services
    before = [account.name for account in services.accounts.accounts]
    task = asyncio.ensure_future(main_window.accounts_controller.add_account())
    until(lambda: _visible(main_window, AccountForm) is not None)
    _visible(main_window, AccountForm).reject()
    until(task.done)
    assert task.result() is False
    assert [account.name for account in services.accounts.accounts] == before


def test_renaming_the_active_account_moves_its_key_and_stays_connected(
    main_window, sandbox, until, memory_keyring
) -> None:
    services = main_window.services
    key = _add(main_window, sandbox, until, "Agency")
    task = asyncio.ensure_future(main_window.accounts_controller.edit_account("Agency"))
    until(lambda: _visible(main_window, AccountForm) is not None)
    form = _visible(main_window, AccountForm)
    form.name_edit.setText("Agency Ltd")
    form.accept()
    until(task.done, message="the edit never finished")
    task.result()
    assert services.accounts.get("Agency") is None
    renamed = services.accounts.get("Agency Ltd")
    assert renamed is not None and services.vault.get_key(renamed) == key
    assert services.accounts.active == "Agency Ltd" and services.account_label == "Agency Ltd"


def test_removing_the_active_account_forgets_its_key_and_falls_back_to_the_sandbox(
    main_window, sandbox, until, memory_keyring
) -> None:
    services = main_window.services
    _add(main_window, sandbox, until, "Agency")
    added = services.accounts.get("Agency")
    task = asyncio.ensure_future(main_window.accounts_controller.remove_account("Agency"))
    until(lambda: _visible(main_window, QMessageBox) is not None)
    box = _visible(main_window, QMessageBox)
    box.button(QMessageBox.StandardButton.Yes).click()
    until(task.done, timeout=60, message="the removal never finished")
    task.result()
    assert services.accounts.get("Agency") is None
    assert services.vault.get_key(added) is None
    assert services.accounts.active == SANDBOX_ACCOUNT_NAME


def test_removing_is_asked_first_and_cancel_keeps_the_account(main_window, sandbox, until, memory_keyring) -> None:
    services = main_window.services
    key = _add(main_window, sandbox, until, "Agency")
    task = asyncio.ensure_future(main_window.accounts_controller.remove_account("Agency"))
    until(lambda: _visible(main_window, QMessageBox) is not None)
    _visible(main_window, QMessageBox).button(QMessageBox.StandardButton.Cancel).click()
    until(task.done)
    assert services.accounts.get("Agency") is not None
    assert services.vault.get_key(services.accounts.get("Agency")) == key
    assert services.accounts.active == "Agency"


def test_the_sandbox_account_cannot_be_removed(main_window, until) -> None:
    services = main_window.services
    task = asyncio.ensure_future(main_window.accounts_controller.remove_account(SANDBOX_ACCOUNT_NAME))
    until(task.done)
    assert _visible(main_window, QMessageBox) is None
    assert services.account is not None and services.account.is_sandbox
