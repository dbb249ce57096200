"""One sandbox per data dir: a second server on the same folder would resume the same builds
and send every pending webhook twice, so it refuses to start instead.

The lock is an advisory ``flock`` on ``sandbox.lock`` (released by the OS if the process
dies). Where ``fcntl`` does not exist (Windows), there is no lock. The command-line
``key`` and ``simulate`` actions do not take it: SQLite already serialises their writes.
"""

from __future__ import annotations

import contextlib
import os
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
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock (writing our pid into it) or raise :class:`DataDirInUseError`."""
        if fcntl is None or self._file is not None:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.data_dir / LOCK_NAME, "a+", encoding="utf-8")  # noqa: SIM115 - held open
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
