"""The receiver on the desktop app's arrangement: a qasync loop on the Qt thread."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest

from codaiq_desktop.receiver import WebhookReceiver
from codaiq_desktop.store import Store, StoredEvent
from codaiq_desktop.tls import ssl_context
from tests.fixtures.qt_async import QtAsyncRunner
from tests.fixtures.receiver import encode, make_event, signed_headers


@pytest.fixture
def collect_qt_garbage() -> Iterator[None]:
    """Collect the loop's leftover Qt timers here, on the Qt thread, once the loop is closed.

    Requested before ``qloop`` so it is torn down after it; otherwise a later garbage
    collection on some other thread deletes them and Qt warns (failing that test).
    """
    yield
    gc.collect()


def test_receiver_serves_on_the_qt_loop_and_notifies_on_the_qt_thread(
    collect_qt_garbage: None, qloop: QtAsyncRunner, store: Store, until: Callable[..., None]
) -> None:
    heard: list[tuple[StoredEvent, threading.Thread]] = []
    store.bus.subscribe(lambda event: heard.append((event, threading.current_thread())))
    receiver = WebhookReceiver(store, ["qt-secret"])

    async def scenario() -> list[int]:
        await receiver.start()
        try:
            async with httpx.AsyncClient(verify=ssl_context(), timeout=10) as client:
                statuses = []
                for _ in range(20):
                    body = encode(make_event())
                    response = await client.post(receiver.url, content=body, headers=signed_headers(body, "qt-secret"))
                    statuses.append(response.status_code)
            return statuses
        finally:
            await receiver.stop()

    assert qloop.run(scenario()) == [200] * 20
    until(lambda: len(heard) >= 20, timeout=10, message=lambda: f"{len(heard)} of 20 notices heard")
    assert store.count_events() == 20
    assert len(heard) == 20
    assert all(thread is threading.main_thread() for _, thread in heard)
