"""The local sandbox child process: started, reused, stopped, and watched for crashes.

The embedded sandbox runs as a child process on a data folder only one sandbox may use
at a time. This part starts it (stopping a stale one an earlier app left behind), says
who holds the folder when it cannot, and reports an unexpected exit so the status bar
can offer a restart.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from codaiq_desktop.sandbox.data_dir_lock import LockHolder
    from codaiq_desktop.sandbox.process import SandboxEndpoint, SandboxProcess

log = logging.getLogger(__name__)


class SandboxState:
    """Values of :attr:`SandboxSupervisor.state`."""

    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    CRASHED = "crashed"


class SandboxSupervisor(QObject):
    """Owns the sandbox child process under ``data_dir / "sandbox"``."""

    sig_sandbox_state = Signal(str)
    """The child is ``starting``, ``running``, ``crashed`` or ``stopped`` (:class:`SandboxState`)."""

    sig_crashed = Signal()
    """The child ended without being asked (:attr:`error` says so in words)."""

    def __init__(
        self, data_dir: Path, describe_error: Callable[[BaseException], str], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.folder = data_dir / "sandbox"
        self._describe_error = describe_error
        self.state = SandboxState.STOPPED
        self.error: str | None = None
        self.blocker: LockHolder | None = None
        """The process holding the data folder when the sandbox could not start because of it
        (the status bar then offers "Stop it")."""
        self.process: SandboxProcess | None = None
        self.endpoint: SandboxEndpoint | None = None
        self.documented_only = False
        """Whether the running child answers documented fields only."""
        self.closing = False

    async def start(self, *, documented_only: bool = False) -> SandboxEndpoint:
        """Start (or reuse) the child; returns where it listens and its key."""
        import asyncio

        from codaiq_desktop.sandbox.data_dir_lock import lock_holder_async
        from codaiq_desktop.sandbox.process import SandboxFolderInUseError, SandboxProcess

        if self.process is not None and self.endpoint is not None:
            return self.endpoint
        self._set_state(SandboxState.STARTING)
        self.folder.mkdir(parents=True, exist_ok=True)
        process = SandboxProcess(data_dir=self.folder, on_exit=self._on_exit, documented_only=documented_only)
        self.documented_only = documented_only
        try:
            await self._free_folder()
            endpoint = await process.start()
        except asyncio.CancelledError:
            # The app is closing (or the account changed) mid-start: leave no orphan child.
            with contextlib.suppress(Exception):
                await process.stop()
            self._set_state(SandboxState.STOPPED)
            raise
        except Exception as exc:
            with contextlib.suppress(Exception):
                await process.stop()
            in_use: SandboxFolderInUseError | None = None
            if not isinstance(exc, SandboxFolderInUseError):
                # The child may have lost a race for the folder: say who holds it, if anyone.
                holder = await lock_holder_async(self.folder)
                if holder is not None:
                    self.blocker = holder
                    in_use = SandboxFolderInUseError(holder)
            self.error = f"The local sandbox did not start: {self._describe_error(in_use or exc)}"
            log.error("%s", self.error, exc_info=exc)
            self._set_state(SandboxState.CRASHED)
            if in_use is not None:
                raise in_use from exc
            raise
        self.process = process
        self.endpoint = endpoint
        self.error = None
        self._set_state(SandboxState.RUNNING)
        return endpoint

    async def _free_folder(self) -> None:
        """Stop a stale sandbox of ours on the folder; raise if something else holds it.

        A sandbox child outlives its app only if the app died and the child never noticed
        (an older version, a hung child): nobody uses it, so it is stopped. It counts as
        ours only if the pid holding the folder's lock runs ``codaiq-desktop sandbox
        --data <this folder>`` with the options only the app passes, and the app named
        on its command line is gone. Anything else is left alone, and the user is told
        what holds the folder (:attr:`blocker`: the status bar offers "Stop it").
        """

        from codaiq_desktop.sandbox.data_dir_lock import lock_holder_async, stop_lock_holder
        from codaiq_desktop.sandbox.process import SandboxFolderInUseError

        self.blocker = None
        # Off the GUI thread: where /proc is missing it asks `ps`.
        holder = await lock_holder_async(self.folder)
        if holder is None:
            return
        if holder.is_stale:
            log.warning(
                "Stopping process %d: a sandbox an earlier Codaiq Desktop left running on %s", holder.pid, self.folder
            )
            if await stop_lock_holder(holder):
                log.info("The stale sandbox (process %d) stopped; starting a new one", holder.pid)
                return
            holder = await lock_holder_async(self.folder) or holder
        self.blocker = holder
        raise SandboxFolderInUseError(holder)

    async def stop_blocker(self) -> bool:
        """The user chose "Stop it": stop the sandbox holding the folder.

        Only a Codaiq sandbox on this very folder is stopped (checked again now: a pid
        can be reused). Returns whether the folder is free now (then start again); if
        not, :attr:`error` says why.
        """
        from codaiq_desktop.sandbox.data_dir_lock import stop_lock_holder

        holder = self.blocker
        if holder is not None:
            log.info("Stopping process %d, which holds the sandbox's data folder, at the user's request", holder.pid)
            if not await stop_lock_holder(holder):
                self.error = (
                    f"Process {holder.pid} could not be stopped from here: it is not a Codaiq sandbox on this "
                    "folder any more, or it did not end. Stop it yourself, then choose Restart sandbox."
                )
                self._set_state(SandboxState.CRASHED)
                return False
            self.blocker = None
        return True

    async def register_webhook(self, base_url: str, api_key: str, url: str, secret: str) -> bool:
        """Point the sandbox account's default webhook at ``url`` (a sandbox-only endpoint).

        Returns whether the sandbox accepted it (the reason is logged, never the secret).
        """
        from codaiq_desktop.api.errors import CodaiqError
        from codaiq_desktop.api.sandbox_admin import SandboxAdminClient

        try:
            async with SandboxAdminClient(base_url, api_key) as sandbox:
                await sandbox.set_webhook(url, secret)
        except CodaiqError as exc:
            log.warning("Could not register the webhook with the sandbox: %s", type(exc).__name__)
            return False
        return True

    async def stop(self) -> None:
        process, self.process = self.process, None
        self.endpoint = None
        if process is not None:
            with contextlib.suppress(Exception):
                await process.stop()
            self._set_state(SandboxState.STOPPED)

    def _on_exit(self, returncode: int | None = None) -> None:
        """The child ended without being asked: say so; the status bar offers a restart."""
        if self.process is None or self.closing:
            return
        self.process = None
        self.endpoint = None
        code = f" (exit code {returncode})" if returncode is not None else ""
        self.error = f"The local sandbox stopped unexpectedly{code}. Restart it to continue."
        log.error(self.error)
        self._set_state(SandboxState.CRASHED)
        self.sig_crashed.emit()

    def _set_state(self, state: str) -> None:
        self.state = state
        self.sig_sandbox_state.emit(state)
