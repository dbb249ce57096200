"""One sandbox per data dir: a second server on the same folder would resume the same builds
and send every pending webhook twice, so it refuses to start instead.

The lock is an advisory ``flock`` on ``sandbox.lock`` (released by the OS if the process
dies). Where ``fcntl`` does not exist (Windows), there is no lock. :func:`lock_holder` says
which process holds a folder and whether it is a stale sandbox of ours (its app gone),
which the app then stops (:func:`stop_lock_holder`) rather than refuse to start. The command-line
``key`` and ``simulate`` actions do not take it: SQLite already serialises their writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "sandbox.lock"


class DataDirInUseError(OSError):
    """Another running sandbox holds this data dir."""

    def __init__(self, data_dir: Path, holder: str) -> None:
        who = f"process {holder}" if holder else "another process"
        super().__init__(f"The sandbox data folder {data_dir} is in use by {who}.")
        self.data_dir = data_dir
        self.holder = holder


class DataDirLock:
    def __init__(self, data_dir: Path, *, name: str = LOCK_NAME) -> None:
        """``name``: the lock file's name (another kind of server on a folder uses its own)."""
        self.data_dir = data_dir
        self.name = name
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock (writing our pid into it) or raise :class:`DataDirInUseError`."""
        if fcntl is None or self._file is not None:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.data_dir / self.name, "a+", encoding="utf-8")  # noqa: SIM115 - held open
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise DataDirInUseError(self.data_dir, holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is None or fcntl is None:
            return
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


# --------------------------------------------------------------------------- who holds it


@dataclass(frozen=True)
class LockHolder:
    """The process that holds a data folder's lock, and what can be told about it.

    ``command`` is its command line (empty where it cannot be read); ``parent_pid`` the
    pid of its current parent (``None`` if unknown).
    """

    data_dir: Path
    pid: int
    command: tuple[str, ...]
    parent_pid: int | None

    @property
    def is_codaiq_sandbox(self) -> bool:
        """Its command line is ``codaiq-desktop sandbox ... --data <this folder>``."""
        return self.runs_codaiq("sandbox")

    def runs_codaiq(self, action: str) -> bool:
        """Its command line is ``codaiq-desktop ACTION ... --data <this folder>``."""
        args = list(self.command)
        if action not in args or not any("codaiq" in part for part in args[: args.index(action)]):
            return False
        data = _option_value(args, "--data")
        return data is not None and _same_dir(Path(data), self.data_dir)

    @property
    def started_by_app(self) -> bool:
        """Started by a Codaiq Desktop window (which passes these options), not from a terminal."""
        return "--ready-json" in self.command and "--exit-with-stdin" in self.command

    @property
    def app_pid(self) -> int | None:
        """The pid of the app that started it (the ``--parent-pid`` it was given), if known."""
        value = _option_value(list(self.command), "--parent-pid")
        return int(value) if value is not None and value.isdigit() else None

    @property
    def is_stale(self) -> bool:
        """A sandbox of ours that a Codaiq Desktop started, whose app has gone.

        Such a child is meant to end with its app; if it still runs (an older version, or
        a child hung so it never noticed), nobody uses it and stopping it loses nothing.
        """
        if not (self.is_codaiq_sandbox and self.started_by_app):
            return False
        app = self.app_pid
        if app is not None:
            return self.parent_pid != app or not pid_alive(app)
        # Started before apps passed their pid: orphaned if its parent is no Codaiq Desktop.
        if self.parent_pid is None or self.parent_pid <= 1:
            return True
        parent_command = process_command(self.parent_pid)
        return not any("codaiq" in part for part in parent_command)

    def describe(self) -> str:
        """One sentence for the user: what holds the folder."""
        if not self.is_codaiq_sandbox:
            what = "another program"
        elif self.started_by_app:
            what = "a sandbox started by another Codaiq Desktop window"
        else:
            what = "a sandbox started from a terminal (codaiq-desktop sandbox)"
        return f"The local sandbox's data folder {self.data_dir} is in use by process {self.pid}, {what}."


def _option_value(args: list[str], option: str) -> str | None:
    for index, arg in enumerate(args):
        if arg == option and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(option + "="):
            return arg.split("=", 1)[1]
    return None


def _same_dir(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs (a zombie, ended but not reaped, does not)."""
    if pid <= 0:
        return False
    if Path("/proc/self/stat").exists():  # Linux: a zombie still answers kill(pid, 0)
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except (OSError, IndexError):
            return False
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) would end it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_command(pid: int) -> tuple[str, ...]:
    """A process's command line (Linux ``/proc``, else ``ps``); empty if it cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        return tuple(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)
    except OSError:
        pass
    if os.name != "posix":  # pragma: no cover
        return ()
    import shlex
    import subprocess

    try:
        done = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ()
    try:
        return tuple(shlex.split(done.stdout.strip()))
    except ValueError:
        return tuple(done.stdout.split())


def _parent_pid(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        pass
    if os.name != "posix":  # pragma: no cover
        return None
    import subprocess

    try:
        done = subprocess.run(["ps", "-o", "ppid=", "-p", str(pid)], capture_output=True, text=True, timeout=5)
        return int(done.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


async def lock_holder_async(data_dir: Path, *, name: str = LOCK_NAME) -> LockHolder | None:
    """:func:`lock_holder` for a caller on the asyncio loop: the file and ``/proc`` are read on a worker thread."""
    return await asyncio.to_thread(lock_holder, data_dir, name=name)


def lock_holder(data_dir: Path, *, name: str = LOCK_NAME) -> LockHolder | None:
    """Who holds ``data_dir``'s lock right now, or ``None`` if nobody does (or no locks here)."""
    path = data_dir / name
    if fcntl is None or not path.exists():
        return None
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            text = handle.read().strip()
        else:
            fcntl.flock(handle, fcntl.LOCK_UN)
            return None
    if not text.isdigit():
        return LockHolder(data_dir, 0, (), None)
    pid = int(text)
    return LockHolder(data_dir, pid, process_command(pid), _parent_pid(pid))


def lock_is_free(data_dir: Path, *, name: str = LOCK_NAME) -> bool:
    return lock_holder(data_dir, name=name) is None


async def stop_lock_holder(
    holder: LockHolder,
    *,
    timeout: float = 5.0,
    name: str = LOCK_NAME,
    is_ours: Callable[[LockHolder], bool] = lambda holder: holder.is_codaiq_sandbox,
) -> bool:
    """Stop a server of ours holding the folder (SIGTERM, then SIGKILL); True once it is free.

    Refuses (False) unless the holder of lock ``name`` is still the same process, and one
    of ours (``is_ours``, by default a Codaiq sandbox on this folder): a pid can be reused,
    and nothing but our own server is ever stopped here. The lock is read off the loop.
    """
    import asyncio
    import signal
    import time

    current = await asyncio.to_thread(lock_holder, holder.data_dir, name=name)
    if current is None:
        return True
    if current.pid != holder.pid or current.command != holder.command or not is_ours(current):
        return False
    for signum in (signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(holder.pid, signum)
            if signum == signal.SIGTERM and hasattr(signal, "SIGCONT"):
                os.kill(holder.pid, signal.SIGCONT)  # a stopped (hung) process must run to hear it
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await asyncio.to_thread(lock_is_free, holder.data_dir, name=name):
                return True
            await asyncio.sleep(0.05)
    return await asyncio.to_thread(lock_is_free, holder.data_dir, name=name)
