"""``StoreReader.read``: a store read awaited by a coroutine, on a real store file."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from codaiq_desktop.store import Store
from codaiq_desktop.ui.common.store_reader import StoreReader
from tests.fixtures.receiver import encode, make_event


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


def test_a_read_is_awaited_off_the_ui_thread_in_order(qtbot, qloop, store: Store) -> None:
    qloop.run(store.ingest(encode(make_event("lead.captured")), {}))
    reader = StoreReader(store)
    ui_thread = threading.current_thread()
    threads: list[threading.Thread] = []

    def unread(read_from: Store) -> int:
        threads.append(threading.current_thread())
        return read_from.unread_count()

    async def both() -> tuple[int, int]:
        first, second = reader.read(unread), reader.read(lambda s: s.count_leads())
        return await first, await second

    assert qloop.run(both()) == (1, 1)
    assert threads and threads[0] is not ui_thread
    reader.close()


def test_a_failed_read_raises_where_it_is_awaited(qtbot, qloop, store: Store) -> None:
    reader = StoreReader(store)

    def broken(_: Store) -> int:
        raise LookupError("no such page")

    with pytest.raises(LookupError, match="no such page"):
        qloop.run(reader.read(broken))
    reader.close()


def test_closing_the_reader_cancels_a_read_still_waiting(qtbot, qloop, store: Store) -> None:
    reader = StoreReader(store)
    release = threading.Event()
    first = reader.read(lambda _s: release.wait(10))  # holds the one worker
    waiting = reader.read(lambda s: s.count_leads())
    reader.close()
    release.set()
    assert waiting.cancelled() and first.cancelled()
    with pytest.raises(asyncio.CancelledError):
        qloop.run(reader.read(lambda s: s.count_leads()))  # a closed reader reads nothing
