"""Saving an export download: never a half-written or damaged ZIP where the user looks.

The download goes to ``.<name>.codaiq-<random>.part`` beside the target (same file system,
so the final rename is atomic), held locked while it is written (POSIX ``flock``; on Windows
an open file cannot be deleted, which does the same job), checked as a ZIP, and only then
renamed. A later export sweeps the temporary files that no live export holds: the leftovers
of one that was killed.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import re
import secrets
import stat
import urllib.parse
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Final

import httpx

from codaiq_desktop.api.errors import InvalidResponseError, NetworkError
from codaiq_desktop.disks import mount_point

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted there, which does the same job
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int | None], object]

_CHUNK_SIZE: Final = 64 * 1024


async def save_download(
    response: httpx.Response,
    target: Path,
    total: int | None,
    progress: ProgressCallback | None,
    scrub: Callable[[str], str],
) -> Path:
    """Stream ``response`` into ``target``: a locked temporary file beside it, checked as a
    ZIP, then renamed over it. A broken, short or damaged download leaves nothing behind.
    """
    remove_stale_temps(target.parent)
    temp_path, fd = _create_temp_beside(target)
    fd_open = True
    verify: asyncio.Future[None] | None = None
    try:
        if progress is not None:
            progress(0, total)
        try:
            async for chunk in response.aiter_bytes(_CHUNK_SIZE):
                _write_all(fd, chunk, target)
                if progress is not None:
                    progress(response.num_bytes_downloaded, total)
        except httpx.TransportError as exc:
            done = response.num_bytes_downloaded
            of = f" of {total:,}" if total is not None else ""
            raise NetworkError(
                f"The export download broke off after {done:,}{of} bytes "
                f"({scrub(str(exc) or type(exc).__name__)}); nothing was saved. Try again."
            ) from exc
        if total is not None and response.num_bytes_downloaded < total:
            raise NetworkError(
                f"The export download ended after {response.num_bytes_downloaded:,} of {total:,} "
                "bytes; nothing was saved. Try again."
            )
        if fcntl is None:  # Windows: a file still open here could not be renamed
            os.close(fd)
            fd_open = False
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        verify = asyncio.ensure_future(asyncio.to_thread(_verify_zip, temp_path, content_type))
        try:
            await asyncio.shield(verify)
        except asyncio.CancelledError:
            # The check runs on in its thread; remove the file once it lets go of it.
            verify.add_done_callback(lambda _: _unlink_quietly(temp_path))
            raise
        os.replace(temp_path, target)
    except BaseException:
        if fd_open:
            os.close(fd)
            fd_open = False
        _unlink_quietly(temp_path)
        raise
    finally:
        if fd_open:  # held to the end: the lock tells other exports this file is in use
            os.close(fd)
    logger.info("Exported website to %s", target)
    return target


def content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    if value is None or response.headers.get("content-encoding", "identity").lower() != "identity":
        return None
    try:
        length = int(value)
    except ValueError:
        return None
    return length if length >= 0 else None


_FILENAME_STAR_RE = re.compile(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", re.IGNORECASE)
_FILENAME_RE = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))', re.IGNORECASE)


def export_filename(response: httpx.Response, website_id: str) -> str:
    """A safe file name from ``Content-Disposition``, else ``<websiteId>.zip``."""
    header = response.headers.get("content-disposition", "")
    name = ""
    if match := _FILENAME_STAR_RE.search(header):
        charset = match.group(1) or "utf-8"
        try:
            name = urllib.parse.unquote(match.group(2).strip(), encoding=charset)
        except LookupError:
            name = ""
    if not name and (match := _FILENAME_RE.search(header)):
        name = (match.group(1) if match.group(1) is not None else match.group(2) or "").strip()
    stem = _safe_stem(name) or _safe_stem(website_id) or "website"
    return f"{stem}.zip"


def _safe_stem(text: str) -> str:
    """A file name stem from untrusted text: no path, no hidden file, no control or reserved characters."""
    text = text.replace("\\", "/").rsplit("/", 1)[-1]  # never a path: only the last part
    text = "".join(char for char in text if char.isprintable() and char not in '<>:"|?*')
    text = text.strip().lstrip(".").strip()
    if text.lower().endswith(".zip"):
        text = text[:-4].rstrip()
    # File systems cap names at 255 bytes; leave room for ".zip" and the temporary suffix.
    return text.encode("utf-8")[:200].decode("utf-8", "ignore").rstrip()


_TEMP_NAME_RE = re.compile(r"^\..+\.codaiq-[0-9a-f]{8}\.part$")
"""Names of our temporary export files: ``.<name>.codaiq-<8 hex digits>.part``.

The ``codaiq-`` mark keeps the sweep off other programs' partial files (``tempfile``
names, browsers' downloads), which share the ``.part`` ending.
"""


def _create_temp_beside(target: Path) -> tuple[Path, int]:
    """Create ``.<name>.codaiq-<random>.part`` in the target's folder (same file system: rename is atomic).

    On POSIX the file is locked (``flock``) for as long as the returned descriptor is
    open: that is how a later export tells a live download from one whose process died.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        candidate = target.with_name(f".{target.name[:100]}.codaiq-{secrets.token_hex(4)}.part")
        try:
            fd = os.open(candidate, flags, 0o666)
        except FileExistsError:
            continue
        if fcntl is not None:
            try:
                # Blocking: only a sweep (below) can hold it, and only for a moment.
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                pass  # no locks on this file system: the sweep will then leave the file alone
            else:
                if not _is_same_file(fd, candidate):  # a sweep removed it before the lock was ours
                    os.close(fd)
                    continue
        return candidate, fd


def remove_stale_temps(folder: Path) -> None:
    """Delete temporary export files in ``folder`` left by exports that died (killed, crashed, power cut).

    A live export holds its temporary file locked (POSIX) or open (Windows, where an
    open file cannot be deleted), so a file nobody holds is a leftover. Anything else
    (another program's file, a symlink, a file on a file system without locks) is left
    alone.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not _TEMP_NAME_RE.match(name):
            continue
        path = folder / name
        if fcntl is None:
            try:
                os.unlink(path)
            except OSError:
                continue  # in use by a live export
            logger.info("Removed a leftover temporary export file %s", path)
            continue
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # held by a live export (or no locks here: cannot tell, so keep it)
            if not _is_same_file(fd, path):
                continue
            try:
                os.unlink(path)
            except OSError:
                continue
            logger.info("Removed a leftover temporary export file %s", path)
        finally:
            os.close(fd)


def _is_same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        named = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _write_all(fd: int, data: bytes, target: Path) -> None:
    """Write all of ``data``; a failure becomes an ``OSError`` that names the folder and disk."""
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise _write_error(exc, target) from exc


def _write_error(exc: OSError, target: Path) -> OSError:
    folder = target.parent
    if exc.errno == errno.EFBIG:
        text = (
            f"The export is larger than this system allows one file to be in {folder}. "
            "Choose a folder on another disk; nothing was saved."
        )
    elif exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        mount = mount_point(folder)
        where = f"{folder}" if mount == folder else f"{folder} (on the disk mounted at {mount})"
        text = (
            f"There is not enough free space to save the export in {where}. "
            "Free some space or choose another folder; nothing was saved."
        )
    else:
        text = f"The export could not be written in {folder} ({exc.strerror or exc}); nothing was saved."
    return OSError(exc.errno, text)


def _verify_zip(path: Path, content_type: str) -> None:
    """Open, list and CRC-test the archive; raise InvalidResponseError when it is not sound."""
    sent = f" (the server sent {content_type})" if content_type and "zip" not in content_type else ""
    try:
        with zipfile.ZipFile(path) as archive:
            archive.namelist()
            bad_member = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise InvalidResponseError(
            f"The export is not a valid ZIP archive{sent}: {exc}. Nothing was saved; try the export again."
        ) from None
    if bad_member is not None:
        raise InvalidResponseError(
            f"The export is damaged: {bad_member!r} fails its checksum. Nothing was saved; try the export again."
        )
    with open(path, "rb+") as file:
        os.fsync(file.fileno())


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:  # e.g. still open elsewhere on Windows; say so, never mask the real error
        logger.warning("Could not remove temporary file %s: %s", path, exc)
