"""A receiver process killed outright loses nothing it acknowledged."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.store import Store
from codaiq_desktop.tls import ssl_context
from tests.fixtures.receiver import encode, make_event, signed_headers

SECRET = "whsec_durability"
SECRET_VAR = "CODAIQ_TEST_DURABILITY_SECRET"


def _start_listener(store_path: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "codaiq_desktop",
            "listen",
            "--port",
            "0",
            "--store",
            str(store_path),
            "--secret-env",
            SECRET_VAR,
            "--ready-json",
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, SECRET_VAR: SECRET},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.kill()
        raise AssertionError(f"listener did not start: {process.stderr.read() if process.stderr else ''}")
    return process, json.loads(line)["url"]


@pytest.mark.slow  # a listener process, 400 deliveries, killed after 300, its store reopened
async def test_sigkill_right_after_a_burst_loses_no_acknowledged_event(tmp_path: Path) -> None:
    store_path = tmp_path / "store.sqlite3"
    process, url = _start_listener(store_path)
    acknowledged: list[str] = []
    try:
        payloads = [make_event("lead.captured" if n % 2 else "form.submitted") for n in range(400)]
        kill_after = 300

        async with httpx.AsyncClient(
            verify=ssl_context(), timeout=10, limits=httpx.Limits(max_connections=32)
        ) as client:

            async def deliver(payload: dict) -> None:
                body = encode(payload)
                try:
                    response = await client.post(url, content=body, headers=signed_headers(body, SECRET))
                except httpx.HTTPError:
                    return  # in flight when the process died: not acknowledged, the sender would retry
                if response.status_code == 200:
                    acknowledged.append(payload["id"])
                    if len(acknowledged) == kill_after:
                        os.kill(process.pid, signal.SIGKILL)  # no chance to flush or close anything

            await asyncio.gather(*(deliver(p) for p in payloads))
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
    assert process.returncode == -signal.SIGKILL
    assert len(acknowledged) >= 300

    raw = sqlite3.connect(store_path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        raw.close()
    with Store(store_path) as reopened:
        stored = {event.event_id for event in reopened.list_events(limit=1000)}
        assert set(acknowledged) <= stored
        assert reopened.integrity_check() == "ok"
