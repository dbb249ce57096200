"""What every tab is given: the active account's client, the store, the receiver, signals.

``AppServices`` is the one bridge between the Qt-free parts (API client, local sandbox
child process, webhook receiver, SQLite store) and the widgets. It composes one part per
job (``ui/bridge``): the coroutine runner, the connection monitor, the sandbox
supervisor, the webhook secrets, the local inbox (store and receiver) and the projects
catalog; it switches accounts across them and re-emits their signals. Tabs run
coroutines with :meth:`AppServices.run`, whose callbacks come back on the Qt thread
(qasync runs the asyncio loop there) and never after the widget that asked has gone.

Heavy modules (httpx, uvicorn, the store, and asyncio itself) are imported when first
needed, so the main window shows before any of them has loaded.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from shiboken6 import isValid

from codaiq_desktop.accounts import (
    SANDBOX_ACCOUNT_NAME,
    Account,
    AccountList,
    AccountStore,
    KeyStorage,
    KeyVault,
    data_dir,
)
from codaiq_desktop.ui.bridge.account_switcher import AccountSwitcher
from codaiq_desktop.ui.bridge.connection_monitor import ConnectionMonitor, ConnectionState
from codaiq_desktop.ui.bridge.errors import MissingKeyError, ReceiverPortChangeError, describe_error
from codaiq_desktop.ui.bridge.forwarding import Forwarded
from codaiq_desktop.ui.bridge.local_inbox import LocalInbox, ReceiverState
from codaiq_desktop.ui.bridge.projects_catalog import ProjectsCatalog
from codaiq_desktop.ui.bridge.sandbox_supervisor import SandboxState, SandboxSupervisor
from codaiq_desktop.ui.bridge.task_runner import TaskRunner
from codaiq_desktop.webhook_events import is_website_event
from codaiq_desktop.ui.bridge.webhook_secrets import WEBHOOK_SECRET_GRACE_SECONDS, WebhookSecrets
from codaiq_desktop.ui.team.team_connection import TeamConnection

if TYPE_CHECKING:
    from codaiq_desktop.api import CodaiqClient
    from codaiq_desktop.api.models import RateLimitInfo
    from codaiq_desktop.receiver import WebhookReceiver, WebhookSecret
    from codaiq_desktop.sandbox.data_dir_lock import LockHolder
    from codaiq_desktop.sandbox.process import SandboxProcess
    from codaiq_desktop.store import Store, StoredEvent
    from codaiq_desktop.team import TeamStore
    from codaiq_desktop.ui.common.store_reader import StoreReader

__all__ = [
    "AppServices",
    "ConnectionState",
    "MissingKeyError",
    "ReceiverPortChangeError",
    "ReceiverState",
    "SandboxState",
]

log = logging.getLogger(__name__)


class AppServices(QObject):
    """The services shared by the main window and every tab (see docs/ARCHITECTURE.md, ui)."""

    sig_account_changed = Signal(object)
    """The active account changed (an ``Account``, or ``None``); ``client`` is already the new one.
    Tabs drop what they show and reload."""
    sig_event_stored = Signal(object)
    """A webhook event was stored (a ``store.StoredEvent``), delivered on the Qt thread after commit."""
    sig_rate_limit = Signal(object)
    """The latest rate-limit figures from response headers (``api.models.RateLimitInfo``)."""
    sig_rate_limit_wait = Signal(float)
    """A 429 arrived: requests resume at this ``time.time()``; ``0.0`` once they flow again."""
    sig_connection_state = Signal(str)
    """The API is ``reachable``, ``offline``, ``auth_failed``, ``rate_limited``, ``connecting``
    or there is ``no_account`` (see :class:`ConnectionState`)."""
    sig_receiver_state = Signal(str)
    """The webhook receiver is ``starting``, ``listening``, ``port_taken`` (listening on another
    port than the chosen one), ``failed`` or ``stopped`` (see :class:`ReceiverState`)."""
    sig_sandbox_state = Signal(str)
    """The local sandbox child process is ``starting``, ``running``, ``crashed`` or ``stopped``."""
    sig_open_preview = Signal(str, str)
    """Someone asked to preview (projectId, websiteId): the main window shows the Projects tab."""
    sig_open_lead = Signal(int)
    """Someone asked to open a stored lead by id: the main window shows the Leads tab."""
    sig_projects_changed = Signal()
    """Projects or websites changed on the server (a generation, an edit, a webhook)."""
    sig_status_message = Signal(str)
    """A short message for the status bar (e.g. an error nobody else handled)."""
    sig_website_names = Signal()
    """:attr:`AppServices.website_names` changed (a tab loaded the projects list)."""
    sig_webhook_secret_changed = Signal()
    """The receiver's signing secret was replaced (the Events tab shows the new one)."""

    connection_state: Forwarded[str] = Forwarded("connection", "state")
    rate_limit: Forwarded[RateLimitInfo | None] = Forwarded("connection")
    resume_at: Forwarded[float] = Forwarded("connection")
    store: Forwarded[Store | None] = Forwarded("inbox")
    store_reader: Forwarded[StoreReader[Store] | None] = Forwarded("inbox", "reader")
    """Reads of the local store off the UI thread (``await services.store_reader.read(job)``)."""
    receiver: Forwarded[WebhookReceiver | None] = Forwarded("inbox")
    receiver_state: Forwarded[str] = Forwarded("inbox")
    receiver_error: Forwarded[str | None] = Forwarded("inbox")
    receiver_port: Forwarded[int] = Forwarded("inbox")
    sandbox_state: Forwarded[str] = Forwarded("sandbox", "state")
    sandbox_error: Forwarded[str | None] = Forwarded("sandbox", "error")
    sandbox_blocker: Forwarded[LockHolder | None] = Forwarded("sandbox", "blocker")
    sandbox_process: Forwarded[SandboxProcess | None] = Forwarded("sandbox", "process")
    website_names: Forwarded[dict[str, str]] = Forwarded("projects")
    projects_note: Forwarded[str | None] = Forwarded("projects")

    def __init__(
        self,
        settings: QSettings,
        *,
        accounts: AccountStore | None = None,
        vault: KeyVault | None = None,
        app_data_dir: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.account_store = accounts or AccountStore()
        self.vault = vault or KeyVault()
        self.data_dir = app_data_dir or data_dir()
        self.accounts: AccountList = self.account_store.load()
        self.client: CodaiqClient | None = None
        self.account: Account | None = None
        self.is_sandbox = False
        self.sandbox_root_url: str | None = None
        self.webhook_secret_storage: KeyStorage | None = None
        self._closing = False

        self.tasks = TaskRunner(on_unhandled=lambda exc: self.sig_status_message.emit(self.describe_error(exc)))
        self.run = self.tasks.run
        self.connection = ConnectionMonitor(self)
        self.sandbox = SandboxSupervisor(self.data_dir, self.describe_error, self)
        self.secrets = WebhookSecrets(self.vault, self.accounts, lambda: self.account, self)
        self.inbox = LocalInbox(settings, self.data_dir, self.describe_error, self)
        self.projects = ProjectsCatalog(lambda: (self.client, self.store_reader, self.account_label), self)
        self.load_projects = self.projects.load
        self.remember_projects = self.projects.remember
        self.record_generated = self.projects.record_generated
        self.note_site_domain = self.projects.note_site_domain
        self.load_website_names = self.projects.load_names
        self.switcher = AccountSwitcher(self)
        self.activate_saved = self.switcher.activate_saved
        self.use_sandbox = self.switcher.use_sandbox
        self.use_account = self.switcher.use_account
        self.activate = self.switcher.activate
        self.set_sandbox_documented_only = self.switcher.set_sandbox_documented_only
        self.restart_sandbox = self.switcher.restart_sandbox
        self.stop_blocking_sandbox = self.switcher.stop_blocking_sandbox
        self.team = TeamConnection(self)
        """The active account's team inbox server, when its leads come from one."""
        for source, relay in (
            (self.connection.sig_connection_state, self.sig_connection_state),
            (self.connection.sig_rate_limit, self.sig_rate_limit),
            (self.connection.sig_rate_limit_wait, self.sig_rate_limit_wait),
            (self.sandbox.sig_sandbox_state, self.sig_sandbox_state),
            (self.inbox.sig_receiver_state, self.sig_receiver_state),
            (self.projects.sig_projects_changed, self.sig_projects_changed),
            (self.projects.sig_website_names, self.sig_website_names),
        ):
            source.connect(relay)
        self.inbox.sig_event_stored.connect(self._on_event_stored)
        self.sandbox.sig_crashed.connect(self.switcher.on_sandbox_crashed)
        self.secrets.sig_accepted_changed.connect(self.refresh_receiver_secrets)

    def describe_error(self, exc: BaseException) -> str:
        """One sentence a user can act on; the full details go to the log, never to them."""
        return describe_error(exc, sandbox=self.is_sandbox)

    # ------------------------------------------------------------------ start / stop
    async def start(self, *, store_path: Path | None = None) -> None:
        """Open the store and start the webhook receiver. Accounts are activated separately."""
        await self.inbox.open_store(store_path)
        await self.inbox.adopt_unfiled_records(self.accounts.active or SANDBOX_ACCOUNT_NAME)
        await self.start_receiver()

    async def start_receiver(self) -> None:
        """Listen for webhooks on loopback, on the chosen port (see :class:`LocalInbox`)."""
        self.webhook_secret_storage = self.webhook_secret()[1]
        await self.inbox.start_receiver(self.receiver_secrets())

    @property
    def lead_store(self) -> Store | TeamStore | None:
        """What the Leads and Events tabs read: the team store of an account whose leads come
        from a team inbox server (``None`` while it cannot be opened), else the local store."""
        return self.team.store if self.team.active else self.store

    async def change_receiver_port(self, port: int) -> None:
        """Move the receiver to ``port`` (``0``: any free port); the sandbox is told the new URL."""
        await self.inbox.change_receiver_port(port, self.receiver_secrets())
        client = self.client
        if self.is_sandbox and client is not None and self.receiver is not None:
            await self.switcher.register_sandbox_webhook(client.base_url, client.api_key.reveal())

    async def rename_account_records(self, old_name: str, new_name: str) -> None:
        """An account was renamed: its webhook secret and its stored leads and events follow."""
        self.secrets.rename(old_name, new_name)
        self.vault.rename_team_token(old_name, new_name)
        if self.account is not None and self.account.name == old_name:
            self.account = dataclasses.replace(self.account, name=new_name)  # the new label from now on
        await self.inbox.relabel(old_name, new_name)

    async def aclose(self) -> None:
        """Stop everything this object started (client, receiver, sandbox, store)."""
        self._closing = self.connection.closing = self.sandbox.closing = True
        self.secrets.close()
        await self.tasks.cancel_all()
        await self.switcher.close_client()
        await self.inbox.aclose()
        await self.team.aclose()
        await self.sandbox.stop()

    # ------------------------------------------------------------------ accounts
    def save_accounts(self) -> None:
        """Persist the account list; the receiver then accepts exactly these accounts' secrets."""
        self.account_store.save(self.accounts)
        self.refresh_receiver_secrets()

    @property
    def sandbox_documented_only(self) -> bool:
        """The active account is the local sandbox answering with only documented fields."""
        return self.is_sandbox and self.account is not None and self.account.documented_only

    # ------------------------------------------------------------------ webhook secret
    @property
    def account_label(self) -> str | None:
        """What the store files the active account's events and leads under (its name)."""
        return self.account.name if self.account is not None else None

    def webhook_secret(self) -> tuple[str, KeyStorage]:
        """The active account's signing secret and where it is kept (the sandbox's if none)."""
        return self.secrets.secret(self.account_label)

    def receiver_secrets(self) -> list[WebhookSecret]:
        """Every account's secret, labelled (see :meth:`WebhookSecrets.accepted`)."""
        return self.secrets.accepted()

    def refresh_receiver_secrets(self) -> None:
        self.inbox.set_secrets(self.receiver_secrets())

    async def rotate_webhook_secret(
        self, new_secret: str | None = None, *, grace_seconds: float = WEBHOOK_SECRET_GRACE_SECONDS
    ) -> str:
        """Replace the active account's signing secret without dropping deliveries in flight.

        The old secret stays accepted for ``grace_seconds``; the new one is stored first,
        then the sandbox is re-registered. ``ValueError`` for a secret that is too short.
        """
        secret, self.webhook_secret_storage = self.secrets.rotate(
            self.account_label or SANDBOX_ACCOUNT_NAME, new_secret, grace_seconds
        )
        self.refresh_receiver_secrets()
        client = self.client
        if self.is_sandbox and client is not None:
            await self.switcher.register_sandbox_webhook(client.base_url, client.api_key.reveal())
        self.sig_webhook_secret_changed.emit()
        return secret

    # ------------------------------------------------------------------ observers
    def _on_event_stored(self, event: StoredEvent) -> None:
        if not isValid(self):
            return
        self.sig_event_stored.emit(event)
        if self.is_active_account_event(event) and is_website_event(event.type):
            # A burst of website events makes one "projects changed", not one per event.
            self.projects.note_website_event()

    def is_active_account_event(self, event: StoredEvent) -> bool:
        """Whether ``event`` belongs to the active account (events without one belong to any)."""
        return event.account is None or event.account == self.account_label
