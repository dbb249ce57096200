"""Webhooks out: signed POSTs of events, delivered in the background with retries.

An event is turned into one delivery per configured endpoint (the project's own webhook,
else its account's default) and stored before anything is sent, so a restart resumes
pending deliveries. A delivery succeeds on any 2xx; anything else (another status, a
connection error, no answer within the timeout) is retried after the configured delays,
then marked ``failed``. The body is signed at creation and sent byte for byte the same on
every try, so a receiver can de-duplicate on the event id or the body hash.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import Any

import httpx

from codaiq_desktop.tls import ssl_context

from codaiq_desktop.sandbox.clock import Clock, iso_utc
from codaiq_desktop.sandbox.database import DeliveryRow, SandboxDatabase
from codaiq_desktop.signing import EVENT_ID_HEADER, SIGNATURE_HEADER, sign
from codaiq_desktop.webhook_events import ALL_EVENTS

log = logging.getLogger(__name__)

MAX_PARALLEL_DELIVERIES = 16
EVENTS = ALL_EVENTS


def account_scope(account: str) -> str:
    return f"account:{account}"


def project_scope(project_id: str) -> str:
    return f"project:{project_id}"


class WebhookDispatcher:
    """Creates deliveries for events and works through them on the running loop."""

    def __init__(
        self, db: SandboxDatabase, clock: Clock, retry_delays: tuple[float, ...], timeout: float, user_agent: str
    ) -> None:
        self._db = db
        self._clock = clock
        self._retry_delays = retry_delays
        self._timeout = timeout
        self._user_agent = user_agent
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False
        # A burst of events to a slow endpoint must not open thousands of connections at once.
        self._in_flight = asyncio.Semaphore(MAX_PARALLEL_DELIVERIES)
        # Every event looks its endpoint up; the table is tiny, so it lives in memory too.
        self._targets: dict[str, tuple[str, str]] = db.all_webhooks()

    def configure(self, scope: str, url: str, secret: str, updated_at: str) -> None:
        """Set the endpoint for ``scope`` (see :func:`account_scope`, :func:`project_scope`)."""
        self._db.set_webhook(scope, url, secret, updated_at)
        self._targets[scope] = (url, secret)

    def clear(self, scope: str) -> bool:
        self._targets.pop(scope, None)
        return self._db.clear_webhook(scope)

    async def start(self) -> None:
        """Open the HTTP client and resume deliveries left pending by a previous run."""
        self._client = httpx.AsyncClient(
            verify=ssl_context(), timeout=self._timeout, trust_env=False, follow_redirects=False
        )
        for delivery in self._db.pending_deliveries():
            self._spawn(delivery.id, delay=0.0)

    async def stop(self) -> None:
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def target(self, account: str, project_id: str) -> tuple[str, str] | None:
        """The ``(url, secret)`` events of this project go to, if any."""
        return self._targets.get(project_scope(project_id)) or self._targets.get(account_scope(account))

    def emit(self, event: str, *, account: str, project_id: str, website_id: str, data: dict[str, Any]) -> str | None:
        """Queue ``event`` for delivery; returns the delivery id, or ``None`` when no webhook is set."""
        target = self.target(account, project_id)
        if target is None:
            return None
        url, secret = target
        now = iso_utc(self._clock())
        event_id = f"evt_{secrets.token_hex(12)}"
        payload = {
            "id": event_id,
            "event": event,
            "timestamp": now,
            "websiteId": website_id,
            "projectId": project_id,
            "data": data,
        }
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        delivery = DeliveryRow(
            id=f"dlv_{secrets.token_hex(10)}",
            event_id=event_id,
            event=event,
            account=account,
            project_id=project_id,
            url=url,
            secret=secret,
            body=body,
            attempts=0,
            status="pending",
            last_status_code=None,
            last_error=None,
            created_at=now,
            updated_at=now,
        )
        self._db.add_delivery(delivery)
        self._spawn(delivery.id, delay=0.0)
        return delivery.id

    async def drain(self) -> None:
        """Wait until every delivery in flight has finished (delivered or failed)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _spawn(self, delivery_id: str, delay: float) -> None:
        if self._closing:
            return
        task = asyncio.get_running_loop().create_task(self._run(delivery_id, delay))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, delivery_id: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        delivery = self._db.get_delivery(delivery_id)
        if delivery is None or delivery.status != "pending":
            return
        async with self._in_flight:
            status_code, error = await self._attempt(delivery)
        attempt = delivery.attempts + 1
        if status_code is not None and 200 <= status_code < 300:
            outcome = "delivered"
        elif attempt > len(self._retry_delays):
            outcome = "failed"
        else:
            outcome = "pending"
        self._db.record_attempt(
            delivery_id, status=outcome, status_code=status_code, error=error, updated_at=iso_utc(self._clock())
        )
        if outcome == "pending":
            self._spawn(delivery_id, delay=self._retry_delays[attempt - 1])

    async def _attempt(self, delivery: DeliveryRow) -> tuple[int | None, str | None]:
        assert self._client is not None, "start() first"
        headers = {
            "Content-Type": "application/json",
            "User-Agent": self._user_agent,
            SIGNATURE_HEADER: sign(delivery.body, delivery.secret),
            EVENT_ID_HEADER: delivery.event_id,
            "X-Codaiq-Event": delivery.event,
        }
        try:
            response = await self._client.post(delivery.url, content=delivery.body, headers=headers)
        except httpx.TimeoutException:
            return None, f"No answer within {self._timeout:g} s"
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"[:300]
        if 200 <= response.status_code < 300:
            return response.status_code, None
        return response.status_code, f"HTTP {response.status_code}"
