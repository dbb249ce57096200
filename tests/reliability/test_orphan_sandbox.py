"""No orphaned sandbox: the child ends soon after the app that started it is killed.

Real processes all the way: a parent process starts the sandbox child with the app's own
:class:`SandboxProcess`, the test keeps dozens of API calls in flight against the child,
kills the parent with SIGKILL mid-burst (the app crashing, or a user's ``kill -9``) and
watches the child: it must be gone within 2 seconds and leave its data folder free for
the app's next start.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from codaiq_desktop.sandbox.data_dir_lock import DataDirLock, lock_holder
from tests.reliability.conftest import child_env, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]

#: Calls kept in flight against the child while its parent is killed.
IN_FLIGHT = 48
#: Calls the child must have answered before the kill (the orphan appeared after ~40).
ANSWERED_BEFORE_KILL = 60
#: How soon after its parent's death the child must be gone.
EXIT_WITHIN = 2.0

# The parent: starts a sandbox child as the app does and prints its endpoint, then waits.
_APP_LIKE_PARENT = textwrap.dedent(
    """
    import asyncio, json, sys
    from pathlib import Path
    from codaiq_desktop.sandbox.process import SandboxProcess

    async def main():
        child = SandboxProcess(Path(sys.argv[1]), build_seconds=0.5)
        endpoint = await child.start()
        print(json.dumps({"pid": endpoint.pid, "baseUrl": endpoint.base_url, "apiKey": endpoint.api_key}), flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())
    """
)

# The same, but the child's stdin is not a pipe from the parent: only the other guards
# (PR_SET_PDEATHSIG and the parent-pid watchdog) can notice the parent's death.
_NO_STDIN_PARENT = textwrap.dedent(
    """
    import json, subprocess, sys, time
    from pathlib import Path
    from codaiq_desktop.sandbox.process import sandbox_command

    command = [arg for arg in sandbox_command(Path(sys.argv[1]), build_seconds=0.5) if arg != "--exit-with-stdin"]
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    ready = json.loads(child.stdout.readline())
    print(json.dumps({"pid": ready["pid"], "baseUrl": ready["baseUrl"], "apiKey": ready["apiKey"]}), flush=True)
    while True:
        time.sleep(1)
    """
)


@dataclass
class Family:
    parent: subprocess.Popen[str]
    child_pid: int
    base_url: str
    api_key: str
    data_dir: Path


def _running(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its new parent to reap it has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _start_family(tmp_path: Path, script: str) -> Family:
    driver = tmp_path / "parent.py"
    driver.write_text(script)
    data_dir = tmp_path / "sandbox-data"
    parent = subprocess.Popen(
        [sys.executable, str(driver), str(data_dir)],
        env=child_env(PYTHONPATH=str(Path(__file__).resolve().parents[2])),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    line = parent.stdout.readline()
    assert line, f"the parent exited ({parent.wait(timeout=30)}) before its sandbox was ready"
    ready = json.loads(line)
    return Family(parent, int(ready["pid"]), ready["baseUrl"], ready["apiKey"], data_dir)


@pytest.fixture
def cleanup() -> Iterator[list[int]]:
    """Pids to kill at the end if a failing test left them running."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if _running(pid):
            os.kill(pid, signal.SIGKILL)


# The load: IN_FLIGHT threads call the child without pause (a generation every fifth call)
# until killed; prints "answered" once ANSWERED_BEFORE_KILL calls were answered. A process
# of its own, so its threads cannot delay the test's watch on the child.
_LOAD = textwrap.dedent(
    """
    import os, sys, threading
    import httpx

    base_url, api_key, workers, enough = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    answered = 0
    lock = threading.Lock()

    def call_repeatedly(worker):
        try:
            call_without_pause(worker)
        except BaseException as exc:  # a broken load must end the process, not hang the test
            print("load failed:", repr(exc), flush=True)
            os._exit(1)

    def call_without_pause(worker):
        global answered
        with httpx.Client(timeout=10.0, trust_env=False) as http:
            n = 0
            while True:
                n += 1
                try:
                    if n % 5 == 0:
                        http.post(
                            base_url + "/generate",
                            headers={"X-API-Key": api_key},
                            json={"prompt": f"A bakery number {worker}-{n}", "name": f"Bakery {worker}-{n}"},
                        )
                    else:
                        http.get(base_url + "/project", headers={"X-API-Key": api_key})
                except httpx.HTTPError:
                    continue
                with lock:
                    answered += 1
                    if answered == enough:
                        print("answered", flush=True)

    threads = [threading.Thread(target=call_repeatedly, args=(n,), daemon=True) for n in range(workers)]
    for thread in threads:
        thread.start()
    threading.Event().wait()
    """
)


def _kill_parent_mid_burst(family: Family, tmp_path: Path, cleanup: list[int]) -> float:
    """Keep IN_FLIGHT calls going, SIGKILL the parent, return how long the child outlived it."""
    script = tmp_path / "load.py"
    script.write_text(_LOAD)
    load = subprocess.Popen(
        [sys.executable, str(script), family.base_url, family.api_key, str(IN_FLIGHT), str(ANSWERED_BEFORE_KILL)],
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    cleanup.append(load.pid)
    try:
        assert load.stdout is not None
        assert load.stdout.readline().strip() == "answered", "the load process ended before its calls were answered"
        assert _running(family.child_pid)
        os.kill(family.parent.pid, signal.SIGKILL)
        family.parent.wait(timeout=30)
        killed_at = time.monotonic()
        # Gone for the user means: no such process, and its data folder free for the next start.
        # (A thread group's leader shows as a zombie while its other threads are still
        # exiting and holding its files, so the process state alone comes a moment early.)
        wait_until(
            lambda: not _running(family.child_pid) and lock_holder(family.data_dir) is None,
            "the orphaned child to end and free its data folder",
            timeout=30,
            step=0.01,
        )
        return time.monotonic() - killed_at
    finally:
        load.kill()
        load.wait(timeout=30)


def _data_dir_is_free(data_dir: Path) -> bool:
    lock = DataDirLock(data_dir)
    lock.acquire()  # raises DataDirInUseError if the child still held it
    lock.release()
    return True


def test_a_busy_sandbox_child_ends_within_2_s_of_its_parents_sigkill(tmp_path: Path, cleanup: list[int]) -> None:
    family = _start_family(tmp_path, _APP_LIKE_PARENT)
    cleanup += [family.parent.pid, family.child_pid]
    outlived = _kill_parent_mid_burst(family, tmp_path, cleanup)
    print(f"the sandbox child outlived its parent by {outlived:.2f} s")
    assert outlived < EXIT_WITHIN, f"the sandbox child outlived its parent by {outlived:.2f} s"
    assert _data_dir_is_free(family.data_dir)


def test_without_the_stdin_pipe_the_death_signal_and_watchdog_still_end_the_child(
    tmp_path: Path, cleanup: list[int]
) -> None:
    family = _start_family(tmp_path, _NO_STDIN_PARENT)
    cleanup += [family.parent.pid, family.child_pid]
    outlived = _kill_parent_mid_burst(family, tmp_path, cleanup)
    print(f"the sandbox child outlived its parent by {outlived:.2f} s")
    assert outlived < EXIT_WITHIN, f"the sandbox child outlived its parent by {outlived:.2f} s"
    assert _data_dir_is_free(family.data_dir)
