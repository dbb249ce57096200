"""Closing an engine stops its background tasks, even one that ignores its cancellation."""

from __future__ import annotations

import asyncio
import logging

import pytest

from codaiq_desktop.inbox_server.tasks import stop_tasks


async def test_cancelled_tasks_are_awaited() -> None:
    started = asyncio.Event()

    async def waits_forever() -> None:
        started.set()
        await asyncio.Event().wait()

    task = asyncio.create_task(waits_forever())
    await started.wait()
    await stop_tasks([task])
    assert task.cancelled()


async def test_a_task_that_swallows_its_cancel_does_not_hang_closing(caplog: pytest.LogCaptureFixture) -> None:
    stop = asyncio.Event()

    async def stubborn() -> None:
        while not stop.is_set():
            try:
                await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                pass  # the way asyncio.wait_for on Python 3.11 could lose a cancel

    task = asyncio.create_task(stubborn(), name="stubborn")
    await asyncio.sleep(0)
    with caplog.at_level(logging.WARNING, logger="codaiq_desktop.inbox_server.tasks"):
        await stop_tasks([task], timeout=0.3)
    assert not task.done() and "stubborn did not stop" in caplog.text
    stop.set()
    await task
