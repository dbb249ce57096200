"""The pacer and the fetcher against a real sandbox whose clock the test moves.

The sandbox counts its rate-limit windows (the UTC minute and day) on a ``ManualClock``;
the pacer reads the same clock and its waits move it forward, so minutes of paced
fetching take a second. Every response status is counted on the wire: not one 429.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from codaiq_desktop.api import CodaiqClient
from codaiq_desktop.sandbox import SandboxConfig, SandboxThread
from codaiq_desktop.sandbox.clock import ManualClock
from codaiq_desktop.site_stats import FiguresCache, QuotaPacer, SiteFiguresFetcher
from codaiq_desktop.tls import ssl_context


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts the status codes that come back over the network."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport(verify=ssl_context())
        self.statuses: Counter[int] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        self.statuses[response.status_code] += 1
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.fixture
def clocked(tmp_path: Path) -> Iterator[tuple[SandboxThread, ManualClock]]:
    # Start a few seconds into a UTC minute, well before midnight.
    now = time.time()
    start = (now // 86_400) * 86_400 + 10 * 3600 + 5
    clock = ManualClock(start)
    thread = SandboxThread(
        SandboxConfig(data_dir=tmp_path / "sandbox", host="127.0.0.1", port=0, build_seconds=0.05, clock=clock)
    ).start()
    try:
        yield thread, clock
    finally:
        thread.stop()


def _account_with_sites(thread: SandboxThread, count: int) -> str:
    with httpx.Client(verify=ssl_context(), base_url=thread.root_url, trust_env=False, timeout=30) as http:
        builder = http.post("/api/sandbox/keys", json={"plan": "enterprise", "account": "pacing"}).json()["key"]
        for number in range(count):
            http.post("/api/generate", headers={"X-API-Key": builder}, json={"prompt": f"A shop number {number}"})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            projects = http.get("/api/project", headers={"X-API-Key": builder}).json()["projects"]
            if all(w["metadata"]["buildStatus"] == "ready" for p in projects for w in p["websites"]):
                break
            time.sleep(0.05)
        return http.post("/api/sandbox/keys", json={"plan": "free", "account": "pacing"}).json()["key"]


def _pacer(clock: ManualClock) -> QuotaPacer:
    async def sleep(seconds: float) -> None:
        clock.advance(seconds)
        await asyncio.sleep(0)

    return QuotaPacer(concurrency=4, clock=clock, sleep=sleep)


def test_free_plan_spreads_requests_over_minutes_without_a_429(clocked) -> None:
    thread, clock = clocked
    free_key = _account_with_sites(thread, 12)
    transport = CountingTransport()
    started = clock()

    async def run():
        async with CodaiqClient(thread.base_url, free_key, transport=transport) as client:
            fetcher = SiteFiguresFetcher(client, pacer=_pacer(clock))
            sites = await fetcher.list_sites()
            return await fetcher.fetch_all(sites, "7d"), fetcher.pacer

    progress, pacer = asyncio.run(run())
    assert (progress.done, progress.failed, progress.stopped_reason) == (12, 0, None)
    assert transport.statuses == Counter({200: 25})  # the list and 2 per site: no 429, no retry
    # 25 requests at 9 a minute (one of the 10 kept for the user): three windows.
    assert pacer.waits == 2
    assert clock() - started >= 2 * 55


def test_a_wait_that_wakes_early_still_sends_nothing_before_the_reset(clocked) -> None:
    """In the app asyncio's sleeps run on Qt's coarse timers, which may fire up to 5% early
    (two seconds of a 45-second wait): the pacer checks the clock before it sends."""
    thread, clock = clocked
    free_key = _account_with_sites(thread, 12)
    transport = CountingTransport()
    said: list[float] = []

    async def early_sleep(seconds: float) -> None:
        clock.advance(seconds - 0.05 * seconds if seconds > 1 else seconds)
        await asyncio.sleep(0)

    async def run():
        pacer = QuotaPacer(concurrency=4, clock=clock, sleep=early_sleep, on_wait=said.append)
        async with CodaiqClient(thread.base_url, free_key, transport=transport) as client:
            fetcher = SiteFiguresFetcher(client, pacer=pacer)
            return await fetcher.fetch_all(await fetcher.list_sites(), "7d"), pacer

    progress, pacer = asyncio.run(run())
    assert (progress.done, progress.failed) == (12, 0)
    assert transport.statuses == Counter({200: 25})
    assert pacer.waits == 2  # the rest of a wait that woke early is not a new wait
    assert [when for when in said if when == 0.0] == [0.0, 0.0] and len(said) == 4  # each wait said, and its end


def test_a_spent_day_quota_stops_the_refresh_and_says_until_when(clocked) -> None:
    thread, clock = clocked
    free_key = _account_with_sites(thread, 60)  # 121 requests; the Free plan allows 100 a day
    transport = CountingTransport()
    seen: list = []

    async def run():
        async with CodaiqClient(thread.base_url, free_key, transport=transport) as client:
            fetcher = SiteFiguresFetcher(client, pacer=_pacer(clock))
            sites = await fetcher.list_sites()
            return await fetcher.fetch_all(sites, "7d", on_figures=seen.append)

    progress = asyncio.run(run())
    assert progress.stopped_reason is not None and "quota is spent until" in progress.stopped_reason, progress
    assert "00:00 UTC" in progress.stopped_reason  # the UTC day's reset
    # Every site's current period comes first (60 requests after the list); the previous
    # periods then take what the day has left. (The headers describe only the window that
    # binds first: here the minute's until the day's last request, so the reserve kept for
    # the user is a tenth of the minute, not of the day.)
    sent = sum(transport.statuses.values())
    assert transport.statuses[429] == 0
    assert 90 <= sent <= 100
    assert progress.done == 60 and all(f.pageviews is not None for f in seen)
    with_previous = [f for f in seen if f.previous_pageviews is not None]
    assert len(with_previous) == sent - 61
    assert all("quota is spent" in (f.previous_unavailable or "") for f in seen if f not in with_previous)


def test_cache_round_trip_and_a_damaged_file_reads_as_empty(clocked, tmp_path) -> None:
    thread, clock = clocked
    with httpx.Client(verify=ssl_context(), base_url=thread.root_url, trust_env=False, timeout=30) as http:
        key = http.post("/api/sandbox/keys", json={"plan": "enterprise"}).json()["key"]
        http.post("/api/generate", headers={"X-API-Key": key}, json={"prompt": "A kite shop", "name": "Kites"})
        time.sleep(0.5)

    async def run():
        async with CodaiqClient(thread.base_url, key) as client:
            fetcher = SiteFiguresFetcher(client)
            seen: list = []
            await fetcher.fetch_all(await fetcher.list_sites(), "30d", on_figures=seen.append)
            return seen

    figures = asyncio.run(run())
    cache = FiguresCache(tmp_path / "cache")
    saved_at = cache.save("account", "30d", figures)
    loaded, when = cache.load("account", "30d")
    assert when == saved_at
    assert [item.to_json() for item in loaded] == [item.to_json() for item in figures]
    assert loaded[0].pageviews == 0 and loaded[0].site.name == "Kites"
    assert cache.load("account", "7d") == ([], None)
    cache.path_for("account", "30d").write_text("{not json", encoding="utf-8")
    assert cache.load("account", "30d") == ([], None)
