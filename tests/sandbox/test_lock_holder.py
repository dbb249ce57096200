"""Who holds a sandbox data folder, and when it counts as a stale sandbox of ours.

The rules are checked on command lines and parents as ``lock_holder`` reads them from a
real process; ``tests/reliability/test_stale_sandbox.py`` runs the real processes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from codaiq_desktop.sandbox.data_dir_lock import DataDirLock, LockHolder, lock_holder

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no folder lock on Windows")


def _app_child(data_dir: Path, *extra: str) -> tuple[str, ...]:
    return (
        "/opt/app/.venv/bin/python",
        "-m",
        "codaiq_desktop",
        "sandbox",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--data",
        str(data_dir),
        "--ready-json",
        "--exit-with-stdin",
        *extra,
    )


def test_a_free_folder_has_no_holder_and_a_held_one_names_this_process(tmp_path: Path) -> None:
    assert lock_holder(tmp_path) is None
    lock = DataDirLock(tmp_path)
    lock.acquire()
    try:
        holder = lock_holder(tmp_path)
        assert holder is not None and holder.pid == os.getpid()
        assert holder.parent_pid == os.getppid()
        assert not holder.is_codaiq_sandbox  # pytest is no sandbox
        assert not holder.is_stale
        assert "another program" in holder.describe()
    finally:
        lock.release()
    assert lock_holder(tmp_path) is None


def test_an_app_child_whose_app_is_gone_is_stale(tmp_path: Path) -> None:
    gone = 2**22 + 12345  # above the default pid_max: no such process
    holder = LockHolder(tmp_path, 4242, _app_child(tmp_path, "--parent-pid", str(gone)), 1)
    assert holder.is_codaiq_sandbox and holder.started_by_app and holder.app_pid == gone
    assert holder.is_stale


def test_an_app_child_whose_app_still_runs_is_not_stale(tmp_path: Path) -> None:
    me = os.getpid()
    holder = LockHolder(tmp_path, 4242, _app_child(tmp_path, "--parent-pid", str(me)), me)
    assert not holder.is_stale
    assert "another Codaiq Desktop window" in holder.describe()


def test_an_older_app_child_reparented_to_init_is_stale(tmp_path: Path) -> None:
    assert LockHolder(tmp_path, 4242, _app_child(tmp_path), 1).is_stale


def test_a_terminal_sandbox_is_never_stale(tmp_path: Path) -> None:
    command = ("codaiq-desktop", "sandbox", "--data", str(tmp_path))
    holder = LockHolder(tmp_path, 4242, command, 1)
    assert holder.is_codaiq_sandbox and not holder.started_by_app and not holder.is_stale
    assert "started from a terminal" in holder.describe()


def test_a_sandbox_on_another_folder_is_not_ours(tmp_path: Path) -> None:
    holder = LockHolder(tmp_path, 4242, _app_child(tmp_path / "elsewhere"), 1)
    assert not holder.is_codaiq_sandbox and not holder.is_stale
