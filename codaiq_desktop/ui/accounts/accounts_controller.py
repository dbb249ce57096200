"""The account flows behind the window's Account menu and the status bar's account button.

Adding, editing, removing and switching accounts each ask the user something (a form,
a confirmation, where to keep a key when there is no keyring) and then change several
things at once (the key vault, the account list, the webhook secret, the active
client). They live here, apart from the window that only offers them.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox

from codaiq_desktop.accounts import Account, KeyringUnavailableError, KeyStorage, keyring_available, with_storage
from codaiq_desktop.ui.common.async_dialog import ask
from codaiq_desktop.ui.services import AppServices, MissingKeyError

# The dialogs' module is imported where a dialog opens: the window shows without it.
if TYPE_CHECKING:
    from codaiq_desktop.ui.accounts import account_dialogs

log = logging.getLogger(__name__)


class AccountsController(QObject):
    """Runs the account dialogs for ``window`` and applies what the user chose to ``services``."""

    def __init__(self, services: AppServices, window: QMainWindow) -> None:
        super().__init__(window)
        self.services = services
        self._window = window

    def report(self, exc: BaseException) -> None:
        """An account could not be connected: one sentence in the status bar, details in the log."""
        log.error("Connecting the account failed", exc_info=exc)
        self._window.statusBar().showMessage(self.services.describe_error(exc), 20000)

    async def connect_or_report(self, coro: Coroutine[Any, Any, object]) -> None:
        """Await ``coro`` (a connection); a failure is reported, not raised."""
        try:
            await coro
        except Exception as exc:  # noqa: BLE001 - shown in the status bar in user words
            self.report(exc)

    async def connect_saved(self) -> None:
        """Connect the account that was active last time, asking for a key the session lost."""
        try:
            await self.services.activate_saved()
        except MissingKeyError as exc:
            if not await self.ask_key(exc.account):
                self._window.statusBar().showMessage(f"{exc} Using the local sandbox meanwhile.", 15000)
                await self.connect_or_report(self.services.use_sandbox())
        except Exception as exc:  # noqa: BLE001 - shown in the status bar in user words
            self.report(exc)

    def show_accounts(self) -> None:
        """The Accounts dialog; each choice in it runs here and refreshes its list."""
        from codaiq_desktop.ui.accounts import account_dialogs

        dialog = account_dialogs.AccountsDialog(self.services.accounts, self._window)
        dialog.sig_switch.connect(lambda name: self._run_then_refresh(self.switch_account(name), dialog))
        dialog.sig_add.connect(lambda: self._run_then_refresh(self.add_account(), dialog))
        dialog.sig_edit.connect(lambda name: self._run_then_refresh(self.edit_account(name), dialog))
        dialog.sig_remove.connect(lambda name: self._run_then_refresh(self.remove_account(name), dialog))
        dialog.sig_leads_source.connect(lambda name: self._run_then_refresh(self.choose_leads_source(name), dialog))
        dialog.sig_sandbox_documented_only.connect(
            lambda on: self._run_then_refresh(self.services.set_sandbox_documented_only(on), dialog)
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _run_then_refresh(self, coro: Coroutine[Any, Any, object], dialog: account_dialogs.AccountsDialog) -> None:
        self.services.run(
            coro, on_success=lambda _r: dialog.set_accounts(self.services.accounts), on_error=self.report, owner=dialog
        )

    async def switch_account(self, name: str) -> None:
        account = self.services.accounts.get(name)
        if account is None:
            return
        if account.is_sandbox:
            await self.services.use_sandbox()
            return
        try:
            await self.services.use_account(account)
        except MissingKeyError:
            await self.ask_key(account)

    async def ask_key(self, account: Account) -> bool:
        """A session-only key is gone after a restart: ask for it again."""
        from codaiq_desktop.ui.accounts import account_dialogs

        form = account_dialogs.AccountForm(
            self.services.accounts, account, parent=self._window, key_only=True, services=self.services
        )
        if await ask(form) != QDialog.DialogCode.Accepted:
            return False
        stored = await self.store_key(account, form.key())
        if stored is None:
            return False
        await self.services.use_account(stored, form.key())
        return True

    async def add_account(self) -> bool:
        """Ask for a remote account and its key, keep the key, connect. False if cancelled."""
        from codaiq_desktop.ui.accounts import account_dialogs

        form = account_dialogs.AccountForm(self.services.accounts, parent=self._window, services=self.services)
        if await ask(form) != QDialog.DialogCode.Accepted:
            return False
        key = form.key()
        account = await self.store_key(form.account(), key)
        if account is None:
            return False
        self.services.accounts.upsert(account)
        self.services.save_accounts()
        self._window.statusBar().showMessage(
            form.error_label.text()
            if form.key_checked
            else f"\u201c{account.name}\u201d was saved without checking its key; it connects when the service can be reached.",
            10000,
        )
        await self.services.use_account(account, key)
        return True

    async def edit_account(self, name: str) -> None:
        original = self.services.accounts.get(name)
        if original is None:
            return
        current_key = self.services.vault.get_key(original)
        from codaiq_desktop.ui.accounts import account_dialogs

        form = account_dialogs.AccountForm(
            self.services.accounts, original, current_key, parent=self._window, services=self.services
        )
        if await ask(form) != QDialog.DialogCode.Accepted:
            return
        key = form.key()
        account = await self.store_key(form.account(), key)
        if account is None:
            return
        if account.name != original.name or account.key_storage != original.key_storage:
            self.services.vault.delete_key(original)
        if account.name != original.name:
            await self.services.rename_account_records(original.name, account.name)
        self.services.accounts.upsert(account, previous_name=original.name)
        self.services.save_accounts()
        if self.services.accounts.active == account.name:
            await self.services.use_account(account, key)

    async def remove_account(self, name: str) -> None:
        account = self.services.accounts.get(name)
        if account is None or account.is_sandbox:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove account",
            f"Remove \u201c{name}\u201d and forget its API key on this computer?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._window,
        )
        if await ask(box) != QMessageBox.StandardButton.Yes:
            return
        was_active = self.services.accounts.active == name
        self.services.vault.delete_key(account)
        self.services.vault.delete_webhook_secret(name)  # its deliveries are refused from now on
        self.services.vault.delete_team_token(name)
        self.services.accounts.remove(name)
        self.services.save_accounts()
        if was_active:
            await self.services.use_sandbox()

    async def store_key(self, account: Account, key: str) -> Account | None:
        """Keep ``key`` in the keyring; without one, let the user choose the fallback.

        Returns the account with the storage actually used, or ``None`` if the user cancelled.
        """
        if account.key_storage in (KeyStorage.KEYRING,) or not keyring_available():
            if keyring_available():
                try:
                    keyring_account = with_storage(account, KeyStorage.KEYRING)
                    self.services.vault.set_key(keyring_account, key)
                    return keyring_account
                except KeyringUnavailableError:
                    pass
            from codaiq_desktop.ui.accounts import account_dialogs

            dialog = account_dialogs.KeyStorageFallbackDialog(self._window)
            if await ask(dialog) != QDialog.DialogCode.Accepted:
                return None
            chosen = with_storage(account, dialog.storage())
            self.services.vault.set_key(chosen, key, confirmed=dialog.confirmed())
            return chosen
        self.services.vault.set_key(account, key, confirmed=account.key_storage is KeyStorage.FILE)
        return account

    async def choose_leads_source(self, name: str) -> None:
        """Where an account's leads come from: this computer or a team inbox server (checked first)."""
        from codaiq_desktop.ui.team.team_actions import choose_leads_source

        said = await choose_leads_source(self.services, name, self._window)
        if said:
            self._window.statusBar().showMessage(said, 15000)
