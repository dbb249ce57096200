"""A server the desktop app runs as its own child process (no Qt here: plain asyncio).

The local sandbox and the local inbox server are both started the same way: this
installation's command line, told to print one JSON line once it listens
(``--ready-json``) and to end with the app (``--exit-with-stdin``). :class:`ChildServer`
starts such a child, waits for that line, keeps the tail of its stderr for error
messages, reports its end, and stops it (SIGTERM, then SIGKILL). Each server wraps it
with its own command line and its own sentences for the user.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

#: On Windows, a console child would flash a console window up: start it without one.
CHILD_CREATION_FLAGS = getattr(subprocess, "CREATE_NO_WINDOW", 0)


def frozen_console_executable(executable: Path, platform: str) -> Path:
    """The bundled executable whose standard output reaches a parent.

    On Windows the bundle's ``codaiq-desktop.exe`` is a windowed program with no usable
    stdout, so a ready line could never arrive; its console twin
    ``codaiq-desktop-cli.exe`` beside it runs the child instead (started with no
    window, see :data:`CHILD_CREATION_FLAGS`). Elsewhere one executable does both.
    """
    if platform == "win32" and not executable.stem.endswith("-cli"):
        console = executable.with_name(f"{executable.stem}-cli{executable.suffix}")
        if console.exists():
            return console
    return executable


def own_command_line() -> list[str]:
    """The argv prefix that runs this installation's ``codaiq-desktop`` (a frozen app runs itself)."""
    if getattr(sys, "frozen", False):
        return [str(frozen_console_executable(Path(sys.executable), sys.platform))]
    return [sys.executable, "-m", "codaiq_desktop"]


class ChildNotReady(Exception):
    """The child ended (``timed_out`` false) or stayed silent before its ready line."""

    def __init__(self, message: str, *, timed_out: bool) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class ChildServer:
    """Start, watch and stop one server child; ``on_exit(code)`` when it ends.

    ``is_ready`` tells the ready line among the JSON lines the child prints. With
    ``report_stop`` false, an end asked for by :meth:`stop` is not reported.
    """

    def __init__(
        self,
        *,
        on_exit: Callable[[int], object] | None = None,
        is_ready: Callable[[Any], bool] = lambda _data: True,
        report_stop: bool = True,
    ) -> None:
        self.on_exit = on_exit
        self._is_ready = is_ready
        self._report_stop = report_stop
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

    @property
    def last_stderr_line(self) -> str:
        """The child's last non-blank line on stderr ("" when there is none)."""
        return next((line for line in reversed(self._stderr_tail) if line.strip()), "")

    async def launch(self, command: Sequence[str], timeout: float) -> dict[str, Any]:
        """Launch ``command`` and wait for its ready line; its JSON, or :class:`ChildNotReady`.

        A child that is not ready in time has been stopped when this raises.
        """
        if self.running:
            raise RuntimeError("The child process is already running")
        self._stopping = False
        self._process = await asyncio.create_subprocess_exec(
            *command,
            # Kept open and never written: when this process dies, the pipe closes and the
            # child stops too (--exit-with-stdin), so no orphan server keeps its port.
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
            creationflags=CHILD_CREATION_FLAGS,
        )
        loop = asyncio.get_running_loop()
        self._watchers = [loop.create_task(self._collect_stderr())]
        try:
            data = await asyncio.wait_for(self._read_ready_line(), timeout)
        except TimeoutError as exc:
            await self.stop()
            raise ChildNotReady(f"no ready line within {timeout:g} seconds", timed_out=True) from exc
        except ChildNotReady:
            await self.stop()
            raise
        self._watchers.append(loop.create_task(self._watch_exit()))
        return data

    async def _read_ready_line(self) -> dict[str, Any]:
        assert self._process is not None and self._process.stdout is not None
        while True:
            raw = await self._process.stdout.readline()
            if not raw:
                await self._process.wait()
                raise ChildNotReady(f"exited with code {self._process.returncode}", timed_out=False)
            text = raw.decode("utf-8", "replace").strip()
            if text.startswith("{"):
                try:
                    data = json.loads(text)
                except ValueError:
                    continue
                if isinstance(data, dict) and self._is_ready(data):
                    return data

    async def _collect_stderr(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        while raw := await self._process.stderr.readline():
            self._stderr_tail.append(raw.decode("utf-8", "replace").rstrip())

    async def _watch_exit(self) -> None:
        assert self._process is not None
        code = await self._process.wait()
        if self.on_exit is not None and (self._report_stop or not self._stopping):
            self.on_exit(code)

    async def wait(self) -> int:
        """Wait for the child to end; its return code."""
        if self._process is None:
            raise RuntimeError("The child process was never started")
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
