"""The sandbox as a child process, for the desktop app (no Qt here: plain asyncio).

The app keeps its own loop responsive by running the sandbox in another process:
``codaiq-desktop sandbox --port 0 --data DIR --ready-json`` prints one JSON line once it
listens, which :meth:`SandboxProcess.start` waits for. ``on_exit`` is called with the
return code when the child ends, expectedly or not, so the app can say so.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from codaiq_desktop.childproc import ChildNotReady, ChildServer, own_command_line
from codaiq_desktop.sandbox.data_dir_lock import LockHolder


class SandboxStartError(RuntimeError):
    """The child process ended or stayed silent before it was listening.

    ``reason`` is one sentence for the user (the child's last line on stderr, never a
    traceback); the message keeps the whole tail for the log.
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or (message.splitlines()[-1] if message else "")


class SandboxFolderInUseError(SandboxStartError):
    """Another process holds the sandbox's data folder (``holder`` says which)."""

    def __init__(self, holder: LockHolder) -> None:
        reason = f"{holder.describe()} Stop it to use the local sandbox here."
        super().__init__(reason, reason)
        self.holder = holder


@dataclass(frozen=True)
class SandboxEndpoint:
    """Where a started sandbox child listens, and its ready-to-use key."""

    base_url: str
    root_url: str
    api_key: str
    pid: int


def sandbox_command(
    data_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    build_seconds: float | None = None,
    documented_only: bool = False,
) -> list[str]:
    """The argv that runs a sandbox from this installation (a frozen app runs itself)."""
    command = [
        *own_command_line(),
        "sandbox",
        "--host",
        host,
        "--port",
        str(port),
        "--data",
        str(data_dir),
        "--ready-json",
        # Stop when this process dies, however it dies (see sandbox.parent_watch).
        "--exit-with-stdin",
        "--parent-pid",
        str(os.getpid()),
    ]
    if build_seconds is not None:
        command += ["--build-seconds", str(build_seconds)]
    if documented_only:
        command.append("--documented-only")
    return command


class SandboxProcess(ChildServer):
    """Start, watch and stop one sandbox child process."""

    def __init__(
        self,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        build_seconds: float | None = None,
        documented_only: bool = False,
        on_exit: Callable[[int], object] | None = None,
    ) -> None:
        super().__init__(on_exit=on_exit)
        self.command = sandbox_command(
            Path(data_dir), host=host, port=port, build_seconds=build_seconds, documented_only=documented_only
        )
        self.endpoint: SandboxEndpoint | None = None

    async def start(self, timeout: float = 30.0) -> SandboxEndpoint:
        """Launch the child and wait until it listens; raises :class:`SandboxStartError` otherwise."""
        if self.running:
            raise RuntimeError("The sandbox process is already running")
        try:
            data = await self.launch(self.command, timeout)
        except ChildNotReady as exc:
            detail = self.stderr_tail or "no output"
            last_line = self.last_stderr_line
            if exc.timed_out:
                reason = f"It did not answer within {timeout:g} seconds."
            elif last_line and not last_line.startswith((" ", "Traceback")) and "Error:" not in last_line:
                reason = last_line
            else:
                reason = f"It ended before it was listening ({exc}). Details are in the log file."
            raise SandboxStartError(f"The sandbox did not start: {detail}", reason) from exc
        self.endpoint = SandboxEndpoint(data["baseUrl"], data["rootUrl"], data["apiKey"], int(data["pid"]))
        return self.endpoint
