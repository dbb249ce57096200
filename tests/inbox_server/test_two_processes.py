"""Two ``serve`` processes on one PostgreSQL behave as one, even when one is killed mid-burst."""

from __future__ import annotations

import asyncio
import json
import os
import signal

import httpx
import psycopg
import pytest

from .conftest import signed
from .serve_process import admin, start_serve
from codaiq_desktop.tls import ssl_context

SECRET = "two-process-webhook-secret-0123456789"
EVENTS = 2000
REDELIVERIES = 200


def _body(number: int) -> bytes:
    return json.dumps(
        {
            "id": f"evt_burst_{number}",
            "event": "lead.captured" if number % 2 == 0 else "form.submitted",
            "timestamp": "2026-04-21T10:00:00.000Z",
            "websiteId": f"web_{number % 5}",
            "projectId": "proj_1",
            "data": {
                "leadId": f"lead_{number // 2}",
                "name": f"Person {number // 2}",
                "email": f"p{number // 2}@example.com",
            },
        }
    ).encode()


@pytest.mark.slow
async def test_burst_across_two_processes_with_one_killed_loses_and_duplicates_nothing(postgres_dsn: str) -> None:
    agency = admin(postgres_dsn, "add-agency", "Burst", "--webhook-secret-env", "S", env={"S": SECRET})
    token = admin(postgres_dsn, "add-member", "--agency", agency["agency"], "--email", "a@a.example")["token"]
    servers = [start_serve(postgres_dsn), start_serve(postgres_dsn)]
    acknowledged: set[str] = set()
    failed: list[int] = []
    sent = 0
    killed = asyncio.Event()
    try:
        async with httpx.AsyncClient(
            verify=ssl_context(), timeout=30, limits=httpx.Limits(max_connections=32)
        ) as client:
            queue: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
            for number in range(EVENTS):
                queue.put_nowait((number, number % 2))
                if number % (EVENTS // REDELIVERIES) == 0:  # the same id again, to the other process
                    queue.put_nowait((number, 1 - number % 2))

            async def sender() -> None:
                nonlocal sent
                while not queue.empty():
                    number, target = queue.get_nowait()
                    body = _body(number)
                    sent += 1
                    if sent == EVENTS // 2 and not killed.is_set():
                        killed.set()
                        os.kill(servers[1].pid, signal.SIGKILL)
                    try:
                        answer = await client.post(
                            f"{servers[target].url}{agency['webhookPath']}", content=body, headers=signed(body, SECRET)
                        )
                    except httpx.TransportError:
                        failed.append(number)
                        continue
                    if answer.status_code == 200:
                        acknowledged.add(answer.json()["id"])
                    else:
                        failed.append(number)

            await asyncio.gather(*(sender() for _ in range(16)))
            assert killed.is_set() and failed  # the kill did cut deliveries off mid-burst
            stored_before_retry = _stored(postgres_dsn)
            assert acknowledged <= set(stored_before_retry)  # every acknowledged event is stored
            # The sender retries what was not acknowledged, at the process still running.
            for number in sorted(set(failed)):
                body = _body(number)
                answer = await client.post(
                    f"{servers[0].url}{agency['webhookPath']}", content=body, headers=signed(body, SECRET)
                )
                assert answer.status_code == 200
                acknowledged.add(answer.json()["id"])
            page = (
                await client.get(f"{servers[0].url}/api/v1/stats", headers={"Authorization": f"Bearer {token}"})
            ).json()
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.stop()
    from codaiq_desktop.inbox_server.postgres_storage import PostgresInbox

    storage = PostgresInbox(postgres_dsn, pool_size=2, writers=1, listen=False)
    await storage.open()
    try:  # what the killed process committed but did not number yet, as the survivor's sequencer would
        await storage.sequence_pending()
    finally:
        await storage.close()
    stored = _stored(postgres_dsn)
    assert len(acknowledged) == EVENTS
    assert sorted(stored) == sorted(acknowledged)  # 0 lost
    assert all(count == 1 for count in stored.values())  # 0 duplicated
    assert page["total"] == EVENTS // 2  # one lead per pair of events
    with psycopg.connect(postgres_dsn) as connection:
        seqs = [row[0] for row in connection.execute("SELECT seq FROM changes ORDER BY seq")]
        assert seqs == list(range(1, len(seqs) + 1))  # the change log has no gap
        assert connection.execute("SELECT count(*), sum(event_count) FROM leads").fetchone() == (EVENTS // 2, EVENTS)


def _stored(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as connection:
        return dict(connection.execute("SELECT event_id, count(*) FROM events GROUP BY event_id").fetchall())
