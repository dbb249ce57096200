"""The active account's team inbox server, as the tabs see it: a lead source and Qt signals.

``AppServices`` composes one :class:`TeamConnection`. When the active account's leads
come from a team inbox server, it opens a ``codaiq_desktop.team.TeamStore`` on it (the
Leads and Events tabs read it through their store reader, as they read the local
store), follows the server's stream and turns the follower's callbacks, which come on
the team I/O thread, into signals delivered on the Qt thread. For an account whose
leads come from this computer it holds nothing, and the local store is the source.

It also runs the app's own local inbox server (:mod:`ui.team.local_inbox_server`) for an
account connected to it, so that server is up before the account connects.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from codaiq_desktop.accounts import Account, KeyStorage, LeadsFrom

if TYPE_CHECKING:
    import asyncio
    import datetime as _dt

    from codaiq_desktop.team import EditConflict, ReceiverInfo, TeamChange, TeamServer, TeamStore
    from codaiq_desktop.ui.services import AppServices
    from codaiq_desktop.ui.team.local_inbox_server import LocalInboxServer

log = logging.getLogger(__name__)

#: After a failed first connection (server down, no cache yet), try again this often.
RETRY_OPEN_MS = 10_000


class TeamState:
    """Values of :attr:`TeamConnection.sig_state` (plain strings, for widgets to compare)."""

    OFF = "off"
    """The active account's leads come from this computer."""
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"
    """The server cannot be reached: leads are served from the local cache, edits are queued."""
    FAILED = "failed"
    """Not connected and nothing cached to show (``error`` says why, in words)."""


class TeamConnection(QObject):
    """The team lead source of the active account, its live updates and its server's receiver."""

    sig_state = Signal(str)
    """The connection is ``off``, ``connecting``, ``online``, ``offline`` or ``failed`` (:class:`TeamState`)."""

    sig_source_changed = Signal()
    """:attr:`store` is another object now (an account switched, or a failed start succeeded):
    tabs reading leads re-read them from :attr:`AppServices.lead_store`."""

    sig_lead_added = Signal(object)
    """A lead arrived on the team server (a ``team.TeamChange`` of kind ``lead.created``)."""

    sig_lead_changed = Signal(object)
    """A colleague (or this member elsewhere) changed a lead (a ``team.TeamChange``)."""

    sig_online = Signal(bool)
    """The server became reachable (``True``) or not (``False``); :attr:`as_of` says how fresh the cache is."""

    sig_conflict = Signal(object)
    """An edit queued offline was refused on replay (a ``team.EditConflict``): the user chooses."""

    sig_pending = Signal(int)
    """How many edits are waiting to be sent (queued offline or in conflict)."""

    sig_receiver_info = Signal(object)
    """The server's webhook URL and receiver state (a ``team.ReceiverInfo``) were read."""

    def __init__(self, services: AppServices) -> None:
        super().__init__(services)
        self._services = services
        self.account: Account | None = None
        self.server: TeamServer | None = None
        self.store: TeamStore | None = None
        self.state = TeamState.OFF
        self.error: str | None = None
        """Why the connection failed, in words (``None`` when it did not)."""
        self.receiver_info: ReceiverInfo | None = None
        self.as_of: _dt.datetime | None = None
        self.local: LocalInboxServer | None = None
        """The app's own local inbox server, once started."""
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_OPEN_MS)
        self._retry.timeout.connect(self._retry_open)
        self._opening: asyncio.Task[None] | None = None
        self.sig_online.connect(self._on_online)

    # ------------------------------------------------------------------ state
    @property
    def active(self) -> bool:
        """The active account's leads come from a team inbox server."""
        return self.account is not None and self.account.uses_team_server

    @property
    def cache_dir(self) -> Path:
        return self._services.data_dir / "team-cache"

    def local_inbox_server(self) -> LocalInboxServer:
        """The app's local inbox server (made on first use; started by ``ensure_running``)."""
        if self.local is None:
            from codaiq_desktop.ui.team.local_inbox_server import LocalInboxServer

            self.local = LocalInboxServer(self._services)
        return self.local

    # ------------------------------------------------------------------ the account setting
    async def save_source(self, account: Account, server: TeamServer | None) -> tuple[Account, KeyStorage | None]:
        """Keep where ``account``'s leads come from (``None``: this computer); reconnect if active.

        The token goes to the key vault (the keyring; without one, the 0600 key file if the
        account keeps its API key there, else this session only) and never into the account
        list. Returns the saved account and where the token went.
        """
        vault = self._services.vault
        where: KeyStorage | None = None
        if server is None:
            saved = dataclasses.replace(account, leads_from=LeadsFrom.THIS_COMPUTER, team_url="", team_local=False)
            vault.delete_team_token(account.name)
        else:
            in_file = account.key_storage is KeyStorage.FILE
            where = vault.set_team_token(
                account.name,
                server.token,
                fallback=KeyStorage.FILE if in_file else KeyStorage.SESSION,
                confirmed=in_file,
            )
            local = self.local
            is_local = account.team_local and local is not None and local.url == server.url
            saved = dataclasses.replace(
                account, leads_from=LeadsFrom.TEAM_SERVER, team_url=server.url, team_local=is_local
            )
        self._services.accounts.upsert(saved)
        self._services.save_accounts()
        if self._services.accounts.active == saved.name:
            if saved.is_sandbox:
                await self._services.use_sandbox()
            else:
                await self._services.use_account(saved)
        return saved, where

    # ------------------------------------------------------------------ switching
    async def use(self, account: Account | None) -> None:
        """Follow ``account``'s team server, or nothing when its leads come from this computer.

        Called by ``AppServices.activate`` before the tabs are told of the new account, so
        they find the new lead source in place. An unreachable server with nothing cached
        leaves :attr:`store` ``None`` and the state ``failed`` with a sentence; it is tried
        again every ``RETRY_OPEN_MS``.
        """
        await self.close_store()
        self.account = account
        if account is None or not account.uses_team_server:
            self._set_state(TeamState.OFF)
            return
        await self._open(account)

    async def _open(self, account: Account) -> None:
        from codaiq_desktop.team import TeamError, TeamServer, TeamStore, TeamUnreachable

        self.error = None
        self._set_state(TeamState.CONNECTING)
        url = account.team_url
        if account.team_local:
            try:
                url = await self.local_inbox_server().ensure_running(account)
            except Exception as exc:
                log.error("The local inbox server did not start", exc_info=exc)
                self._fail(str(exc) if isinstance(exc, RuntimeError) else self._services.describe_error(exc))
                return
        token = self._services.vault.team_token(account.name)
        if not token:
            self._fail(
                f"The member token for \u201c{account.name}\u201d is not on this computer any more (it was kept "
                "for one session only). Open File \u203a Accounts, choose Where leads come from, and paste it again."
            )
            return
        server = TeamServer(url, token)
        store = TeamStore(server, self.cache_dir, account=account.name)
        try:
            await store.open_async()
        except TeamError as exc:
            self._fail(_sentence(exc))
            if isinstance(exc, TeamUnreachable):
                self._retry.start()
            return
        except Exception as exc:
            log.error("Opening the team inbox failed", exc_info=exc)
            self._fail(self._services.describe_error(exc))
            return
        if self.account is not account:  # switched away meanwhile
            await store.close_async()
            return
        self.server, self.store = server, store
        self.as_of = store.as_of
        self._follow(store)
        self._set_state(TeamState.ONLINE if store.online else TeamState.OFFLINE)
        self.sig_source_changed.emit()
        self._services.run(self.load_receiver_info(), on_error=lambda _exc: None, owner=self)

    def _retry_open(self) -> None:
        account = self.account
        if account is None or self.store is not None or not account.uses_team_server:
            return
        if self._opening is not None and not self._opening.done():
            return
        self._opening = self._services.run(self._open(account), on_error=lambda _exc: None, owner=self)

    def _fail(self, sentence: str) -> None:
        self.error = sentence
        log.warning("Team inbox: %s", sentence)
        self._set_state(TeamState.FAILED)
        self.sig_source_changed.emit()

    def _follow(self, store: TeamStore) -> None:
        """Live updates: the follower's callbacks (on the team I/O thread) become signals."""
        from codaiq_desktop.team import TeamListener

        relay = self

        def on_change(change: TeamChange) -> None:
            if isValid(relay):
                (relay.sig_lead_added if change.kind == "lead.created" else relay.sig_lead_changed).emit(change)

        def on_connection(online: bool, as_of: _dt.datetime | None = None) -> None:
            if isValid(relay):
                relay.sig_online.emit(online)

        def on_conflict(conflict: EditConflict) -> None:
            if isValid(relay):
                relay.sig_conflict.emit(conflict)

        def on_pending(count: int) -> None:
            if isValid(relay):
                relay.sig_pending.emit(count)

        store.start_following(
            TeamListener(
                on_change=on_change, on_connection=on_connection, on_conflict=on_conflict, on_pending=on_pending
            )
        )

    def _on_online(self, online: bool) -> None:
        store = self.store
        if store is None:
            return
        self.as_of = store.as_of
        self._set_state(TeamState.ONLINE if online else TeamState.OFFLINE)
        if online:
            self._services.run(self.load_receiver_info(), on_error=lambda _exc: None, owner=self)

    async def load_receiver_info(self) -> ReceiverInfo | None:
        """Read the server's webhook URL and receiver state (for the Events tab)."""
        store = self.store
        if store is None:
            return None
        info = await store.receiver_info_async()
        if store is self.store:
            self.receiver_info = info
            self.sig_receiver_info.emit(info)
        return info

    def webhook_target(self) -> tuple[str, str] | None:
        """Where the local sandbox should send its webhooks instead of the local receiver.

        Only for the app's own local inbox server: its agency signs with the sandbox's
        webhook secret (the app made it so). A remote team server's secret is its admin's,
        so the sandbox cannot sign for it.
        """
        account = self.account
        if account is None or not account.uses_team_server or not account.team_local or self.local is None:
            return None
        url = self.local.webhook_url
        if url is None:
            return None
        return url, self.local.webhook_secret()

    # ------------------------------------------------------------------ closing
    async def close_store(self) -> None:
        """Stop following and close the current team store (the account is switching)."""
        self._retry.stop()
        store, self.store = self.store, None
        self.server = None
        self.receiver_info = None
        if store is not None:
            try:
                await store.close_async()
            except Exception as exc:
                log.warning("Closing the team store failed", exc_info=exc)
            self.sig_source_changed.emit()

    async def aclose(self) -> None:
        """The app is closing: the store, then the local inbox server."""
        await self.close_store()
        local, self.local = self.local, None
        if local is not None:
            await local.stop()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.sig_state.emit(state)


def _sentence(exc: BaseException) -> str:
    """The team client's errors are sentences already; anything else gets its class name."""
    text = str(exc).strip()
    return text or f"The team inbox server could not be used ({type(exc).__name__})."
