"""Fixtures for the inbox server: each storage engine, opened on a fresh database."""

from __future__ import annotations

import json
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
    fields = {"leadId": lead or f"lead_{number}", "name": f"Person {number}", "email": f"person{number}@example.com",
              "message": "Please call me back about a quote."}
    fields.update(data)
    return json.dumps({
        "id": f"evt_{event}_{number}", "event": event, "timestamp": "2026-04-21T10:00:00.000Z",
        "websiteId": data.pop("website", "web_1") if "website" in data else "web_1", "projectId": "proj_1",
        "data": fields,
    }).encode()


def prepared(agency_id: str, body: bytes) -> PreparedEvent:
    return prepare_event(agency_id, body, {"content-type": "application/json"})
