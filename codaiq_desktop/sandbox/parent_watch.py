"""A sandbox child stops when the app that started it dies, however the app dies.

An orphaned sandbox keeps serving and holds its data folder, so the app's next start
cannot use it. Three guards, independent because each alone has been seen to miss:

- **stdin**: the app holds the write end of the child's stdin and never writes; when the
  app dies the kernel closes it and the child reads end of file. The task that waits for
  it is kept (an unreferenced task waiting on a pipe reader can be garbage-collected,
  and then the end of file is never seen).
- **PR_SET_PDEATHSIG** (Linux): the kernel signals the child when its parent dies.
- **a watchdog thread** polls the parent's pid. It runs even while the event loop is
  busy, and it bounds the shutdown: once the parent is gone, the child asks its loop to
  stop and exits hard after :data:`HARD_EXIT_AFTER` seconds if that has not finished.
  Exiting hard is safe: SQLite's WAL keeps the data whole and the OS drops the data
  folder's lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

#: How often the watchdog looks at the parent's pid (seconds).
POLL_INTERVAL = 0.1
#: How long a graceful stop may take once the parent is gone before the child exits hard.
HARD_EXIT_AFTER = 0.8
#: The signal PR_SET_PDEATHSIG asks for ("hang up": whoever we answered to is gone).
PARENT_DEATH_SIGNAL = getattr(signal, "SIGHUP", None)
_PR_SET_PDEATHSIG = 1


def set_parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` when the parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, run by someone else
    return True


class ParentWatch:
    """Calls ``on_parent_gone`` (on the loop) once the parent process is gone, by any guard.

    ``parent_pid`` is the app's pid (the child is told it on its command line); ``None``
    means the current parent. Keep the object for as long as the child runs: it holds
    the stdin task and the watchdog.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        on_parent_gone: Callable[[], object],
        *,
        parent_pid: int | None = None,
        watch_stdin: bool = True,
    ) -> None:
        self._loop = loop
        self._on_parent_gone = on_parent_gone
        self.parent_pid = os.getppid() if parent_pid is None else parent_pid
        # Our direct parent can be checked with getppid(), which no reused pid can fool.
        self._direct = os.getppid() == self.parent_pid
        self._watch_stdin = watch_stdin
        self._gone = threading.Event()
        self._finished = threading.Event()
        self._stdin_task: asyncio.Task[None] | None = None
        self._watchdog: threading.Thread | None = None
        self.reason = ""

    # ------------------------------------------------------------------ public
    def start(self) -> None:
        """Arm every guard available here."""
        if PARENT_DEATH_SIGNAL is not None and set_parent_death_signal(PARENT_DEATH_SIGNAL):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                self._loop.add_signal_handler(PARENT_DEATH_SIGNAL, self._on_death_signal)
        if self._watch_stdin:
            self._stdin_task = self._loop.create_task(self._watch_stdin_until_eof(), name="stdin-watch")
        if os.name == "posix":
            self._watchdog = threading.Thread(target=self._watch_parent, name="parent-watchdog", daemon=True)
            self._watchdog.start()
        elif self._watch_stdin is False:  # pragma: no cover - Windows relies on stdin
            log.warning("No parent watch on this platform without stdin")
        if not self.parent_alive():  # the parent died before the guards were armed
            self.parent_gone("the parent process had already ended")

    def server_stopped(self) -> None:
        """The server has stopped and closed its store: the process may end.

        If the parent is gone nobody waits for a tidy interpreter shutdown (joining
        executor threads, freeing modules), which can take a second on a loaded machine:
        the process ends here. Otherwise the watch stands down and the process exits normally.
        """
        if self._gone.is_set():
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(0)
        self._finished.set()
        if self._stdin_task is not None and not self._stdin_task.done():
            self._stdin_task.cancel()

    def parent_alive(self) -> bool:
        if self._direct:
            return os.getppid() == self.parent_pid
        if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) would end the process on Windows
            return True
        return _pid_alive(self.parent_pid)

    def parent_gone(self, reason: str) -> None:
        """Thread-safe: ask the loop to stop; the watchdog exits hard if that takes too long."""
        if self._gone.is_set():
            return
        self.reason = reason
        self._gone.set()
        with contextlib.suppress(RuntimeError):  # the loop has already closed
            self._loop.call_soon_threadsafe(self._on_parent_gone)

    # ------------------------------------------------------------------ guards
    def _on_death_signal(self) -> None:
        # Linux sends it when the parent *thread* that started us ends, too: check the process.
        if not self.parent_alive():
            self.parent_gone("the parent process ended (death signal)")

    async def _watch_stdin_until_eof(self) -> None:
        reader = asyncio.StreamReader()
        try:
            await self._loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        except (NotImplementedError, OSError, ValueError):
            # Not a pipe the loop can watch (e.g. Windows consoles): a daemon thread reads it.
            threading.Thread(target=self._read_stdin_until_eof, name="stdin-watch", daemon=True).start()
            return
        while await reader.read(4096):
            pass
        self.parent_gone("stdin closed")

    def _read_stdin_until_eof(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            while sys.stdin.buffer.read(4096):
                pass
        self.parent_gone("stdin closed")

    def _watch_parent(self) -> None:
        while not self._finished.is_set():
            if self._gone.wait(POLL_INTERVAL):
                break
            if not self.parent_alive():
                self.parent_gone("the parent process ended")
                break
        if self._finished.is_set():
            return
        # The parent is gone: the loop was asked to stop. Give it a moment, then make sure.
        if not self._finished.wait(HARD_EXIT_AFTER):
            log.warning("The parent process is gone and the sandbox did not stop in time; exiting now")
            with contextlib.suppress(Exception):
                logging.shutdown()
            os._exit(0)
