"""What every tab is given: the active account's client, the store, the receiver, signals.

``AppServices`` is the one bridge between the Qt-free parts (API client, local sandbox
child process, webhook receiver, SQLite store) and the widgets. It owns their
lifetimes, turns their callbacks into Qt signals, and runs coroutines for the tabs
with :meth:`AppServices.run`, whose callbacks come back on the Qt thread (qasync runs
the asyncio loop there) and never after the widget that asked has gone.

Heavy modules (httpx, uvicorn, the store, and asyncio itself) are imported when first
needed, so the main window shows before any of them has loaded: every method that uses
asyncio runs on the loop, which exists only once the window is up.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from shiboken6 import isValid

from codaiq_desktop.accounts import (
    SANDBOX_ACCOUNT_NAME,
    Account,
    AccountList,
    AccountStore,
    FileStorageNotConfirmedError,
    KeyringUnavailableError,
    KeyStorage,
    KeyVault,
    data_dir,
)
from codaiq_desktop.ui.common.settings import DEFAULT_RECEIVER_PORT, SettingsKeys

if TYPE_CHECKING:
    import asyncio

    import httpx

    from codaiq_desktop.api import CodaiqClient
    from codaiq_desktop.receiver import WebhookReceiver, WebhookSecret
    from codaiq_desktop.sandbox.data_dir_lock import LockHolder
    from codaiq_desktop.sandbox.process import SandboxProcess
    from codaiq_desktop.store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")

#: After a secret change, how long deliveries signed with the old secret are still accepted
#: (long enough for the sandbox's queued retries and a service's propagation delay).
WEBHOOK_SECRET_GRACE_SECONDS = 600.0
#: Website webhooks within this many milliseconds make one :attr:`AppServices.sig_projects_changed`.
PROJECTS_CHANGED_DEBOUNCE_MS = 300


class ConnectionState:
    """Values of :attr:`AppServices.sig_connection_state` (plain strings, for tabs to compare)."""

    NO_ACCOUNT = "no_account"
    CONNECTING = "connecting"
    REACHABLE = "reachable"
    OFFLINE = "offline"
    AUTH_FAILED = "auth_failed"
    RATE_LIMITED = "rate_limited"


class ReceiverState:
    """Values of :attr:`AppServices.sig_receiver_state`."""

    STOPPED = "stopped"
    STARTING = "starting"
    LISTENING = "listening"
    PORT_TAKEN = "port_taken"
    """The chosen port was taken: listening on another one for now (``receiver_error`` says which)."""
    FAILED = "failed"


class SandboxState:
    """Values of :attr:`AppServices.sig_sandbox_state`."""

    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    CRASHED = "crashed"


class ReceiverPortChangeError(Exception):
    """The receiver could not move to the chosen port; it still listens where it was."""


class MissingKeyError(Exception):
    """The account's key is not available now (a session-only key after a restart)."""

    def __init__(self, account: Account) -> None:
        super().__init__(f"Enter the API key for \u201c{account.name}\u201d to connect.")
        self.account = account


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
        self.store: Store | None = None
        self.receiver: WebhookReceiver | None = None
        self.is_sandbox = False
        self.sandbox_root_url: str | None = None
        self.sandbox_process: SandboxProcess | None = None

        self.connection_state = ConnectionState.NO_ACCOUNT
        self.receiver_state = ReceiverState.STOPPED
        self.receiver_error: str | None = None
        self.sandbox_state = SandboxState.STOPPED
        self.sandbox_error: str | None = None
        #: The process holding the sandbox's data folder when the sandbox could not start
        #: because of it (the status bar then offers "Stop it").
        self.sandbox_blocker: LockHolder | None = None
        self.webhook_secret_storage: KeyStorage | None = None
        self.rate_limit: Any = None
        self.resume_at: float = 0.0

        self.projects_note: str | None = None
        """Why the last projects load could not use the service's list (shown by the Projects tab)."""
        self.website_names: dict[str, str] = {}
        """Website id → name of the active account, from the last projects list any tab loaded."""
        self._secret_grace: dict[str, asyncio.TimerHandle] = {}
        """Account name -> the timer that ends its rotation's grace period."""
        self._grace_secrets: dict[str, str] = {}
        """Account name -> its previous secret, still accepted during the grace period."""
        self._projects_changed_timer: QTimer | None = None
        self._projects_load: asyncio.Future[Any] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._unsubscribe: Callable[[], None] | None = None
        self._closing = False

    # ------------------------------------------------------------------ tasks
    def run(
        self,
        coro: Coroutine[Any, Any, T] | Awaitable[T],
        on_success: Callable[[T], Any] | None = None,
        on_error: Callable[[BaseException], Any] | None = None,
        *,
        owner: QObject | None = None,
    ) -> asyncio.Task[T]:
        """Run ``coro`` on the loop; call back on the Qt thread when it ends.

        Callbacks are skipped when the task is cancelled or ``owner`` (a widget) has been
        deleted meanwhile. Errors without ``on_error`` go to the status bar in user words.
        The task is returned so the caller can cancel it.
        """
        import asyncio

        task: asyncio.Task[T] = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def _done(finished: asyncio.Task[T]) -> None:
            self._tasks.discard(finished)
            if finished.cancelled():
                return
            if owner is not None and not isValid(owner):
                return
            exc = finished.exception()
            if exc is None:
                if on_success is not None:
                    on_success(finished.result())
                return
            if on_error is not None:
                on_error(exc)
            else:
                log.error("Background task failed", exc_info=exc)
                self.sig_status_message.emit(self.describe_error(exc))

        task.add_done_callback(_done)
        return task

    def describe_error(self, exc: BaseException) -> str:
        """One sentence a user can act on; the full details go to the log, never to them."""
        try:
            from codaiq_desktop.api import errors
        except ImportError:  # pragma: no cover - the client is always installed with the app
            errors = None  # type: ignore[assignment]
        if errors is not None and isinstance(exc, errors.CodaiqError):
            if isinstance(exc, errors.NetworkError) and self.is_sandbox:
                return f"{exc} The local sandbox may have stopped; restart it from the status bar."
            return str(exc)
        if isinstance(exc, (KeyringUnavailableError, FileStorageNotConfirmedError, MissingKeyError, ReceiverPortChangeError)):
            return str(exc)
        from codaiq_desktop.sandbox.process import SandboxStartError

        if isinstance(exc, SandboxStartError):
            return exc.reason
        if isinstance(exc, TimeoutError):  # asyncio's too (the same class since 3.11)
            return "The operation took too long and was stopped. Try again."
        if isinstance(exc, PermissionError):
            return f"Permission denied for {exc.filename or 'a file'}. Choose another folder."
        if isinstance(exc, OSError):
            where = f" ({exc.filename})" if exc.filename else ""
            return f"A file operation failed{where}: {exc.strerror or exc}."
        log.error("Unexpected error shown to the user", exc_info=exc)
        return f"Something unexpected went wrong ({type(exc).__name__}). Details are in the log file."

    # ------------------------------------------------------------------ start / stop
    async def start(self, *, store_path: Path | None = None) -> None:
        """Open the store and start the webhook receiver. Accounts are activated separately."""
        await self.open_store(store_path)
        await self.adopt_unfiled_records()
        await self.start_receiver()

    async def rename_account_records(self, old_name: str, new_name: str) -> None:
        """An account was renamed: its webhook secret and its stored leads and events follow."""
        import asyncio
        import dataclasses

        self.vault.rename_webhook_secret(old_name, new_name, in_file=self._secret_in_file(old_name))
        if self.account is not None and self.account.name == old_name:
            self.account = dataclasses.replace(self.account, name=new_name)  # the new label from now on
        if old_name in self._grace_secrets:
            self._grace_secrets[new_name] = self._grace_secrets.pop(old_name)
        if old_name in self._secret_grace:
            self._secret_grace[new_name] = self._secret_grace.pop(old_name)
        if self.store is not None and hasattr(self.store, "relabel_account"):
            await asyncio.to_thread(self.store.relabel_account, old_name, new_name)

    async def adopt_unfiled_records(self) -> None:
        """File events and leads stored without an account under the last active one.

        A store from before accounts were told apart (one secret for all), or events the
        headless ``listen`` command stored, carry no account; the account that was in use
        is the best owner there is, and then every tab that shows one account shows them.
        """
        import asyncio

        store = self.store
        relabel = getattr(store, "relabel_account", None)
        if relabel is None:
            return
        owner = self.accounts.active or SANDBOX_ACCOUNT_NAME
        try:
            moved = await asyncio.to_thread(relabel, None, owner)
        except Exception as exc:
            log.warning("Could not file earlier leads under an account", exc_info=exc)
            return
        if moved:
            log.info("Filed %d earlier leads under the active account", moved)

    async def open_store(self, path: Path | None = None) -> None:
        import asyncio

        from codaiq_desktop.store import EventBus, Store

        target = path or (self.data_dir / "store.sqlite3")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Opening migrates the schema in the store's writer thread; off the loop.
        self.store = await asyncio.to_thread(Store, target, bus=EventBus())
        self._unsubscribe = self.store.bus.subscribe(self._on_event_stored)

    @property
    def receiver_port(self) -> int:
        """The port the user chose for the receiver (``0``: any free port)."""
        value = self.settings.value(SettingsKeys.RECEIVER_PORT, DEFAULT_RECEIVER_PORT)
        try:
            port = int(str(value))
        except ValueError:
            return DEFAULT_RECEIVER_PORT
        return port if 0 <= port <= 65535 else DEFAULT_RECEIVER_PORT

    async def start_receiver(self) -> None:
        """Listen for webhooks on loopback, on the chosen port.

        A taken port does not cost the live updates: the receiver listens on a free port
        for now (the sandbox is told the new URL), and the state says ``port_taken`` with
        a sentence naming both ports, so a user whose service sends to the chosen port
        knows to pick another one.
        """
        if self.store is None:
            raise RuntimeError("open_store() first")
        from codaiq_desktop.receiver import PortInUseError, WebhookReceiver

        self._set_receiver_state(ReceiverState.STARTING)
        self.webhook_secret_storage = self.webhook_secret()[1]
        secrets = self.receiver_secrets()
        port = self.receiver_port
        state = ReceiverState.LISTENING
        error: str | None = None
        try:
            self.receiver = WebhookReceiver(self.store, secrets=secrets, host="127.0.0.1", port=port)
            try:
                await self.receiver.start()
            except PortInUseError as exc:
                log.warning("Receiver port %s in use; listening on a free port for now", port)
                self.receiver = WebhookReceiver(self.store, secrets=secrets, host="127.0.0.1", port=0)
                await self.receiver.start()
                state = ReceiverState.PORT_TAKEN
                free = f" (port {exc.suggested_port} is free)" if exc.suggested_port else ""
                error = (
                    f"Port {port} is used by another program, so webhooks are received on port "
                    f"{self.receiver.port} for now. Choose another port{free} and enter the new URL "
                    "in your projects' webhook settings."
                )
        except Exception as exc:
            log.error("Webhook receiver failed to start", exc_info=exc)
            self.receiver = None
            self.receiver_error = self.describe_error(exc)
            self._set_receiver_state(ReceiverState.FAILED)
            return
        self.receiver_error = error
        self._set_receiver_state(state)

    async def change_receiver_port(self, port: int) -> None:
        """Move the receiver to ``port`` (``0``: any free port) and remember the choice.

        The new port is bound before the old one is let go: a taken port raises
        :class:`ReceiverPortChangeError` and changes nothing (the receiver keeps working where
        it was). The sandbox is told the new URL.
        """
        if not 0 <= port <= 65535:
            raise ValueError("Choose a port between 1 and 65535 (or 0 for any free port).")
        old = self.receiver
        if old is None or self.store is None:
            self.settings.setValue(SettingsKeys.RECEIVER_PORT, port)
            await self.start_receiver()  # with every account's secret, and any still in grace
        elif port != 0 and old.port == port:
            self.settings.setValue(SettingsKeys.RECEIVER_PORT, port)  # already there (a fallback now chosen)
        else:
            from codaiq_desktop.receiver import PortInUseError, WebhookReceiver

            new = WebhookReceiver(self.store, secrets=self.receiver_secrets(), host="127.0.0.1", port=port)
            try:
                await new.start()
            except PortInUseError as exc:
                free = f" Port {exc.suggested_port} is free." if exc.suggested_port else ""
                raise ReceiverPortChangeError(
                    f"Port {port} is used by another program, so the receiver stays on port {old.port}.{free}"
                ) from exc
            self.receiver = new
            self.settings.setValue(SettingsKeys.RECEIVER_PORT, port)
            with contextlib.suppress(Exception):
                await old.stop()
            self.receiver_error = None
            self._set_receiver_state(ReceiverState.LISTENING)
        client = self.client
        if self.is_sandbox and client is not None and self.receiver is not None:
            await self._register_sandbox_webhook(client.base_url, client.api_key.reveal())

    async def aclose(self) -> None:
        """Stop everything this object started (client, receiver, sandbox, store)."""
        import asyncio

        self._closing = True
        for handle in self._secret_grace.values():
            handle.cancel()
        self._secret_grace.clear()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._close_client()
        if self.receiver is not None:
            with contextlib.suppress(Exception):
                await self.receiver.stop()
            self.receiver = None
        await self.stop_sandbox()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.store is not None:
            close = getattr(self.store, "aclose", None) or getattr(self.store, "close", None)
            if close is not None:
                result = close()
                if asyncio.iscoroutine(result):
                    await result
            self.store = None

    # ------------------------------------------------------------------ accounts
    def save_accounts(self) -> None:
        """Persist the account list; the receiver then accepts exactly these accounts' secrets."""
        self.account_store.save(self.accounts)
        self.refresh_receiver_secrets()

    async def activate_saved(self) -> None:
        """Connect the account that was active last time (the sandbox if none)."""
        account = self.accounts.active_account
        if account is None or account.is_sandbox:
            await self.use_sandbox()
        else:
            await self.use_account(account)

    async def use_sandbox(self) -> None:
        """Start the local sandbox child process (if needed) and make it the active account."""
        saved = self.accounts.get(SANDBOX_ACCOUNT_NAME)
        sandbox = saved if saved is not None and saved.is_sandbox else Account.sandbox()
        if self.accounts.get(sandbox.name) is None:
            self.accounts.upsert(sandbox)
        self.accounts.active = sandbox.name
        self.save_accounts()
        if self.sandbox_process is not None and self._sandbox_mode != sandbox.documented_only:
            await self.stop_sandbox()  # running in the other mode
        info = await self.start_sandbox(documented_only=sandbox.documented_only)
        await self.activate(sandbox, info["apiKey"], base_url=info["baseUrl"], sandbox_root_url=info["rootUrl"])

    async def use_account(self, account: Account, api_key: str | None = None) -> None:
        """Make a remote account active. Raises :class:`MissingKeyError` if its key is unknown."""
        key = api_key or self.vault.get_key(account)
        if not key:
            raise MissingKeyError(account)
        self.accounts.active = account.name
        self.save_accounts()
        await self.stop_sandbox()
        await self.activate(account, key)

    async def activate(
        self,
        account: Account,
        api_key: str,
        *,
        base_url: str | None = None,
        sandbox_root_url: str | None = None,
    ) -> None:
        """Swap the client for ``account`` and tell every tab; then check the connection."""
        from codaiq_desktop.api import CodaiqClient

        await self._close_client()
        self.account = account
        self.webhook_secret_storage = self.webhook_secret()[1]
        self.refresh_receiver_secrets()
        if self.website_names:
            self.website_names = {}
            self.sig_website_names.emit()
        self.is_sandbox = account.is_sandbox
        self.sandbox_root_url = sandbox_root_url if account.is_sandbox else None
        self.rate_limit = None
        self._set_resume_at(0.0)
        url = base_url or account.base_url
        self.client = CodaiqClient(
            url, api_key, transport=self._observing_transport(), on_rate_limit=self._on_client_rate_limit
        )
        self._set_connection_state(ConnectionState.CONNECTING)
        self.sig_account_changed.emit(account)
        if account.is_sandbox:
            await self._register_sandbox_webhook(url, api_key)
        self.run(self.check_connection(), on_error=lambda exc: None)

    def remember_projects(self, projects: list[Any]) -> None:
        """Keep the website names of a freshly loaded projects list, for tabs that show only ids.

        Tabs that load the list call this, so one load serves every tab (the Events tab
        names sites without asking the service again).
        """
        names = {
            website.id: website.name or website.domain or website.id
            for project in projects
            for website in project.websites
            if website.id is not None
        }
        if names != self.website_names:
            self.website_names = names
            self.sig_website_names.emit()

    async def load_projects(self, *, fresh: bool = False) -> list[Any]:
        """The active account's projects; callers at the same moment share one request.

        Several tabs want the list when an account connects (names for filters and
        columns); one call serves them all, and the names are remembered for the rest.
        Cancelling one caller does not cancel the others' request. ``fresh`` starts a new
        request even if one is in flight (after a change, an older answer is stale).
        """
        import asyncio

        client = self.client
        if client is None:
            raise RuntimeError("No account is connected; choose one under Account first.")
        shared = self._projects_load
        if fresh or shared is None or shared.done() or shared.client is not client:  # type: ignore[attr-defined]
            shared = asyncio.ensure_future(self._load_known_projects(client))
            shared.client = client  # type: ignore[attr-defined]
            shared.add_done_callback(_retrieve_exception)
            self._projects_load = shared
        projects = list(await asyncio.shield(shared))
        if client is self.client:
            self.remember_projects(projects)
        return projects

    async def _load_known_projects(self, client: CodaiqClient) -> list[Any]:
        """The service's list completed with the sites this app generated (``known_projects``)."""
        import asyncio

        from codaiq_desktop.known_projects import load_known_projects

        store, account = self.store, self.account_label
        generated = await asyncio.to_thread(store.generated_sites, account) if store is not None else []
        known = await load_known_projects(client, generated)
        if store is not None and known.learned_domains:
            await asyncio.to_thread(_save_domains, store, account, known.learned_domains)
        if client is self.client:
            self.projects_note = known.list_note
        return known.projects

    async def record_generated(self, result: Any, prompt: str, name: str | None) -> None:
        """Keep a ``generate`` result in the store's registry: the ids the docs promise only there."""
        import asyncio
        import datetime as dt

        from codaiq_desktop.store import GeneratedSite

        if self.store is None:
            return
        site = GeneratedSite(
            account=self.account_label,
            project_id=result.project_id,
            website_id=result.website_id,
            prompt=prompt,
            name=name or None,
            created_at=dt.datetime.now(dt.UTC),
        )
        await asyncio.to_thread(self.store.record_generated_site, site)

    async def note_site_domain(self, website_id: str, domain: str) -> None:
        """The service named a generated site's domain: keep it, to find the site in id-less lists."""
        import asyncio

        if self.store is not None and domain:
            await asyncio.to_thread(self.store.set_generated_site_domain, self.account_label, website_id, domain)

    @property
    def sandbox_documented_only(self) -> bool:
        """The active account is the local sandbox answering with only documented fields."""
        return self.is_sandbox and self.account is not None and self.account.documented_only

    async def set_sandbox_documented_only(self, enabled: bool) -> None:
        """Switch the local sandbox's documented-only mode; a running sandbox restarts in it."""
        import dataclasses

        saved = self.accounts.get(SANDBOX_ACCOUNT_NAME)
        current = saved if saved is not None and saved.is_sandbox else Account.sandbox()
        if current.documented_only == enabled and self._sandbox_mode == enabled:
            return
        self.accounts.upsert(dataclasses.replace(current, documented_only=enabled))
        self.save_accounts()
        if self.is_sandbox:
            await self.stop_sandbox()
            await self.use_sandbox()

    async def load_website_names(self) -> dict[str, str]:
        """Load the projects list only for its names (when no tab has loaded it yet)."""
        if self.client is not None:
            await self.load_projects()
        return self.website_names

    async def check_connection(self) -> None:
        """One cheap call: its response (or failure) sets the connection state."""
        if self.client is None:
            return
        await self.client.list_projects()

    async def _close_client(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.aclose()

    # ------------------------------------------------------------------ local sandbox
    _sandbox_mode: bool = False
    """Whether the running sandbox child answers documented fields only."""

    async def start_sandbox(self, *, documented_only: bool = False) -> dict[str, Any]:
        """Start (or reuse) the sandbox child process; returns its ready JSON."""
        import asyncio

        from codaiq_desktop.sandbox.data_dir_lock import lock_holder
        from codaiq_desktop.sandbox.process import SandboxFolderInUseError, SandboxProcess

        if self.sandbox_process is not None and self._sandbox_info is not None:
            return self._sandbox_info
        self._set_sandbox_state(SandboxState.STARTING)
        sandbox_dir = self.data_dir / "sandbox"
        sandbox_dir.mkdir(parents=True, exist_ok=True)
        process = SandboxProcess(data_dir=sandbox_dir, on_exit=self._on_sandbox_exit, documented_only=documented_only)
        self._sandbox_mode = documented_only
        try:
            await self._free_sandbox_folder(sandbox_dir)
            info = await process.start()
        except asyncio.CancelledError:
            # The app is closing (or the account changed) mid-start: leave no orphan child.
            with contextlib.suppress(Exception):
                await process.stop()
            self._set_sandbox_state(SandboxState.STOPPED)
            raise
        except Exception as exc:
            with contextlib.suppress(Exception):
                await process.stop()
            in_use: SandboxFolderInUseError | None = None
            if not isinstance(exc, SandboxFolderInUseError):
                # The child may have lost a race for the folder: say who holds it, if anyone.
                holder = await asyncio.to_thread(lock_holder, sandbox_dir)
                if holder is not None:
                    self.sandbox_blocker = holder
                    in_use = SandboxFolderInUseError(holder)
            self.sandbox_error = f"The local sandbox did not start: {self.describe_error(in_use or exc)}"
            log.error("%s", self.sandbox_error, exc_info=exc)
            self._set_sandbox_state(SandboxState.CRASHED)
            if in_use is not None:
                raise in_use from exc
            raise
        self.sandbox_process = process
        self._sandbox_info = _ready_info(info)
        self.sandbox_error = None
        self._set_sandbox_state(SandboxState.RUNNING)
        return self._sandbox_info

    _sandbox_info: dict[str, Any] | None = None

    async def _free_sandbox_folder(self, sandbox_dir: Path) -> None:
        """Stop a stale sandbox of ours on the folder; raise if something else holds it.

        A sandbox child outlives its app only if the app died and the child never noticed
        (an older version, a hung child): nobody uses it, so it is stopped. It counts as
        ours only if the pid holding the folder's lock runs ``codaiq-desktop sandbox
        --data <this folder>`` with the options only the app passes, and the app named
        on its command line is gone. Anything else is left alone, and the user is told
        what holds the folder (:attr:`sandbox_blocker`: the status bar offers "Stop it").
        """
        import asyncio

        from codaiq_desktop.sandbox.data_dir_lock import lock_holder, stop_lock_holder
        from codaiq_desktop.sandbox.process import SandboxFolderInUseError

        self.sandbox_blocker = None
        # Off the GUI thread: where /proc is missing it asks `ps`.
        holder = await asyncio.to_thread(lock_holder, sandbox_dir)
        if holder is None:
            return
        if holder.is_stale:
            log.warning(
                "Stopping process %d: a sandbox an earlier Codaiq Desktop left running on %s", holder.pid, sandbox_dir
            )
            if await stop_lock_holder(holder):
                log.info("The stale sandbox (process %d) stopped; starting a new one", holder.pid)
                return
            holder = await asyncio.to_thread(lock_holder, sandbox_dir) or holder
        self.sandbox_blocker = holder
        raise SandboxFolderInUseError(holder)

    async def stop_blocking_sandbox(self) -> None:
        """The user chose "Stop it": stop the sandbox holding the folder, then start ours.

        Only a Codaiq sandbox on this very folder is stopped (checked again now: a pid
        can be reused); otherwise the reason is shown again.
        """
        from codaiq_desktop.sandbox.data_dir_lock import stop_lock_holder

        holder = self.sandbox_blocker
        if holder is not None:
            log.info("Stopping process %d, which holds the sandbox's data folder, at the user's request", holder.pid)
            if not await stop_lock_holder(holder):
                self.sandbox_error = (
                    f"Process {holder.pid} could not be stopped from here: it is not a Codaiq sandbox on this "
                    "folder any more, or it did not end. Stop it yourself, then choose Restart sandbox."
                )
                self._set_sandbox_state(SandboxState.CRASHED)
                return
            self.sandbox_blocker = None
        await self.restart_sandbox()

    async def restart_sandbox(self) -> None:
        """After a crash: start a fresh child and reconnect the sandbox account."""
        await self.stop_sandbox()
        await self.use_sandbox()

    async def stop_sandbox(self) -> None:
        process, self.sandbox_process = self.sandbox_process, None
        self._sandbox_info = None
        if process is not None:
            with contextlib.suppress(Exception):
                await process.stop()
            self._set_sandbox_state(SandboxState.STOPPED)

    def _on_sandbox_exit(self, returncode: int | None = None, *_: Any) -> None:
        """The child ended without being asked: say so; the status bar offers a restart."""
        if self.sandbox_process is None or self._closing:
            return
        self.sandbox_process = None
        self._sandbox_info = None
        code = f" (exit code {returncode})" if returncode is not None else ""
        self.sandbox_error = f"The local sandbox stopped unexpectedly{code}. Restart it to continue."
        log.error(self.sandbox_error)
        self._set_sandbox_state(SandboxState.CRASHED)
        if self.is_sandbox:
            self._set_connection_state(ConnectionState.OFFLINE)

    async def _register_sandbox_webhook(self, base_url: str, api_key: str) -> bool:
        """Point the sandbox account's default webhook at our receiver (sandbox-only endpoint).

        Returns whether the sandbox accepted it; on failure the status bar says live
        updates are off (the tabs still poll).
        """
        if self.receiver is None:
            return False
        import httpx

        secret, _ = self.vault.webhook_secret(SANDBOX_ACCOUNT_NAME)
        try:
            async with httpx.AsyncClient(timeout=10.0) as http:
                response = await http.put(
                    f"{base_url}/sandbox/webhook",
                    json={"url": self.receiver.url, "secret": secret},
                    headers={"X-API-Key": api_key},
                )
                response.raise_for_status()
        except httpx.HTTPError as exc:
            log.warning("Could not register the webhook with the sandbox: %s", type(exc).__name__)
            self.sig_status_message.emit("Live updates are off: the sandbox did not accept the webhook URL.")
            return False
        return True

    # ------------------------------------------------------------------ webhook secret
    @property
    def account_label(self) -> str | None:
        """What the store files the active account's events and leads under (its name)."""
        return self.account.name if self.account is not None else None

    def webhook_secret(self) -> tuple[str, KeyStorage]:
        """The active account's signing secret and where it is kept (the sandbox's if none)."""
        label = self.account_label
        return self.vault.webhook_secret(label, in_file=self._secret_in_file(label))

    def _secret_in_file(self, name: str | None) -> bool:
        """Without a keyring, an account whose API key the user put in the 0600 key file
        keeps its webhook secret there too (else it would be new after every restart)."""
        account = self.accounts.get(name) if name else None
        if account is None and self.account is not None and self.account.name == name:
            account = self.account
        return account is not None and account.key_storage is KeyStorage.FILE

    def receiver_secrets(self) -> list[WebhookSecret]:
        """One secret per account (a rotating one's previous secret too), each labelled.

        The receiver accepts them all, so an account that is not the active one still
        gets its leads stored; the label the signature matched files them under it.
        """
        from codaiq_desktop.receiver import WebhookSecret

        names = [SANDBOX_ACCOUNT_NAME]
        names += [account.name for account in self.accounts.accounts if account.name not in names]
        if self.account is not None and self.account.name not in names:
            names.append(self.account.name)
        entries = [
            WebhookSecret(self.vault.webhook_secret(name, in_file=self._secret_in_file(name))[0], name)
            for name in names
        ]
        entries += [WebhookSecret(old, name) for name, old in self._grace_secrets.items() if name in names]
        return entries

    def refresh_receiver_secrets(self) -> None:
        if self.receiver is not None:
            self.receiver.set_secrets(self.receiver_secrets())

    async def rotate_webhook_secret(
        self, new_secret: str | None = None, *, grace_seconds: float = WEBHOOK_SECRET_GRACE_SECONDS
    ) -> str:
        """Replace the active account's signing secret without dropping deliveries in flight.

        Deliveries already signed (queued sandbox retries, a service that has not picked
        up the change yet) still carry the old signature, so the receiver accepts both
        secrets for ``grace_seconds``; the new one is stored first (keyring or this
        session), then the sandbox is re-registered, then the old one is dropped. Returns
        the new secret. ``ValueError`` for a secret that is too short (a sentence).
        """
        import asyncio

        name = self.account_label or SANDBOX_ACCOUNT_NAME
        in_file = self._secret_in_file(name)
        old, _ = self.vault.webhook_secret(name, in_file=in_file)
        secret, storage = self.vault.set_webhook_secret(new_secret, name, in_file=in_file)
        self.webhook_secret_storage = storage
        self._grace_secrets[name] = old
        self.refresh_receiver_secrets()
        client = self.client
        if self.is_sandbox and client is not None:
            await self._register_sandbox_webhook(client.base_url, client.api_key.reveal())
        self.sig_webhook_secret_changed.emit()
        previous = self._secret_grace.pop(name, None)
        if previous is not None:
            previous.cancel()
        self._secret_grace[name] = asyncio.get_running_loop().call_later(grace_seconds, self._end_secret_grace, old)
        return secret

    def _end_secret_grace(self, old_secret: str) -> None:
        """The grace period is over: only the account's current secret is accepted from now on.

        Found by the secret, not the account's name, which may have changed meanwhile."""
        for name in [name for name, secret in self._grace_secrets.items() if secret == old_secret]:
            del self._grace_secrets[name]
            self._secret_grace.pop(name, None)
        self.refresh_receiver_secrets()

    # ------------------------------------------------------------------ observers
    def _observing_transport(self) -> httpx.AsyncBaseTransport:
        from codaiq_desktop.ui.common.observing_transport import ObservingTransport

        return ObservingTransport(on_response=self._on_response, on_failure=self._on_transport_error)

    def _on_event_stored(self, event: Any) -> None:
        # The store calls back on the loop thread, which qasync makes the Qt thread.
        if not isValid(self):
            return
        self.sig_event_stored.emit(event)
        if not self.is_active_account_event(event):
            return
        if str(getattr(event, "type", "")).startswith("website."):
            # A burst of website events makes one "projects changed", not one per event:
            # every tab that listens reloads the projects list.
            if self._projects_changed_timer is None:
                timer = QTimer(self)
                timer.setSingleShot(True)
                timer.setInterval(PROJECTS_CHANGED_DEBOUNCE_MS)
                timer.timeout.connect(self.sig_projects_changed)
                self._projects_changed_timer = timer
            if not self._projects_changed_timer.isActive():
                self._projects_changed_timer.start()

    def is_active_account_event(self, event: Any) -> bool:
        """Whether ``event`` belongs to the active account (events without one belong to any)."""
        account = getattr(event, "account", None)
        return account is None or account == self.account_label

    def _on_client_rate_limit(self, info: Any, *_: Any) -> None:
        if info is None or not isValid(self):
            return
        self.rate_limit = info
        self.sig_rate_limit.emit(info)

    def _on_response(self, status_code: int, headers: httpx.Headers) -> None:
        if not isValid(self) or self._closing:
            return
        if status_code == 429:
            retry_after = _parse_retry_after(headers.get("retry-after"))
            self._set_resume_at(time.time() + retry_after)
            self._set_connection_state(ConnectionState.RATE_LIMITED)
            return
        self._set_resume_at(0.0)
        if status_code == 401:
            self._set_connection_state(ConnectionState.AUTH_FAILED)
        elif status_code < 500 or status_code in (500, 501):
            self._set_connection_state(ConnectionState.REACHABLE)
        else:
            # 502/503/504: a proxy answered but the service did not.
            self._set_connection_state(ConnectionState.OFFLINE)

    def _on_transport_error(self, exc: BaseException | None = None) -> None:
        if isValid(self) and not self._closing:
            self._set_connection_state(ConnectionState.OFFLINE)

    def _set_connection_state(self, state: str) -> None:
        if state != self.connection_state:
            self.connection_state = state
            self.sig_connection_state.emit(state)

    def _set_receiver_state(self, state: str) -> None:
        self.receiver_state = state
        self.sig_receiver_state.emit(state)

    def _set_sandbox_state(self, state: str) -> None:
        self.sandbox_state = state
        self.sig_sandbox_state.emit(state)

    def _set_resume_at(self, when: float) -> None:
        if when != self.resume_at:
            self.resume_at = when
            self.sig_rate_limit_wait.emit(when)


def _save_domains(store: Any, account: str | None, domains: dict[str, str]) -> None:
    """Keep the domains a projects load learned for generated sites (runs off the UI thread)."""
    for website_id, domain in domains.items():
        store.set_generated_site_domain(account, website_id, domain)


def _retrieve_exception(future: asyncio.Future[Any]) -> None:
    """A shared load whose every caller was cancelled: its error is nobody's to report."""
    if not future.cancelled():
        future.exception()


def _parse_retry_after(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 1.0
    except ValueError:
        return 1.0


def _ready_info(info: Any) -> dict[str, Any]:
    """The sandbox's ready line, as a dict, whatever shape the process object returns."""
    if isinstance(info, dict):
        return info
    return {
        "baseUrl": getattr(info, "base_url", None) or info.baseUrl,
        "rootUrl": getattr(info, "root_url", None) or info.rootUrl,
        "apiKey": getattr(info, "api_key", None) or info.apiKey,
    }
