"""The `codaiq-desktop sandbox` command and the child-process wrapper the app uses."""

from __future__ import annotations

import asyncio
import sys

import httpx
import pytest

from codaiq_desktop.cli import main
from codaiq_desktop.sandbox.process import SandboxProcess, SandboxStartError
from codaiq_desktop.tls import ssl_context


async def test_child_process_starts_serves_and_stops(tmp_path) -> None:
    exits: list[int] = []
    process = SandboxProcess(tmp_path, port=0, build_seconds=0, on_exit=exits.append)
    endpoint = await process.start()
    try:
        assert endpoint.base_url == endpoint.root_url + "/api"
        assert process.running and endpoint.pid > 0
        async with httpx.AsyncClient(verify=ssl_context(), trust_env=False) as client:
            response = await client.get(endpoint.base_url + "/project", headers={"X-API-Key": endpoint.api_key})
            assert response.status_code == 200
            assert response.headers["x-ratelimit-limit"] == "200"  # the default key is on the agency plan
    finally:
        code = await process.stop()
    assert code == 0
    await asyncio.sleep(0)
    assert exits == [0]
    assert not process.running


async def test_child_process_keeps_its_key_across_restarts(tmp_path) -> None:
    first = SandboxProcess(tmp_path)
    key = (await first.start()).api_key
    await first.stop()
    second = SandboxProcess(tmp_path)
    try:
        assert (await second.start()).api_key == key
    finally:
        await second.stop()


async def test_a_child_that_cannot_start_reports_why(tmp_path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be")
    process = SandboxProcess(blocker / "data")
    with pytest.raises(SandboxStartError):
        await process.start(timeout=30)
    assert not process.running


def test_key_command_prints_a_working_key(tmp_path, capsys) -> None:
    assert main(["sandbox", "key", "--plan", "pro", "--account", "cli", "--data", str(tmp_path)]) == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith("cdq_sbx_")
    from codaiq_desktop.sandbox import SandboxConfig
    from codaiq_desktop.sandbox.service import SandboxService

    service = SandboxService(SandboxConfig(data_dir=tmp_path))
    try:
        caller, quota, burst = service.authenticate(key)
    finally:
        service.db.close()
    assert (caller.plan, caller.account, quota, burst) == ("pro", "cli", 2000, 60)


def test_simulate_command_records_history(tmp_path, capsys) -> None:
    from codaiq_desktop.sandbox import SandboxConfig
    from codaiq_desktop.sandbox.service import SandboxService

    async def make_site() -> str:
        service = SandboxService(SandboxConfig(data_dir=tmp_path, build_seconds=0))
        await service.start()
        caller = service.authenticate(service.default_api_key)[0]
        website = service.generate(caller, "A cafe in Hove", None, None)
        await service.settle()
        await service.stop()
        return website.id

    website_id = asyncio.run(make_site())
    assert main(["sandbox", "simulate", website_id, "--days", "7", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"for {website_id} over 7 days" in out
    count = int(out.split()[1])
    assert count > 50
    assert main(["sandbox", "simulate", "web_missing", "--data", str(tmp_path)]) == 1


async def test_plain_sandbox_command_prints_base_url_and_key_and_stops_on_sigterm(tmp_path) -> None:
    import signal
    import sys

    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "codaiq_desktop",
        "sandbox",
        "--port",
        "0",
        "--data",
        str(tmp_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        lines = [(await asyncio.wait_for(child.stdout.readline(), 30)).decode() for _ in range(3)]
        base_url = lines[1].split("Base URL:")[1].strip()
        key = lines[2].split("API key:")[1].split()[0]
        async with httpx.AsyncClient(verify=ssl_context(), trust_env=False) as client:
            response = await client.get(base_url + "/project", headers={"X-API-Key": key})
        assert response.status_code == 200
    finally:
        child.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(child.wait(), 30)
    assert code == 0


async def test_the_child_stops_when_its_parent_goes_away(tmp_path) -> None:
    from codaiq_desktop.sandbox.process import sandbox_command

    child = await asyncio.create_subprocess_exec(
        *sandbox_command(tmp_path),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    ready = await asyncio.wait_for(child.stdout.readline(), 30)
    assert b"baseUrl" in ready
    child.stdin.close()  # what the OS does when the parent dies
    assert await asyncio.wait_for(child.wait(), 30) == 0


async def test_a_second_child_on_the_same_data_dir_says_it_is_in_use(tmp_path) -> None:
    first = SandboxProcess(tmp_path)
    await first.start()
    try:
        second = SandboxProcess(tmp_path)
        with pytest.raises(SandboxStartError, match="in use"):
            await second.start()
    finally:
        await first.stop()


def test_a_frozen_windows_app_runs_its_sandbox_through_the_console_twin(tmp_path, monkeypatch) -> None:
    """The windowed .exe has no stdout for the ready line; the -cli.exe beside it has."""
    from codaiq_desktop.sandbox import process

    windowed = tmp_path / "codaiq-desktop.exe"
    windowed.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(windowed))
    monkeypatch.setattr(sys, "platform", "win32")
    # No console twin in the folder: the executable itself (nothing better exists).
    assert process.sandbox_command(tmp_path)[0] == str(windowed)
    console = tmp_path / "codaiq-desktop-cli.exe"
    console.write_bytes(b"")
    command = process.sandbox_command(tmp_path)
    assert command[0] == str(console) and command[1] == "sandbox" and "--ready-json" in command
    # Elsewhere the one executable does both.
    monkeypatch.setattr(sys, "platform", "linux")
    assert process.sandbox_command(tmp_path)[0] == str(windowed)
