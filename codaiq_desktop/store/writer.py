"""The store's one writer: a dedicated thread owning the only connection that writes.

Why a thread: a durable commit waits for ``fsync``, which can take milliseconds (far
more on a busy laptop disk). Done on the asyncio loop, that would freeze the Qt window
and every other request; done here, the loop just awaits a future.

Why one connection: SQLite allows one writer at a time anyway; funnelling every write
through one queue means no ``database is locked`` retries and a natural place for
*group commit*: jobs that queue up while a commit is in flight are run together in the
next transaction and share its single ``fsync``. If a job in a batch fails, the batch is
rolled back and every job re-run in a transaction of its own, so only that job fails.
A job's future resolves only after COMMIT returned: its effects are then on disk.
A job refused for lack of disk space fails with ``StoreFullError`` (see ``errors.py``).

Two kinds of future: ``submit`` gives a ``concurrent.futures.Future`` (``run`` blocks on
one, for callers off the loop); ``submit_async``, called on an asyncio loop, gives that
loop's own future. The asyncio ones of a batch are settled together, after its COMMIT,
by one ``loop.call_soon_threadsafe`` per loop: one wake-up of the loop per batch instead
of one per job, and no ``concurrent.futures`` hand-off (a lock, a condition and a chained
callback per job) on either side.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .errors import translate_write_error

_log = logging.getLogger(__name__)

T = TypeVar("T")
WriteJob = Callable[[sqlite3.Connection], T]

MAX_BATCH = 512
"""Jobs per transaction at most: bounds how long one commit keeps the first job waiting."""


class StoreClosedError(RuntimeError):
    """A write was asked of a store that has been closed."""


@dataclass(slots=True)
class _Pending:
    """One queued job and who waits for it.

    ``loop`` is ``None`` for a ``concurrent.futures`` future, which the writer thread sets
    itself. Otherwise ``future`` belongs to ``loop`` and may only be touched there: the
    writer notes the ``outcome`` (``(error, result)``) and ``_deliver`` hands the outcomes
    of the whole batch to the loop at once.
    """

    job: Callable[[sqlite3.Connection], Any]
    future: Any
    loop: asyncio.AbstractEventLoop | None = None
    outcome: tuple[BaseException | None, Any] | None = None

    def start(self) -> bool:
        """False when the waiter gave up (cancelled) before the job ran: it is skipped then."""
        if self.loop is None:
            return bool(self.future.set_running_or_notify_cancel())
        return not self.future.cancelled()  # a read only; a cancel after it just drops the result

    def resolve(self, result: Any) -> None:
        if self.loop is None:
            self.future.set_result(result)
        else:
            self.outcome = (None, result)

    def reject(self, exc: BaseException) -> None:
        if self.loop is None:
            self.future.set_exception(exc)
        else:
            self.outcome = (exc, None)


def _settle(outcomes: list[tuple[asyncio.Future[Any], BaseException | None, Any]]) -> None:
    """On the loop: resolve a batch's futures (those whose waiter has not given up)."""
    for future, error, result in outcomes:
        if future.done():  # cancelled meanwhile
            continue
        if error is None:
            future.set_result(result)
        else:
            try:
                future.set_exception(error)
            except TypeError:  # StopIteration cannot travel through a future
                future.set_exception(RuntimeError(f"A write job raised {error!r}"))


class _Stop:
    """The writer's stop request, queued behind the writes already asked for."""


_STOP = _Stop()


class WriterThread:
    """Runs write jobs one transaction at a time on its own thread and connection."""

    def __init__(self, path: Path, prepare: Callable[[sqlite3.Connection], None]) -> None:
        """Open ``path`` on the new thread and run ``prepare`` (pragmas, migrations) there.

        Raises whatever opening or ``prepare`` raised, so a bad file fails the
        constructor instead of the first write.
        """
        self._path = path
        self._queue: queue.SimpleQueue[_Pending | _Stop] = queue.SimpleQueue()
        self._closed = False
        self._close_lock = threading.Lock()
        opened: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(
            target=self._run, args=(prepare, opened), name=f"store-writer:{path.name}", daemon=True
        )
        self._thread.start()
        opened.result()

    def submit(self, job: WriteJob[T]) -> concurrent.futures.Future[T]:
        """Queue ``job(connection)``; the future resolves once its transaction committed."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        with self._close_lock:
            if self._closed:
                raise StoreClosedError("The store is closed.")
            self._queue.put(_Pending(job, future))
        return future

    def submit_async(self, job: WriteJob[T]) -> asyncio.Future[T]:
        """Like ``submit``, for a caller on a running asyncio loop: a future of that loop.

        It resolves (on the loop) once the job's transaction committed; the jobs of one
        batch are resolved together, by a single wake-up of the loop.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._close_lock:
            if self._closed:
                raise StoreClosedError("The store is closed.")
            self._queue.put(_Pending(job, future, loop))
        return future

    def run(self, job: WriteJob[T]) -> T:
        """Submit ``job`` and wait for it: for callers that are not on the asyncio loop."""
        return self.submit(job).result()

    def close(self) -> None:
        """Finish every queued job, then close the connection and end the thread."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join()

    # -- the thread -------------------------------------------------------------------

    def _run(self, prepare: Callable[[sqlite3.Connection], None], opened: concurrent.futures.Future[None]) -> None:
        try:
            connection = sqlite3.connect(self._path, isolation_level=None)
            try:
                prepare(connection)
            except BaseException:
                connection.close()
                raise
        except BaseException as exc:  # hand it to the constructor
            opened.set_exception(exc)
            return
        opened.set_result(None)
        try:
            stopping = False
            while not stopping:
                first = self._queue.get()
                if isinstance(first, _Stop):
                    break
                batch: list[_Pending] = [first]
                while len(batch) < MAX_BATCH:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if isinstance(item, _Stop):
                        stopping = True
                        break
                    batch.append(item)
                try:
                    self._run_batch(connection, batch)
                except BaseException as exc:  # e.g. a disk I/O error on BEGIN itself
                    error = translate_write_error(exc, self._path)
                    if error is exc:  # a full disk is the callers' news, told once by them
                        _log.debug("Store write batch failed", exc_info=exc)
                    self._fail_unfinished(connection, batch, error)
                finally:
                    self._deliver(batch)
        finally:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("PRAGMA optimize")
            connection.close()

    @staticmethod
    def _fail_unfinished(connection: sqlite3.Connection, batch: list[_Pending], exc: BaseException) -> None:
        """Nobody may wait forever: every job of a broken batch gets the error."""
        if connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        for pending in batch:
            future = pending.future
            if pending.loop is not None:
                if pending.outcome is None and not future.cancelled():
                    pending.outcome = (exc, None)
            elif not future.done() and (future.running() or future.set_running_or_notify_cancel()):
                future.set_exception(exc)

    @staticmethod
    def _deliver(batch: list[_Pending]) -> None:
        """Hand the batch's asyncio outcomes to their loops: one ``call_soon_threadsafe`` per loop."""
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], BaseException | None, Any]]] = {}
        for pending in batch:
            if pending.outcome is not None and pending.loop is not None:
                error, result = pending.outcome
                by_loop.setdefault(pending.loop, []).append((pending.future, error, result))
        for loop, outcomes in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, outcomes)
            except RuntimeError:  # the loop is closed: nobody is left to wait for these
                _log.debug("A store write finished after its event loop closed")

    def _run_batch(self, connection: sqlite3.Connection, batch: list[_Pending]) -> None:
        """All jobs in one transaction; if any fails, each runs again alone.

        Failures are rare (bad input is refused before it gets here), so the common path
        pays for no savepoints; the rare one costs one commit per job of that batch.
        """
        live = [pending for pending in batch if pending.start()]
        if len(live) <= 1:
            for pending in live:
                self._run_alone(connection, pending)
            return
        results: list[Any] = []
        try:
            connection.execute("BEGIN IMMEDIATE")
            for pending in live:
                results.append(pending.job(connection))
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
            for pending in live:  # find the culprit; the others still commit
                self._run_alone(connection, pending)
            return
        for pending, result in zip(live, results, strict=True):
            pending.resolve(result)

    def _run_alone(self, connection: sqlite3.Connection, pending: _Pending) -> None:
        try:
            connection.execute("BEGIN IMMEDIATE")
            result = pending.job(connection)
            connection.execute("COMMIT")
        except BaseException as exc:
            if connection.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
            pending.reject(translate_write_error(exc, self._path))
        else:
            pending.resolve(result)
