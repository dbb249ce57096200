"""The next start recovers from a sandbox left running on the app's data folder.

Real processes: a sandbox child of an app that was killed (and which hung, so it never
noticed: SIGSTOP), a sandbox started from a terminal on the same folder, and a program
that is not a sandbox at all holding the folder's lock. The real ``MainWindow`` over real
``AppServices`` then starts as on a next launch: a stale sandbox of ours is stopped and
the sandbox comes up; anything else is named, with a "Stop it" button where stopping it
is ours to do, and "Restart sandbox" works once the folder is free.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from codaiq_desktop.sandbox.data_dir_lock import lock_holder
from codaiq_desktop.ui.shell.main_window import MainWindow
from codaiq_desktop.ui.services import AppServices, ConnectionState, SandboxState
from tests.fixtures.app import make_services
from tests.reliability.conftest import child_env, cli_command
from tests.reliability.test_orphan_sandbox import _APP_LIKE_PARENT, _running

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]

_SANDBOX_ACCOUNT = {
    "accounts": [
        {"name": "Local sandbox", "base_url": "", "plan": "agency (sandbox)", "kind": "sandbox", "key_storage": "none"}
    ],
    "active": "Local sandbox",
}

# Holds the folder's lock like a sandbox would, but is no sandbox.
_OTHER_PROGRAM = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from codaiq_desktop.sandbox.data_dir_lock import DataDirLock

    lock = DataDirLock(Path(sys.argv[1]))  # kept: the lock lives as long as its open file
    lock.acquire()
    print("holding", flush=True)
    while True:
        time.sleep(1)
    """
)


@pytest.fixture
def app_root(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    (root / "accounts.json").write_text(json.dumps(_SANDBOX_ACCOUNT))
    return root


@pytest.fixture
def leftovers() -> Iterator[list[int]]:
    """Pids to kill at the end, should a failing test leave them running."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if _running(pid):
            os.kill(pid, signal.SIGCONT)
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def next_start(qtbot, qloop, app_root: Path) -> Iterator[tuple[AppServices, MainWindow]]:
    services = make_services(app_root)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    try:
        yield services, window
    finally:
        qloop.run(services.aclose())


def _sandbox_dir(app_root: Path) -> Path:
    return app_root / "data" / "sandbox"


def _start_and_settle(window: MainWindow, services: AppServices, until) -> None:
    startup = asyncio.ensure_future(window.start())
    until(lambda: startup.done(), timeout=60, message="the window's start-up never finished")
    startup.result()


def test_a_stale_sandbox_of_a_killed_app_is_stopped_and_the_next_start_works(
    next_start, app_root: Path, tmp_path: Path, leftovers: list[int], until
) -> None:
    driver = tmp_path / "killed_app.py"
    driver.write_text(_APP_LIKE_PARENT)
    killed_app = subprocess.Popen(
        [sys.executable, str(driver), str(_sandbox_dir(app_root))],
        env=child_env(PYTHONPATH=str(Path(__file__).resolve().parents[2])),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert killed_app.stdout is not None
    stale_pid = int(json.loads(killed_app.stdout.readline())["pid"])
    leftovers += [killed_app.pid, stale_pid]
    os.kill(stale_pid, signal.SIGSTOP)  # hung: it cannot notice its app's death
    os.kill(killed_app.pid, signal.SIGKILL)
    killed_app.wait(timeout=30)
    holder = lock_holder(_sandbox_dir(app_root))
    assert holder is not None and holder.pid == stale_pid and holder.is_stale

    services, window = next_start
    _start_and_settle(window, services, until)
    assert services.sandbox_state == SandboxState.RUNNING, services.sandbox_error
    until(lambda: services.connection_state == ConnectionState.REACHABLE)
    assert not _running(stale_pid)
    assert services.sandbox_process is not None and services.sandbox_process.endpoint.pid != stale_pid
    assert not window.status.stop_blocker_button.isVisible()


def _terminal_sandbox(app_root: Path, leftovers: list[int]) -> subprocess.Popen[str]:
    """A sandbox started from a terminal on the app's folder, once it listens."""
    terminal = subprocess.Popen(
        [*cli_command(), "sandbox", "--port", "0", "--data", str(_sandbox_dir(app_root))],
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    leftovers.append(terminal.pid)
    assert terminal.stdout is not None
    assert "listening" in terminal.stdout.readline()
    return terminal


def test_a_terminal_sandbox_on_the_folder_is_named_and_stop_it_starts_ours(
    next_start, app_root: Path, leftovers: list[int], until
) -> None:
    terminal = _terminal_sandbox(app_root, leftovers)

    services, window = next_start
    _start_and_settle(window, services, until)
    assert services.sandbox_state == SandboxState.CRASHED
    reason = services.sandbox_error or ""
    assert f"in use by process {terminal.pid}" in reason and "started from a terminal" in reason
    assert "unexpected" not in reason and "SandboxStartError" not in reason
    assert f"in use by process {terminal.pid}" in window.status.currentMessage()
    assert terminal.poll() is None  # not ours to stop without asking
    until(lambda: window.status.stop_blocker_button.isVisible(), message="no Stop it button")

    window.status.stop_blocker_button.click()
    until(
        lambda: services.sandbox_state == SandboxState.RUNNING, timeout=60, message=lambda: str(services.sandbox_error)
    )
    until(lambda: services.connection_state == ConnectionState.REACHABLE)
    assert terminal.wait(timeout=30) == 0  # it was asked to stop (SIGTERM) and did
    assert not window.status.stop_blocker_button.isVisible()
    assert not window.status.restart_button.isVisible()


def test_restart_sandbox_works_once_the_folder_is_free(next_start, app_root: Path, leftovers: list[int], until) -> None:
    terminal = _terminal_sandbox(app_root, leftovers)
    services, window = next_start
    _start_and_settle(window, services, until)
    assert services.sandbox_state == SandboxState.CRASHED

    states: list[str] = []
    services.sig_sandbox_state.connect(states.append)
    window.status.restart_button.click()  # still held: the same reason, not a generic error
    until(lambda: states[-1:] == [SandboxState.CRASHED] and SandboxState.STARTING in states, timeout=60)
    assert f"in use by process {terminal.pid}" in (services.sandbox_error or "")

    terminal.send_signal(signal.SIGINT)  # the user stops it in its terminal
    assert terminal.wait(timeout=30) == 0
    window.status.restart_button.click()
    until(
        lambda: services.sandbox_state == SandboxState.RUNNING, timeout=60, message=lambda: str(services.sandbox_error)
    )
    until(lambda: services.connection_state == ConnectionState.REACHABLE)
    assert not window.status.restart_button.isVisible()


def test_a_program_that_is_no_sandbox_is_named_and_never_stopped(
    next_start, app_root: Path, tmp_path: Path, leftovers: list[int], until
) -> None:
    script = tmp_path / "other_program.py"
    script.write_text(_OTHER_PROGRAM)
    other = subprocess.Popen(
        [sys.executable, str(script), str(_sandbox_dir(app_root))],
        env=child_env(PYTHONPATH=str(Path(__file__).resolve().parents[2])),
        stdout=subprocess.PIPE,
        text=True,
    )
    leftovers.append(other.pid)
    assert other.stdout is not None and other.stdout.readline().strip() == "holding"

    services, window = next_start
    _start_and_settle(window, services, until)
    assert services.sandbox_state == SandboxState.CRASHED
    assert f"in use by process {other.pid}, another program" in (services.sandbox_error or "")
    assert not window.status.stop_blocker_button.isVisible()
    assert window.status.restart_button.isVisible()
    assert other.poll() is None
