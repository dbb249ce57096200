"""SIGKILL of a process in the middle of an export, and the temporary files such a kill leaves.

An export streams into a hidden ``.<name>.codaiq-<random>.part`` file beside the destination
and renames it over the destination only once the ZIP checks out, so a killed process
can never leave a half-written ZIP under the real name. What a kill can leave is the
temporary file itself (no ``finally`` runs on SIGKILL); the next export to that folder
removes it, and never one a live export is still writing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from codaiq_desktop.api import CodaiqClient
from codaiq_desktop.api.export_file import remove_stale_temps
from tests.fixtures.sandbox import RunningSandbox, SandboxFaults
from tests.reliability.conftest import FAST_RETRY, BuiltSite, child_env, cli_command, wait_until
from tests.reliability.fault_proxy import BreakRule, FaultProxy

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and flock are POSIX")


def _temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".part"))


def _start_export(base_url: str, site: BuiltSite, dest: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*cli_command(), "export", site.project_id, site.website_id, "-o", str(dest), "--no-progress"],
        env=child_env(CODAIQ_BASE_URL=base_url, CODAIQ_API_KEY=site.key),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_sigkill_while_the_server_is_slow_to_answer_leaves_nothing_at_the_destination(
    sandbox: RunningSandbox, sandbox_faults: SandboxFaults, built_site: BuiltSite, tmp_path: Path
) -> None:
    sandbox_faults.set({"path": "/api/export", "kind": "latency", "delay": 30})
    dest = tmp_path / "exports"
    dest.mkdir()
    process = _start_export(sandbox.base_url, built_site, dest)
    try:
        wait_until(lambda: sandbox_faults.active()[0]["hits"] == 1, "the export request to reach the sandbox")
    finally:
        _kill(process)
    assert list(dest.iterdir()) == []


@pytest.mark.slow
def test_sigkill_mid_download_leaves_no_zip_and_the_next_export_clears_the_leftover(
    sandbox: RunningSandbox, proxy: FaultProxy, built_site: BuiltSite, tmp_path: Path
) -> None:
    """The proxy lets the headers and part of the body through, then holds: the kill lands mid-body."""
    rule = proxy.add_rule(BreakRule(b"GET /api/export", "stall_response", after_bytes=3000))
    dest = tmp_path / "exports"
    dest.mkdir()
    process = _start_export(proxy.url("/api"), built_site, dest)
    try:
        wait_until(lambda: bool(_temp_files(dest)), "the export to start writing its temporary file")
    finally:
        _kill(process)
    assert rule.hits == 1
    (leftover,) = _temp_files(dest)
    assert leftover.name.startswith(".leeds-bakery.zip.codaiq-")
    assert [p for p in dest.iterdir() if not p.name.startswith(".")] == []  # no ZIP under a real name

    result = subprocess.run(
        [*cli_command(), "export", built_site.project_id, built_site.website_id, "-o", str(dest), "--json"],
        env=child_env(CODAIQ_BASE_URL=sandbox.base_url, CODAIQ_API_KEY=built_site.key),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in dest.iterdir()) == ["leeds-bakery.zip"]  # the leftover is gone
    with zipfile.ZipFile(dest / "leeds-bakery.zip") as archive:
        assert archive.testzip() is None


async def test_the_sweep_spares_a_live_exports_file_and_anything_not_ours(
    proxy: FaultProxy, built_site: BuiltSite, tmp_path: Path
) -> None:
    """Two exports into one folder at once: the second must not delete the first one's temporary file."""
    dest = tmp_path / "exports"
    dest.mkdir()
    not_ours = [
        dest / ".notes.txt",
        dest / "draft.part",
        dest / ".photo.jpg.codaiq-1234abcd.partial",
        dest / ".leads.csv.3f2a9b1c.part",  # a tempfile.mkstemp name (the store's CSV export)
    ]
    for path in not_ours:
        path.write_text("keep me")
    target_of_link = tmp_path / "elsewhere.bin"
    target_of_link.write_text("keep me too")
    (dest / ".link.zip.codaiq-0badc0de.part").symlink_to(target_of_link)
    dead = dest / ".old.zip.codaiq-deadbeef.part"
    dead.write_bytes(b"PK\x03\x04 half a zip from a killed export")

    rule = proxy.add_rule(BreakRule(b"GET /api/export", "stall_response", after_bytes=3000))
    async with CodaiqClient(proxy.url("/api"), built_site.key, retry=FAST_RETRY) as client:
        first = asyncio.create_task(client.export_website(built_site.project_id, built_site.website_id, dest / "a.zip"))
        for _ in range(1500):  # until the first export holds its temporary file (hang guard ~30 s)
            live = [p for p in _temp_files(dest) if p.name.startswith(".a.zip.")]
            if live:
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("the first export never started writing")
        assert rule.hits == 1

        second = await client.export_website(built_site.project_id, built_site.website_id, dest / "b.zip")
        assert second == dest / "b.zip"
        assert live[0].exists()  # the live export's file was spared
        assert not dead.exists()  # the dead one was swept
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
    assert all(path.read_text().startswith("keep me") for path in not_ours)
    assert (dest / ".link.zip.codaiq-0badc0de.part").is_symlink() and target_of_link.read_text() == "keep me too"
    assert sorted(p.name for p in dest.iterdir() if not p.name.startswith(".")) == ["b.zip", "draft.part"]


def test_the_sweep_removes_only_unlocked_files_of_our_naming(tmp_path: Path) -> None:
    """The helper alone: a held lock (another process's live export) protects a file."""
    import fcntl  # POSIX only, like this module

    held = tmp_path / ".held.zip.codaiq-0123abcd.part"
    free = tmp_path / ".free.zip.codaiq-4567cdef.part"
    for path in (held, free):
        path.write_bytes(b"partial")
    fd = os.open(held, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        remove_stale_temps(tmp_path)
        assert held.exists() and not free.exists()
    finally:
        os.close(fd)
    remove_stale_temps(tmp_path)
    assert not held.exists()
