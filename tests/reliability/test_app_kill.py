"""SIGKILL of the running app in the middle of a burst of signed webhook events.

The receiver answers 2xx only after the event is committed (WAL, ``synchronous=FULL``),
so a sender that got its 2xx may forget the event: it is on disk. This test holds the
app to that. The real app runs as a child (offscreen, its own XDG folders), a sender
fires signed events at its receiver from several threads, the app is killed with
SIGKILL part-way through, and the store file it leaves is opened again: every
acknowledged event is in it and ``PRAGMA integrity_check`` is ``ok``.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.store import Store
from codaiq_desktop.tls import ssl_context
from tests.fixtures.receiver import make_event, signed_headers
from tests.reliability.app_child import make_app_home
from tests.reliability.conftest import wait_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

SECRET = "kill-test-secret-" + "7f3a9c1e5b2d4086"
SENDERS = 8
PER_SENDER = 400  # far more than are sent before the kill lands


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, verify=ssl_context(), timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.slow  # the app as a process, killed mid-burst, its store reopened
def test_sigkill_mid_burst_keeps_every_acknowledged_event(tmp_path: Path) -> None:
    home = make_app_home(tmp_path / "home", SECRET)
    process = home.start(tmp_path / "app.log")
    acked: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    try:
        wait_until(
            lambda: process.poll() is None and _healthy(f"http://127.0.0.1:{home.port}/health"),
            "the app's receiver to listen",
            timeout=60,
        )

        def send(worker: int) -> None:
            with httpx.Client(verify=ssl_context(), timeout=10.0) as http:
                for n in range(PER_SENDER):
                    if stop.is_set():
                        return
                    payload = make_event(
                        "lead.captured",
                        website_id="web_kill",
                        data={
                            "leadId": f"lead_{worker}_{n}",
                            "name": f"Lead {worker}-{n}",
                            "email": f"l{worker}x{n}@example.com",
                        },
                    )
                    body = json.dumps(payload).encode()
                    try:
                        response = http.post(home.url, content=body, headers=signed_headers(body, SECRET))
                    except httpx.HTTPError:
                        return  # the app is gone: nothing was acknowledged
                    assert response.status_code in (200, 503), response.text
                    if response.status_code == 200:
                        with lock:
                            acked.append(payload["id"])

        with ThreadPoolExecutor(SENDERS) as pool:
            futures = [pool.submit(send, w) for w in range(SENDERS)]
            wait_until(lambda: len(acked) >= 150, "the first acknowledged events", timeout=60)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            stop.set()
            for future in futures:
                future.result()
    finally:
        stop.set()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert len(acked) < SENDERS * PER_SENDER  # the kill landed mid-burst

    with Store(home.store_path) as store:
        assert store.integrity_check() == "ok"
        stored = {event.event_id for event in store.list_events(limit=SENDERS * PER_SENDER + 10)}
    missing = set(acked) - stored
    assert not missing, f"{len(missing)} acknowledged events lost, e.g. {sorted(missing)[:3]}"
