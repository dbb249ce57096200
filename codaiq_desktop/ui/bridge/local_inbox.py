"""The store and the webhook receiver that fills it, wired to the Qt thread.

The store opens (and migrates) off the UI thread; the receiver listens on loopback on
the port the user chose, or on a free one when that port is taken, so live updates
keep working while the user picks another port. Every stored event is re-emitted as a
Qt signal.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from shiboken6 import isValid

from codaiq_desktop.ui.bridge.errors import ReceiverPortChangeError
from codaiq_desktop.ui.common.settings import DEFAULT_RECEIVER_PORT, SettingsKeys

if TYPE_CHECKING:
    from codaiq_desktop.receiver import WebhookReceiver, WebhookSecret
    from codaiq_desktop.store import Store, StoredEvent
    from codaiq_desktop.ui.common.store_reader import StoreReader

log = logging.getLogger(__name__)


class ReceiverState:
    """Values of :attr:`LocalInbox.receiver_state`."""

    STOPPED = "stopped"
    STARTING = "starting"
    LISTENING = "listening"
    PORT_TAKEN = "port_taken"
    """The chosen port was taken: listening on another one for now (``receiver_error`` says which)."""
    FAILED = "failed"


class LocalInbox(QObject):
    """Owns the store (``data_dir / "store.sqlite3"`` unless told otherwise) and its receiver."""

    sig_event_stored = Signal(object)
    """A webhook event was stored (a ``StoredEvent``), delivered on the Qt thread after commit."""

    sig_receiver_state = Signal(str)
    """The receiver is ``starting``, ``listening``, ``port_taken``, ``failed`` or ``stopped``."""

    def __init__(
        self,
        settings: QSettings,
        data_dir: Path,
        describe_error: Callable[[BaseException], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._data_dir = data_dir
        self._describe_error = describe_error
        self.store: Store | None = None
        self.receiver: WebhookReceiver | None = None
        self.receiver_state = ReceiverState.STOPPED
        self.receiver_error: str | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._reader: StoreReader[Store] | None = None

    @property
    def reader(self) -> StoreReader[Store] | None:
        """Reads of the store off the UI thread, for whoever needs one outside the Leads and
        Events tabs (which have their own): one worker, made on first use."""
        store = self.store
        if store is None:
            return None
        if self._reader is None or self._reader.store is not store:
            from codaiq_desktop.ui.common.store_reader import StoreReader

            if self._reader is not None:
                self._reader.close()
            self._reader = StoreReader(store, self, name="local-store-reader")
        return self._reader

    async def open_store(self, path: Path | None = None) -> None:
        from codaiq_desktop.store import EventBus, Store

        target = path or (self._data_dir / "store.sqlite3")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Opening migrates the schema in the store's writer thread; off the loop.
        self.store = await Store.open_async(target, EventBus())
        self._unsubscribe = self.store.bus.subscribe(self._on_event_stored)

    def _on_event_stored(self, event: StoredEvent) -> None:
        # The store calls back on the loop thread, which qasync makes the Qt thread.
        if isValid(self):
            self.sig_event_stored.emit(event)

    @property
    def receiver_port(self) -> int:
        """The port the user chose for the receiver (``0``: any free port)."""
        value = self._settings.value(SettingsKeys.RECEIVER_PORT, DEFAULT_RECEIVER_PORT)
        try:
            port = int(str(value))
        except ValueError:
            return DEFAULT_RECEIVER_PORT
        return port if 0 <= port <= 65535 else DEFAULT_RECEIVER_PORT

    async def start_receiver(self, secrets: Sequence[WebhookSecret]) -> None:
        """Listen for webhooks on loopback, on the chosen port.

        A taken port does not cost the live updates: the receiver listens on a free port
        for now, and the state says ``port_taken`` with a sentence naming both ports, so a
        user whose service sends to the chosen port knows to pick another one.
        """
        if self.store is None:
            raise RuntimeError("open_store() first")
        from codaiq_desktop.receiver import PortInUseError, WebhookReceiver

        self._set_receiver_state(ReceiverState.STARTING)
        port = self.receiver_port
        state = ReceiverState.LISTENING
        error: str | None = None
        try:
            self.receiver = WebhookReceiver(self.store, secrets=list(secrets), host="127.0.0.1", port=port)
            try:
                await self.receiver.start()
            except PortInUseError as exc:
                log.warning("Receiver port %s in use; listening on a free port for now", port)
                self.receiver = WebhookReceiver(self.store, secrets=list(secrets), host="127.0.0.1", port=0)
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
            self.receiver_error = self._describe_error(exc)
            self._set_receiver_state(ReceiverState.FAILED)
            return
        self.receiver_error = error
        self._set_receiver_state(state)

    async def change_receiver_port(self, port: int, secrets: Sequence[WebhookSecret]) -> None:
        """Move the receiver to ``port`` (``0``: any free port) and remember the choice.

        The new port is bound before the old one is let go: a taken port raises
        :class:`ReceiverPortChangeError` and changes nothing (the receiver keeps working
        where it was).
        """
        if not 0 <= port <= 65535:
            raise ValueError("Choose a port between 1 and 65535 (or 0 for any free port).")
        old = self.receiver
        if old is None or self.store is None:
            self._settings.setValue(SettingsKeys.RECEIVER_PORT, port)
            await self.start_receiver(secrets)
        elif port != 0 and old.port == port:
            self._settings.setValue(SettingsKeys.RECEIVER_PORT, port)  # already there (a fallback now chosen)
        else:
            from codaiq_desktop.receiver import PortInUseError, WebhookReceiver

            new = WebhookReceiver(self.store, secrets=list(secrets), host="127.0.0.1", port=port)
            try:
                await new.start()
            except PortInUseError as exc:
                free = f" Port {exc.suggested_port} is free." if exc.suggested_port else ""
                raise ReceiverPortChangeError(
                    f"Port {port} is used by another program, so the receiver stays on port {old.port}.{free}"
                ) from exc
            self.receiver = new
            self._settings.setValue(SettingsKeys.RECEIVER_PORT, port)
            with contextlib.suppress(Exception):
                await old.stop()
            self.receiver_error = None
            self._set_receiver_state(ReceiverState.LISTENING)

    async def relabel(self, old: str | None, new: str) -> int:
        """File the events and leads stored under account ``old`` under ``new``; how many leads moved."""
        if self.store is None:
            return 0
        return await self.store.relabel_account_async(old, new)

    async def adopt_unfiled_records(self, owner: str) -> None:
        """File events and leads stored without an account under ``owner`` (the last active one).

        A store from before accounts were told apart (one secret for all), or events the
        headless ``listen`` command stored, carry no account; the account that was in use
        is the best owner there is, and then every tab that shows one account shows them.
        """
        try:
            moved = await self.relabel(None, owner)
        except Exception as exc:
            log.warning("Could not file earlier leads under an account", exc_info=exc)
            return
        if moved:
            log.info("Filed %d earlier leads under the active account", moved)

    async def stop_receiver(self) -> None:
        """Stop listening (a team inbox server receives the active account's webhooks)."""
        receiver, self.receiver = self.receiver, None
        if receiver is not None:
            with contextlib.suppress(Exception):
                await receiver.stop()
            self.receiver_error = None
            self._set_receiver_state(ReceiverState.STOPPED)

    def set_secrets(self, secrets: Sequence[WebhookSecret]) -> None:
        if self.receiver is not None:
            self.receiver.set_secrets(secrets)

    async def aclose(self) -> None:
        """Stop the receiver, then close the store."""
        if self.receiver is not None:
            with contextlib.suppress(Exception):
                await self.receiver.stop()
            self.receiver = None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self.store is not None:
            self.store.close()
            self.store = None

    def _set_receiver_state(self, state: str) -> None:
        self.receiver_state = state
        self.sig_receiver_state.emit(state)
