"""A store that keeps failing: 503s for the sender, one warning in the log, not one per delivery.

The full-disk case (a known condition, no traceback) runs on a real full disk in
``tests/reliability/test_full_disk.py``; here the store fails for a reason nobody
anticipated, whose traceback a developer needs, once.
"""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.receiver import WebhookReceiver
from codaiq_desktop.store import Store
from codaiq_desktop.tls import ssl_context
from tests.fixtures.receiver import TEST_SECRET, encode, make_event, signed_headers


async def test_fifty_failing_deliveries_log_one_warning_and_one_debug_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store(tmp_path / "store.sqlite3")
    changes: list[str | None] = []
    receiver = WebhookReceiver(store, [TEST_SECRET], host="127.0.0.1", port=0, on_store_state=changes.append)
    await receiver.start()
    try:
        store.close()  # the store is gone from under the receiver: every write now fails
        caplog.set_level(logging.DEBUG, logger="codaiq_desktop")
        async with httpx.AsyncClient(verify=ssl_context(), timeout=30, trust_env=False) as http:
            for number in range(50):
                body = encode(make_event(event_id=f"evt_fail_{number}"))
                response = await http.post(receiver.url, content=body, headers=signed_headers(body, TEST_SECRET))
                assert response.status_code == 503
                assert response.headers["retry-after"].isdigit()
    finally:
        await receiver.stop()
    assert receiver.stats.failed == 50
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert warnings[0].exc_info is None and "The store is closed." in warnings[0].getMessage()
    traced = [r for r in caplog.records if r.exc_info]
    assert len(traced) == 1 and traced[0].levelno == logging.DEBUG
    assert receiver.store_health.failing and receiver.store_health.failures_since_ok == 50
    assert len(changes) == 1 and changes[0] is not None and "StoreClosedError" in changes[0]


async def test_a_working_store_logs_nothing_about_its_health(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="codaiq_desktop.receiver")
    with Store(tmp_path / "store.sqlite3") as store:
        async with WebhookReceiver(store, [TEST_SECRET], host="127.0.0.1", port=0) as receiver:
            async with httpx.AsyncClient(verify=ssl_context(), timeout=30, trust_env=False) as http:
                body = encode(make_event(event_id="evt_ok"))
                response = await http.post(receiver.url, content=body, headers=signed_headers(body, TEST_SECRET))
                assert response.status_code == 200
            assert not receiver.store_health.failing
    assert [r.getMessage() for r in caplog.records if "stored" in r.getMessage()] == []
