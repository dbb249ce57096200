"""One Codaiq Desktop per user: a second launch brings the first window forward and exits 0.

Real processes, offscreen: the app started as a person would (``python -m codaiq_desktop``
with its own XDG folders), then started again with the same folders.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.app_child import AppHome, make_app_home
from tests.reliability.conftest import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]

SECRET = "single-instance-secret-" + "5a6b7c8d9e0f1a2b"


def _log_text(home: AppHome) -> str:
    return "".join(path.read_text(errors="replace") for path in sorted((home.root / "state").rglob("*.log")))


def _wait_for_window(home: AppHome, process: subprocess.Popen[bytes], shown_before: int = 0) -> None:
    wait_until(
        lambda: process.poll() is not None or _log_text(home).count("Main window shown") > shown_before,
        "the app's main window",
        timeout=90,
        step=0.1,
    )
    assert process.poll() is None, f"the app exited with {process.returncode}"


def _stop(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait(timeout=30)


def test_a_second_launch_raises_the_running_window_and_exits_0(tmp_path: Path) -> None:
    home = make_app_home(tmp_path / "home", SECRET)
    first = home.start(tmp_path / "first.txt")
    try:
        _wait_for_window(home, first)
        second = subprocess.run(
            [sys.executable, "-m", "codaiq_desktop"], env=home.env(), capture_output=True, text=True, timeout=90
        )
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stderr
        wait_until(
            lambda: "Another launch asked for this window" in _log_text(home),
            "the first window to be asked",
            timeout=30,
        )
        assert first.poll() is None
        assert _log_text(home).count("Main window shown") == 1  # no second window
    finally:
        assert _stop(first) == 0


def test_after_a_killed_instance_the_next_launch_starts_normally(tmp_path: Path) -> None:
    home = make_app_home(tmp_path / "home", SECRET)
    killed = home.start(tmp_path / "killed.txt")
    try:
        _wait_for_window(home, killed)
    finally:
        killed.kill()
        killed.wait(timeout=30)
    # Its socket file is left behind; nobody answers on it.
    again = home.start(tmp_path / "again.txt")
    try:
        _wait_for_window(home, again, shown_before=1)
    finally:
        assert _stop(again) == 0


def test_another_users_folders_run_their_own_instance(tmp_path: Path) -> None:
    one = make_app_home(tmp_path / "one", SECRET)
    other = make_app_home(tmp_path / "other", SECRET)
    first = one.start(tmp_path / "one.txt")
    second = other.start(tmp_path / "other.txt")
    try:
        _wait_for_window(one, first)
        _wait_for_window(other, second)
    finally:
        assert _stop(first) == 0
        assert _stop(second) == 0
