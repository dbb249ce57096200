"""Rate limits per plan, exactly as the docs' table, with time moved by a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from codaiq_desktop.sandbox import ManualClock, SandboxConfig, SandboxServer
from codaiq_desktop.sandbox.plans import DAY, ENTERPRISE_DEFAULT_BURST, PLANS, RateLimiter
from codaiq_desktop.tls import ssl_context

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
    async with httpx.AsyncClient(verify=ssl_context(), base_url=server.root_url, trust_env=False) as http:
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


async def test_enterprise_sends_headers_of_its_default_custom_burst(client) -> None:
    key = await new_key(client, "enterprise")
    answers = [await client.get("/api/project", headers={"X-API-Key": key}) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    burst = ENTERPRISE_DEFAULT_BURST
    assert [answer.headers["x-ratelimit-limit"] for answer in answers] == [str(burst)] * 3
    assert [answer.headers["x-ratelimit-remaining"] for answer in answers] == [str(burst - n) for n in (1, 2, 3)]
    assert {answer.headers["x-ratelimit-reset"] for answer in answers} == {str(int(START - 30 + 60))}


def test_enterprise_has_no_day_quota_but_its_burst_binds() -> None:
    clock = ManualClock(START)
    limiter = RateLimiter(clock)
    plan = PLANS["enterprise"]
    assert plan.day_quota is None and plan.per_minute == ENTERPRISE_DEFAULT_BURST
    for _ in range(25):  # 25,000 requests in one day: past the agency plan's whole day quota
        for _ in range(plan.per_minute):
            decision = limiter.check("k", plan.day_quota, plan.per_minute)
            assert decision.allowed and decision.limit == plan.per_minute
        refused = limiter.check("k", plan.day_quota, plan.per_minute)
        assert not refused.allowed and refused.remaining == 0 and refused.retry_after == 30
        clock.advance(60)


async def test_enterprise_custom_burst(client) -> None:
    response = await client.post("/api/sandbox/keys", json={"plan": "enterprise", "burstPerMinute": 3})
    key = response.json()["key"]
    answers = [await client.get("/api/project", headers={"X-API-Key": key}) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert [answer.headers["x-ratelimit-limit"] for answer in answers] == ["3"] * 4
    assert [answer.headers["x-ratelimit-remaining"] for answer in answers] == ["2", "1", "0", "0"]


async def test_401_carries_no_rate_headers(client) -> None:
    for headers in ({}, {"X-API-Key": "cdq_sbx_not_a_key"}):
        response = await client.get("/api/project", headers=headers)
        assert response.status_code == 401
        assert not [name for name in response.headers if name.startswith("x-ratelimit-")]


async def test_413_to_a_known_key_carries_its_standing_and_uses_no_quota(client, server) -> None:
    key = await new_key(client, "free")
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    await client.get("/api/project", headers={"X-API-Key": key})
    too_big = b'{"prompt": "' + b"a" * (server.service.config.max_body_bytes + 1) + b'"}'
    refused = await client.post("/api/generate", content=too_big, headers=headers)
    assert refused.status_code == 413
    assert refused.headers["x-ratelimit-limit"] == "10"
    assert refused.headers["x-ratelimit-remaining"] == "9"
    after = await client.get("/api/project", headers={"X-API-Key": key})
    assert after.headers["x-ratelimit-remaining"] == "8"  # the 413 was not counted
    anonymous = await client.post("/api/generate", content=too_big, headers={"Content-Type": "application/json"})
    assert anonymous.status_code == 413
    assert "x-ratelimit-limit" not in anonymous.headers


async def test_injected_faults_to_a_known_key_carry_its_standing(client) -> None:
    key = await new_key(client, "free")
    await client.get("/api/project", headers={"X-API-Key": key})
    rules = [
        {"path": "/api/project", "method": "GET", "kind": "error", "status": 503},
        {"path": "/api/analytics", "kind": "rate_limit", "retryAfter": 7},
    ]
    assert (await client.put("/api/sandbox/faults", json={"rules": rules})).status_code == 200
    failed = await client.get("/api/project", headers={"X-API-Key": key})
    limited = await client.get("/api/analytics", headers={"X-API-Key": key})
    anonymous = await client.get("/api/project")
    await client.delete("/api/sandbox/faults")
    assert (failed.status_code, failed.json()["error"]["code"]) == (503, "injected_fault")
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "7")
    for answer in (failed, limited):
        assert answer.headers["x-ratelimit-limit"] == "10"
        assert answer.headers["x-ratelimit-remaining"] == "9"  # injected answers use no quota
    assert anonymous.status_code == 503 and "x-ratelimit-limit" not in anonymous.headers


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
