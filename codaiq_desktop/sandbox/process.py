"""The sandbox as a child process, for the desktop app (no Qt here: plain asyncio).

The app keeps its own loop responsive by running the sandbox in another process:
``codaiq-desktop sandbox --port 0 --data DIR --ready-json`` prints one JSON line once it
listens, which :meth:`SandboxProcess.start` waits for. ``on_exit`` is called with the
return code when the child ends, expectedly or not, so the app can say so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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


def _frozen_console_executable(executable: Path, platform: str) -> Path:
    """The bundled executable whose standard output reaches a parent.

    On Windows the bundle's ``codaiq-desktop.exe`` is a windowed program with no usable
    stdout, so the ready line could never arrive; its console twin
    ``codaiq-desktop-cli.exe`` beside it runs the sandbox instead (started with no
    window, see :data:`CHILD_CREATION_FLAGS`). Elsewhere one executable does both.
    """
    if platform == "win32" and not executable.stem.endswith("-cli"):
        console = executable.with_name(f"{executable.stem}-cli{executable.suffix}")
        if console.exists():
            return console
    return executable


#: On Windows, a console child would flash a console window up: start it without one.
CHILD_CREATION_FLAGS = getattr(subprocess, "CREATE_NO_WINDOW", 0)


def sandbox_command(
    data_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    build_seconds: float | None = None,
    documented_only: bool = False,
) -> list[str]:
    """The argv that runs a sandbox from this installation (a frozen app runs itself)."""
    if getattr(sys, "frozen", False):
        prefix = [str(_frozen_console_executable(Path(sys.executable), sys.platform))]
    else:
        prefix = [sys.executable, "-m", "codaiq_desktop"]
    command = [
        *prefix,
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


class SandboxProcess:
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
        self.command = sandbox_command(
            Path(data_dir), host=host, port=port, build_seconds=build_seconds, documented_only=documented_only
        )
        self.on_exit = on_exit
        self.endpoint: SandboxEndpoint | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._stderr_tail: deque[str] = deque(maxlen=40)
        self._watchers: list[asyncio.Task[None]] = []
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    @property
    def returncode(self) -> int | None:
        return None if self._process is None else self._process.returncode

    @property
    def stderr_tail(self) -> str:
        """The child's last lines on stderr (for an error message)."""
        return "\n".join(self._stderr_tail)

    async def start(self, timeout: float = 30.0) -> SandboxEndpoint:
        """Launch the child and wait until it listens; raises :class:`SandboxStartError` otherwise."""
        if self.running:
            raise RuntimeError("The sandbox process is already running")
        self._stopping = False
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self._process = await asyncio.create_subprocess_exec(
            *self.command,
            # Kept open and never written: when this process dies, the pipe closes and the
            # child stops too (--exit-with-stdin), so no orphan sandbox keeps the port.
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            creationflags=CHILD_CREATION_FLAGS,
        )
        self._watchers = [asyncio.get_running_loop().create_task(self._collect_stderr())]
        try:
            line = await asyncio.wait_for(self._read_ready_line(), timeout)
        except (TimeoutError, SandboxStartError) as exc:
            await self.stop()
            detail = self.stderr_tail or "no output"
            last_line = next((line for line in reversed(self._stderr_tail) if line.strip()), "")
            if isinstance(exc, TimeoutError):
                reason = f"It did not answer within {timeout:g} seconds."
            elif last_line and not last_line.startswith((" ", "Traceback")) and "Error:" not in last_line:
                reason = last_line
            else:
                reason = f"It ended before it was listening ({exc}). Details are in the log file."
            raise SandboxStartError(f"The sandbox did not start: {detail}", reason) from exc
        data = json.loads(line)
        self.endpoint = SandboxEndpoint(data["baseUrl"], data["rootUrl"], data["apiKey"], int(data["pid"]))
        self._watchers.append(asyncio.get_running_loop().create_task(self._watch_exit()))
        return self.endpoint

    async def _read_ready_line(self) -> str:
        assert self._process is not None and self._process.stdout is not None
        while True:
            raw = await self._process.stdout.readline()
            if not raw:
                await self._process.wait()
                raise SandboxStartError(f"exited with code {self._process.returncode}")
            text = raw.decode("utf-8", "replace").strip()
            if text.startswith("{"):
                try:
                    json.loads(text)
                except ValueError:
                    continue
                return text

    async def _collect_stderr(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        while raw := await self._process.stderr.readline():
            self._stderr_tail.append(raw.decode("utf-8", "replace").rstrip())

    async def _watch_exit(self) -> None:
        assert self._process is not None
        code = await self._process.wait()
        if self.on_exit is not None:
            self.on_exit(code)

    async def wait(self) -> int:
        """Wait for the child to end; its return code."""
        if self._process is None:
            raise RuntimeError("The sandbox process was never started")
        return await self._process.wait()

    async def stop(self, timeout: float = 10.0) -> int | None:
        """Ask the child to stop (SIGTERM), kill it if it does not within ``timeout``."""
        process = self._process
        if process is None:
            return None
        self._stopping = True
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                await asyncio.wait_for(process.wait(), timeout)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        for watcher in self._watchers:
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        self._watchers = []
        return process.returncode
