"""Turning SQLite's disk errors into an error a user can act on.

SQLite reports a full disk as ``sqlite3.OperationalError: database or disk is full``
(``SQLITE_FULL``) or, on some file systems (tmpfs fails page allocation, not block
allocation), as a bare ``disk I/O error`` (``SQLITE_IOERR``). Neither says which disk
or what to do. ``StoreFullError`` does, and is an ``OSError`` with ``errno.ENOSPC`` so
callers that already handle a full disk for files handle the store the same way.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from codaiq_desktop.disks import mount_point

SQLITE_IOERR = 10
SQLITE_FULL = 13

LOW_SPACE_BYTES = 1024 * 1024
"""Below this much free space, a write's ``disk I/O error`` is taken to mean "disk full".

Above it, the I/O error is a real one (a failing disk, a vanished network share) and is
passed on as it is: calling that "full" would send the user looking in the wrong place.
"""


class StoreFullError(OSError):
    """The disk holding the store has no room for another write.

    ``path`` is the store file, ``mount`` the mount point of its disk. Nothing of the
    refused write was kept; the same ``Store`` works again once space is freed.
    """

    def __init__(self, path: Path, mount: Path) -> None:
        self.path = path
        self.mount = mount
        message = (
            f"There is not enough free space on the disk at {mount} to store events in {path}. "
            "Free some space; events will be accepted again once there is room."
        )
        super().__init__(errno.ENOSPC, message)

    def __str__(self) -> str:
        return str(self.args[1])

    def __reduce__(self) -> tuple[type[StoreFullError], tuple[Path, Path]]:
        return (type(self), (self.path, self.mount))


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+; extended code
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    if "database or disk is full" in text:
        return SQLITE_FULL
    if "disk i/o error" in text:
        return SQLITE_IOERR
    return None


def _little_space_left(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def translate_write_error(exc: BaseException, path: Path) -> BaseException:
    """``StoreFullError`` for a write refused for lack of space, else ``exc`` unchanged.

    Only for errors raised by writes: a read never needs new space, so an I/O error
    there is not about a full disk.
    """
    if isinstance(exc, StoreFullError):
        return exc
    full = False
    if isinstance(exc, sqlite3.Error):
        code = _primary_code(exc)
        full = code == SQLITE_FULL or (code == SQLITE_IOERR and _little_space_left(path))
    elif isinstance(exc, OSError):
        full = exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
    if not full:
        return exc
    error = StoreFullError(path, mount_point(path.parent))
    error.__cause__ = exc
    return error


class LeadNotFoundError(LookupError):
    """No lead has that id (deleted, or from another store)."""
