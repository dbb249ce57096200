"""Rate limits per plan, exactly as the docs' table, with time moved by a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from codaiq_desktop.sandbox import ManualClock, SandboxConfig, SandboxServer
from codaiq_desktop.sandbox.plans import DAY, PLANS, RateLimiter

# Mid-minute, mid-day: 2026-03-10 12:00:30 UTC.
START = 1_773_144_030.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def server(tmp_path, clock) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(SandboxConfig(data_dir=tmp_path, build_seconds=0, clock=clock)) as running:
        yield running


async def new_key(client: httpx.AsyncClient, plan: str) -> str:
    response = await client.post("/api/sandbox/keys", json={"plan": plan})
    return response.json()["key"]


@pytest.fixture
async def client(server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.root_url, trust_env=False) as http:
        yield http


@pytest.mark.parametrize("plan", ["free", "pro", "agency"])
async def test_burst_limit_per_minute(client, clock, plan) -> None:
    key = await new_key(client, plan)
    burst = PLANS[plan].per_minute
    assert burst is not None
    remaining = []
    for _ in range(burst):
        response = await client.get("/api/project", headers={"X-API-Key": key})
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == str(burst)
        remaining.append(int(response.headers["x-ratelimit-remaining"]))
    assert remaining == list(range(burst - 1, -1, -1))
    refused = await client.get("/api/project", headers={"X-API-Key": key})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.headers["retry-after"] == "30"  # the clock is 30 s into the minute
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert int(refused.headers["x-ratelimit-reset"]) == int(START - 30 + 60)

    clock.advance(30)
    again = await client.get("/api/project", headers={"X-API-Key": key})
    assert again.status_code == 200


async def test_every_public_route_counts_and_carries_headers(client) -> None:
    key = await new_key(client, "free")
    routes = [
        ("POST", "/api/generate", {"prompt": "A cafe"}),
        ("GET", "/api/project", None),
        ("PATCH", "/api/project", {}),
        ("POST", "/api/leads/submit", {}),
        ("GET", "/api/analytics", None),
        ("GET", "/api/export", None),
    ]
    seen = []
    for method, path, body in routes:
        response = await client.request(method, path, headers={"X-API-Key": key}, json=body)
        assert "x-ratelimit-limit" in response.headers, path
        seen.append(int(response.headers["x-ratelimit-remaining"]))
    assert seen == [9, 8, 7, 6, 5, 4]  # error answers count too


async def test_free_day_quota_of_100(client, clock) -> None:
    key = await new_key(client, "free")
    headers = {"X-API-Key": key}
    for _ in range(10):
        for _ in range(10):
            assert (await client.get("/api/project", headers=headers)).status_code == 200
        clock.advance(60)
    refused = await client.get("/api/project", headers=headers)
    assert refused.status_code == 429
    assert refused.headers["x-ratelimit-limit"] == "100"
    seconds_to_midnight = DAY - (clock() % DAY)
    assert (
        int(refused.headers["retry-after"]) == int(seconds_to_midnight)
        or int(refused.headers["retry-after"]) == int(seconds_to_midnight) + 1
    )
    clock.advance(seconds_to_midnight)
    assert (await client.get("/api/project", headers=headers)).status_code == 200


async def test_enterprise_is_unlimited_and_sends_no_limit_headers(client) -> None:
    key = await new_key(client, "enterprise")
    for _ in range(250):
        response = await client.get("/api/project", headers={"X-API-Key": key})
        assert response.status_code == 200
    assert "x-ratelimit-limit" not in response.headers


async def test_enterprise_custom_burst(client) -> None:
    response = await client.post("/api/sandbox/keys", json={"plan": "enterprise", "burstPerMinute": 3})
    key = response.json()["key"]
    statuses = [(await client.get("/api/project", headers={"X-API-Key": key})).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


async def test_keys_are_limited_independently_and_sandbox_routes_are_free(client) -> None:
    first, second = await new_key(client, "free"), await new_key(client, "free")
    for _ in range(10):
        await client.get("/api/project", headers={"X-API-Key": first})
    assert (await client.get("/api/project", headers={"X-API-Key": first})).status_code == 429
    assert (await client.get("/api/project", headers={"X-API-Key": second})).status_code == 200
    for _ in range(5):
        assert (await client.get("/api/sandbox/deliveries", headers={"X-API-Key": first})).status_code == 200


async def test_refused_requests_do_not_use_quota(client, clock) -> None:
    key = await new_key(client, "free")
    for _ in range(10):
        await client.get("/api/project", headers={"X-API-Key": key})
    for _ in range(20):
        assert (await client.get("/api/project", headers={"X-API-Key": key})).status_code == 429
    clock.advance(60)
    response = await client.get("/api/project", headers={"X-API-Key": key})
    assert response.status_code == 200
    assert response.headers["x-ratelimit-remaining"] == "9"


@pytest.mark.parametrize("plan", ["pro", "agency"])
def test_day_quotas_of_paid_plans(plan) -> None:
    clock = ManualClock(START)
    limiter = RateLimiter(clock)
    quota, burst = PLANS[plan].day_quota, PLANS[plan].per_minute
    assert quota is not None and burst is not None
    allowed = 0
    for _ in range(quota // burst + 2):
        for _ in range(burst):
            allowed += limiter.check("k", quota, burst).allowed
        clock.advance(60)
    assert allowed == quota
    decision = limiter.check("k", quota, burst)
    assert not decision.allowed and decision.limit == quota
