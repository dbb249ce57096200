"""Request limits for an internet-facing server: token buckets per member token and per client IP.

In memory, per process: behind a load balancer each replica limits on its own, which
bounds the total at (replicas x rate) — enough to stop a runaway script or a scan
without any shared state. Keys are token hashes, never tokens.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """``allow(key)``: True while ``key`` stays under ``rate`` requests/s with bursts up to ``burst``."""

    def __init__(self, rate: float, burst: float, *, max_keys: int = 100_000) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may make its next request (0 when it may now)."""
        bucket = self._buckets.get(key)
        if bucket is None or bucket.tokens >= 1:
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        else:
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def _prune(self, now: float) -> None:
        """Forget buckets that have refilled (they would start full again anyway)."""
        full_after = self.burst / self.rate
        self._buckets = {key: b for key, b in self._buckets.items() if now - b.updated < full_after}
        if len(self._buckets) >= self._max_keys:  # a flood of distinct keys: start over rather than grow
            self._buckets.clear()
