"""Every account's webhook signing secret, and rotating one without losing deliveries.

The receiver accepts a delivery signed with any account's secret and files it under
that account, so a lead for an account that is not the active one is still kept. A
rotation keeps the previous secret valid for a grace period: deliveries already signed
with it (the sandbox's queued retries, a service slow to pick up the change) still land.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from codaiq_desktop.accounts import SANDBOX_ACCOUNT_NAME, Account, AccountList, KeyStorage, KeyVault

if TYPE_CHECKING:
    import asyncio

    from codaiq_desktop.receiver import WebhookSecret

#: After a secret change, how long deliveries signed with the old secret are still accepted
#: (long enough for the sandbox's queued retries and a service's propagation delay).
WEBHOOK_SECRET_GRACE_SECONDS = 600.0


class WebhookSecrets(QObject):
    """The secrets of ``accounts`` (and of the active account, saved or not) in ``vault``."""

    sig_accepted_changed = Signal()
    """The set of secrets the receiver should accept changed (a grace period ended)."""

    def __init__(
        self,
        vault: KeyVault,
        accounts: AccountList,
        active: Callable[[], Account | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._accounts = accounts
        self._active = active
        self._grace_timers: dict[str, asyncio.TimerHandle] = {}
        """Account name -> the timer that ends its rotation's grace period."""
        self._grace_secrets: dict[str, str] = {}
        """Account name -> its previous secret, still accepted during the grace period."""

    def secret(self, name: str | None) -> tuple[str, KeyStorage]:
        """An account's signing secret and where it is kept (``None``: the sandbox's)."""
        return self._vault.webhook_secret(name, in_file=self.in_file(name))

    def in_file(self, name: str | None) -> bool:
        """Without a keyring, an account whose API key the user put in the 0600 key file
        keeps its webhook secret there too (else it would be new after every restart)."""
        account = self._accounts.get(name) if name else None
        active = self._active()
        if account is None and active is not None and active.name == name:
            account = active
        return account is not None and account.key_storage is KeyStorage.FILE

    def accepted(self) -> list[WebhookSecret]:
        """One secret per account (a rotating one's previous secret too), each labelled.

        The receiver accepts them all, so an account that is not the active one still
        gets its leads stored; the label the signature matched files them under it.
        """
        from codaiq_desktop.receiver import WebhookSecret

        names = [SANDBOX_ACCOUNT_NAME]
        names += [account.name for account in self._accounts.accounts if account.name not in names]
        active = self._active()
        if active is not None and active.name not in names:
            names.append(active.name)
        entries = [WebhookSecret(self.secret(name)[0], name) for name in names]
        entries += [WebhookSecret(old, name) for name, old in self._grace_secrets.items() if name in names]
        return entries

    def rotate(self, name: str, new_secret: str | None, grace_seconds: float) -> tuple[str, KeyStorage]:
        """Store a new secret for ``name`` (``None``: a random one); the old one stays
        accepted for ``grace_seconds``. Returns the new secret and where it is kept.
        ``ValueError`` for a secret that is too short (a sentence)."""
        import asyncio

        in_file = self.in_file(name)
        old, _ = self._vault.webhook_secret(name, in_file=in_file)
        secret, storage = self._vault.set_webhook_secret(new_secret, name, in_file=in_file)
        self._grace_secrets[name] = old
        previous = self._grace_timers.pop(name, None)
        if previous is not None:
            previous.cancel()
        self._grace_timers[name] = asyncio.get_running_loop().call_later(grace_seconds, self._end_grace, old)
        return secret, storage

    def _end_grace(self, old_secret: str) -> None:
        """The grace period is over: only the account's current secret is accepted from now on.

        Found by the secret, not the account's name, which may have changed meanwhile."""
        for name in [name for name, secret in self._grace_secrets.items() if secret == old_secret]:
            del self._grace_secrets[name]
            self._grace_timers.pop(name, None)
        self.sig_accepted_changed.emit()

    def rename(self, old_name: str, new_name: str) -> None:
        """An account was renamed: its secret (and one in its grace period) follows."""
        self._vault.rename_webhook_secret(old_name, new_name, in_file=self.in_file(old_name))
        if old_name in self._grace_secrets:
            self._grace_secrets[new_name] = self._grace_secrets.pop(old_name)
        if old_name in self._grace_timers:
            self._grace_timers[new_name] = self._grace_timers.pop(old_name)

    def close(self) -> None:
        """Cancel the grace timers (the app is closing)."""
        for handle in self._grace_timers.values():
            handle.cancel()
        self._grace_timers.clear()
