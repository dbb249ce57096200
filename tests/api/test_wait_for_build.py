"""wait_for_build: yields each change, backs off while nothing changes, ends on ready/failed."""

from __future__ import annotations

import asyncio

import pytest

from codaiq_desktop.api import CodaiqClient, errors, models
from tests.api.conftest import API_KEY, project_reply_json, website_json
from tests.api.scripted_server import Reply, ScriptedServer


def state(status: str, **metadata: object) -> Reply:
    return Reply(json=project_reply_json("p1", [website_json("w0"), website_json("w1", status=status, **metadata)]))


async def collect(client: CodaiqClient, **kwargs: object) -> list[models.BuildUpdate]:
    return [update async for update in client.wait_for_build("p1", "w1", **kwargs)]  # type: ignore[arg-type]


async def test_yields_each_change_and_ends_on_ready(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on(
        "GET",
        "/api/project",
        state("queued"),
        state("queued"),
        state("building", buildProgress=20, buildStep="Writing pages"),
        state("building", buildProgress=60, buildStep="Styling"),
        state("ready", buildProgress=100),
        state("failed"),  # never reached
    )
    updates = await collect(client)
    assert [(u.status, u.progress, u.step) for u in updates] == [
        ("queued", None, None),
        ("building", 20, "Writing pages"),
        ("building", 60, "Styling"),
        ("ready", 100, None),
    ]
    assert updates[-1].website.id == "w1" and updates[-1].is_terminal
    assert sleeps == [1.0, 1.5, 1.0, 1.0]  # slower while unchanged, back to the interval on a change
    assert len(api_server.requests) == 5


async def test_backoff_is_capped_at_max_interval(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on("GET", "/api/project", *[state("building", buildProgress=10)] * 8, state("ready"))
    await collect(client, interval=1.0, max_interval=3.0)
    assert max(sleeps) == 3.0 and sleeps[:3] == [1.0, 1.5, 2.25]


async def test_ends_on_failed_with_the_error(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", state("building"), state("failed", buildError="Prompt unsafe"))
    updates = await collect(client)
    assert updates[-1].status == models.BuildStatus.FAILED and updates[-1].error == "Prompt unsafe"


async def test_unknown_status_passes_through(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", state("deploying"), state("ready"))
    assert [u.status for u in await collect(client)] == ["deploying", "ready"]


async def test_a_rate_limit_is_waited_out(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on(
        "GET",
        "/api/project",
        state("building"),
        Reply(429, headers={"Retry-After": "120"}),  # over the client's cap: raised, then sat out here
        state("ready"),
    )
    updates = await collect(client)
    assert [u.status for u in updates] == ["building", "ready"]
    assert 120.0 in sleeps


async def test_timeout_raises_build_timeout(
    client: CodaiqClient, api_server: ScriptedServer, sleeps: list[float]
) -> None:
    api_server.on("GET", "/api/project", state("building", buildProgress=30))
    seen: list[models.BuildUpdate] = []
    with pytest.raises(errors.BuildTimeoutError, match="at 30%") as info:
        async for update in client.wait_for_build("p1", "w1", timeout=5.0):
            seen.append(update)
    assert isinstance(info.value, TimeoutError)
    assert len(seen) == 1
    assert sum(sleeps) == pytest.approx(5.0, abs=0.5)


async def test_missing_website_raises_not_found(client: CodaiqClient, api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", Reply(json=project_reply_json("p1", [website_json("other")])))
    with pytest.raises(errors.NotFoundError):
        await collect(client)


async def test_cancelling_the_consumer_stops_polling(api_server: ScriptedServer) -> None:
    api_server.on("GET", "/api/project", state("building"))
    interval = 0.05

    async def consume(client: CodaiqClient) -> None:
        async for _ in client.wait_for_build("p1", "w1", interval=interval, max_interval=interval):
            pass

    async def polls_reach(count: int) -> None:
        while len(api_server.requests_to("GET", "/api/project")) < count:
            await asyncio.sleep(0.01)

    async with CodaiqClient(api_server.base_url, API_KEY) as client:
        task = asyncio.create_task(consume(client))
        await asyncio.wait_for(polls_reach(3), timeout=20)  # it is polling, with nothing new to yield
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        at_cancel = len(api_server.requests_to("GET", "/api/project"))
        await asyncio.sleep(20 * interval)  # room for many more polls, were any still running
        after = len(api_server.requests_to("GET", "/api/project"))
    assert task.cancelled()
    assert after == at_cancel, f"{after - at_cancel} polls arrived after the consumer was cancelled"


@pytest.mark.parametrize("kwargs", [{"interval": 0}, {"interval": 2, "max_interval": 1}, {"timeout": 0}])
async def test_bad_arguments_are_rejected(client: CodaiqClient, kwargs: dict) -> None:
    with pytest.raises(ValueError):
        await collect(client, **kwargs)
