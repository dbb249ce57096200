"""The live stream: every change reaches every connected member, and a reconnect resumes exactly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from .conftest import RunningInbox, lead_body, signed
from .serve_process import admin, start_serve
from .sse_client import Message, messages
from codaiq_desktop.tls import ssl_context


async def _collect(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], count: int, opened: asyncio.Event, out: list[Message]
) -> None:
    async with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        opened.set()
        async for message in messages(response):
            out.append(message)
            if len(out) >= count:
                return


async def test_every_member_sees_new_leads_and_edits_with_the_lead_as_get_returns_it(inbox: RunningInbox) -> None:
    async with httpx.AsyncClient(verify=ssl_context(), base_url=inbox.url, timeout=30) as client:
        streams: list[list[Message]] = [[], [], []]
        opened = [asyncio.Event() for _ in streams]
        readers = [
            asyncio.create_task(_collect(client, "/api/v1/stream", inbox.auth(who), 3, event, out))
            for who, event, out in zip(("A-member", "A-admin", "A-member"), opened, streams, strict=True)
        ]
        b_stream: list[Message] = []
        b_opened = asyncio.Event()
        b_reader = asyncio.create_task(
            _collect(client, "/api/v1/stream", inbox.auth("B-member"), 1, b_opened, b_stream)
        )
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in [*opened, b_opened])), 30)
        body = lead_body(1)
        assert (
            await client.post(inbox.webhook_url("A"), content=body, headers=signed(body, inbox.secrets["A"]))
        ).status_code == 200
        second = lead_body(1, event="form.submitted")
        await client.post(inbox.webhook_url("A"), content=second, headers=signed(second, inbox.secrets["A"]))
        lead_id = (await client.get("/api/v1/leads", headers=inbox.auth("A-member"))).json()["leads"][0]["id"]
        patched = await client.patch(
            f"/api/v1/leads/{lead_id}",
            json={"status": "qualified"},
            headers={**inbox.auth("A-admin"), "If-Match": '"1"'},
        )
        assert patched.status_code == 200
        await asyncio.wait_for(asyncio.gather(*readers), 30)
        current = (await client.get(f"/api/v1/leads/{lead_id}", headers=inbox.auth("A-member"))).json()
        for stream in streams:
            assert [(m.id, m.event) for m in stream] == [(1, "lead.created"), (2, "lead.updated"), (3, "lead.updated")]
            assert stream[2].data["lead"] == current
            assert stream[2].data["fields"] == ["status"] and stream[2].data["by"] == inbox.members["A-admin"].id
        assert not b_stream  # B's stream heard nothing of A's leads
        body_b = lead_body(7)
        await client.post(inbox.webhook_url("B"), content=body_b, headers=signed(body_b, inbox.secrets["B"]))
        await asyncio.wait_for(b_reader, 30)
        assert [m.data["lead"]["name"] for m in b_stream] == ["Person 7"]


async def test_bad_last_event_id_is_a_400(inbox: RunningInbox) -> None:
    async with httpx.AsyncClient(verify=ssl_context(), base_url=inbox.url) as client:
        answer = await client.get("/api/v1/stream", headers={**inbox.auth("A-member"), "Last-Event-ID": "x1"})
        assert answer.status_code == 400
        assert (await client.get("/api/v1/stream")).status_code == 401


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
async def test_reconnect_with_last_event_id_after_a_restart_gets_exactly_the_missed_changes(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db = str(tmp_path / "inbox.sqlite3") if engine == "sqlite" else request.getfixturevalue("postgres_dsn")
    secret = "stream-test-webhook-secret-0123"
    agency = admin(db, "add-agency", "A", "--webhook-secret-env", "S", env={"S": secret})
    token = admin(db, "add-member", "--agency", agency["agency"], "--email", "a@a.example")["token"]
    headers = {"Authorization": f"Bearer {token}"}
    path = agency["webhookPath"]

    async def deliver(client: httpx.AsyncClient, number: int) -> None:
        body = lead_body(number)
        assert (await client.post(path, content=body, headers=signed(body, secret))).status_code == 200

    first = start_serve(db)
    try:
        async with httpx.AsyncClient(verify=ssl_context(), base_url=first.url, timeout=30) as client:
            seen: list[Message] = []
            opened = asyncio.Event()
            reader = asyncio.create_task(_collect(client, "/api/v1/stream", headers, 2, opened, seen))
            await asyncio.wait_for(opened.wait(), 30)
            await deliver(client, 1)
            await deliver(client, 2)
            await asyncio.wait_for(reader, 30)
            assert [m.id for m in seen] == [1, 2]
    finally:
        first.kill()  # the server dies; the client's connection with it
    second = start_serve(db)
    try:
        async with httpx.AsyncClient(verify=ssl_context(), base_url=second.url, timeout=30) as client:
            for number in (3, 4, 5):
                await deliver(client, number)
            lead = (await client.get("/api/v1/leads", headers=headers)).json()["leads"][0]
            await client.patch(
                f"/api/v1/leads/{lead['id']}",
                json={"read": True},
                headers={**headers, "If-Match": str(lead["version"])},
            )
            resumed: list[Message] = []
            opened = asyncio.Event()
            reader = asyncio.create_task(
                _collect(client, "/api/v1/stream", {**headers, "Last-Event-ID": str(seen[-1].id)}, 5, opened, resumed)
            )
            await asyncio.wait_for(opened.wait(), 30)
            await deliver(client, 6)  # after the missed ones: the next message must be this one, not a repeat
            await asyncio.wait_for(reader, 30)
            assert [m.id for m in resumed] == [3, 4, 5, 6, 7]
            assert [m.data["lead"]["name"] for m in resumed] == [
                "Person 3",
                "Person 4",
                "Person 5",
                "Person 5",
                "Person 6",
            ]
            assert resumed[3].data["fields"] == ["read"] and resumed[3].data["lead"]["read"] is True
    finally:
        second.stop()
