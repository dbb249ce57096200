"""Which account is active: connecting one, switching, and the local sandbox behind it.

Switching touches every part: the sandbox child starts or stops, the client is replaced
(its transport reporting to the connection monitor), the receiver learns the account's
secret, the projects names are forgotten, and the sandbox is told where to send its
webhooks. This part does it in that order, on the ``AppServices`` it belongs to.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING

from codaiq_desktop.accounts import SANDBOX_ACCOUNT_NAME, Account
from codaiq_desktop.ui.bridge.connection_monitor import ConnectionState
from codaiq_desktop.ui.bridge.errors import MissingKeyError
from codaiq_desktop.ui.bridge.local_inbox import ReceiverState

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices


class AccountSwitcher:
    """Connects accounts for ``services`` (whose ``client``, ``account`` and ``is_sandbox`` it sets)."""

    def __init__(self, services: AppServices) -> None:
        self._services = services

    async def activate_saved(self) -> None:
        """Connect the account that was active last time (the sandbox if none)."""
        services = self._services
        account = services.accounts.active_account
        if account is None or account.is_sandbox:
            await self.use_sandbox()
        else:
            await self.use_account(account)

    async def use_sandbox(self) -> None:
        """Start the local sandbox child process (if needed) and make it the active account."""
        services = self._services
        saved = services.accounts.get(SANDBOX_ACCOUNT_NAME)
        sandbox = saved if saved is not None and saved.is_sandbox else Account.sandbox()
        if services.accounts.get(sandbox.name) is None:
            services.accounts.upsert(sandbox)
        services.accounts.active = sandbox.name
        services.save_accounts()
        if services.sandbox_process is not None and services.sandbox.documented_only != sandbox.documented_only:
            await services.sandbox.stop()  # running in the other mode
        endpoint = await services.sandbox.start(documented_only=sandbox.documented_only)
        await self.activate(sandbox, endpoint.api_key, base_url=endpoint.base_url, sandbox_root_url=endpoint.root_url)

    async def use_account(self, account: Account, api_key: str | None = None) -> None:
        """Make a remote account active. Raises :class:`MissingKeyError` if its key is unknown."""
        services = self._services
        key = api_key or services.vault.get_key(account)
        if not key:
            raise MissingKeyError(account)
        services.accounts.active = account.name
        services.save_accounts()
        await services.sandbox.stop()
        await self.activate(account, key)

    async def activate(
        self, account: Account, api_key: str, *, base_url: str | None = None, sandbox_root_url: str | None = None
    ) -> None:
        """Swap the client for ``account`` and tell every tab; then check the connection."""
        services = self._services
        from codaiq_desktop.api import CodaiqClient

        await self.close_client()
        services.account = account
        services.webhook_secret_storage = services.webhook_secret()[1]
        services.refresh_receiver_secrets()
        services.projects.forget_names()
        services.is_sandbox = account.is_sandbox
        services.sandbox_root_url = sandbox_root_url if account.is_sandbox else None
        url = base_url or account.base_url
        services.client = CodaiqClient(
            url,
            api_key,
            transport=services.connection.transport(),
            on_rate_limit=services.connection.on_client_rate_limit,
        )
        services.connection.begin()
        await services.team.use(account)  # before the tabs hear of the account: they read its lead source
        if account.uses_team_server:
            await services.inbox.stop_receiver()  # its webhooks go to the team server, not to this computer
        elif (
            services.receiver is None
            and services.store is not None
            and services.receiver_state == ReceiverState.STOPPED
        ):
            await services.start_receiver()
        services.sig_account_changed.emit(account)
        if account.is_sandbox:
            await self.register_sandbox_webhook(url, api_key)
        services.run(self.check_connection(), on_error=lambda exc: None)

    async def set_sandbox_documented_only(self, enabled: bool) -> None:
        """Switch the local sandbox's documented-only mode; a running sandbox restarts in it."""
        services = self._services
        saved = services.accounts.get(SANDBOX_ACCOUNT_NAME)
        current = saved if saved is not None and saved.is_sandbox else Account.sandbox()
        if current.documented_only == enabled and services.sandbox.documented_only == enabled:
            return
        services.accounts.upsert(dataclasses.replace(current, documented_only=enabled))
        services.save_accounts()
        if services.is_sandbox:
            await services.sandbox.stop()
            await self.use_sandbox()

    async def check_connection(self) -> None:
        """One cheap call: its response (or failure) sets the connection state."""
        services = self._services
        if services.client is not None:
            await services.client.list_projects()

    async def close_client(self) -> None:
        services = self._services
        client, services.client = services.client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.aclose()

    # ------------------------------------------------------------------ local sandbox
    async def stop_blocking_sandbox(self) -> None:
        """The user chose "Stop it": stop the sandbox holding the folder, then start ours."""
        services = self._services
        if await services.sandbox.stop_blocker():
            await self.restart_sandbox()

    async def restart_sandbox(self) -> None:
        """After a crash: start a fresh child and reconnect the sandbox account."""
        services = self._services
        await services.sandbox.stop()
        await self.use_sandbox()

    def on_sandbox_crashed(self) -> None:
        services = self._services
        if services.is_sandbox:
            services.connection.set_state(ConnectionState.OFFLINE)

    async def register_sandbox_webhook(self, base_url: str, api_key: str) -> bool:
        """Point the sandbox account's default webhook at our receiver (a sandbox-only endpoint),
        or at the local inbox server's path when the sandbox account takes its leads from it.

        Returns whether the sandbox accepted it; on failure the status bar says live
        updates are off (the tabs still poll).
        """
        services = self._services
        target = services.team.webhook_target()
        if target is None:
            if services.receiver is None:
                return False
            target = (services.receiver.url, services.vault.webhook_secret(SANDBOX_ACCOUNT_NAME)[0])
        url, secret = target
        if not await services.sandbox.register_webhook(base_url, api_key, url, secret):
            services.sig_status_message.emit("Live updates are off: the sandbox did not accept the webhook URL.")
            return False
        return True
