"""The webhook endpoint as an ASGI app: check, verify, store, answer; then notify.

The order of checks is cheapest-first and never trusts the body before its signature:
declared size (413) and content type (415) before reading; the body is read only up to
the limit; then the signature (401); only a verified body is parsed (400 if it is not a
payload). Every refusal is recorded, without the body, for the Events tab.

A 2xx goes out only after the store committed the event, so an acknowledged event is
on disk; subscribers hear about it in a background task, after the answer was sent.

When the store cannot take events (a full disk), every delivery fails the same way until
space is freed; the service keeps retrying, perhaps hundreds of times. ``StoreHealth``
therefore logs the change of state (one warning when storing starts failing, one info
line when it works again), not every failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from codaiq_desktop.signing import SIGNATURE_HEADER, match
from codaiq_desktop.store import InvalidPayloadError, Store, StoreFullError

from .webhook_secret import SecretLike, WebhookSecret, as_webhook_secret

_log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/codaiq"
HEALTH_PATH = "/health"
DEFAULT_MAX_BODY = 1024 * 1024
"""1 MiB. A real payload is a few hundred bytes; the cap keeps memory bounded per request."""


@dataclass(slots=True)
class ReceiverStats:
    """Running totals since start, for the status bar and the ``listen`` command."""

    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    failed: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


StoreStateCallback = Callable[[str | None], None]
"""Told the plain reason when storing starts failing (or the reason changes), ``None`` when it works again."""


class StoreHealth:
    """Whether the store is taking events, logged once per change instead of once per delivery.

    ``problem`` is the sentence for the user while storing fails, else ``None``. A
    ``StoreFullError`` is a known condition with a complete message: it is logged without
    a traceback. Any other error gets its traceback at DEBUG, once per distinct error, so
    a developer can find it without the log filling up while it repeats.
    """

    def __init__(self, on_change: StoreStateCallback | None = None) -> None:
        self.problem: str | None = None
        self.failures_since_ok = 0
        self._on_change = on_change
        self._traced: set[tuple[str, str]] = set()

    @property
    def failing(self) -> bool:
        return self.problem is not None

    def failed(self, exc: BaseException) -> None:
        """Note one failed write; log and tell the listener only if the state or reason changed."""
        self.failures_since_ok += 1
        if isinstance(exc, StoreFullError):
            reason = str(exc)
        else:
            reason = f"The store could not save the event ({type(exc).__name__}: {exc})."
            key = (type(exc).__name__, str(exc))
            if key not in self._traced:
                self._traced.add(key)
                _log.debug("Storing a webhook event failed", exc_info=exc)
        if reason == self.problem:
            return
        self.problem = reason
        _log.warning("Webhook events cannot be stored; deliveries are answered 503 so the sender retries. %s", reason)
        self._notify(reason)

    def succeeded(self) -> None:
        """Note one successful write; log the recovery if storing had been failing."""
        if self.problem is None:
            return
        refused, self.failures_since_ok = self.failures_since_ok, 0
        self.problem = None
        self._traced.clear()
        _log.info("Webhook events are being stored again (%d delivery attempt(s) were refused meanwhile).", refused)
        self._notify(None)

    def _notify(self, problem: str | None) -> None:
        if self._on_change is None:
            return
        try:
            self._on_change(problem)
        except Exception:  # a listener's bug must not turn a 503 into a 500
            _log.debug("A store-state listener failed", exc_info=True)


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def _is_json_content_type(value: str | None) -> bool:
    if not value:
        return False
    media_type = value.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or ``None`` as soon as it grows past ``limit`` (the rest is never read)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _labelled(active: Sequence[SecretLike]) -> Sequence[WebhookSecret]:
    """``active`` as ``WebhookSecret``s; the receiver already hands them so (no copy then)."""
    if all(isinstance(entry, WebhookSecret) for entry in active):
        return active  # type: ignore[return-value]
    return [as_webhook_secret(entry) for entry in active]


def create_app(
    store: Store,
    secrets: Callable[[], Sequence[SecretLike]],
    *,
    max_body: int = DEFAULT_MAX_BODY,
    stats: ReceiverStats | None = None,
    health: StoreHealth | None = None,
) -> Starlette:
    """The receiver's Starlette app. ``secrets`` is read per request, so rotation is instant.

    Each secret is a plain ``str`` (no account), a ``WebhookSecret`` or a ``(secret,
    account)`` pair; a verified event is stored under the account of the first secret
    that matches its signature.
    """
    counters = stats if stats is not None else ReceiverStats()
    store_health = health if health is not None else StoreHealth()

    def count(status: int) -> None:
        counters.by_status[status] = counters.by_status.get(status, 0) + 1

    async def refuse(
        request: Request,
        body: bytes | None,
        *,
        status: int,
        code: str,
        reason: str,
        size: int | None = None,
    ) -> JSONResponse:
        counters.rejected += 1
        count(status)
        remote = f"{request.client.host}:{request.client.port}" if request.client else None
        try:
            await store.record_rejected(
                body, dict(request.headers), reason, status_code=status, size=size, remote=remote
            )
        except Exception as exc:  # the refusal stands even if it could not be noted
            store_health.failed(exc)  # only an ingest proves the store works again
        return _error(status, code, reason)

    async def receive_webhook(request: Request) -> Response:
        declared = request.headers.get("content-length")
        declared_size: int | None = None
        if declared is not None:
            try:
                declared_size = int(declared)
            except ValueError:
                return await refuse(
                    request, None, status=400, code="bad_request", reason="Content-Length is not a number.", size=0
                )
            if declared_size > max_body:
                return await refuse(
                    request,
                    None,
                    status=413,
                    code="payload_too_large",
                    reason=f"Body of {declared_size} bytes is over the {max_body}-byte limit.",
                    size=declared_size,
                )
        if not _is_json_content_type(request.headers.get("content-type")):
            return await refuse(
                request,
                None,
                status=415,
                code="unsupported_media_type",
                reason="Content-Type must be application/json.",
                size=declared_size or 0,
            )
        try:
            body = await _read_limited(request, max_body)
        except ClientDisconnect:
            return Response(status_code=400)
        if body is None:
            return await refuse(
                request,
                None,
                status=413,
                code="payload_too_large",
                reason=f"Body is over the {max_body}-byte limit.",
                size=max_body + 1,
            )
        signature = request.headers.get(SIGNATURE_HEADER)
        active = _labelled(secrets())
        if not active:
            return await refuse(
                request, body, status=401, code="no_secret", reason="No webhook secret is configured on this receiver."
            )
        if not signature:
            return await refuse(
                request, body, status=401, code="missing_signature", reason=f"The {SIGNATURE_HEADER} header is missing."
            )
        matched = match(body, signature, [entry.secret for entry in active])
        if matched is None:
            return await refuse(
                request, body, status=401, code="invalid_signature", reason="The signature does not match the body."
            )
        try:
            result = await store.ingest(body, dict(request.headers), notify=False, account=active[matched].account)
        except InvalidPayloadError as exc:
            return await refuse(request, body, status=400, code="invalid_payload", reason=f"Signed, but {exc}.")
        except Exception as exc:
            # Our failure (disk full, file locked...), not the sender's: ask it to retry later.
            counters.failed += 1
            count(503)
            store_health.failed(exc)
            return _error(503, "store_unavailable", "The event could not be stored; retry later.", {"Retry-After": "5"})
        store_health.succeeded()
        if result.duplicate:
            counters.duplicates += 1
        else:
            counters.accepted += 1
        count(200)
        content: dict[str, Any] = {
            "received": True,
            "id": result.event.event_id,
            "duplicate": result.duplicate,
        }

        # An async callable: Starlette would run a plain function on a worker thread, and
        # subscribers are promised the loop thread.
        async def notify() -> None:
            store.publish(result)

        return JSONResponse(content, status_code=200, background=BackgroundTask(notify))

    async def health_check(request: Request) -> Response:
        return JSONResponse({"status": "ok", "webhookPath": WEBHOOK_PATH})

    return Starlette(
        routes=[
            Route(WEBHOOK_PATH, receive_webhook, methods=["POST"]),
            Route(HEALTH_PATH, health_check, methods=["GET"]),
        ]
    )
