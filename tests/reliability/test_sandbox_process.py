"""The sandbox as a child process that dies and comes back, and a sandbox port that is taken.

The desktop app runs its sandbox in a child process and keeps one client for the
whole session. When the child is killed (OOM killer, a crash, a user's ``kill -9``)
the client must say so in plain words and work again, without being recreated, once
the child is back on the same port with the same data.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import socket
import sqlite3
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from codaiq_desktop.api import CodaiqClient, RetryPolicy, errors
from codaiq_desktop.sandbox.process import SandboxProcess
from codaiq_desktop.tls import ssl_context
from tests.reliability.conftest import FAST_RETRY, child_env, cli_command

pytestmark = pytest.mark.slow

# Enough patience to span a child's restart (a second or two) without a fixed sleep anywhere.
PATIENT_RETRY = RetryPolicy(max_retries=200, backoff_base=0.1, backoff_max=0.5, jitter=0.0, total_time=90.0)


@pytest_asyncio.fixture
async def sandbox_child(tmp_path: Path) -> AsyncIterator[SandboxProcess]:
    exits: list[int] = []
    child = SandboxProcess(tmp_path / "sandbox-data", build_seconds=0.2, on_exit=exits.append)
    await child.start()
    try:
        yield child
    finally:
        await child.stop()


def _lead_ids(data_dir: Path) -> list[str]:
    """The leads in the sandbox's database file, read directly (WAL lets a reader in beside it)."""
    connection = sqlite3.connect(f"file:{data_dir / 'sandbox.sqlite3'}?mode=ro", uri=True)
    try:
        return [str(row[0]) for row in connection.execute("SELECT id FROM leads ORDER BY created_at")]
    finally:
        connection.close()


async def _kill(child: SandboxProcess) -> None:
    assert child.endpoint is not None
    os.kill(child.endpoint.pid, signal.SIGKILL)
    assert await asyncio.wait_for(child.wait(), 30) == -signal.SIGKILL


async def _restart_on_same_port(child: SandboxProcess, data_dir: Path) -> SandboxProcess:
    assert child.endpoint is not None
    port = int(child.endpoint.root_url.rsplit(":", 1)[1])
    again = SandboxProcess(data_dir, port=port, build_seconds=0.2)
    endpoint = await again.start()
    assert endpoint.base_url == child.endpoint.base_url
    return again


async def test_a_killed_sandbox_is_reported_plainly_and_the_same_client_recovers_with_the_data(
    sandbox_child: SandboxProcess, tmp_path: Path
) -> None:
    endpoint = sandbox_child.endpoint
    assert endpoint is not None
    async with CodaiqClient(endpoint.base_url, endpoint.api_key, retry=FAST_RETRY) as client:
        started = await client.generate("A bakery in Leeds", name="Leeds Bakery")
        async for _update in client.wait_for_build(started.project_id, started.website_id, interval=0.05):
            pass
        receipt = await client.submit_lead(started.website_id, "Jane Smith", "jane@example.com")

        await _kill(sandbox_child)
        with pytest.raises(errors.NetworkError) as info:
            await client.list_projects()
        message = str(info.value)
        assert message.startswith(f"Could not connect to the Codaiq API at {endpoint.root_url}")
        assert "Check your network connection" in message
        assert info.value.request_sent is False

        restarted = await _restart_on_same_port(sandbox_child, tmp_path / "sandbox-data")
        try:
            assert not client.closed
            project = await client.get_project(started.project_id)  # the same client object
            (website,) = project.websites
            assert website.id == started.website_id and website.build_status == "ready"
            assert restarted.endpoint is not None and restarted.endpoint.api_key == endpoint.api_key
            assert receipt.lead_id and _lead_ids(tmp_path / "sandbox-data") == [receipt.lead_id]  # kept
            again = await client.submit_lead(started.website_id, "John Doe", "john@example.com")
            assert again.lead_id and sorted(_lead_ids(tmp_path / "sandbox-data")) == sorted(
                [receipt.lead_id, again.lead_id]
            )
            path = await client.export_website(started.project_id, started.website_id, tmp_path)
            assert path.stat().st_size > 0
        finally:
            await restarted.stop()


async def test_a_get_in_flight_when_the_sandbox_dies_completes_once_it_is_back(
    sandbox_child: SandboxProcess, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A slow request is cut by the kill; the client retries it until the restarted child answers."""
    caplog.set_level(logging.INFO, logger="codaiq_desktop.api")
    endpoint = sandbox_child.endpoint
    assert endpoint is not None
    async with CodaiqClient(endpoint.base_url, endpoint.api_key, retry=PATIENT_RETRY) as client:
        started = await client.generate("A florist in York", name="York Florist")
        faults_url = f"{endpoint.root_url}/api/sandbox/faults"
        slow_get = {"path": "/api/project", "method": "GET", "kind": "latency", "delay": 30}
        async with httpx.AsyncClient(verify=ssl_context(), timeout=10, trust_env=False) as admin:
            (await admin.put(faults_url, json={"rules": [slow_get]})).raise_for_status()
            in_flight = asyncio.create_task(client.list_projects())
            for _ in range(1500):  # until the server holds the request (a hang guard of ~30 s)
                if (await admin.get(faults_url)).json()["rules"][0]["hits"] >= 1:
                    break
                await asyncio.sleep(0.02)
            else:
                pytest.fail("the request never reached the sandbox")
        await _kill(sandbox_child)
        restarted = await _restart_on_same_port(sandbox_child, tmp_path / "sandbox-data")
        try:
            projects = await asyncio.wait_for(in_flight, 60)  # faults are not persisted: the retry is fast
            assert [p.id for p in projects] == [started.project_id]
        finally:
            await restarted.stop()
    retries = [r.getMessage() for r in caplog.records if "GET /project" in r.getMessage() and "retry" in r.getMessage()]
    assert retries and "ConnectError" in " ".join(retries)  # it really was cut off and sent again


def test_starting_the_sandbox_on_a_taken_port_says_so_without_a_traceback(tmp_path: Path) -> None:
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = subprocess.run(
            [*cli_command(), "sandbox", "--port", str(port), "--data", str(tmp_path / "data"), "--ready-json"],
            capture_output=True,
            text=True,
            timeout=60,
            env=child_env(),
            check=False,
        )
    finally:
        holder.close()
    assert result.returncode != 0
    assert result.stdout == ""  # no ready line: a program waiting for one is not misled
    assert "Traceback" not in result.stderr
    assert "Errno" not in result.stderr and "ERROR" not in result.stderr  # uvicorn's own line stays out
    (line,) = result.stderr.strip().splitlines()
    match = re.fullmatch(
        rf"Port {port} on 127\.0\.0\.1 is already in use \(is another sandbox running\?\)\. "
        r"Try --port 0 for a free port, or --port (\d+)\.",
        line,
    )
    assert match, line
    suggested = int(match.group(1))
    assert suggested != port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        probe.bind(("127.0.0.1", suggested))  # the suggestion really is free
