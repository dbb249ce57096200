"""The webhook endpoint as an ASGI app: check, verify, store, answer; then notify.

The order of checks is cheapest-first and never trusts the body before its signature:
declared size (413) and content type (415) before reading; the body is read only up to
the limit; then the signature (401); only a verified body is parsed (400 if it is not a
payload). Every refusal is recorded, without the body, for the Events tab.

A 2xx goes out only after the store committed the event, so an acknowledged event is
on disk; subscribers hear about it in a callback of its own on the loop, after the
answer was sent.

The webhook path speaks ASGI directly (see ``ReceiverApp``): a delivery is the one
request that comes in bulk, so it gets no Request/Response objects, middleware or
background task; its answers are the bytes and headers Starlette's ``JSONResponse``
would send. Every other request goes to a Starlette app.

When the store cannot take events (a full disk), every delivery fails the same way until
space is freed; the service keeps retrying, perhaps hundreds of times. ``StoreHealth``
therefore logs the change of state (one warning when storing starts failing, one info
line when it works again), not every failure.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from codaiq_desktop.asgi_body import ClientGoneError, read_body
from codaiq_desktop.signing import SIGNATURE_HEADER, match
from codaiq_desktop.store import InvalidPayloadError, Store, StoreFullError

from .webhook_secret import SecretLike, WebhookSecret, as_webhook_secret

_log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/codaiq"
HEALTH_PATH = "/health"
DEFAULT_MAX_BODY = 1024 * 1024
"""1 MiB. A real payload is a few hundred bytes; the cap keeps memory bounded per request."""
_SIGNATURE_KEY = SIGNATURE_HEADER.lower()


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


_JSON = (b"content-type", b"application/json")
_NO_EXTRA_HEADERS: tuple[tuple[bytes, bytes], ...] = ()
_RETRY_LATER = ((b"retry-after", b"5"),)
_ACCEPTED_HEAD = b'{"received":true,"id":'
_ACCEPTED_NEW = b',"duplicate":false}'
_ACCEPTED_DUPLICATE = b',"duplicate":true}'

_render_json = json.JSONEncoder(ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode


def _json_bytes(content: Any) -> bytes:
    """``content`` as Starlette's ``JSONResponse`` renders it, byte for byte."""
    return _render_json(content).encode("utf-8")


def _error_body(code: str, message: str) -> bytes:
    return _json_bytes({"error": {"code": code, "message": message}})


def _accepted_body(event_id: str, duplicate: bool) -> bytes:
    """``{"received":true,"id":...,"duplicate":...}``, the same bytes ``_json_bytes`` would give."""
    return b"".join((_ACCEPTED_HEAD, _json_bytes(event_id), _ACCEPTED_DUPLICATE if duplicate else _ACCEPTED_NEW))


async def _reply(
    send: Send, status: int, body: bytes, extra: tuple[tuple[bytes, bytes], ...] = _NO_EXTRA_HEADERS
) -> None:
    """A JSON answer with the headers (and their order) a Starlette ``JSONResponse`` has."""
    headers = [*extra, (b"content-length", str(len(body)).encode("latin-1")), _JSON]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _request_headers(scope: Scope) -> dict[str, str]:
    """The request headers by (lower-case) name, the first value of a repeated one.

    The same mapping ``dict(starlette.requests.Request(scope).headers)`` gives, and what its
    ``headers.get(name)`` answers, built in one pass.
    """
    headers: dict[str, str] = {}
    for name, value in scope["headers"]:
        key = name.decode("latin-1")
        if key not in headers:
            headers[key] = value.decode("latin-1")
    return headers


def _is_json_content_type(value: str | None) -> bool:
    if not value:
        return False
    media_type = value.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def _all_labelled(active: Sequence[SecretLike]) -> TypeGuard[Sequence[WebhookSecret]]:
    return all(isinstance(entry, WebhookSecret) for entry in active)


def _labelled(active: Sequence[SecretLike]) -> Sequence[WebhookSecret]:
    """``active`` as ``WebhookSecret``s; the receiver already hands them so (no copy then)."""
    if _all_labelled(active):
        return active
    return [as_webhook_secret(entry) for entry in active]


class ReceiverApp:
    """The receiver's ASGI app: ``POST /webhooks/codaiq`` is served directly, the rest by Starlette.

    The webhook is the hot path (hundreds of deliveries a second while a backlog drains):
    it speaks ASGI itself, with no Request/Response objects, middleware layers or
    background task around it. Everything else (``GET /health``, other methods on the
    webhook path with their 405, unknown paths, redirects) goes to ``fallback``, the
    Starlette app, whose webhook route calls the same handler.
    """

    def __init__(self, webhook: ASGIApp, fallback: Starlette) -> None:
        self.webhook = webhook
        self.fallback = fallback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == WEBHOOK_PATH
            and scope["method"] == "POST"
            and not scope.get("root_path")
        ):
            await self.webhook(scope, receive, send)
        else:
            await self.fallback(scope, receive, send)


def create_app(
    store: Store,
    secrets: Callable[[], Sequence[SecretLike]],
    *,
    max_body: int = DEFAULT_MAX_BODY,
    stats: ReceiverStats | None = None,
    health: StoreHealth | None = None,
) -> ReceiverApp:
    """The receiver's ASGI app. ``secrets`` is read per request, so rotation is instant.

    Each secret is a plain ``str`` (no account), a ``WebhookSecret`` or a ``(secret,
    account)`` pair; a verified event is stored under the account of the first secret
    that matches its signature.
    """
    counters = stats if stats is not None else ReceiverStats()
    store_health = health if health is not None else StoreHealth()
    by_status = counters.by_status
    # The last tuple ``secrets()`` returned, with what it gives per request. A tuple of
    # strings, pairs and frozen ``WebhookSecret``s cannot change, so while ``secrets()``
    # returns the same one (the receiver's, until ``set_secrets``) it is labelled once.
    labelled: tuple[object, Sequence[WebhookSecret], list[str]] = (None, (), [])

    def current_secrets() -> tuple[Sequence[WebhookSecret], list[str]]:
        nonlocal labelled
        given = secrets()
        known, active, plain = labelled
        if given is not known:
            active = _labelled(given)
            plain = [entry.secret for entry in active]
            if type(given) is tuple:
                labelled = (given, active, plain)
        return active, plain

    def count(status: int) -> None:
        by_status[status] = by_status.get(status, 0) + 1

    async def refuse(
        scope: Scope,
        send: Send,
        headers: dict[str, str],
        body: bytes | None,
        *,
        status: int,
        code: str,
        reason: str,
        size: int | None = None,
    ) -> None:
        counters.rejected += 1
        count(status)
        client = scope.get("client")
        remote = f"{client[0]}:{client[1]}" if client else None
        try:
            await store.record_rejected(body, headers, reason, status_code=status, size=size, remote=remote)
        except Exception as exc:  # the refusal stands even if it could not be noted
            store_health.failed(exc)  # only an ingest proves the store works again
        await _reply(send, status, _error_body(code, reason))

    async def receive_webhook(scope: Scope, receive: Receive, send: Send) -> None:
        headers = _request_headers(scope)
        declared = headers.get("content-length")
        declared_size: int | None = None
        if declared is not None:
            try:
                declared_size = int(declared)
            except ValueError:
                return await refuse(
                    scope,
                    send,
                    headers,
                    None,
                    status=400,
                    code="bad_request",
                    reason="Content-Length is not a number.",
                    size=0,
                )
            if declared_size > max_body:
                return await refuse(
                    scope,
                    send,
                    headers,
                    None,
                    status=413,
                    code="payload_too_large",
                    reason=f"Body of {declared_size} bytes is over the {max_body}-byte limit.",
                    size=declared_size,
                )
        if not _is_json_content_type(headers.get("content-type")):
            return await refuse(
                scope,
                send,
                headers,
                None,
                status=415,
                code="unsupported_media_type",
                reason="Content-Type must be application/json.",
                size=declared_size or 0,
            )
        try:
            body = await read_body(receive, max_body)
        except ClientGoneError:
            await send({"type": "http.response.start", "status": 400, "headers": [(b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        if body is None:
            return await refuse(
                scope,
                send,
                headers,
                None,
                status=413,
                code="payload_too_large",
                reason=f"Body is over the {max_body}-byte limit.",
                size=max_body + 1,
            )
        signature = headers.get(_SIGNATURE_KEY)
        active, plain = current_secrets()
        if not active:
            return await refuse(
                scope,
                send,
                headers,
                body,
                status=401,
                code="no_secret",
                reason="No webhook secret is configured on this receiver.",
            )
        if not signature:
            return await refuse(
                scope,
                send,
                headers,
                body,
                status=401,
                code="missing_signature",
                reason=f"The {SIGNATURE_HEADER} header is missing.",
            )
        matched = match(body, signature, plain)
        if matched is None:
            return await refuse(
                scope,
                send,
                headers,
                body,
                status=401,
                code="invalid_signature",
                reason="The signature does not match the body.",
            )
        try:
            result = await store.ingest(body, headers, notify=False, account=active[matched].account, want_lead=False)
        except InvalidPayloadError as exc:
            return await refuse(
                scope, send, headers, body, status=400, code="invalid_payload", reason=f"Signed, but {exc}."
            )
        except Exception as exc:
            # Our failure (disk full, file locked...), not the sender's: ask it to retry later.
            counters.failed += 1
            count(503)
            store_health.failed(exc)
            return await _reply(
                send, 503, _error_body("store_unavailable", "The event could not be stored; retry later."), _RETRY_LATER
            )
        store_health.succeeded()
        duplicate = result.duplicate
        if duplicate:
            counters.duplicates += 1
        else:
            counters.accepted += 1
        count(200)
        await _reply(send, 200, _accepted_body(result.event.event_id, duplicate))
        if not duplicate:
            # After the answer went out, and on the loop thread, as subscribers are promised;
            # a callback of its own, so a slow subscriber never holds up this connection.
            asyncio.get_running_loop().call_soon(store.publish, result)

    async def health_check(request: Request) -> Response:
        return JSONResponse({"status": "ok", "webhookPath": WEBHOOK_PATH})

    fallback = Starlette(
        routes=[
            Route(WEBHOOK_PATH, receive_webhook, methods=["POST"]),
            Route(HEALTH_PATH, health_check, methods=["GET"]),
        ]
    )
    return ReceiverApp(receive_webhook, fallback)
