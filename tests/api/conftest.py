"""Fixtures for the API client's tests: a scripted server, a client on it, recorded waits."""

from __future__ import annotations

import asyncio
import io
import os
import time
import zipfile
from collections.abc import AsyncIterator, Iterator

import pytest

from codaiq_desktop.api import CodaiqClient, RetryPolicy
from codaiq_desktop.api import client as client_module
from tests.api.scripted_server import ScriptedServer

API_KEY = "ck_test_S3CRET-value-that-must-never-leak-0042"

# Fast backoff so retry paths run in milliseconds; the sizes of waits are checked via `sleeps`.
FAST_RETRY = RetryPolicy(max_retries=3, backoff_base=0.01, backoff_max=0.05, max_retry_after=30.0, total_time=60.0)


@pytest.fixture(scope="session")
def scripted_server_session() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def api_server(scripted_server_session: ScriptedServer) -> Iterator[ScriptedServer]:
    """The shared scripted server, with no script and no recorded requests."""
    scripted_server_session.reset()
    yield scripted_server_session
    scripted_server_session.reset()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait the client asks for, in order; the waits take no real time.

    The client's clock moves on by each wait, so time budgets behave as if the
    waits had happened.
    """
    recorded: list[float] = []
    real_sleep = asyncio.sleep
    real_monotonic = time.monotonic

    async def fake_sleep(delay: float) -> None:
        recorded.append(delay)
        await real_sleep(0)

    def fake_monotonic() -> float:
        return real_monotonic() + sum(recorded)

    monkeypatch.setattr(client_module, "_sleep", fake_sleep)
    monkeypatch.setattr(client_module, "_monotonic", fake_monotonic)
    return recorded


@pytest.fixture
async def client(api_server: ScriptedServer, sleeps: list[float]) -> AsyncIterator[CodaiqClient]:
    async with CodaiqClient(api_server.base_url, API_KEY, timeout=5.0, retry=FAST_RETRY) as api_client:
        yield api_client


def website_json(website_id: str = "w1", project_id: str = "p1", status: str = "ready", **metadata: object) -> dict:
    return {
        "id": website_id,
        "projectId": project_id,
        "name": "Bakery",
        "domain": f"{website_id}.sites.codaiq.test",
        "createdAt": "2026-04-21T10:00:00.000Z",
        "updatedAt": "2026-04-21T10:05:00Z",
        "metadata": {"buildStatus": status, **metadata},
    }


def project_reply_json(project_id: str = "p1", websites: list[dict] | None = None) -> dict:
    sites = websites if websites is not None else [website_json(project_id=project_id)]
    return {
        "project": {"id": project_id, "name": "Bakery project", "createdAt": "2026-04-21T10:00:00Z"},
        "websites": sites,
    }


def make_zip(size: int = 300_000) -> bytes:
    """A site export like the API's: index.html, pages/, components/, styles/, assets/ (stored, not deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("index.html", "<!doctype html><title>Bakery</title>")
        archive.writestr("pages/about.html", "<h1>About</h1>")
        archive.writestr("components/header.html", "<header></header>")
        archive.writestr("styles/site.css", "body { margin: 0 }")
        archive.writestr("assets/hero.bin", os.urandom(size))
    return buffer.getvalue()
