"""Run the store's reads on one worker thread; deliver results on the Qt thread.

Most page reads take a few milliseconds, but a text search over a million leads can
take a few hundred: done in a slot, that freezes the window. The Leads and Events
tabs therefore never read the store on the UI thread. One worker keeps reads in the
order they were asked (a page asked after a reset is read after it), and results come
back through a queued Qt signal, so callbacks run on the UI thread with no asyncio
loop required (the table models work in any Qt test). A coroutine that needs a read
midway awaits :meth:`StoreReader.read` (run through ``AppServices.run``).
"""

from __future__ import annotations

import itertools
import logging
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)

S = TypeVar("S", covariant=True)
T = TypeVar("T")


class _Relay(QObject):
    """Carries results from worker threads to the Qt thread (queued signal).

    One per process and never deleted: a worker thread must never hold the last
    reference to a Qt object, or Qt would destroy it on the wrong thread.
    """

    sig_finished = Signal(int, int, object, object)
    """(reader id, ticket, result, exception)."""

    def __init__(self) -> None:
        super().__init__()
        self.readers: weakref.WeakValueDictionary[int, StoreReader[object]] = weakref.WeakValueDictionary()
        self.sig_finished.connect(self._dispatch)

    def _dispatch(self, reader_id: int, ticket: int, result: object, exc: BaseException | None) -> None:
        reader = self.readers.get(reader_id)
        if reader is not None and isValid(reader):
            reader._deliver(ticket, result, exc)  # noqa: SLF001 - the readers' own dispatcher


_relay: _Relay | None = None
_reader_ids = itertools.count(1)


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


class StoreReader(QObject, Generic[S]):
    """``submit(job, on_done, on_error)``: ``job(store)`` on the worker, callbacks here."""

    sig_idle = Signal()
    """Every submitted read has been delivered (tests and benchmarks wait on it)."""

    def __init__(self, store: S, parent: QObject | None = None, *, name: str = "store-reader") -> None:
        super().__init__(parent)
        self._store = store
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._tickets = itertools.count(1)
        # Each ticket's result has its own job's type.
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None] | None]] = {}
        self._closed = False
        self._waiting: set[asyncio.Future[Any]] = set()
        self._id = next(_reader_ids)
        _the_relay().readers[self._id] = self

    @property
    def store(self) -> S:
        return self._store

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def submit(
        self,
        job: Callable[[S], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Queue ``job(store)``; returns a ticket (increasing: later tickets run later)."""
        ticket = next(self._tickets)
        if self._closed:
            return ticket
        self._callbacks[ticket] = (on_done, on_error)
        store, reader_id, signal = self._store, self._id, _the_relay().sig_finished

        def work() -> None:  # on the worker: touches no Qt object but the immortal relay
            try:
                result = job(store)
            except Exception as exc:  # noqa: BLE001 - handed to on_error on the Qt thread
                signal.emit(reader_id, ticket, None, exc)
                return
            signal.emit(reader_id, ticket, result, None)

        self._executor.submit(work)
        return ticket

    def read(self, job: Callable[[S], T]) -> asyncio.Future[T]:
        """``job(store)`` on the worker, as a future of the running asyncio loop.

        For a coroutine that needs a read midway; it resolves on the Qt thread, in ticket
        order with :meth:`submit`'s callbacks. Closing the reader cancels it.
        """
        import asyncio

        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        if self._closed:
            future.cancel()
            return future

        def done(result: T) -> None:
            if not future.done():
                future.set_result(result)

        def failed(exc: BaseException) -> None:
            if not future.done():
                future.set_exception(exc)

        self._waiting.add(future)
        future.add_done_callback(self._waiting.discard)
        self.submit(job, done, failed)
        return future

    def _deliver(self, ticket: int, result: object, exc: BaseException | None) -> None:
        callbacks = self._callbacks.pop(ticket, None)
        if callbacks is not None and not self._closed:
            on_done, on_error = callbacks
            if exc is None:
                on_done(result)
            elif on_error is not None:
                on_error(exc)
            else:
                log.error("A background store read failed", exc_info=exc)
        if not self._callbacks:
            self.sig_idle.emit()

    def close(self) -> None:
        """Stop accepting reads; a read in progress finishes, its result is dropped."""
        self._closed = True
        self._callbacks.clear()
        for future in list(self._waiting):
            future.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
