"""Measure how long the Qt event loop goes without turning: what a user feels as a freeze.

A 10 ms timer notes when it fires; the longest gap beyond its interval is the longest
time nothing (no paint, no click, no key) could have been handled. Tests and the
benchmarks hold the Leads and Events tabs to a bound on it while a million rows are
filtered and scrolled or a burst of webhooks arrives.

On a busy machine part of a gap is time the operating system gave the CPU to other
programs. Linux reports, per thread, how long it waited for a CPU while ready to run
(``/proc/thread-self/schedstat``); :attr:`StallWatchdog.longest_own_ms` leaves that
wait out, so it measures the app's own stalls (its code, the GIL, garbage collection)
and not the neighbours' load. Elsewhere it equals :attr:`StallWatchdog.longest_ms`.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer

_SCHEDSTAT = Path("/proc/thread-self/schedstat")


def runqueue_wait_ms() -> float:
    """Milliseconds this thread has spent ready to run but waiting for a CPU (0 if unknown)."""
    try:
        return int(_SCHEDSTAT.read_text().split()[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


class StallWatchdog(QObject):
    """``start()``, do things, ``stop()``; then read :attr:`longest_ms` / :attr:`longest_own_ms`."""

    def __init__(self, interval_ms: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._interval = interval_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self._last_wait = 0.0
        self._started = 0.0
        self.longest_ms = 0.0
        """Longest gap, wall clock."""
        self.longest_own_ms = 0.0
        """Longest gap less the time the OS kept the thread waiting for a CPU."""
        self.ticks = 0
        self.report_ms = 50.0
        self.stalls: list[tuple[float, float, float]] = []
        """(seconds since start, wall ms, own ms) of every gap over ``report_ms``."""

    def start(self) -> None:
        self.longest_ms = self.longest_own_ms = 0.0
        self.ticks = 0
        self.stalls = []
        self._started = self._last = time.perf_counter()
        self._last_wait = runqueue_wait_ms()
        self._timer.start()

    def stop(self) -> None:
        """Stop measuring (again: nothing; the time since the first stop is not a stall)."""
        if not self._timer.isActive():
            return
        self._tick()
        self._timer.stop()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self._started

    def _tick(self) -> None:
        now = time.perf_counter()
        wait = runqueue_wait_ms()
        gap = (now - self._last) * 1000.0 - self._interval
        own = gap - (wait - self._last_wait)
        self.longest_ms = max(self.longest_ms, gap)
        self.longest_own_ms = max(self.longest_own_ms, own)
        if gap > self.report_ms:
            self.stalls.append((self._last - self._started, gap, own))
        self._last = now
        self._last_wait = wait
        self.ticks += 1
