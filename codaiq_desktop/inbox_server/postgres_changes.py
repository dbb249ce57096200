"""The PostgreSQL engine's change log after commit: numbering the changes, and hearing of them.

A write batch commits its change rows unnumbered (the delivery is answered then). The
sequencer here then numbers every committed, unnumbered row of an agency in one short
transaction under the agency row's lock (``inbox_sequence_changes``), so within an agency
the numbers are gapless and in the order they became visible: "every change after N" never
skips one that committed late. Numbering outside the data transaction keeps that lock (and
its fsync) off every delivery's path. One NOTIFY per numbering transaction (payload
``agency:seq``) wakes the streams of every process through the listener here; the table is
what they replay. A process killed between commit and numbering leaves rows that any
process's sequencer numbers within a second.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg
from psycopg_pool import AsyncConnectionPool

from .tasks import stop_tasks

_log = logging.getLogger(__name__)

ChangeListener = Callable[[str, int], None]

CHANNEL = "codaiq_inbox"
SEQUENCE_GAP = 0.01
"""Seconds the sequencer rests after numbering: a few ms more to a stream, far fewer transactions under load."""


class ChangeSequencer:
    """Numbers committed changes (``committed`` wakes it) and tells ``listeners`` of every process's news."""

    def __init__(self, dsn: str, pool: Callable[[], AsyncConnectionPool | None]) -> None:
        self._dsn = dsn
        self._pool = pool
        self._listeners: list[ChangeListener] = []
        self._to_sequence: set[str] = set()
        self._wakeup = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False

    def start(self) -> None:
        self._closing = False  # an engine closed and opened again runs again
        for task in (
            asyncio.create_task(self._listen_loop(), name="inbox-listener"),
            asyncio.create_task(self._sequencer(), name="inbox-sequencer"),
        ):
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        self._closing = True
        self._wakeup.set()
        await stop_tasks(self._tasks)

    def committed(self, agencies: set[str]) -> None:
        """Changes of ``agencies`` were committed unnumbered: number them soon."""
        self._to_sequence |= agencies
        self._wakeup.set()

    def add_listener(self, listener: ChangeListener) -> None:
        """``listener(agency_id, seq)`` on the loop whenever any process committed changes (via NOTIFY)."""
        self._listeners.append(listener)

    async def _listen_loop(self) -> None:
        delay = 0.2
        while not self._closing:
            try:
                async with await psycopg.AsyncConnection.connect(self._dsn, autocommit=True) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    delay = 0.2
                    async for notice in connection.notifies():
                        for part in notice.payload.split(","):
                            agency_id, _, seq = part.rpartition(":")
                            if agency_id and seq.isdigit():
                                for listener in list(self._listeners):
                                    listener(agency_id, int(seq))
            except asyncio.CancelledError:
                raise
            except Exception:
                _log.warning("Lost the database's change notifications; reconnecting (streams poll meanwhile).")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _sequencer(self) -> None:
        """Number committed changes: soon after a local write, and every second for any left over
        (a process killed between its commit and its numbering leaves rows another one numbers).

        After a run it rests ``SEQUENCE_GAP`` seconds, so under load one numbering transaction
        (one lock, one fsync, one NOTIFY) serves every batch that committed meanwhile.
        """
        while not self._closing:
            try:
                async with asyncio.timeout(1.0):  # not wait_for: on 3.11 it can swallow a cancel
                    await self._wakeup.wait()
            except TimeoutError:
                pass
            self._wakeup.clear()
            agencies, self._to_sequence = self._to_sequence, set()
            try:
                await self.sequence_pending(agencies or None)
            except asyncio.CancelledError:
                raise
            except Exception:
                _log.warning("Numbering committed changes failed; retrying.", exc_info=True)
                self._to_sequence |= agencies
                await asyncio.sleep(0.5)
            else:
                await asyncio.sleep(SEQUENCE_GAP)

    async def sequence_pending(self, agencies: set[str] | None = None) -> None:
        """Number the committed, unnumbered changes of ``agencies`` (``None``: of every agency) now.

        One transaction: a ``pg_notify`` per agency with news wakes every process's streams.
        """
        pool = self._pool()
        if pool is None:
            raise RuntimeError("The inbox storage is not open.")
        async with pool.connection() as connection:
            if agencies is None:
                cursor = await connection.execute("SELECT inbox_unsequenced_agencies()")
                agencies = {row[0] for row in await cursor.fetchall()}
            if agencies:
                await connection.execute(
                    "SELECT inbox_sequence_changes(a) FROM unnest(%s::text[]) AS a", (sorted(agencies),)
                )
