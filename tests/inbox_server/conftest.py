"""Fixtures for the inbox server: each storage engine, opened on a fresh database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from codaiq_desktop.inbox_server.storage import InboxStorage, PreparedEvent, prepare_event


@pytest.fixture(params=["sqlite", "postgresql"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[InboxStorage]:
    """The same contract, run against both engines."""
    if request.param == "sqlite":
        from codaiq_desktop.inbox_server.sqlite_storage import SqliteInbox

        engine: InboxStorage = SqliteInbox(tmp_path / "inbox.sqlite3", synchronous="NORMAL")
    else:
        from codaiq_desktop.inbox_server.postgres_storage import PostgresInbox

        engine = PostgresInbox(request.getfixturevalue("postgres_dsn"), pool_size=4, writers=2)
    await engine.open()
    try:
        yield engine
    finally:
        await engine.close()


def lead_body(number: int, *, event: str = "lead.captured", lead: str | None = None, **data: Any) -> bytes:
    """A webhook body for one lead event (ids derived from ``number``)."""
    fields = {
        "leadId": lead or f"lead_{number}",
        "name": f"Person {number}",
        "email": f"person{number}@example.com",
        "message": "Please call me back about a quote.",
    }
    fields.update(data)
    return json.dumps(
        {
            "id": f"evt_{event}_{number}",
            "event": event,
            "timestamp": "2026-04-21T10:00:00.000Z",
            "websiteId": data.pop("website", "web_1") if "website" in data else "web_1",
            "projectId": "proj_1",
            "data": fields,
        }
    ).encode()


def prepared(agency_id: str, body: bytes) -> PreparedEvent:
    return prepare_event(agency_id, body, {"content-type": "application/json"})


@dataclass
class RunningInbox:
    """An inbox server on 127.0.0.1 with two agencies, each with an admin and a member."""

    server: Any
    url: str
    agencies: dict[str, Any]
    secrets: dict[str, str]
    tokens: dict[str, str]
    members: dict[str, Any]

    def webhook_url(self, agency: str) -> str:
        return f"{self.url}/webhooks/codaiq/{self.agencies[agency].id}"

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def signed(body: bytes, secret: str) -> dict[str, str]:
    from codaiq_desktop.signing import sign

    return {"Content-Type": "application/json", "X-Codaiq-Signature": sign(body, secret)}


@pytest.fixture
async def inbox(storage: InboxStorage) -> AsyncIterator[RunningInbox]:
    """The server (in this process, on this loop) over each engine."""
    from codaiq_desktop.inbox_server.app import ServerSettings
    from codaiq_desktop.inbox_server.server import InboxServer, ServeOptions

    server = InboxServer(
        storage,
        ServeOptions(port=0, settings=ServerSettings(token_rate=1000, token_burst=1000, ip_rate=1000, ip_burst=1000)),
    )
    # The storage fixture opened it already; start() opens again only what is closed.
    await storage.close()
    await server.start()
    agencies, secrets, tokens, members = {}, {}, {}, {}
    for name in ("A", "B"):
        secrets[name] = f"webhook-secret-of-agency-{name}"
        agencies[name] = await storage.add_agency(f"Agency {name}", secrets[name])
        for role in ("admin", "member"):
            member, token = await storage.add_member(agencies[name].id, f"{role}@{name.lower()}.example", role)
            tokens[f"{name}-{role}"] = token
            members[f"{name}-{role}"] = member
    try:
        yield RunningInbox(server, server.url, agencies, secrets, tokens, members)
    finally:
        await server.stop()


async def settle(storage: InboxStorage) -> None:
    """Wait until every committed change is numbered (PostgreSQL numbers them just after the commit)."""
    sequence = getattr(storage, "sequence_pending", None)
    if sequence is not None:
        await sequence()
