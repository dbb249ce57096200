"""The app's local inbox server as a child process: set up once, reused, gone with its app.

Real processes throughout: ``serve-admin`` makes the agency and member, ``serve`` runs on
SQLite in a temporary folder, and a small "app" process stands in for a Codaiq Desktop
that is killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.inbox_server.desktop_child import (
    LocalInboxFolderInUseError,
    LocalInboxProcess,
    create_setup,
    free_folder,
    is_stale,
    read_setup,
    stale_holder,
)
from codaiq_desktop.sandbox.data_dir_lock import pid_alive
from codaiq_desktop.signing import sign
from codaiq_desktop.tls import ssl_context

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and flock")

SECRET = "local-inbox-webhook-secret-0123456789"
ROOT = Path(__file__).resolve().parents[2]

# An "app" that starts the local inbox server and then waits (the test kills it).
_APP = textwrap.dedent(
    """
    import asyncio, json, sys
    from pathlib import Path
    from codaiq_desktop.inbox_server.desktop_child import LocalInboxProcess

    async def main():
        child = LocalInboxProcess(Path(sys.argv[1]))
        url = await child.start()
        print(json.dumps({"url": url, "pid": child.pid}), flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())
    """
)


def _lead(number: int) -> bytes:
    return json.dumps(
        {
            "id": f"evt_local_{number}",
            "event": "lead.captured",
            "timestamp": "2026-12-04T10:00:00.000Z",
            "websiteId": "web_1",
            "projectId": "proj_1",
            "data": {"leadId": f"lead_{number}", "name": f"Person {number}", "email": f"p{number}@example.com"},
        }
    ).encode()


def _wait(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.05)


async def test_set_up_once_then_the_same_data_and_port_on_the_next_start(tmp_path: Path) -> None:
    folder = tmp_path / "inbox-server"
    setup, token = await create_setup(folder, SECRET)
    assert read_setup(folder) == setup
    assert token not in (folder / "local-inbox.json").read_text()

    first = LocalInboxProcess(folder)
    url = await first.start()
    try:
        async with httpx.AsyncClient(verify=ssl_context(), base_url=url) as http:
            me = (await http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).json()
            assert me["agency"]["id"] == setup.agency and me["member"]["id"] == setup.member
            body = _lead(1)
            answer = await http.post(
                setup.webhook_path,
                content=body,
                headers={"Content-Type": "application/json", "X-Codaiq-Signature": sign(body, SECRET)},
            )
            assert answer.status_code == 200, answer.text
    finally:
        await first.stop()
    assert stale_holder(folder) is None  # the folder is free once it stopped

    port = int(url.rsplit(":", 1)[1])
    second = LocalInboxProcess(folder)
    again = await second.start(port)
    try:
        assert again == url
        async with httpx.AsyncClient(verify=ssl_context(), base_url=again) as http:
            leads = (await http.get("/api/v1/leads", headers={"Authorization": f"Bearer {token}"})).json()
        assert [lead["email"] for lead in leads["leads"]] == ["p1@example.com"]
    finally:
        await second.stop()


async def test_a_second_server_on_the_same_folder_is_refused_in_words(tmp_path: Path) -> None:
    folder = tmp_path / "inbox-server"
    await create_setup(folder, SECRET)
    running = LocalInboxProcess(folder)
    await running.start()
    try:
        holder = stale_holder(folder)
        assert holder is not None and holder.pid == running.pid
        assert not is_stale(holder)  # its app (this test) still runs
        with pytest.raises(LocalInboxFolderInUseError, match="in use by process"):
            await free_folder(folder)
        with pytest.raises(Exception, match="in use by process"):
            await LocalInboxProcess(folder).start()
    finally:
        await running.stop()


def _start_app(folder: Path, tmp_path: Path) -> tuple[subprocess.Popen[str], int, str]:
    driver = tmp_path / "app.py"
    driver.write_text(_APP)
    app = subprocess.Popen(
        [sys.executable, str(driver), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    assert app.stdout is not None
    ready = json.loads(app.stdout.readline())
    return app, int(ready["pid"]), str(ready["url"])


@pytest.mark.slow
async def test_the_server_ends_with_its_app(tmp_path: Path) -> None:
    folder = tmp_path / "inbox-server"
    await create_setup(folder, SECRET)
    app, server_pid, _url = _start_app(folder, tmp_path)
    try:
        assert pid_alive(server_pid)
        app.kill()
        app.wait(30)
        _wait(lambda: not pid_alive(server_pid) and stale_holder(folder) is None, "the server's exit")
    finally:
        if pid_alive(server_pid):
            os.kill(server_pid, signal.SIGKILL)


@pytest.mark.slow
async def test_a_hung_server_left_by_a_killed_app_is_stopped_on_the_next_start(tmp_path: Path) -> None:
    folder = tmp_path / "inbox-server"
    setup, _token = await create_setup(folder, SECRET)
    app, server_pid, _url = _start_app(folder, tmp_path)
    try:
        os.kill(server_pid, signal.SIGSTOP)  # hung: it cannot notice its app's death
        app.kill()
        app.wait(30)
        holder = stale_holder(folder)
        assert holder is not None and holder.pid == server_pid and is_stale(holder)

        await free_folder(folder)
        _wait(lambda: not pid_alive(server_pid), "the stale server's end")
        fresh = LocalInboxProcess(folder)
        await fresh.start()
        try:
            assert fresh.pid != server_pid and read_setup(folder) == setup
        finally:
            await fresh.stop()
    finally:
        if pid_alive(server_pid):
            os.kill(server_pid, signal.SIGCONT)
            os.kill(server_pid, signal.SIGKILL)


def test_another_program_holding_the_folder_is_not_stopped(tmp_path: Path) -> None:
    folder = tmp_path / "inbox-server"
    holder_code = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from codaiq_desktop.sandbox.data_dir_lock import DataDirLock
        lock = DataDirLock(Path(sys.argv[1]), name="serve.lock")
        lock.acquire()
        print("holding", flush=True)
        time.sleep(120)
        """
    )
    other = subprocess.Popen(
        [sys.executable, "-c", holder_code, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "holding"
        holder = stale_holder(folder)
        assert holder is not None and not is_stale(holder)
        import asyncio

        with pytest.raises(LocalInboxFolderInUseError, match=f"process {other.pid}"):
            asyncio.run(free_folder(folder))
        assert other.poll() is None
    finally:
        other.kill()
        other.wait(30)


async def test_add_member_prints_an_invite_carrying_address_and_token(tmp_path: Path) -> None:
    from codaiq_desktop.inbox_server.desktop_child import LocalInboxError, run_admin
    from codaiq_desktop.team import parse_invite

    folder = tmp_path / "inbox-server"
    setup, _token = await create_setup(folder, SECRET)
    answer = await run_admin(
        folder,
        "add-member",
        "--agency",
        setup.agency,
        "--email",
        "bo@example.com",
        "--server-url",
        "https://inbox.example.com/",
    )
    server = parse_invite(answer["invite"])
    assert (server.url, server.token) == ("https://inbox.example.com", answer["token"])
    with pytest.raises(LocalInboxError, match="not a server address"):
        await run_admin(
            folder,
            "add-member",
            "--agency",
            setup.agency,
            "--email",
            "cy@example.com",
            "--server-url",
            "inbox.example.com",
        )
