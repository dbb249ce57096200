"""File › Start a local inbox server: the whole team flow on this computer, offline.

Runs ``codaiq-desktop serve`` on SQLite in the app's data folder as a supervised child
(:mod:`codaiq_desktop.inbox_server.desktop_child`: it ends with the app, and one left
behind by a crashed app is stopped), makes one agency and one member the first time,
keeps the member's token in the key vault, and connects the local sandbox account to
it. The agency signs with the sandbox's own webhook secret, so the sandbox's webhooks
go to the server's path and verify there. The next start reuses the same server data.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from codaiq_desktop.accounts import SANDBOX_ACCOUNT_NAME, Account, KeyStorage, LeadsFrom
from codaiq_desktop.inbox_server.desktop_child import (
    FOLDER_NAME,
    SECRET_ENV,
    LocalInboxError,
    LocalInboxProcess,
    LocalInboxSetup,
    create_setup,
    free_folder,
    read_setup,
    replace_member_token,
    run_admin,
    write_setup,
)

if TYPE_CHECKING:
    from codaiq_desktop.ui.services import AppServices

log = logging.getLogger(__name__)

#: Deliveries the sandbox signed with an earlier secret stay valid this long after a change.
SECRET_GRACE_HOURS = 1.0


class LocalInboxServer:
    """The app's own inbox server: set up once, started with the app while an account uses it."""

    def __init__(self, services: AppServices) -> None:
        self._services = services
        self.folder: Path = services.data_dir / FOLDER_NAME
        self.process: LocalInboxProcess | None = None
        self.setup: LocalInboxSetup | None = None
        self.url: str | None = None
        self._secret_checked = False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.running

    @property
    def webhook_url(self) -> str | None:
        """Where webhooks for its agency go (``None`` while it is not running)."""
        if self.url is None or self.setup is None or not self.running:
            return None
        return self.url + self.setup.webhook_path

    def webhook_secret(self) -> str:
        """The agency's signing secret: the local sandbox's own."""
        return self._services.vault.webhook_secret(SANDBOX_ACCOUNT_NAME)[0]

    async def start_and_connect(self) -> Account:
        """Set up (first time) and start the server, then make the sandbox account use it."""
        saved = self._services.accounts.get(SANDBOX_ACCOUNT_NAME)
        sandbox = saved if saved is not None and saved.is_sandbox else Account.sandbox()
        url = await self.ensure_running(sandbox)
        connected = dataclasses.replace(sandbox, leads_from=LeadsFrom.TEAM_SERVER, team_url=url, team_local=True)
        services = self._services
        services.accounts.upsert(connected)
        services.accounts.active = connected.name
        services.save_accounts()
        client = services.client
        if services.is_sandbox and client is not None:
            # The sandbox already runs: connect the account again, now with its leads from the server.
            await services.activate(
                connected, client.api_key.reveal(), base_url=client.base_url, sandbox_root_url=services.sandbox_root_url
            )
        else:
            await services.use_sandbox()
        return connected

    async def ensure_running(self, account: Account) -> str:
        """The server's URL, starting it (and setting it up) if needed.

        Raises :class:`LocalInboxError` (or ``LocalInboxFolderInUseError``) with a sentence.
        """
        if self.running and self.url is not None:
            return self.url
        vault = self._services.vault
        await free_folder(self.folder)
        setup = read_setup(self.folder)
        secret, secret_storage = vault.webhook_secret(SANDBOX_ACCOUNT_NAME)
        if setup is None:
            setup, token = await create_setup(self.folder, secret)
            self._keep_token(account, token)
            self._secret_checked = True
        else:
            if not vault.team_token(account.name):
                setup, token = await replace_member_token(self.folder, setup)
                self._keep_token(account, token)
            if secret_storage is KeyStorage.SESSION and not self._secret_checked:
                # Without a keyring the sandbox's secret is new in every session: the agency
                # must verify with this one (the previous one stays valid for queued retries).
                await run_admin(
                    self.folder,
                    "rotate-secret",
                    "--agency",
                    setup.agency,
                    "--webhook-secret-env",
                    SECRET_ENV,
                    "--grace-hours",
                    str(SECRET_GRACE_HOURS),
                    env={SECRET_ENV: secret},
                )
            self._secret_checked = True
        process = LocalInboxProcess(self.folder, on_exit=self._on_exit)
        try:
            url = await process.start(setup.port)
        except LocalInboxError:
            if not setup.port:
                raise
            log.info("Port %d was not free for the local inbox server; taking another", setup.port)
            process = LocalInboxProcess(self.folder, on_exit=self._on_exit)
            url = await process.start(0)
        self.process, self.url = process, url
        port = int(url.rsplit(":", 1)[1])
        if port != setup.port:
            setup = dataclasses.replace(setup, port=port)
            write_setup(self.folder, setup)
        self.setup = setup
        self._remember_url(account, url)
        return url

    def _keep_token(self, account: Account, token: str) -> None:
        """In the keyring; without one, in the vault's 0600 file: the server's own database sits
        in the same data folder, so that file exposes nothing a reader of the folder lacks."""
        self._services.vault.set_team_token(account.name, token, fallback=KeyStorage.FILE, confirmed=True)

    def _remember_url(self, account: Account, url: str) -> None:
        saved = self._services.accounts.get(account.name)
        if saved is not None and saved.team_local and saved.team_url != url:
            self._services.accounts.upsert(dataclasses.replace(saved, team_url=url))
            self._services.save_accounts()

    def _on_exit(self, code: int) -> None:
        """The child ended without being asked: say so (the team store goes offline by itself)."""
        self.process = None
        self.url = None
        self._services.sig_status_message.emit(
            f"The local inbox server stopped unexpectedly (exit code {code}). Switch accounts or restart the app "
            "to start it again; edits made meanwhile are kept and sent when it is back."
        )

    async def stop(self) -> None:
        process, self.process = self.process, None
        self.url = None
        if process is not None:
            await process.stop()
