"""Fixtures for the reliability tests: built sites, a fault proxy, size-capped disks, child processes.

Everything here is real: the session's sandbox over loopback HTTP, a TCP proxy that
breaks connections at a chosen byte, file systems mounted with a hard size cap, and
``codaiq-desktop`` run as a child process. Waits are bounded polls of a condition, never
sleeps whose length a test relies on.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from codaiq_desktop.api import CodaiqClient, RetryPolicy
from codaiq_desktop.api import client as client_module
from tests.fixtures.sandbox import RunningSandbox
from tests.fixtures.ci import running_in_ci
from tests.reliability.fault_proxy import FaultProxy

# Quick backoff so retry paths run in milliseconds; several retries so a test sees them.
FAST_RETRY = RetryPolicy(max_retries=3, backoff_base=0.01, backoff_max=0.05, jitter=0.0, total_time=30.0)


@dataclass(frozen=True)
class BuiltSite:
    """A generated, built website of a fresh enterprise account (never rate limited)."""

    key: str
    project_id: str
    website_id: str


@pytest.fixture
def built_site(sandbox: RunningSandbox) -> BuiltSite:
    key = sandbox.new_key("enterprise")
    project_id, website_id = sandbox.generate(
        "A bakery in Leeds with a wedding cake page", name="Leeds Bakery", key=key
    )
    website = sandbox.wait_ready(project_id, website_id, key=key)
    assert website["metadata"]["buildStatus"] == "ready"
    return BuiltSite(key, project_id, website_id)


def server_lead_count(sandbox: RunningSandbox, website_id: str) -> int:
    """Leads the sandbox recorded for a website (read on its own thread, from its database)."""
    return sandbox.on_loop(sandbox.service.db.count_leads, website_id)


@pytest.fixture
def proxy(sandbox: RunningSandbox) -> Iterator[FaultProxy]:
    """A fault proxy in front of the session's sandbox."""
    port = int(sandbox.root_url.rsplit(":", 1)[1])
    running = FaultProxy("127.0.0.1", port).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every retry wait the client asks for, in order; the waits pass at once (the client's clock moves on)."""
    recorded: list[float] = []
    real_sleep = asyncio.sleep
    real_monotonic = time.monotonic

    async def fake_sleep(delay: float) -> None:
        recorded.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(client_module, "_sleep", fake_sleep)
    monkeypatch.setattr(client_module, "_monotonic", lambda: real_monotonic() + sum(recorded))
    return recorded


@pytest_asyncio.fixture
async def site_client(sandbox: RunningSandbox, built_site: BuiltSite) -> AsyncIterator[CodaiqClient]:
    """A client on the built site's account, straight to the sandbox, with quick retries."""
    async with CodaiqClient(sandbox.base_url, built_site.key, timeout=10.0, retry=FAST_RETRY) as client:
        yield client


# --- child processes --------------------------------------------------------------------


def cli_command() -> list[str]:
    """How to run ``codaiq-desktop`` from this environment (the installed script if there is one)."""
    script = Path(sys.executable).with_name("codaiq-desktop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "codaiq_desktop"]


def child_env(**extra: str) -> dict[str, str]:
    """The test's environment for a child, minus any real credentials, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in ("CODAIQ_API_KEY", "CODAIQ_BASE_URL")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0, step: float = 0.02) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` if it never does (a hang guard)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(step)


# --- size-capped file systems -----------------------------------------------------------


@dataclass
class CappedDisk:
    """A file system of a fixed small size mounted at ``path``; ``kind`` says how it was made."""

    path: Path
    kind: str

    def fill(self, leave: int = 0) -> Path:
        """Fill the disk with one file, leaving about ``leave`` bytes free; returns the filler."""
        filler = self.path / "filler.bin"
        block = b"\0" * 65536
        with open(filler, "wb", buffering=0) as file:
            try:
                while True:
                    file.write(block)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
        if leave:
            size = filler.stat().st_size
            os.truncate(filler, max(0, size - leave))
        return filler

    def free_bytes(self) -> int:
        return shutil.disk_usage(self.path).free


def _run(*argv: str) -> str | None:
    """Run a command; ``None`` when it worked, else a one-line account of why not."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{argv[0]}: {exc}"
    if done.returncode == 0:
        return None
    said = " ".join((done.stderr or done.stdout).split())[:200]
    return f"{argv[0]} exited {done.returncode}" + (f" ({said})" if said else "")


def _run_quietly(*argv: str) -> bool:
    return _run(*argv) is None


def _mount_tmpfs(mount_point: Path, size: int) -> tuple[str, str]:
    """(what was mounted, "") or ("", why it could not be)."""
    problem = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(mount_point))
    return (f"tmpfs of {size // 1024} KiB", "") if problem is None else ("", problem)


def _mount_loop_image(mount_point: Path, size: int) -> tuple[str, str]:
    """(what was mounted, "") or ("", why it could not be)."""
    image = mount_point.with_name(mount_point.name + ".img")
    with open(image, "wb") as file:
        file.truncate(max(size, 1024 * 1024))
    problem = _run("mkfs.ext4", "-q", "-F", "-O", "^has_journal", str(image)) or _run(
        "mount", "-o", "loop", str(image), str(mount_point)
    )
    return (f"ext4 loop image of {size // 1024} KiB", "") if problem is None else ("", problem)


RUN_AS_ROOT_HINT = (
    "run them as root or with CAP_SYS_ADMIN (and a loop device for the 'loop' kind), e.g. "
    "`sudo -E ./scripts/test.sh tests/reliability/test_full_disk.py`"
)


def _cannot_mount(kinds: str, problems: list[str]) -> None:
    """Fail under CI (a full-disk test that does not run must not pass unseen); skip elsewhere."""
    tried = "; ".join(problems) or "nothing to try"
    message = (
        f"cannot make a size-capped file system here ({kinds.replace(',', ', ')} refused: {tried}); "
        f"the full-disk tests need mount rights: {RUN_AS_ROOT_HINT}"
    )
    if running_in_ci():
        pytest.fail(f"CI is set, so this is an error, not a skip: {message}", pytrace=False)
    pytest.skip(message)


@contextlib.contextmanager
def size_capped_disk(base: Path, size: int = 2 * 1024 * 1024, *, kinds: str = "tmpfs,loop") -> Iterator[CappedDisk]:
    """Mount a file system of ``size`` bytes under ``base``; skip or fail when this machine cannot.

    ``kinds`` lists what to try, in order: ``tmpfs`` (needs mount rights), then ``loop``
    (an ext4 image on a loop device). Both give a real ENOSPC from the kernel, which is
    what the app meets on a full disk.

    When none can be mounted the test is skipped on a developer's machine (no root), but
    fails when the ``CI`` environment variable is set: CI runs as root, where mounting
    works, so a skip there would mean the full-disk tests silently stopped running.
    """
    mount_point = base / "capped"
    mount_point.mkdir(parents=True)
    makers = {"tmpfs": _mount_tmpfs, "loop": _mount_loop_image}
    kind = ""
    problems: list[str] = []
    for name in kinds.split(","):
        kind, problem = makers[name](mount_point, size)
        if kind:
            break
        problems.append(f"{name}: {problem}")
    if not kind:
        _cannot_mount(kinds, problems)
    try:
        yield CappedDisk(mount_point, kind)
    finally:
        if not _run_quietly("umount", str(mount_point)):
            _run_quietly("umount", "-l", str(mount_point))
